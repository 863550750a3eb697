"""Asking for a hint is understood at the coding exercise, and only there.

hint_dev.jsonl holds messages written for the hint intent apart from its examples (hint
requests, answers and remarks that use a hint's words, other requests at the exercise).
It was looked at while the examples were written: its figures are development figures,
kept here so that a change to the examples cannot quietly undo them. The measured sets
(tests/agent/understanding) do not change: the question's classifier has no hint."""

import json
from pathlib import Path

import numpy as np
import pytest

from agent_worker.structured.states import settled
from agent_worker.understanding import Asking, Context, Intent, read_intent, understand
from agent_worker.understanding.intents import MODEL_PATH

ROWS = [
    json.loads(line)
    for line in (Path(__file__).parent / "hint_dev.jsonl").read_text().splitlines()
    if line.strip()
]
STATEMENT = "Write a function that returns the first character of a string that does not repeat."


def acted_on(text: str) -> Intent | None:
    return settled(understand(text, asking=Asking.CODING, question=STATEMENT))


@pytest.mark.parametrize("text", [r["text"] for r in ROWS if r["intent"] == "hint"])
def test_a_hint_request_at_the_exercise_is_acted_on_as_one(text):
    assert acted_on(text) is Intent.HINT


def test_answers_with_a_hint_s_words_are_rarely_taken_for_a_hint_request():
    answers = [r["text"] for r in ROWS if r["intent"] == "answer"]
    taken = [text for text in answers if acted_on(text) is Intent.HINT]

    assert len(answers) >= 15
    assert len(taken) <= 2, taken


@pytest.mark.parametrize(
    ("text", "intent"),
    [(r["text"], r["intent"]) for r in ROWS if r["intent"] not in ("hint", "answer")],
)
def test_other_requests_at_the_exercise_keep_their_meaning(text, intent):
    assert understand(text, asking=Asking.CODING, question=STATEMENT).intent.value == intent


def test_the_question_s_classifier_knows_no_hint():
    with np.load(MODEL_PATH) as shipped:
        assert Intent.HINT.value in shipped["coding.intents"]
        assert Intent.HINT.value not in shipped["question.intents"]
    assert read_intent("can I get a hint?", context=Context.QUESTION).intent is not Intent.HINT


def test_the_coding_panel_s_buttons_are_understood():
    # static/interviews/join-coding.js sends these on the chat.
    assert acted_on("Could I have a hint?") is Intent.HINT
    assert acted_on("Could you repeat the task?") is Intent.REPEAT
