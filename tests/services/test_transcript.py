import pytest
from django.core.exceptions import ValidationError

from interviews.models import (
    TranscriptSegment,
)
from interviews.services.transcript import transcript_append
from tests.factories import InterviewFactory

pytestmark = pytest.mark.django_db


def test_the_transcript_keeps_the_order_things_were_said():
    interview = InterviewFactory()
    transcript_append(interview=interview, speaker="agent", text="Hello.")
    transcript_append(interview=interview, speaker="candidate", text=" Hi! ")
    transcript_append(interview=interview, speaker="candidate", text="   ")
    segments = list(TranscriptSegment.objects.filter(interview=interview))
    assert [(s.sequence, s.speaker, s.text) for s in segments] == [
        (1, "agent", "Hello."),
        (2, "candidate", "Hi!"),
    ]


def test_the_transcript_refuses_an_unknown_speaker():
    interview = InterviewFactory()
    with pytest.raises(ValidationError, match="Unknown speaker"):
        transcript_append(interview=interview, speaker="narrator", text="Once...")
    assert not TranscriptSegment.objects.exists()
