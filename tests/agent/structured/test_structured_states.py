"""The structured interviewer's transition table at an open question and at the close
(agent_worker.structured.states), one transition at a time."""

import pytest

from agent_worker import prompts
from agent_worker.structured import states as structured_states
from agent_worker.structured.flow import _Flow
from agent_worker.structured.states import TRANSITIONS, QuestionState, settled
from agent_worker.structured.steps import Stage
from agent_worker.understanding import Asking, Intent, Understanding, understand
from agent_worker.understanding.intents import IntentReading

QUESTION = {"ok": True, "number": 1, "stage": "technical", "question": "How does a hash map work?"}


def asking(state: QuestionState = QuestionState.OPEN) -> _Flow:
    flow = _Flow(spoken=True)
    flow.start_question(dict(QUESTION))
    flow.question_state = state
    return flow


def reading(intent: Intent, confidence: float, p_answer: float) -> Understanding:
    second = Intent.ANSWER if intent is not Intent.ANSWER else Intent.SMALL_TALK
    read = IntentReading(intent, confidence, second, 1 - confidence, p_answer)
    return Understanding(intent=intent, confidence=confidence, reading=read)


@pytest.mark.parametrize(
    ("understood", "expected"),
    [
        (reading(Intent.ANSWER, 0.9, 0.9), Intent.ANSWER),
        (reading(Intent.ANSWER, 0.5, 0.5), None),
        (reading(Intent.WAIT, 0.95, 0.02), Intent.WAIT),
        (reading(Intent.WAIT, 0.6, 0.35), None),
        (reading(Intent.CLARIFY, 0.45, 0.05), Intent.CLARIFY),  # between requests only
    ],
)
def test_low_confidence_between_an_answer_and_a_request_means_ask(understood, expected):
    assert settled(understood) == expected


def test_every_state_has_a_transition_for_an_answer_and_for_unsure():
    for state in QuestionState:
        assert (state, Intent.ANSWER) in TRANSITIONS
        assert (state, None) in TRANSITIONS


def test_wait_keeps_the_question_open_and_says_take_your_time_once():
    flow = asking()
    structured_states.on_message(flow, "hold on", reading(Intent.WAIT, 0.95, 0.01))
    assert flow.question_state is QuestionState.WAITING
    assert flow.action.text == prompts.STRUCTURED_TAKE_YOUR_TIME

    structured_states.on_message(flow, "one sec", reading(Intent.WAIT, 0.95, 0.01))
    assert flow.action.text == "" and flow.action.tool is None
    assert flow.answer_parts == []


def test_an_unsure_message_is_held_until_the_candidate_says_it_was_the_answer():
    flow = asking()
    structured_states.on_message(flow, "Buckets.", reading(Intent.ANSWER, 0.5, 0.5))
    assert flow.question_state is QuestionState.CONFIRMING
    assert flow.action.text == prompts.STRUCTURED_ANSWER_OR_MOMENT
    assert flow.answer_parts == []

    yes = understand("yes", asking=Asking.CONFIRMATION)
    structured_states.on_message(flow, "yes", yes)
    assert flow.action.tool == "record_answer"
    assert flow.action.arguments == {"answer": "Buckets."}


def test_a_long_silence_prompts_once_while_waiting_and_ends_at_the_close():
    flow = asking(QuestionState.WAITING)
    structured_states.on_silence(flow)
    assert flow.action.text == prompts.STRUCTURED_GENTLE_PROMPT

    closing = asking(QuestionState.ANYTHING_ELSE)
    structured_states.on_silence(closing)
    assert closing.action.tool == "end_interview"
    assert closing.stage is Stage.CLOSING


def test_at_the_close_no_ends_yes_invites_and_go_back_reopens():
    for text, tool, text_of in [
        ("no, that's all", "end_interview", ""),
        ("yes", None, prompts.STRUCTURED_GO_AHEAD),
        ("can I change my answer to the last question?", "previous_question", ""),
    ]:
        flow = asking(QuestionState.ANYTHING_ELSE)
        structured_states.on_message(flow, text, understand(text, asking=Asking.ANYTHING_ELSE))
        assert flow.action.tool == tool, text
        assert flow.action.text == text_of, text


def test_the_shipped_intent_model_was_trained_from_the_examples_beside_it():
    from agent_worker.understanding.intents import MODEL_PATH, IntentModel, examples_digest

    assert IntentModel.load(MODEL_PATH, digest=examples_digest()) is not None, (
        "intent_examples.txt changed: run `make intent-model`"
    )


def test_an_answer_ending_with_that_s_it_is_read_without_it():
    flow = asking()

    understood = flow._understand_at_question(
        "We measured both designs and chose together. That's it."
    )

    assert understood.intent is Intent.ANSWER
    assert flow._understand_at_question("That's it.").intent is Intent.DONE
