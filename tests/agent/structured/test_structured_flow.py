"""The structured interviewer's decisions, over chat histories with the tools faked as
the Interviewer answers them (tests/agent/structured/structured_world.py)."""

import json

import pytest
from livekit.agents import llm

from agent_worker import prompts
from agent_worker.structured.flow import FlowFollower, next_step, replay
from tests.agent.structured.structured_world import EMAILED_CODE, Conversation, FakeInterview

QUESTION_1 = "Question 1. How does a hash map work?"
QUESTION_2 = "Question 2. How would you find a slow query?"


def personal(**options) -> Conversation:
    return Conversation(
        FakeInterview(candidate={"name": "Ivy", "email": "ivy@example.com"}, **options)
    )


def test_a_personal_invite_starts_with_the_greeting_and_the_first_question():
    conversation = personal()

    assert conversation.replies == [
        f"{prompts.WELCOME_MESSAGE} {prompts.STRUCTURED_TYPING_HINT} {QUESTION_1}"
    ]
    assert conversation.tools_called() == ["get_next_question"]


def test_the_greeting_does_not_ask_to_type_when_speech_is_heard():
    conversation = personal(hears_speech=True)

    assert conversation.replies == [f"{prompts.WELCOME_MESSAGE} {QUESTION_1}"]


def test_an_open_link_asks_only_for_the_email_first():
    conversation = Conversation(FakeInterview(hears_speech=True))

    assert conversation.replies == [f"{prompts.WELCOME_MESSAGE} {prompts.STRUCTURED_ASK_EMAIL}"]


def test_an_open_link_that_fixes_the_position_never_asks_for_it():
    conversation = Conversation(FakeInterview(title="Data Scientist"))

    conversation.say("dana@example.com")
    conversation.say(EMAILED_CODE)
    conversation.say("Dana Scully")
    conversation.say("8 years")

    assert not any("position" in reply for reply in conversation.replies)
    assert conversation.arguments_of("create_candidate") == [
        {"name": "Dana Scully", "email": "dana@example.com", "position": "", "experience": 8}
    ]
    assert conversation.last == f"Thank you, Dana Scully. {QUESTION_1}"


def test_without_the_position_from_the_tools_it_asks_and_matches_loosely():
    conversation = Conversation(FakeInterview(says_position=False))

    conversation.say("dana@example.com")
    conversation.say(EMAILED_CODE)
    conversation.say("Dana Scully")
    assert conversation.last == "Thank you. Which position are you applying for?"
    conversation.say("I'm applying for the backend role")
    conversation.say("8 years")

    # The tool did not know "backend"; the flow matched it to the interview's title.
    assert [args["position"] for args in conversation.arguments_of("create_candidate")] == [
        "backend",
        "",
    ]
    assert conversation.interview.candidate is not None
    assert conversation.last.endswith(QUESTION_1)


def test_another_position_declined_ends_politely_without_a_profile():
    conversation = Conversation(FakeInterview(says_position=False))
    for message in ("dana@example.com", EMAILED_CODE, "Dana Scully", "Product manager", "8 years"):
        conversation.say(message)
    assert conversation.last.startswith("This interview is for Software Engineer.")

    conversation.say("no")

    assert conversation.interview.candidate is None
    assert conversation.tools_called()[-1] == "end_interview"
    assert conversation.last == " ".join(
        [
            prompts.STRUCTURED_WRONG_POSITION.format(title="Software Engineer"),
            prompts.EARLY_CLOSING_REMARKS,
        ]
    )


def test_a_known_candidate_is_greeted_by_name_and_asked_nothing_more():
    interview = FakeInterview()
    interview.profiles["joe@example.com"] = {"name": "Joe Bloggs"}
    conversation = Conversation(interview)

    after_email = conversation.say("j o e at example dot com")
    assert after_email == prompts.CODE_SENT_MESSAGE  # nothing about Joe before the code
    conversation.say("four eight one two oh three")

    assert conversation.last == f"Thank you, Joe Bloggs. {QUESTION_1}"


