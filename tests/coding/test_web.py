"""The page's coding endpoints (interviews.web.coding): the answer and what the database
holds after it, and a JSON error (never a 500) for every bad request."""

import json

import pytest
from django.test import Client

from interviews.coding import sandbox as sandbox_module
from interviews.coding.sandbox import SandboxResult
from interviews.models import MAX_CODE_LENGTH, CodeRun, CodingWork
from interviews.services import coding as services
from tests.coding.conftest import NEARLY, SOLUTION, open_coding, plan_with_coding
from tests.factories import InterviewFactory
from tests.web.conftest import open_invite

RUN_KEYS = {
    "id",
    "kind",
    "outcome",
    "visible_passed",
    "visible_total",
    "hidden_passed",
    "hidden_total",
    "results",
    "output",
    "error",
    "duration_ms",
    "created_at",
}


@pytest.fixture
def work(invited) -> CodingWork:
    plan_with_coding(invited.interview.position)
    return open_coding(invited.interview)


@pytest.fixture
def passing(monkeypatch) -> list[dict]:
    """The sandbox replaced: every test passes. Returns what it was asked to run."""
    calls: list[dict] = []

    def run(**kwargs) -> SandboxResult:
        calls.append(kwargs)
        return SandboxResult(
            outcome=CodeRun.Outcome.PASSED,
            tests=[{"name": "test_two_words", "passed": True, "message": ""}],
            output="hi\n",
            duration_ms=7,
        )

    monkeypatch.setattr(services, "sandbox_run", run)

    async def quiet(room_name: str, payload: bytes) -> None:
        return None

    monkeypatch.setattr(services, "_send_to_room", quiet)
    return calls


def post(client: Client, path: str, body) -> tuple[int, dict]:
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    response = client.post(f"/interview/coding/{path}", data, content_type="application/json")
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


def test_without_an_interview_in_the_browser_every_endpoint_is_refused(client, db):
    assert client.get("/interview/coding").status_code == 403
    for path in ("save", "run", "submit"):
        status, body = post(client, path, {"work": 1, "code": "x"})
        assert (status, body["error"]["code"]) == (403, "no_interview")


def test_no_open_coding_question_is_null(joined):
    response = joined.get("/interview/coding")
    assert response.status_code == 200
    assert response.json() == {"coding": None}
    assert response["Cache-Control"] == "no-store"


def test_the_open_exercise_is_described_without_its_hidden_tests(joined, work):
    exercise = work.asked.question.exercise
    services.coding_hint_give(work=work)
    response = joined.get("/interview/coding")
    assert response.status_code == 200
    coding = response.json()["coding"]
    assert coding == {
        "work": work.pk,
        "statement": exercise.question.text,
        "language": "python",
        "code": exercise.starter_code,
        "visible_tests": exercise.visible_tests,
        "time_limit_minutes": exercise.time_limit_minutes,
        "started_at": work.started_at.isoformat(),
        "submitted": False,
        "runs": [],
        "hints": [{"level": 1, "text": exercise.hint_1}],
    }
    assert "test_extra_spaces" not in response.content.decode()


def test_the_exercise_is_read_with_get_only(joined, work):
    response = joined.post("/interview/coding", content_type="application/json")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_saving_keeps_the_code(joined, work):
    status, body = post(joined, "save", {"work": work.pk, "code": SOLUTION})
    assert status == 200
    assert set(body) == {"saved_at"}
    assert CodingWork.objects.get(pk=work.pk).code == SOLUTION
    assert joined.get("/interview/coding").json()["coding"]["code"] == SOLUTION


def test_a_save_without_the_csrf_token_is_refused(invited, work):
    browser = Client(enforce_csrf_checks=True)
    open_invite(browser, invited.invite_secret)
    status, body = post(browser, "save", {"work": work.pk, "code": "changed"})
    assert (status, body["error"]["code"]) == (403, "csrf_failed")
    assert CodingWork.objects.get(pk=work.pk).code == work.code


def test_a_run_answers_with_the_recorded_run(joined, work, passing):
    status, body = post(joined, "run", {"work": work.pk, "code": SOLUTION})
    assert status == 200
    run = body["run"]
    assert set(run) == RUN_KEYS
    stored = CodeRun.objects.get(work=work)
    assert run["id"] == stored.pk
    assert (run["kind"], run["outcome"], run["output"]) == ("run", "passed", "hi\n")
    assert (stored.kind, stored.code) == ("run", SOLUTION)
    assert passing[0]["hidden_tests"] == ""
    assert joined.get("/interview/coding").json()["coding"]["runs"] == [run]


