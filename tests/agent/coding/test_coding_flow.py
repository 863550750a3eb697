"""The structured interviewer's decisions at a coding exercise, over chat histories with
the tools faked as the Interviewer answers them (coding_world.py)."""

from agent_worker import prompts
from agent_worker.structured.flow import replay
from agent_worker.structured.states import listening_for
from tests.agent.coding.coding_world import (
    HINTS,
    STATEMENT,
    FakeCodingInterview,
    at_the_exercise,
    note,
)
from tests.agent.structured.structured_world import Conversation

EXERCISE = f"Question 2. {STATEMENT}"
WALK_THROUGH = prompts.STRUCTURED_CODING_WALK_THROUGH


def test_the_exercise_is_introduced_then_its_task_read():
    conversation = at_the_exercise()

    assert conversation.last.endswith(f"{prompts.STRUCTURED_CODING_INTRO} {EXERCISE}")


def test_nothing_said_while_coding_reaches_record_answer():
    conversation = at_the_exercise()
    recorded_before = len(conversation.arguments_of("record_answer"))

    for message in (
        "ok so I think a dictionary works here",
        "I loop over the characters and count them",
        "yes",
        "I'm done",
        "hmm let me think",
    ):
        conversation.say(message)

    assert len(conversation.arguments_of("record_answer")) == recorded_before
    assert conversation.interview.questions[1].answer == ""


def test_thinking_aloud_is_acknowledged_once_then_left_alone():
    conversation = at_the_exercise()

    first = conversation.say("ok so I think a dictionary works here")
    second = conversation.say("then I loop again to find the first count of one")

    assert first == prompts.STRUCTURED_CODING_GO_ON
    assert second == ""


def test_the_task_is_repeated_and_explained_on_request():
    conversation = at_the_exercise()

    repeated = conversation.say("sorry, could you repeat the task?")
    explained = conversation.say("what do you mean, what am I supposed to do?")

    assert repeated == f"{prompts.STRUCTURED_REPEAT_PREFIX} {EXERCISE}"
    assert explained == prompts.STRUCTURED_CODING_CLARIFY


def test_saying_done_before_submitting_asks_for_the_submission():
    conversation = at_the_exercise()

    assert conversation.say("I'm done") == prompts.STRUCTURED_CODING_SUBMIT_FIRST


def test_a_hint_request_calls_give_hint_and_says_the_hint():
    conversation = at_the_exercise()

    reply = conversation.say("I'm stuck, any tips?")

    assert conversation.tools_called()[-1] == "give_hint"
    assert reply == f"Here is a hint: {HINTS[0]}"


def test_no_hint_left_and_a_failed_hint_are_said_plainly():
    conversation = at_the_exercise()
    conversation.interview.hints_given = len(HINTS)

    assert conversation.say("can I get a hint") == prompts.STRUCTURED_CODING_NO_HINT_LEFT
    conversation.interview.hint_fails = True
    assert conversation.say("another hint please") == prompts.STRUCTURED_CODING_HINT_FAILED


def test_a_message_that_may_ask_for_a_hint_is_asked_about():
    conversation = at_the_exercise()

    asked = conversation.say("I give up on this exercise")
    given = conversation.say("yes please")

    assert asked == prompts.STRUCTURED_CODING_WANT_A_HINT
    assert given == f"Here is a hint: {HINTS[0]}"


def test_skipping_the_exercise_is_confirmed_first():
    conversation = at_the_exercise()

    asked = conversation.say("can we skip this exercise")
    assert asked == prompts.STRUCTURED_CODING_CONFIRM_SKIP
    assert "skip_question" not in conversation.tools_called()
    reply = conversation.say("yes")

    assert conversation.tools_called()[-2:] == ["skip_question", "get_next_question"]
    assert reply.startswith(prompts.STRUCTURED_SKIPPED)
    assert reply.endswith("Question 3. Tell me about a disagreement in your team.")


def test_a_skip_declined_keeps_the_exercise_open():
    conversation = at_the_exercise()
    conversation.say("let's skip the coding part")

    reply = conversation.say("no")

    assert reply == prompts.STRUCTURED_CODING_NOT_SKIPPED
    assert "skip_question" not in conversation.tools_called()


def test_going_back_is_not_offered_during_the_exercise():
    conversation = at_the_exercise()

    reply = conversation.say("can I go back to the previous question?")

    assert reply == prompts.STRUCTURED_CODING_NO_GOING_BACK
    assert "previous_question" not in conversation.tools_called()


def test_a_plain_run_is_noted_in_silence():
    conversation = at_the_exercise()

    assert conversation.told(note("run", outcome="failed")) == ""
    assert conversation.told(note("run", outcome="passed", passed=1, run=2)) == ""


def test_a_stuck_candidate_is_offered_a_hint_and_may_decline():
    conversation = at_the_exercise()

    offered = conversation.told(note("run", stuck=True))
    declined = conversation.say("no thanks")

    assert offered == prompts.STRUCTURED_CODING_OFFER_HINT
    assert declined == prompts.STRUCTURED_CODING_NO_HINT_THEN
    assert "give_hint" not in conversation.tools_called()


def test_a_submission_the_server_could_not_run_is_asked_again():
    conversation = at_the_exercise()

    reply = conversation.told(note("submit", outcome="unavailable"))
    conversation.say("ok I pressed it again, it uses a counter")

    assert reply == prompts.STRUCTURED_CODING_SUBMIT_AGAIN
    assert conversation.interview.questions[1].answer == ""


def test_after_the_submission_the_explanation_is_the_answer():
    conversation = at_the_exercise()

    reply = conversation.told(note("submit", outcome="passed", passed=3, total=3))
    repeated = conversation.say("sorry, what was the question?")
    conversation.say("I count the characters then find the first unique one, O(n) time.")

    assert reply == " ".join(
        [
            prompts.STRUCTURED_CODING_SUBMITTED,
            "All the server's tests passed: 3 of 3.",
            WALK_THROUGH,
        ]
    )
    assert repeated == f"{prompts.STRUCTURED_REPEAT_PREFIX} {WALK_THROUGH}"
    assert conversation.interview.questions[1].answer == (
        "I count the characters then find the first unique one, O(n) time."
    )
    assert conversation.last.endswith("Question 3. Tell me about a disagreement in your team.")


def test_a_submitted_exercise_resumed_asks_for_the_walk_through():
    conversation = at_the_exercise(submitted=True)

    assert conversation.last.endswith(
        f"{EXERCISE} {prompts.STRUCTURED_CODING_ALREADY_SUBMITTED} {WALK_THROUGH}"
    )


def test_a_note_away_from_the_exercise_changes_nothing():
    conversation = Conversation(FakeCodingInterview(candidate={"name": "Ivy"}))

    assert conversation.told(note("submit", outcome="passed")) == ""
    assert conversation.last.endswith("Question 1. How does a hash map work?")


def test_silence_while_coding_is_not_prompted():
    conversation = at_the_exercise()

    assert listening_for(replay(conversation.items)) is None
