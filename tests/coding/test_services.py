"""The coding round's services (interviews.services.coding): what each stores, and what
each refuses. The sandbox is replaced where the rule, not the execution, is tested;
tests/coding/test_sandbox.py proves the sandbox itself."""

import json
import logging

import pytest
from django.core.exceptions import ValidationError

from devtools.processes import free_port
from interviews.coding.sandbox import SandboxResult
from interviews.errors import ErrorCode
from interviews.models import MAX_CODE_LENGTH, CodeRun, CodingHint, CodingWork
from interviews.services import coding as services
from interviews.services.lifecycle import interview_finish, interview_start
from interviews.services.turns import interview_record_answer
from tests.coding.conftest import NEARLY, SOLUTION, open_coding
from tests.factories import InterviewFactory

pytestmark = pytest.mark.django_db
Outcome = CodeRun.Outcome


class FakeSandbox:
    """Records what it is asked to run; answers with `result`."""

    def __init__(self, result: SandboxResult) -> None:
        self.result = result
        self.calls: list[dict] = []

    def __call__(self, **kwargs) -> SandboxResult:
        self.calls.append(kwargs)
        return self.result


FAILED = SandboxResult(
    outcome=Outcome.FAILED,
    tests=[
        {"name": "test_two_words", "passed": True, "message": ""},
        {"name": "test_one_word", "passed": False, "message": "AssertionError: one"},
        {"name": "test_empty", "passed": True, "message": "", "hidden": True},
        {"name": "test_three_words", "passed": False, "message": "secret", "hidden": True},
    ],
    output="printed\n",
    error="",
    duration_ms=42,
)


@pytest.fixture
def work(coding_position) -> CodingWork:
    return open_coding(InterviewFactory(position=coding_position))


@pytest.fixture
def sandbox(monkeypatch) -> FakeSandbox:
    fake = FakeSandbox(FAILED)
    monkeypatch.setattr(services, "sandbox_run", fake)
    return fake


@pytest.fixture
def room(monkeypatch) -> list[tuple[str, dict]]:
    """What the room is told."""
    told: list[tuple[str, dict]] = []

    async def send(room_name: str, payload: bytes) -> None:
        told.append((room_name, json.loads(payload)))

    monkeypatch.setattr(services, "_send_to_room", send)
    return told


def interview_of(work: CodingWork):
    return work.asked.interview


def test_saving_keeps_the_code_as_typed(work):
    saved = services.coding_save(interview=interview_of(work), work_id=work.pk, code="x = 1\x00\n")
    assert saved.pk == work.pk
    assert CodingWork.objects.get(pk=work.pk).code == "x = 1\n"  # NUL cannot be stored


def test_code_longer_than_the_limit_is_refused_and_nothing_changes(work):
    with pytest.raises(ValidationError) as refused:
        services.coding_save(
            interview=interview_of(work), work_id=work.pk, code="#" * (MAX_CODE_LENGTH + 1)
        )
    assert refused.value.code == ErrorCode.CODE_TOO_LONG
    assert CodingWork.objects.get(pk=work.pk).code == work.code


def test_another_interviews_work_is_unknown(work, coding_position):
    other = open_coding(InterviewFactory(position=coding_position))
    for act in (
        lambda: services.coding_save(interview=interview_of(other), work_id=work.pk, code="x"),
        lambda: services.coding_run(
            interview=interview_of(other), work_id=work.pk, code="x", kind="run"
        ),
    ):
        with pytest.raises(ValidationError) as refused:
            act()
        assert refused.value.code == ErrorCode.WORK_UNKNOWN
    assert CodingWork.objects.get(pk=work.pk).code == work.code
    assert not CodeRun.objects.exists()


