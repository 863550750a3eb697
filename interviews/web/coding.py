"""The coding round's JSON endpoints for the candidate's page (docs/coding-round.md): the
open exercise, the code kept as typed, and runs and the submission executed by the
server. The interview is the one bound to this browser's session; the rules are the
services' (interviews.services.coding)."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse

from interviews.errors import ErrorCode
from interviews.models import MAX_CODE_LENGTH, CodeRun, CodingWork, Interview
from interviews.services import coding as coding_services
from interviews.web import ratelimit
from interviews.web.guard import guarded
from interviews.web.http import BodyTooLarge, json_error, json_post, no_interview, read_json
from interviews.web.session import interview_in_session

# (requests, seconds) per interview. The page saves a second after typing stops; a run
# costs the server about a core-second, so runs are fewer.
READ_LIMIT = (60, 60)
SAVE_LIMIT = (120, 60)
RUN_LIMIT = (12, 60)
# A body holding the longest code, every character escaped (\ud83d\ude00: 12 bytes).
MAX_BODY_BYTES = 12 * MAX_CODE_LENGTH + 4096
STATUS: dict[str, int] = {
    ErrorCode.WORK_UNKNOWN: 404,
    ErrorCode.CODING_CLOSED: 409,
    ErrorCode.ALREADY_SUBMITTED: 409,
    ErrorCode.INTERVIEW_FINISHED: 409,
    ErrorCode.TOO_MANY_RUNS: 429,
}


Act = Callable[[Interview, int, str], JsonResponse]


class _BadRequest(Exception):
    def __init__(self, response: JsonResponse) -> None:
        self.response = response


def work_data(work: CodingWork) -> dict:
    exercise = getattr(work.asked.question, "exercise", None) if work.asked.question else None
    return {
        "work": work.pk,
        "statement": work.asked.text,
        "language": work.language,
        "code": work.code,
        "visible_tests": exercise.visible_tests if exercise else "",
        "time_limit_minutes": exercise.time_limit_minutes if exercise else None,
        "started_at": work.started_at.isoformat(),
        "submitted": work.submitted_at is not None,
        "runs": [run.as_json() for run in work.runs.all()],
        "hints": [{"level": hint.level, "text": hint.text} for hint in work.hints.all()],
    }


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _limited(scope: str, interview: Interview, limits: tuple[int, int]) -> JsonResponse | None:
    return ratelimit.rate_limited(f"coding-{scope}", str(interview.public_id), limits)


@guarded(as_json=True, atomic=False)
def coding(request: HttpRequest) -> HttpResponse:
    """{"coding": null} when no coding question is open, else the open exercise, the
    code as last saved, the runs and the hints given."""
    if request.method != "GET":
        return json_error(405, "method_not_allowed", "Use GET.", Allow="GET")
    interview = interview_in_session(request)
    if interview is None:
        return no_interview()
    refused = _limited("read", interview, READ_LIMIT)
    if refused:
        return refused
    work = coding_services.coding_work_open(interview=interview)
    return _no_store(JsonResponse({"coding": None if work is None else work_data(work)}))


def _work_and_code(request: HttpRequest) -> tuple[int, str]:
    """The body's {"work": <id>, "code": "..."}; _BadRequest says what is wrong."""
    try:
        data = read_json(request, max_bytes=MAX_BODY_BYTES)
    except BodyTooLarge:
        raise _BadRequest(json_error(413, "body_too_large", "The request is too large.")) from None
    except ValueError:
        raise _BadRequest(
            json_error(400, "bad_json", "The request body must be a JSON object.")
        ) from None
    work, code = data.get("work"), data.get("code")
    if not isinstance(work, int) or isinstance(work, bool) or not 0 < work < 2**63:
        raise _BadRequest(json_error(400, "work_invalid", "Name the exercise by its number."))
    if not isinstance(code, str):
        raise _BadRequest(json_error(400, ErrorCode.CODE_NOT_TEXT, "The code must be text."))
    return work, code


def _refusal(error: ValidationError) -> JsonResponse:
    code = str(error.code or "invalid")
    return json_error(STATUS.get(code, 400), code, error.messages[0])


def _write(request: HttpRequest, scope: str, limits: tuple[int, int], act: Act) -> HttpResponse:
    interview = interview_in_session(request)
    if interview is None:
        return no_interview()
    refused = _limited(scope, interview, limits)
    if refused:
        return refused
    try:
        work_id, code = _work_and_code(request)
        return _no_store(act(interview, work_id, code))
    except _BadRequest as bad:
        return bad.response
    except ValidationError as error:
        return _refusal(error)


@json_post
@guarded(as_json=True, atomic=False)
def coding_save(request: HttpRequest) -> HttpResponse:
    """Keep the code as typed: {"work", "code"} -> {"saved_at"}."""

    def save(interview: Interview, work_id: int, code: str) -> JsonResponse:
        work = coding_services.coding_save(interview=interview, work_id=work_id, code=code)
        return JsonResponse({"saved_at": work.saved_at.isoformat()})

    return _write(request, "save", SAVE_LIMIT, save)


def _executing(kind: str) -> Act:
    def execute(interview: Interview, work_id: int, code: str) -> JsonResponse:
        run = coding_services.coding_run(interview=interview, work_id=work_id, code=code, kind=kind)
        return JsonResponse({"run": run.as_json()})

    return execute


# atomic=False: the sandbox takes seconds, and must run outside any transaction.
@json_post
@guarded(as_json=True, atomic=False)
def coding_run(request: HttpRequest) -> HttpResponse:
    """The server runs the visible tests: {"work", "code"} -> {"run": <run>}."""
    return _write(request, "run", RUN_LIMIT, _executing(CodeRun.Kind.RUN))


@json_post
@guarded(as_json=True, atomic=False)
def coding_submit(request: HttpRequest) -> HttpResponse:
    """The server runs every test and records the submission, which closes the editing:
    {"work", "code"} -> {"run": <run>}."""
    return _write(request, "run", RUN_LIMIT, _executing(CodeRun.Kind.SUBMIT))
