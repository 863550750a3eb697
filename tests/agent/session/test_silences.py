"""How long a silence the structured interviewer waits before it is told of it."""

from agent_worker.session.run import WAITING_SILENCE_SECONDS, silence_seconds


def test_after_anything_to_add_the_silence_taken_as_no_is_the_setting(settings):
    settings.ANYTHING_ELSE_SILENCE_SECONDS = 7.5
    assert silence_seconds("anything_else") == 7.5


def test_a_candidate_who_asked_to_wait_gets_the_long_silence():
    assert silence_seconds("waiting") == WAITING_SILENCE_SECONDS == 45.0


def test_while_a_question_is_open_silence_is_not_told():
    assert silence_seconds("answer") is None
    assert silence_seconds(None) is None
