"""An interview's recording as the report plays it (where each transcript line and each
question start in the audio, or why there is nothing to play) and as an export lists it."""

from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist

from interviews.models import Interview, InterviewQuestion, Recording, TranscriptSegment


def recording_of(interview: Interview) -> Recording | None:
    try:
        return interview.recording
    except ObjectDoesNotExist:
        return None


@dataclass(frozen=True)
class ReportRecording:
    """What the report says about the recording: the player when there is audio, and a
    sentence when there is none or part of it is missing."""

    recording: Recording | None
    message: str
    # Seconds into the audio, by transcript segment and by asked question (primary keys).
    line_offsets: dict[int, float] = field(default_factory=dict)
    question_offsets: dict[int, float] = field(default_factory=dict)

    @property
    def playable(self) -> bool:
        return self.recording is not None and self.recording.playable


def report_recording(
    *,
    interview: Interview,
    transcript: list[TranscriptSegment],
    questions: list[InterviewQuestion],
) -> ReportRecording:
    recording = recording_of(interview)
    if recording is None:
        if interview.position.records_interviews:
            message = "No recording: the interviewer did not record this interview."
        else:
            message = "Not recorded: this position does not record its interviews."
        return ReportRecording(recording=None, message=message)
    if not recording.playable:
        label = recording.get_status_display()
        reason = f" {recording.reason}" if recording.reason else ""
        return ReportRecording(recording=recording, message=f"No recording ({label}).{reason}")
    message = ""
    if recording.status == Recording.Status.FAILED:
        message = f"Part of the interview is missing from the recording. {recording.reason}"
    lines = {
        segment.pk: at
        for segment in transcript
        if (at := recording.offset_of(segment.spoken_at)) is not None
    }
    asked = {
        question.pk: at
        for question in questions
        if (at := recording.offset_of(question.asked_at)) is not None
    }
    return ReportRecording(
        recording=recording, message=message, line_offsets=lines, question_offsets=asked
    )


def recording_export(recording: Recording | None, *, file_in_archive: str | None) -> dict | None:
    """The recording in a candidate's export: what it is, and where its file is in the
    archive (None when it has no file)."""
    if recording is None:
        return None
    return {
        "status": recording.status,
        "reason": recording.reason,
        "duration_seconds": recording.duration_seconds,
        "parts": recording.parts,
        "file": file_in_archive,
    }
