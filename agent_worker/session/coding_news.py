"""The candidate's runs and submissions, told to the interviewer as they happen.

After each run or submission the web app sends the interview's room a data packet on
topic "coding" whose payload names the run: {"run": <CodeRun id>}. Any participant can
send such a packet, so the payload is read for the id alone: the run is read from the
database, and one that is not this interview's open coding exercise is ignored (a run
told twice is told once). The interviewer gets a note in its conversation
(agent_worker.coding_round) and, for a submission or when the candidate seems stuck, is
asked to reply; a plain run is only noted.

The web app's message can be lost (LiveKit unreachable for a moment): while the exercise
waits for its submission, each thing the candidate says makes the job look in the
database for a submission it was not told of.
"""

import asyncio
import json
import logging
from collections.abc import Coroutine

from asgiref.sync import sync_to_async
from django.db import DatabaseError
from livekit import rtc
from livekit.agents import AgentSession, ConversationItemAddedEvent, llm
from livekit.agents.voice import SpeechHandle

from agent_worker.coding_round import CodingNote
from agent_worker.interviewer import Interviewer
from interviews.models import CodeRun, CodingExercise
from interviews.services.coding import coding_summary

logger = logging.getLogger(__name__)

CODING_TOPIC = "coding"
# {"run": 123456789}: anything much longer is not the web app's.
MAX_PAYLOAD_BYTES = 200
# The candidate seems stuck at the third failing run in a row with no hint given since: a
# count the database keeps, the same after a reconnect, and that needs no timer. (Half
# the time limit gone without a passing run would need one, and would also prompt a
# candidate who is making progress without running.) Offered once per streak.
STUCK_AFTER_FAILING_RUNS = 3


def run_id_of(data: bytes) -> int | None:
    """The run a packet's payload names; None when it names none."""
    if len(data) > MAX_PAYLOAD_BYTES:
        return None
    try:
        payload = json.loads(data)
    except ValueError:
        return None
    run = payload.get("run") if isinstance(payload, dict) else None
    if isinstance(run, bool) or not isinstance(run, int) or run <= 0:
        return None
    return run


def _seems_stuck(run: CodeRun) -> bool:
    """This failing run is the third in a row since the last hint, and a hint is left."""
    if run.kind != CodeRun.Kind.RUN or run.outcome == CodeRun.Outcome.PASSED:
        return False
    work = run.work
    earlier = work.runs.filter(kind=CodeRun.Kind.RUN, id__lte=run.id)
    last_hint = work.hints.order_by("-given_at").first()
    if last_hint is not None:
        earlier = earlier.filter(created_at__gt=last_hint.given_at)
    latest = list(
        earlier.order_by("-created_at", "-id").values_list("outcome", flat=True)[
            : STUCK_AFTER_FAILING_RUNS + 1
        ]
    )
    failing = 0
    for outcome in latest:
        if outcome == CodeRun.Outcome.PASSED:
            break
        failing += 1
    if failing != STUCK_AFTER_FAILING_RUNS:
        return False
    question_id = work.asked.question_id
    exercise = (
        CodingExercise.objects.filter(question_id=question_id).first() if question_id else None
    )
    return exercise is not None and work.hints.count() < len(exercise.hints)


def coding_note_for(*, interview_pk: int, run_id: int) -> CodingNote | None:
    """The note about run `run_id`; None unless it is a run of this interview's open
    coding question."""
    run = (
        CodeRun.objects.select_related("work__asked")
        .filter(pk=run_id, work__asked__interview_id=interview_pk)
        .first()
    )
    if run is None or run.work.asked.answered_at is not None:
        return None
    every_test = run.kind == CodeRun.Kind.SUBMIT
    return CodingNote(
        run=run.pk,
        kind=str(run.kind),
        outcome=str(run.outcome),
        passed=run.passed if every_test else run.visible_passed,
        total=run.total if every_test else run.visible_total,
        summary=coding_summary(run=run),
        # The service closes the work only for a submission the sandbox executed.
        submitted=every_test and run.work.submitted_at is not None,
        stuck=_seems_stuck(run),
    )