def test_the_interview_position_named_instead_of_the_email_is_acknowledged():
    conversation = Conversation(FakeInterview())

    conversation.say("I'm applying for the backend role.")

    assert conversation.last == (
        f"Thank you. This interview is for Software Engineer. {prompts.STRUCTURED_ASK_EMAIL}"
    )


def test_a_corrected_email_is_looked_up_again():
    conversation = Conversation(FakeInterview())
    conversation.say("priya@exmaple.com")

    conversation.say("Sorry, I mistyped it: priya@example.com")

    assert conversation.arguments_of("lookup_candidate") == [
        {"email": "priya@exmaple.com"},
        {"email": "priya@example.com"},
    ]


def test_an_email_not_understood_twice_is_explained_once_and_never_looked_up():
    conversation = Conversation(FakeInterview())

    first = conversation.say("I'd prefer not to say")
    second = conversation.say("Why do you need it?")
    third = conversation.say("nothing")
    fourth = conversation.say("nope nothing")

    assert first == prompts.STRUCTURED_EMAIL_NOT_UNDERSTOOD
    assert second.endswith(prompts.STRUCTURED_ASK_EMAIL)  # a question is answered, not counted
    assert third == prompts.STRUCTURED_EMAIL_NEEDED
    assert fourth == prompts.STRUCTURED_EMAIL_NOT_UNDERSTOOD
    assert not conversation.arguments_of("lookup_candidate")


def test_a_long_name_is_read_back_and_kept_once_confirmed():
    conversation = Conversation(FakeInterview())
    conversation.say("x.y@example.com")
    conversation.say(EMAILED_CODE)

    conversation.say("Priya Natarajan Kumari Devi Lakshmi Rao")
    assert conversation.last == prompts.STRUCTURED_CONFIRM_NAME.format(
        name="Priya Natarajan Kumari Devi Lakshmi Rao"
    )
    conversation.say("yes")
    conversation.say("3")

    [arguments] = conversation.arguments_of("create_candidate")
    assert arguments["name"] == "Priya Natarajan Kumari Devi Lakshmi Rao"
    assert "unconfirmed" not in arguments


def test_a_name_not_understood_twice_is_taken_as_given_and_said_so():
    conversation = Conversation(FakeInterview())
    conversation.say("x.y@example.com")
    conversation.say(EMAILED_CODE)

    conversation.say("4 8 15 16")
    assert conversation.last == prompts.STRUCTURED_NAME_NOT_UNDERSTOOD
    conversation.say("4 8 15 16")
    assert conversation.last.startswith(prompts.STRUCTURED_NAME_NEEDED)


def test_experience_not_understood_twice_is_left_for_the_recruiter():
    conversation = Conversation(FakeInterview())
    conversation.say("x.y@example.com")
    conversation.say(EMAILED_CODE)
    conversation.say("Sam Lee")

    assert conversation.say("quite a lot") == prompts.STRUCTURED_EXPERIENCE_NOT_UNDERSTOOD
    reply = conversation.say("loads, honestly")

    assert conversation.arguments_of("create_candidate") == [
        {"name": "Sam Lee", "email": "x.y@example.com", "position": "", "experience": ""}
    ]
    assert reply == f"{prompts.STRUCTURED_EXPERIENCE_LEFT_OPEN} Thank you, Sam Lee. {QUESTION_1}"


def test_experience_the_candidate_does_not_know_is_left_open_at_once():
    conversation = Conversation(FakeInterview())
    conversation.say("x.y@example.com")
    conversation.say(EMAILED_CODE)
    conversation.say("Sam Lee")

    conversation.say("I don't know")

    [arguments] = conversation.arguments_of("create_candidate")
    assert arguments["experience"] == ""


