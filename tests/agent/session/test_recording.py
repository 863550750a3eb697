"""Recording never stops an interview: what cannot be recorded or stored is kept, with
its reason, for the report."""

import time
from types import SimpleNamespace

import pytest
from asgiref.sync import async_to_sync

from agent_worker.session.recording import InterviewRecorder
from interviews.models import Recording

pytestmark = pytest.mark.django_db(transaction=True)


def session(*, audio_in=None, audio_out=None) -> SimpleNamespace:
    return SimpleNamespace(
        input=SimpleNamespace(audio=audio_in), output=SimpleNamespace(audio=audio_out)
    )


class RecorderThatWroteNothing:
    recording_started_at = time.time()

    async def aclose(self) -> None:
        return None


def test_an_interviewer_without_a_voice_records_nothing_and_says_why(personal_interview, tmp_path):
    recorder = InterviewRecorder(
        session=session(), interview=personal_interview, directory=tmp_path
    )

    started = async_to_sync(recorder.start)()

    recording = Recording.objects.get(interview=personal_interview)
    assert started is False
    assert recording.status == Recording.Status.NOT_RECORDED
    assert "no conversation audio" in recording.reason


def test_a_part_that_cannot_be_stored_is_kept_as_a_failure(personal_interview, tmp_path):
    recorder = InterviewRecorder(
        session=session(), interview=personal_interview, directory=tmp_path
    )
    recorder._recorder = RecorderThatWroteNothing()  # type: ignore[assignment]

    async_to_sync(recorder.finish)()  # raises nothing

    recording = Recording.objects.get(interview=personal_interview)
    assert recording.status == Recording.Status.FAILED
    assert recording.reason == "A part of the interview was not recorded (FileNotFoundError)."
    assert not recording.file
