"""record_answer refuses a request filed as an answer; an answer that merely starts like
one is recorded."""

import json

import pytest

from agent_worker.tools.answer_requests import NOT_AN_ANSWER, refusal_if_request


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Could you repeat that?", "repeat"),
        ("Sorry, what was the question?", "repeat"),
        ("What do you mean?", "clarify"),
        ("Can we skip this one?", "skip"),
        ("I don't know", "dont_know"),
        ("Can I go back?", "go_back"),
        ("Let's stop here", "stop"),
        ("That's it.", "finished"),
        ("Hello, can you hear me?", "greeting"),
    ],
)
def test_a_request_is_refused_with_what_to_do_instead(text, kind):
    refusal = json.loads(refusal_if_request(text))

    assert refusal["ok"] is False
    assert refusal["code"] == NOT_AN_ANSWER
    assert refusal["request"] == kind
    assert refusal["error"].startswith("Nothing was recorded.")


@pytest.mark.parametrize(
    "text",
    [
        "I don't know, but I would guess the index is missing.",
        "I would repeat the measurement before changing anything.",
        "Yes.",
        "No.",
        "We stopped the rollout and went back to the old version.",
    ],
)
def test_an_answer_is_not_refused(text):
    assert refusal_if_request(text) is None


def test_the_refusals_name_the_tool_to_call():
    assert "skip_question" in json.loads(refusal_if_request("Skip this one please"))["error"]
    assert "previous_question" in json.loads(refusal_if_request("Can we go back?"))["error"]
    assert "end_interview" in json.loads(refusal_if_request("I want to stop"))["error"]