def test_when_the_tool_needs_a_number_of_years_the_flow_asks_for_one():
    conversation = Conversation(FakeInterview(accepts_unknown_experience=False))
    for message in ("x.y@example.com", EMAILED_CODE, "Sam Lee", "I'd rather not say"):
        conversation.say(message)
    assert conversation.last == prompts.STRUCTURED_EXPERIENCE_NUMBER_NEEDED

    conversation.say("about three")

    assert [a["experience"] for a in conversation.arguments_of("create_candidate")] == ["", 3]
    assert conversation.last.endswith(QUESTION_1)


def test_stopping_during_identification_is_confirmed_then_ends():
    conversation = Conversation(FakeInterview())

    assert conversation.say("I want to quit") == prompts.STRUCTURED_CONFIRM_STOP
    conversation.say("yes")

    assert conversation.tools_called()[-1] == "end_interview"
    assert conversation.last == prompts.EARLY_CLOSING_REMARKS


def test_a_pause_then_an_answer_records_the_answer():
    conversation = personal()
    conversation.say("give me a minute")

    conversation.say("A hash function picks the bucket.")

    assert conversation.arguments_of("record_answer") == [
        {"answer": "A hash function picks the bucket."}
    ]


def test_a_whole_interview_asks_for_anything_to_add_then_closes():
    conversation = personal()

    for answer in ("One.", "Two.", "Three."):
        conversation.say(answer)
    assert conversation.interview.outcome is None
    assert conversation.last == (
        f"{prompts.STRUCTURED_THANKS_FOR_ANSWER} {prompts.STRUCTURED_ANYTHING_ELSE}"
    )
    conversation.say("no, that's all")

    assert conversation.interview.outcome == "completed"
    assert conversation.last == prompts.CLOSING_REMARKS
    assert conversation.say("bye!") == ""


def test_without_the_skip_tool_a_skip_is_refused_and_nothing_is_recorded():
    conversation = personal(has_skip_tools=False)

    reply = conversation.say("Can we skip it?")

    assert reply == f"{prompts.STRUCTURED_CANNOT_SKIP} {QUESTION_1}"
    assert not conversation.arguments_of("record_answer")


def test_going_back_from_the_first_question_says_there_is_none():
    conversation = personal()

    reply = conversation.say("Can I go back?")

    assert reply == f"{prompts.STRUCTURED_NO_PREVIOUS} {QUESTION_1}"


def test_without_the_previous_question_tool_going_back_is_declined():
    conversation = personal(has_skip_tools=False)
    conversation.say("It hashes the key to pick a bucket.")

    reply = conversation.say("go back")

    assert reply == f"{prompts.STRUCTURED_CANNOT_GO_BACK} {QUESTION_2}"


# --- Chat histories built by hand: what the tools said, as the Interviewer says it ------


def output(name: str, **data) -> list[llm.ChatItem]:
    call_id = f"call_{name}_{len(json.dumps(data))}"
    return [
        llm.FunctionCall(call_id=call_id, name=name, arguments="{}"),
        llm.FunctionCallOutput(call_id=call_id, name=name, output=json.dumps(data), is_error=False),
    ]


def user(text: str) -> llm.ChatMessage:
    return llm.ChatMessage(role="user", content=[text])


def assistant(text: str) -> llm.ChatMessage:
    return llm.ChatMessage(role="assistant", content=[text])


QUESTION = {"ok": True, "done": False, "number": 1, "stage": "technical", "question": "Q1?"}


def test_the_same_history_always_gives_the_same_step():
    items = [*output("get_next_question", **QUESTION), assistant("Question 1. Q1?"), user("A")]

    assert next_step(items) == next_step(list(items))
    assert next_step(items).tool == "record_answer"


def test_a_resumed_interview_is_welcomed_back():
    items = output("get_next_question", **QUESTION, resumed=True, hears_speech=True)

    assert next_step(items).text == f"{prompts.RESUME_MESSAGE} Question 1. Q1?"


