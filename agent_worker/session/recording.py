"""Recording an interview: LiveKit's RecorderIO writes both voices (the candidate on the
left channel, the interviewer on the right, each where it was heard) to an Ogg/Opus file
while the interviewer runs; when the job ends the file is added to the interview's
recording, after the parts earlier runs stored.

The recorder is wrapped around the session's audio here, not with `AgentSession.start(
record=...)`: that option also uploads the session report, audio included, to LiveKit
Cloud when the server is there, and a recording stays with the hiring team.

A recording that fails never stops the interview: the failure is logged and kept, with
its reason, for the report.
"""

import logging
import uuid
from datetime import UTC, datetime
from pathlib import Path

from asgiref.sync import sync_to_async
from livekit.agents import AgentSession
from livekit.agents.voice.recorder_io import RecorderIO

from interviews.models import Interview
from interviews.services import recordings

logger = logging.getLogger(__name__)


class InterviewRecorder:
    """One part of an interview's recording: this run of the interviewer."""

    def __init__(self, *, session: AgentSession, interview: Interview, directory: Path) -> None:
        self.session = session
        self.interview = interview
        self.path = directory / f"recording-{uuid.uuid4().hex}.ogg"
        self._recorder: RecorderIO | None = None
        self._ref = str(interview.public_id)

    async def start(self) -> bool:
        """Record from now on; False (and the reason kept) when it cannot."""
        audio_in, audio_out = self.session.input.audio, self.session.output.audio
        if audio_in is None or audio_out is None:
            await self._keep(
                recordings.recording_not_made,
                reason="This interviewer ran without a voice or a microphone: there was no "
                "conversation audio to record.",
            )
            return False
        try:
            recorder = RecorderIO(agent_session=self.session)
            self.session.input.audio = recorder.record_input(audio_in)
            self.session.output.audio = recorder.record_output(audio_out)
            await recorder.start(output_path=self.path)
        except Exception as error:
            logger.exception("the recording did not start", extra={"interview": self._ref})
            await self._keep(
                recordings.recording_fail,
                reason=f"The recording did not start ({type(error).__name__}).",
            )
            return False
        self._recorder = recorder
        logger.info("recording the interview", extra={"interview": self._ref})
        return True

    async def finish(self) -> None:
        """Finish the file and store it with the interview's recording."""
        recorder, self._recorder = self._recorder, None
        if recorder is None:
            return
        started = recorder.recording_started_at
        try:
            await recorder.aclose()
            if started is None or not self.path.exists():
                raise FileNotFoundError("the recorder wrote no file")
            await sync_to_async(recordings.recording_add_part)(
                interview=self.interview,
                path=self.path,
                started_at=datetime.fromtimestamp(started, tz=UTC),
            )
        except Exception as error:
            logger.exception("the recording was not stored", extra={"interview": self._ref})
            await self._keep(
                recordings.recording_fail,
                reason=f"A part of the interview was not recorded ({type(error).__name__}).",
            )
        else:
            logger.info("recording stored", extra={"interview": self._ref})
        finally:
            self.path.unlink(missing_ok=True)

    async def _keep(self, service, *, reason: str) -> None:  # noqa: ANN001
        try:
            await sync_to_async(service)(interview=self.interview, reason=reason)
        except Exception:
            logger.exception("could not keep the recording's state", extra={"interview": self._ref})