def unheard_submission(*, interview_pk: int) -> int | None:
    """The run that submitted this interview's open exercise, if it is submitted."""
    return (
        CodeRun.objects.filter(
            work__asked__interview_id=interview_pk,
            work__asked__answered_at__isnull=True,
            work__submitted_at__isnull=False,
            kind=CodeRun.Kind.SUBMIT,
        )
        # Nothing runs after the submission: the last one is it.
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)
        .first()
    )


class CodingNews:
    """Listens to the room for the candidate's runs and tells the interviewer, in order."""

    def __init__(self, *, session: AgentSession, agent: Interviewer, interview_pk: int) -> None:
        self._session = session
        self._agent = agent
        self._interview_pk = interview_pk
        self._told: set[int] = set()
        self._lock = asyncio.Lock()
        self._telling: set[asyncio.Task[CodingNote | None]] = set()
        # The interviewer's reply to the note told last, when it asked for one.
        self.last_reply: SpeechHandle | None = None

    def attach(self, room: rtc.Room | None) -> None:
        """Listen to the room (None: a job without one) and to the candidate."""
        if room is not None:
            room.on("data_received", self.on_data)
        self._session.on("conversation_item_added", self._on_item_added)

    def _on_item_added(self, event: ConversationItemAddedEvent) -> None:
        if getattr(event.item, "role", None) == "user" and self._agent.awaiting_submission:
            self._spawn(self._catch_up())

    async def _catch_up(self) -> CodingNote | None:
        try:
            run_id = await sync_to_async(unheard_submission)(interview_pk=self._interview_pk)
        except DatabaseError:
            logger.warning(
                "could not look for a submission",
                extra={"interview": self._agent.interview_ref},
                exc_info=True,
            )
            return None
        return None if run_id is None else await self.tell(run_id)

    def _spawn(self, coroutine: Coroutine[None, None, CodingNote | None]) -> None:
        task = asyncio.create_task(coroutine, name="coding_news")
        self._telling.add(task)
        task.add_done_callback(self._telling.discard)

    def on_data(self, packet: rtc.DataPacket) -> None:
        if packet.topic != CODING_TOPIC:
            return
        run_id = run_id_of(packet.data)
        if run_id is None:
            logger.info(
                "a coding message without a run was ignored",
                extra={"interview": self._agent.interview_ref},
            )
            return
        self._spawn(self.tell(run_id))

    async def tell(self, run_id: int) -> CodingNote | None:
        """Tell the interviewer about run `run_id`; the note told, or None when it was not
        told (not this interview's open exercise, told before, or unreadable)."""
        async with self._lock:  # notes reach the conversation in the order runs arrive
            self.last_reply = None
            if run_id in self._told:
                return None
            try:
                note = await sync_to_async(coding_note_for)(
                    interview_pk=self._interview_pk, run_id=run_id
                )
            except DatabaseError:
                logger.warning(
                    "could not read a coding run",
                    extra={"interview": self._agent.interview_ref, "run": run_id},
                    exc_info=True,
                )
                return None
            if note is None:
                logger.info(
                    "a coding run that is not this interview's open exercise was ignored",
                    extra={"interview": self._agent.interview_ref, "run": run_id},
                )
                return None
            self._told.add(run_id)
            if note.submitted:
                self._agent.coding_submitted()
            chat_ctx = self._agent.chat_ctx.copy()
            chat_ctx.add_message(role="system", content=[note.text()])
            try:
                # Realtime: the note reaches the provider's conversation too.
                await self._agent.update_chat_ctx(chat_ctx)
                if note.wants_reply:
                    self.last_reply = self._session.generate_reply()
            except (RuntimeError, llm.RealtimeError):
                logger.warning(
                    "the interviewer could not be told of a coding run",
                    extra={"interview": self._agent.interview_ref, "run": run_id},
                    exc_info=True,
                )
            return note

    async def idle(self) -> None:
        """Wait until every packet received so far is handled."""
        while self._telling:
            await asyncio.gather(*self._telling, return_exceptions=True)

    async def aclose(self) -> None:
        for task in self._telling:
            task.cancel()
        await asyncio.gather(*self._telling, return_exceptions=True)