def test_an_answer_too_long_to_store_is_sent_again_shorter():
    long_answer = "word " * 5000
    items = [
        *output("get_next_question", **QUESTION),
        assistant("Question 1. Q1?"),
        user(long_answer),
        *output("record_answer", ok=False, code="answer_too_long", error="..."),
    ]

    step = next_step(items)

    assert step.tool == "record_answer"
    assert long_answer.strip().startswith(step.arguments["answer"].strip())
    assert len(step.arguments["answer"]) < len(long_answer)


def test_an_answer_the_system_could_not_save_is_asked_again():
    items = [
        *output("get_next_question", **QUESTION),
        assistant("Question 1. Q1?"),
        user("My answer"),
        *output("record_answer", ok=False, code="save_failed", error="..."),
    ]

    assert next_step(items).text == prompts.STRUCTURED_SAVE_FAILED
    again = "I would add an index on the email column."
    assert next_step([*items, assistant("..."), user(again)]).arguments == {"answer": again}


def test_a_failed_question_is_fetched_again_on_the_next_message():
    items = [*output("get_next_question", ok=False, code="save_failed", error="...")]

    assert next_step(items).text.endswith(prompts.STRUCTURED_TRY_AGAIN)
    assert next_step([*items, assistant("..."), user("ready")]).tool == "get_next_question"


def test_the_identify_quota_ends_the_interview():
    items = [
        *output("get_next_question", ok=False, code="candidate_unknown", error="..."),
        assistant(prompts.STRUCTURED_ASK_EMAIL),
        user("a@example.com"),
        *output("lookup_candidate", ok=False, code="identify_quota", error="..."),
    ]

    assert next_step(items).tool == "end_interview"


def test_a_message_typed_before_the_greeting_is_kept():
    items = [
        user("hi, I'm Priya Natarajan, priya.n@example.com"),
        *output("get_next_question", ok=False, code="candidate_unknown", error="..."),
    ]

    step = next_step(items)

    assert (step.tool, step.arguments) == ("lookup_candidate", {"email": "priya.n@example.com"})


def test_experience_given_when_the_position_is_asked_is_not_taken_as_a_position():
    conversation = Conversation(FakeInterview(says_position=False))
    conversation.say("dana@example.com")
    conversation.say(EMAILED_CODE)
    conversation.say("Dana Scully")

    reply = conversation.say("about five years")

    assert not conversation.arguments_of("create_candidate")
    assert reply.endswith("Which position are you applying for?")


def test_a_request_during_the_position_confirmation_asks_it_again():
    conversation = Conversation(FakeInterview(says_position=False))
    for message in ("dana@example.com", EMAILED_CODE, "Dana Scully", "Product manager", "8 years"):
        conversation.say(message)

    reply = conversation.say("Sorry, could you repeat that?")
    conversation.say("yes")

    assert reply == prompts.STRUCTURED_CONFIRM_POSITION.format(title="Software Engineer")
    assert conversation.interview.candidate is not None


def test_after_the_email_it_asks_for_the_code_and_says_the_same_for_every_address():
    known = FakeInterview()
    known.profiles["joe@example.com"] = {"name": "Joe Bloggs"}
    replies = []
    for interview, address in ((known, "joe@example.com"), (FakeInterview(), "new@example.com")):
        conversation = Conversation(interview)
        replies.append(conversation.say(address))
        assert interview.candidate is None
    assert replies == [prompts.CODE_SENT_MESSAGE, prompts.CODE_SENT_MESSAGE]


def test_a_wrong_code_is_asked_again_and_identifies_no_one():
    interview = FakeInterview()
    interview.profiles["joe@example.com"] = {"name": "Joe Bloggs"}
    conversation = Conversation(interview)
    conversation.say("joe@example.com")

    assert conversation.say("111111") == prompts.STRUCTURED_CODE_WRONG
    assert interview.candidate is None
    assert "Joe" not in " ".join(conversation.replies)
    conversation.say(f"it's {EMAILED_CODE}")
    assert conversation.last == f"Thank you, Joe Bloggs. {QUESTION_1}"


