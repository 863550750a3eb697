"""The coding round's writes: the candidate's code kept as typed, runs and the submission
executed by the server's sandbox, and hints from the exercise's ladder.

The rules live here, for the page's endpoints and the interviewer alike: only the open
coding question's work of this interview (asked, not yet answered) may change; nothing
changes after the submission; code is at most MAX_CODE_LENGTH characters; a work has at
most MAX_RUNS_PER_WORK executions. The sandbox runs outside any transaction and lock (a
run takes seconds): the code is saved first, so a sandbox that cannot start loses
nothing, and the run is recorded after. Only the server's results are recorded, with the
visible tests' details and the hidden tests' counts alone. Once recorded, the room is
told over LiveKit's data API (topic "coding", payload {"run": <id>}); the interviewer reads
the run from the database, never from the message, so a participant cannot forge one.
"""

import json
import logging

import aiohttp
from asgiref.sync import async_to_sync
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from livekit import api

from interviews.coding.sandbox import SandboxResult, sandbox_run
from interviews.errors import ErrorCode
from interviews.models import (
    MAX_CODE_LENGTH,
    CodeRun,
    CodingExercise,
    CodingHint,
    CodingWork,
    Interview,
    Stage,
)
from interviews.services.common import refuse_if_finished, without_nul

logger = logging.getLogger(__name__)

# Executions (runs and the submission) of one exercise's code by the server: far more than
# a candidate needs in 20 to 90 minutes, and a bound on what one interview can cost.
MAX_RUNS_PER_WORK = 60
ROOM_TOPIC = "coding"
ANNOUNCE_TIMEOUT_SECONDS = 5
SUMMARY_MESSAGE_LIMIT = 300


def coding_work_open(*, interview: Interview) -> CodingWork | None:
    """The work of the interview's open coding question (asked, not yet answered), or
    None: no coding question is open, or the interview is over."""
    if interview.is_finished:
        return None
    return (
        CodingWork.objects.select_related("asked", "asked__question__exercise")
        .filter(
            asked__interview=interview, asked__stage=Stage.CODING, asked__answered_at__isnull=True
        )
        .order_by("-asked__sequence")
        .first()
    )


def _checked_code(code: str) -> str:
    if not isinstance(code, str):
        raise ValidationError("The code must be text.", code=ErrorCode.CODE_NOT_TEXT)
    if len(code) > MAX_CODE_LENGTH:
        raise ValidationError(
            f"The code can be at most {MAX_CODE_LENGTH:,} characters.",
            code=ErrorCode.CODE_TOO_LONG,
        )
    return without_nul(code)


def _editable_work(*, interview: Interview, work_id: int) -> CodingWork:
    """This interview's work, locked, when it may still change; else why not."""
    work = (
        CodingWork.objects.select_for_update(of=("self",))
        .select_related("asked", "asked__interview", "asked__question__exercise")
        .filter(pk=work_id, asked__interview=interview)
        .first()
    )
    if work is None:
        raise ValidationError(
            "This coding exercise is not part of your interview.", code=ErrorCode.WORK_UNKNOWN
        )
    refuse_if_finished(work.asked.interview)
    if work.submitted_at is not None:
        raise ValidationError(
            "Your code is already submitted; it can no longer change.",
            code=ErrorCode.ALREADY_SUBMITTED,
        )
    if work.asked.answered_at is not None:
        raise ValidationError("This coding exercise is closed.", code=ErrorCode.CODING_CLOSED)
    return work


def _runs_counted(work: CodingWork) -> int:
    # A run the sandbox could not execute cost nothing and is not the candidate's doing.
    return work.runs.exclude(outcome=CodeRun.Outcome.UNAVAILABLE).count()


def coding_save(*, interview: Interview, work_id: int, code: str) -> CodingWork:
    """Keep the code as the candidate left it (the page saves as they type)."""
    code = _checked_code(code)
    with transaction.atomic():
        work = _editable_work(interview=interview, work_id=work_id)
        work.code = code
        work.save(update_fields=["code", "saved_at"])
        return work


def _exercise(work: CodingWork) -> CodingExercise | None:
    question = work.asked.question
    return getattr(question, "exercise", None) if question is not None else None


def coding_run(*, interview: Interview, work_id: int, code: str, kind: str) -> CodeRun:
    """Save the code, execute it in the sandbox (the visible tests for a run, every test
    for a submission), and record the run. A submission the sandbox executed closes the
    editing; one it could not execute ("unavailable") does not, so it can be sent again.

    Call it outside a transaction: the sandbox takes seconds, and holds no lock meanwhile."""
    if kind not in CodeRun.Kind.values:
        raise ValidationError("Choose a run or a submission.", code=ErrorCode.RUN_KIND_INVALID)
    code = _checked_code(code)
    with transaction.atomic():
        work = _editable_work(interview=interview, work_id=work_id)
        if _runs_counted(work) >= MAX_RUNS_PER_WORK:
            raise ValidationError(
                f"This exercise's code can be run at most {MAX_RUNS_PER_WORK} times.",
                code=ErrorCode.TOO_MANY_RUNS,
            )
        work.code = code
        work.save(update_fields=["code", "saved_at"])
    exercise = _exercise(work)
    result = sandbox_run(
        code=code,
        tests=exercise.visible_tests if exercise else "",
        hidden_tests=exercise.hidden_tests if exercise and kind == CodeRun.Kind.SUBMIT else "",
    )
    with transaction.atomic():
        run = _record(work=work, kind=kind, code=code, result=result)
        transaction.on_commit(lambda: coding_run_announce(run=run))
    return run