def test_a_run_executes_the_visible_tests_and_records_what_the_candidate_may_see(
    work, sandbox, room, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.coding_run(
            interview=interview_of(work), work_id=work.pk, code=SOLUTION, kind="run"
        )
    exercise = work.asked.question.exercise
    assert sandbox.calls == [
        {"code": SOLUTION, "tests": exercise.visible_tests, "hidden_tests": ""}
    ]
    stored = CodeRun.objects.get(pk=run.pk)
    assert (stored.kind, stored.outcome, stored.code) == ("run", "failed", SOLUTION)
    assert (stored.visible_passed, stored.visible_total) == (1, 2)
    assert (stored.hidden_passed, stored.hidden_total) == (1, 2)
    assert stored.results == [
        {"name": "test_two_words", "passed": True, "message": ""},
        {"name": "test_one_word", "passed": False, "message": "AssertionError: one"},
    ]
    assert "secret" not in json.dumps(stored.results)
    assert (stored.output, stored.duration_ms) == ("printed\n", 42)
    refreshed = CodingWork.objects.get(pk=work.pk)
    assert refreshed.code == SOLUTION
    assert refreshed.submitted_at is None
    assert room == [(interview_of(work).room_name, {"run": run.pk})]


def test_a_submission_runs_every_test_and_closes_the_editing(work, sandbox, room):
    run = services.coding_run(
        interview=interview_of(work), work_id=work.pk, code=NEARLY, kind="submit"
    )
    exercise = work.asked.question.exercise
    assert sandbox.calls[0]["hidden_tests"] == exercise.hidden_tests
    refreshed = CodingWork.objects.get(pk=work.pk)
    assert refreshed.submitted_at is not None
    assert refreshed.code == NEARLY
    assert run.kind == "submit"
    for act in (
        lambda: services.coding_save(interview=interview_of(work), work_id=work.pk, code="x"),
        lambda: services.coding_run(
            interview=interview_of(work), work_id=work.pk, code="x", kind="run"
        ),
        lambda: services.coding_run(
            interview=interview_of(work), work_id=work.pk, code="x", kind="submit"
        ),
    ):
        with pytest.raises(ValidationError) as refused:
            act()
        assert refused.value.code == ErrorCode.ALREADY_SUBMITTED
    assert CodeRun.objects.count() == 1
    assert CodingWork.objects.get(pk=work.pk).code == NEARLY


def test_a_submission_the_sandbox_could_not_run_keeps_the_code_and_can_be_sent_again(
    work, sandbox, room
):
    sandbox.result = SandboxResult(outcome=Outcome.UNAVAILABLE, error="Try again.")
    run = services.coding_run(
        interview=interview_of(work), work_id=work.pk, code=SOLUTION, kind="submit"
    )
    assert run.outcome == Outcome.UNAVAILABLE
    refreshed = CodingWork.objects.get(pk=work.pk)
    assert (refreshed.code, refreshed.submitted_at) == (SOLUTION, None)
    sandbox.result = FAILED
    again = services.coding_run(
        interview=interview_of(work), work_id=work.pk, code=SOLUTION, kind="submit"
    )
    assert again.outcome == Outcome.FAILED
    assert CodingWork.objects.get(pk=work.pk).submitted_at is not None


def test_runs_are_capped_per_exercise_and_unavailable_ones_do_not_count(
    work, sandbox, room, monkeypatch
):
    monkeypatch.setattr(services, "MAX_RUNS_PER_WORK", 2)
    interview = interview_of(work)
    sandbox.result = SandboxResult(outcome=Outcome.UNAVAILABLE)
    services.coding_run(interview=interview, work_id=work.pk, code="a = 1", kind="run")
    sandbox.result = FAILED
    for _ in range(2):
        services.coding_run(interview=interview, work_id=work.pk, code="a = 2", kind="run")
    with pytest.raises(ValidationError) as refused:
        services.coding_run(interview=interview, work_id=work.pk, code="a = 3", kind="run")
    assert refused.value.code == ErrorCode.TOO_MANY_RUNS
    assert CodeRun.objects.filter(work=work).count() == 3
    assert len(sandbox.calls) == 3
    assert CodingWork.objects.get(pk=work.pk).code == "a = 2"


def test_an_unknown_kind_and_code_that_is_not_text_are_refused(work, sandbox):
    interview = interview_of(work)
    with pytest.raises(ValidationError) as kind:
        services.coding_run(interview=interview, work_id=work.pk, code="x", kind="grade")
    assert kind.value.code == ErrorCode.RUN_KIND_INVALID
    with pytest.raises(ValidationError) as text:
        services.coding_run(interview=interview, work_id=work.pk, code=None, kind="run")
    assert text.value.code == ErrorCode.CODE_NOT_TEXT
    assert sandbox.calls == []


def test_a_closed_question_or_a_finished_interview_refuses_changes(work, sandbox):
    interview = interview_of(work)
    interview_record_answer(interview=interview, answer="I would split and reverse.")
    with pytest.raises(ValidationError) as closed:
        services.coding_save(interview=interview, work_id=work.pk, code="x")
    assert closed.value.code == ErrorCode.CODING_CLOSED
    interview_start(interview=interview, ai_mode="structured")
    interview_finish(interview=interview)
    with pytest.raises(ValidationError) as finished:
        services.coding_run(interview=interview, work_id=work.pk, code="x", kind="run")
    assert finished.value.code == ErrorCode.INTERVIEW_FINISHED
    assert sandbox.calls == []
    assert services.coding_work_open(interview=interview) is None


def test_a_room_that_cannot_be_told_does_not_fail_the_run(
    work, sandbox, settings, caplog, django_capture_on_commit_callbacks
):
    settings.LIVEKIT_URL = f"ws://127.0.0.1:{free_port()}"  # nothing listens there
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        run = services.coding_run(
            interview=interview_of(work), work_id=work.pk, code=SOLUTION, kind="run"
        )
    assert CodeRun.objects.filter(pk=run.pk).exists()
    assert "Coding run not announced to the room" in caplog.text


def test_hints_come_from_the_ladder_in_order_and_never_more(work):
    given = [services.coding_hint_give(work=work) for _ in range(4)]
    assert [hint.level for hint in given[:3]] == [1, 2, 3]
    assert [hint.text for hint in given[:3]] == work.asked.question.exercise.hints
    assert given[3] is None
    assert list(CodingHint.objects.filter(work=work).values_list("level", flat=True)) == [1, 2, 3]


def test_a_ladder_of_two_gives_two_hints(work):
    exercise = work.asked.question.exercise
    exercise.hint_3 = ""
    exercise.save()
    assert services.coding_hint_give(work=work).level == 1
    assert services.coding_hint_give(work=work).level == 2
    assert services.coding_hint_give(work=work) is None
    assert CodingHint.objects.filter(work=work).count() == 2


def test_the_summary_is_one_sentence_for_the_interviewer(work, sandbox, room):
    interview = interview_of(work)
    run = services.coding_run(interview=interview, work_id=work.pk, code="x", kind="run")
    assert services.coding_summary(run=run) == (
        "The candidate ran the visible tests: 1 of 2 visible tests passed; "
        "the first failure: test_one_word: AssertionError: one"
    )
    sandbox.result = SandboxResult(
        outcome=Outcome.TIMEOUT,
        tests=[{"name": "test_two_words", "passed": False, "message": "Not run"}],
        error="The code ran longer than the time limit of 10 seconds; it was stopped.",
    )
    timed_out = services.coding_run(interview=interview, work_id=work.pk, code="x", kind="run")
    assert services.coding_summary(run=timed_out) == (
        "The candidate ran the visible tests: The code ran longer than the time limit of "
        "10 seconds; it was stopped (0 of 1 visible tests passed)."
    )
    sandbox.result = SandboxResult(outcome=Outcome.UNAVAILABLE)
    lost = services.coding_run(interview=interview, work_id=work.pk, code="x", kind="submit")
    assert services.coding_summary(run=lost) == (
        "The candidate submitted their code, but the server could not run the code; it is saved."
    )
    sandbox.result = FAILED
    submitted = services.coding_run(interview=interview, work_id=work.pk, code="x", kind="submit")
    assert services.coding_summary(run=submitted).startswith(
        "The candidate submitted their code: 1 of 2 visible tests passed, "
        "1 of 2 hidden tests; the first failure: test_one_word"
    )


def test_a_submission_through_the_real_sandbox(work, room):
    run = services.coding_run(
        interview=interview_of(work), work_id=work.pk, code=NEARLY, kind="submit"
    )
    stored = CodeRun.objects.get(pk=run.pk)
    assert stored.outcome == Outcome.FAILED
    assert (stored.visible_passed, stored.visible_total) == (2, 2)
    assert (stored.hidden_passed, stored.hidden_total) == (2, 3)  # extra spaces fail
    assert [result["name"] for result in stored.results] == ["test_two_words", "test_one_word"]
    assert CodingWork.objects.get(pk=work.pk).submitted_at is not None