def test_something_else_than_a_code_is_not_sent_as_one():
    conversation = Conversation(FakeInterview())
    conversation.say("dana@example.com")

    assert conversation.say("Dana Scully") == prompts.STRUCTURED_CODE_NOT_UNDERSTOOD
    assert conversation.say("I did not get any email?") == prompts.STRUCTURED_CODE_CLARIFY
    assert not conversation.arguments_of("verify_email_code")


def test_another_address_given_instead_of_the_code_gets_its_own_code():
    conversation = Conversation(FakeInterview())
    conversation.say("dana@exmaple.com")

    assert conversation.say("oops, dana@example.com") == prompts.CODE_SENT_MESSAGE
    assert conversation.arguments_of("lookup_candidate")[-1] == {"email": "dana@example.com"}


def test_an_expired_code_sends_a_new_one():
    items = [
        *output("get_next_question", ok=False, code="candidate_unknown", error="..."),
        assistant(prompts.STRUCTURED_ASK_EMAIL),
        user("a@example.com"),
        *output("lookup_candidate", ok=True, code_sent=True),
        assistant(prompts.CODE_SENT_MESSAGE),
        user("123456"),
        *output("verify_email_code", ok=False, code="code_expired", error="..."),
    ]

    step = next_step(items)

    assert (step.tool, step.arguments) == ("lookup_candidate", {"email": "a@example.com"})


@pytest.mark.parametrize(
    "said",
    [
        "four eight one two zero three",
        "481 203",
        "It's 4-8-1-2-0-3",
        "four eight one two oh three",
        "oh sorry, it's 481203",
        "Sure, the code in the email is 481-203, thanks",
        "Ah right, 481203.",
    ],
)
def test_the_emailed_code_is_read_from_typed_or_spoken_digits(said):
    interview = FakeInterview()
    interview.profiles["joe@example.com"] = {"name": "Joe Bloggs"}
    conversation = Conversation(interview)
    conversation.say("joe@example.com")
    reply = conversation.say(said)
    assert conversation.arguments_of("verify_email_code") == [{"code": EMAILED_CODE}]
    assert interview.candidate == {"name": "Joe Bloggs"}
    assert "Joe Bloggs" in reply


@pytest.mark.parametrize(
    "said",
    ["481203 or 481204", "my code is 481203 and I have 5 years", "forty eight one two oh three"],
)
def test_a_message_with_more_than_one_number_is_not_read_as_the_code(said):
    conversation = Conversation(FakeInterview())
    conversation.say("joe@example.com")

    reply = conversation.say(said)

    assert conversation.arguments_of("verify_email_code") == []
    assert reply == prompts.STRUCTURED_CODE_NOT_UNDERSTOOD


def test_after_a_wrong_code_the_right_one_is_read_from_an_apology():
    conversation = Conversation(FakeInterview())
    conversation.say("joe@example.com")
    assert conversation.say("123456") == prompts.STRUCTURED_CODE_WRONG

    conversation.say("oh sorry, it's 481203")

    assert conversation.arguments_of("verify_email_code") == [
        {"code": "123456"},
        {"code": EMAILED_CODE},
    ]
    assert conversation.last.endswith(prompts.STRUCTURED_ASK_NAME)


def test_a_name_read_back_and_denied_is_asked_again_and_never_kept():
    conversation = Conversation(FakeInterview())
    conversation.say("x.y@example.com")
    conversation.say(EMAILED_CODE)
    conversation.say("Priya Natarajan Kumari Devi Lakshmi Rao")

    conversation.say("no")
    assert conversation.last.endswith(prompts.STRUCTURED_ASK_NAME_AGAIN)
    conversation.say("Priya Rao")
    conversation.say("3")

    [arguments] = conversation.arguments_of("create_candidate")
    assert arguments["name"] == "Priya Rao"


