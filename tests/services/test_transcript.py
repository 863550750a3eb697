import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

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


def test_a_writer_that_keeps_the_count_appends_with_one_insert_and_never_reuses_a_number():
    interview = InterviewFactory()
    transcript_append(interview=interview, speaker="agent", text="Hello.")
    with CaptureQueriesContext(connection) as queries:
        segment = transcript_append(
            interview=interview, speaker="candidate", text="Hi.", sequence=2
        )
    assert segment.sequence == 2
    assert len([q for q in queries if q["sql"].startswith("INSERT")]) == 1
    assert not [q for q in queries if "FOR UPDATE" in q["sql"] or "MAX(" in q["sql"]]
    with pytest.raises(IntegrityError):
        transcript_append(interview=interview, speaker="agent", text="Again.", sequence=2)
    assert TranscriptSegment.objects.filter(interview=interview).count() == 2