def _record(*, work: CodingWork, kind: str, code: str, result: SandboxResult) -> CodeRun:
    """Store the run; a submission executed closes the work, unless another one did while
    this ran (then this one is refused, and nothing is stored)."""
    executed = result.outcome != CodeRun.Outcome.UNAVAILABLE
    if kind == CodeRun.Kind.SUBMIT and executed:
        now = timezone.now()
        closed = CodingWork.objects.filter(pk=work.pk, submitted_at__isnull=True).update(
            submitted_at=now, code=code, saved_at=now
        )
        if not closed:
            raise ValidationError(
                "Your code is already submitted; it can no longer change.",
                code=ErrorCode.ALREADY_SUBMITTED,
            )
        work.submitted_at = now
    visible, hidden = result.visible, result.hidden
    return CodeRun.objects.create(
        work=work,
        kind=kind,
        code=code,
        outcome=result.outcome,
        visible_passed=sum(1 for test in visible if test["passed"]),
        visible_total=len(visible),
        hidden_passed=sum(1 for test in hidden if test["passed"]),
        hidden_total=len(hidden),
        results=[
            {"name": test["name"], "passed": test["passed"], "message": test["message"]}
            for test in visible
        ],
        output=without_nul(result.output),
        error=without_nul(result.error),
        duration_ms=result.duration_ms,
    )


def coding_hint_give(*, work: CodingWork) -> CodingHint | None:
    """The next hint of the exercise's ladder, recorded as given; None when every hint is
    given (never more than the ladder, never the answer)."""
    with transaction.atomic():
        locked = (
            CodingWork.objects.select_for_update(of=("self",))
            .select_related("asked__question__exercise")
            .get(pk=work.pk)
        )
        exercise = _exercise(locked)
        ladder = exercise.hints if exercise is not None else []
        given = locked.hints.count()
        if given >= len(ladder):
            return None
        return CodingHint.objects.create(work=locked, level=given + 1, text=ladder[given])


def coding_summary(*, run: CodeRun) -> str:
    """The run in one plain sentence, for the interviewer."""
    what = (
        "The candidate submitted their code"
        if run.kind == CodeRun.Kind.SUBMIT
        else "The candidate ran the visible tests"
    )
    if run.outcome == CodeRun.Outcome.UNAVAILABLE:
        return f"{what}, but the server could not run the code; it is saved."
    counts = f"{run.visible_passed} of {run.visible_total} visible tests passed"
    if run.kind == CodeRun.Kind.SUBMIT:
        counts += f", {run.hidden_passed} of {run.hidden_total} hidden tests"
    if run.outcome not in (CodeRun.Outcome.PASSED, CodeRun.Outcome.FAILED):
        problem = _cut(run.error or run.get_outcome_display())
        return f"{what}: {problem} ({counts})."
    failure = next((test for test in run.results if not test.get("passed")), None)
    if failure is None:
        return f"{what}: {counts}."
    return f"{what}: {counts}; the first failure: {failure['name']}: {_cut(failure['message'])}"


def _cut(text: str) -> str:
    text = text.strip().rstrip(".")
    if len(text) > SUMMARY_MESSAGE_LIMIT:
        return text[: SUMMARY_MESSAGE_LIMIT - 3] + "..."
    return text


async def _send_to_room(room_name: str, payload: bytes) -> None:
    timeout = aiohttp.ClientTimeout(total=ANNOUNCE_TIMEOUT_SECONDS)
    async with api.LiveKitAPI(
        settings.LIVEKIT_URL, settings.LIVEKIT_API_KEY, settings.LIVEKIT_API_SECRET, timeout=timeout
    ) as livekit:
        await livekit.room.send_data(
            api.SendDataRequest(
                room=room_name, data=payload, kind=api.DataPacket.Kind.RELIABLE, topic=ROOM_TOPIC
            )
        )


def coding_run_announce(*, run: CodeRun) -> bool:
    """Tell the interview's room that a run is recorded; False (logged) when LiveKit
    cannot be told: the run stays recorded, and the interviewer finds it when it next
    reads the work."""
    room_name = run.work.asked.interview.room_name
    payload = json.dumps({"run": run.pk}).encode()
    try:
        async_to_sync(_send_to_room)(room_name, payload)
    except (api.TwirpError, aiohttp.ClientError, TimeoutError, OSError) as error:
        logger.warning(
            "Coding run not announced to the room",
            extra={"run": run.pk, "room": room_name, "error": str(error)[:300]},
        )
        return False
    return True