def test_a_position_never_confirmed_is_kept_and_sent_as_unconfirmed():
    conversation = Conversation(FakeInterview(says_position=False))
    for message in ("dana@example.com", EMAILED_CODE, "Dana Scully", "Product manager", "8 years"):
        conversation.say(message)
    assert conversation.last.startswith("This interview is for Software Engineer.")

    conversation.say("hmm")
    conversation.say("um...")

    created = conversation.arguments_of("create_candidate")[-1]
    assert created["position"] == "" and created["unconfirmed"] == "position"
    assert conversation.interview.candidate is not None


def test_fields_understood_at_once_are_not_sent_as_unconfirmed():
    conversation = Conversation(FakeInterview())
    for message in ("x.y@example.com", EMAILED_CODE, "Sam Lee", "4 years"):
        conversation.say(message)

    [arguments] = conversation.arguments_of("create_candidate")
    assert "unconfirmed" not in arguments


def test_a_recorded_answer_that_brings_the_next_question_asks_it_at_once():
    items = [
        *output("get_next_question", **QUESTION),
        assistant("Question 1. Q1?"),
        user("My answer"),
        *output("record_answer", ok=True, recorded=True, next={**QUESTION, "number": 2}),
    ]

    step = next_step(items)

    assert step.tool is None
    assert step.text.endswith("Question 2. Q1?")
    assert step.text != "Question 2. Q1?"  # the answer is acknowledged first


def test_a_recorded_answer_that_says_the_plan_is_done_asks_for_anything_to_add():
    items = [
        *output("get_next_question", **QUESTION),
        assistant("Question 1. Q1?"),
        user("My answer"),
        *output("record_answer", ok=True, recorded=True, next={"ok": True, "done": True}),
    ]

    assert next_step(items).text.endswith(prompts.STRUCTURED_ANYTHING_ELSE)
    closing = [*items, assistant(prompts.STRUCTURED_ANYTHING_ELSE), user("No, nothing.")]
    assert next_step(closing).tool == "end_interview"


def test_a_recorded_answer_without_the_next_question_asks_for_it():
    items = [
        *output("get_next_question", **QUESTION),
        assistant("Question 1. Q1?"),
        user("My answer"),
        *output("record_answer", ok=True, recorded=True),
    ]

    assert next_step(items).tool == "get_next_question"


def test_each_candidate_message_is_understood_once_however_many_turns_follow(monkeypatch):
    from agent_worker.structured import flow as flow_module

    read: list[str] = []
    real = flow_module.understand

    def counting(text, **kwargs):  # noqa: ANN001, ANN202
        read.append(text)
        return real(text, **kwargs)

    monkeypatch.setattr(flow_module, "understand", counting)
    history = [*output("get_next_question", **QUESTION), assistant("Question 1. Q1?")]
    said = ["A hash map hashes the key.", "Then it compares the keys.", "That is all."]
    follower = FlowFollower()
    follower.follow(history)
    for text in said:  # a turn after each message
        history.append(user(text))
        follower.follow(history)
    followed = list(read)
    read.clear()
    replay(history)  # the whole history, read once

    assert followed == read
    assert set(said) <= set(read)


def test_a_message_inserted_before_the_last_reply_is_read_with_the_whole_history():
    """LiveKit inserts a transcript by the time it was said, possibly before the reply
    that followed it in the chat: the follower then reads everything again."""
    follower = FlowFollower()
    asked = [*output("get_next_question", **QUESTION), assistant("Question 1. Q1?")]
    follower.follow(asked)
    inserted = [*asked[:-1], user("could you repeat that"), asked[-1]]

    assert follower.follow(inserted).action == next_step(inserted)
    assert follower.follow([*inserted, user("B")]).action == next_step([*inserted, user("B")])
