"""A typed hint request at the coding exercise is answered at once, not after the pause
that lets an answer span several messages."""

from agent_worker.session.typed_turns import pause_after

PAUSE = 4.0


def test_a_hint_request_while_coding_is_answered_at_once():
    assert pause_after("can I get a hint?", answering=True, pause=PAUSE, coding=True) == 0.0


def test_thinking_aloud_while_coding_waits_as_an_answer_would():
    text = "so I count the characters first"

    assert pause_after(text, answering=True, pause=PAUSE, coding=True) == PAUSE
