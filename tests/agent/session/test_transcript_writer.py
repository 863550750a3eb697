"""The transcript recorder writes on its own thread and connection, off the tools' path,
in the order things were said, and stores everything before the job ends."""

import pytest
from asgiref.sync import async_to_sync
from django.db import connection
from django.test.utils import CaptureQueriesContext
from livekit.agents import ConversationItemAddedEvent, llm

from agent_worker.session.transcript import TranscriptRecorder
from agent_worker.structured.interviewer import StructuredInterviewer
from interviews.models import TranscriptSegment
from tests.agent.conftest import interviewer_session, transcript_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_transcript_is_written_off_the_tools_thread_in_order_and_complete(
    personal_interview,
):
    answers = [
        "I would check the logs first",
        "I would add an index",
        "We talked it through and agreed",
    ]

    async def scenario() -> None:
        async with interviewer_session(personal_interview, StructuredInterviewer()) as (
            session,
            _,
        ):
            for answer in answers:
                await session.run(user_input=answer)
        # Leaving the session closed the recorder: everything said is stored by now.

    # The tools run on this thread (Django's sync thread in a job); the transcript not.
    with CaptureQueriesContext(connection) as on_tools_thread:
        async_to_sync(scenario)()

    table = TranscriptSegment._meta.db_table
    assert not [q for q in on_tools_thread.captured_queries if table in q["sql"]]
    transcript = transcript_of(personal_interview)
    assert [text for speaker, text in transcript if speaker == "candidate"] == answers
    assert [speaker for speaker, _ in transcript] == ["agent", *["candidate", "agent"] * 3]
    assert "Question 1." in transcript[0][1]
    assert "Question 2." in transcript[2][1]
    assert "Question 3." in transcript[4][1]
    sequences = list(personal_interview.transcript.values_list("sequence", flat=True))
    assert sorted(sequences) == list(range(1, 8))


class Session:
    """What the recorder listens to, driven by the test."""

    def __init__(self) -> None:
        self.handlers: dict = {}

    def on(self, event: str, handler) -> None:  # noqa: ANN001
        self.handlers[event] = handler

    def says(self, role: str, text: str) -> None:
        item = llm.ChatMessage(role=role, content=[text])
        self.handlers["conversation_item_added"](ConversationItemAddedEvent(item=item))


def test_closing_stores_every_line_still_waiting_to_be_written(personal_interview):
    lines = [
        ("assistant", "Question 1. First?"),
        ("user", "It hashes the key into a bucket"),
        ("user", "and more"),
    ]

    async def scenario() -> None:
        session, recorder = Session(), TranscriptRecorder(interview=personal_interview)
        recorder.attach(session)
        for role, text in lines:
            session.says(role, text)
        await recorder.aclose()

    async_to_sync(scenario)()

    assert [text for _, text in transcript_of(personal_interview)] == [t for _, t in lines]