def test_a_submission_closes_the_editing(joined, work, passing):
    status, body = post(joined, "submit", {"work": work.pk, "code": NEARLY})
    assert (status, body["run"]["kind"]) == (200, "submit")
    assert CodingWork.objects.get(pk=work.pk).submitted_at is not None
    assert joined.get("/interview/coding").json()["coding"]["submitted"] is True
    for path in ("save", "run", "submit"):
        status, body = post(joined, path, {"work": work.pk, "code": "changed"})
        assert (status, body["error"]["code"]) == (409, "already_submitted")
    assert CodingWork.objects.get(pk=work.pk).code == NEARLY
    assert CodeRun.objects.filter(work=work).count() == 1


def test_a_sandbox_that_cannot_start_keeps_the_code_and_the_interview_goes_on(
    joined, work, monkeypatch
):
    def missing(**_):
        raise sandbox_module.SandboxUnavailable("node is not installed")

    monkeypatch.setattr(sandbox_module, "confined_command", missing)
    monkeypatch.setattr(services, "_send_to_room", passing_room)
    status, body = post(joined, "submit", {"work": work.pk, "code": SOLUTION})
    assert status == 200
    assert body["run"]["outcome"] == "unavailable"
    refreshed = CodingWork.objects.get(pk=work.pk)
    assert (refreshed.code, refreshed.submitted_at) == (SOLUTION, None)


async def passing_room(room_name: str, payload: bytes) -> None:
    return None


BAD_BODIES = {
    "not JSON": (lambda work: "{not json", 400, "bad_json"),
    "an array": (lambda work: "[1, 2]", 400, "bad_json"),
    "nested too deeply": (lambda work: "[" * 100_000 + "]" * 100_000, 400, "bad_json"),
    "no work": (lambda work: {"code": "x"}, 400, "work_invalid"),
    "work as text": (lambda work: {"work": str(work), "code": "x"}, 400, "work_invalid"),
    "work as a boolean": (lambda work: {"work": True, "code": "x"}, 400, "work_invalid"),
    "work negative": (lambda work: {"work": -work, "code": "x"}, 400, "work_invalid"),
    "work too large": (lambda work: {"work": 2**70, "code": "x"}, 400, "work_invalid"),
    "work fractional": (lambda work: {"work": work + 0.5, "code": "x"}, 400, "work_invalid"),
    "no code": (lambda work: {"work": work}, 400, "code_not_text"),
    "code as a list": (lambda work: {"work": work, "code": ["x"]}, 400, "code_not_text"),
    "a lone surrogate": (
        lambda work: f'{{"work": {work}, "code": "\\ud800"}}',
        400,
        "bad_json",
    ),
    "code too long": (
        lambda work: {"work": work, "code": "#" * (MAX_CODE_LENGTH + 1)},
        400,
        "code_too_long",
    ),
    "a huge body": (lambda work: {"work": work, "code": "#" * 2_000_000}, 413, "body_too_large"),
    "beyond Django's own limit": (
        lambda work: {"work": work, "code": "#" * 3_000_000},
        413,
        "body_too_large",
    ),
}


@pytest.mark.parametrize("bad", BAD_BODIES, ids=list(BAD_BODIES))
@pytest.mark.parametrize("path", ["save", "run", "submit"])
def test_bad_requests_are_json_errors_and_change_nothing(joined, work, passing, path, bad):
    make_body, status, code = BAD_BODIES[bad]
    answer_status, answer = post(joined, path, make_body(work.pk))
    assert (answer_status, answer["error"]["code"]) == (status, code)
    assert CodingWork.objects.get(pk=work.pk).code == work.code
    assert not CodeRun.objects.exists()
    assert passing == []


def test_another_interviews_work_is_not_found(joined, work, passing):
    other = open_coding(InterviewFactory(position=work.asked.interview.position))
    for path in ("save", "run", "submit"):
        status, body = post(joined, path, {"work": other.pk, "code": "stolen"})
        assert (status, body["error"]["code"]) == (404, "work_unknown")
    assert CodingWork.objects.get(pk=other.pk).code == other.code
    assert not CodeRun.objects.exists()


def test_runs_beyond_the_rate_limit_are_refused_with_a_429(joined, work, passing):
    statuses = [post(joined, "run", {"work": work.pk, "code": "x"})[0] for _ in range(13)]
    assert statuses == [200] * 12 + [429]
    assert CodeRun.objects.filter(work=work).count() == 12


def test_a_submission_through_the_real_sandbox(joined, work, monkeypatch):
    monkeypatch.setattr(services, "_send_to_room", passing_room)
    status, body = post(joined, "submit", {"work": work.pk, "code": NEARLY})
    assert status == 200
    run = body["run"]
    assert (run["outcome"], run["visible_passed"], run["visible_total"]) == ("failed", 2, 2)
    assert (run["hidden_passed"], run["hidden_total"]) == (2, 3)
    assert [result["name"] for result in run["results"]] == ["test_two_words", "test_one_word"]
    stored = CodeRun.objects.get(pk=run["id"])
    assert (stored.kind, stored.hidden_passed) == ("submit", 2)
    assert CodingWork.objects.get(pk=work.pk).submitted_at is not None
