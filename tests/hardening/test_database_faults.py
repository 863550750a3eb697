"""The database failing at any query: every public view answers a clean 503 and keeps
nothing of the request; the interviewer's tools retry, then apologise and go on."""

import json

import pytest
from asgiref.sync import async_to_sync
from django.contrib.sessions.models import Session
from django.db import OperationalError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agent_worker import interviewer as interviewer_module
from interviews.models import Candidate, EmailCode, Interview, RoomEvent
from interviews.services.consent import interview_record_consent
from interviews.services.invites import interview_create
from tests.agent.conftest import interviewer_session
from tests.agent.scripted_llm import Call, Say, ScriptedLLM
from tests.factories import InterviewFactory, PositionFactory
from tests.web.test_webhook import event_body, signature

pytestmark = pytest.mark.django_db


class FailKth:
    """Fails the k-th query (counting from 1) and, when `persist`, every later one."""

    def __init__(self, k: int, *, persist: bool = False) -> None:
        self.k, self.persist, self.seen, self.failed = k, persist, 0, 0
        self.armed = True

    def __call__(self, execute, sql, params, many, context):
        if self.armed:
            self.seen += 1
            if self.seen == self.k or (self.persist and self.seen > self.k):
                self.failed += 1
                raise OperationalError("the database went away")
        return execute(sql, params, many, context)


def snapshot(interview: Interview | None = None) -> tuple:
    row = None
    if interview is not None:
        row = Interview.objects.filter(pk=interview.pk).values().first()
    return (
        Interview.objects.count(),
        Candidate.objects.count(),
        Session.objects.count(),
        sorted(Session.objects.values_list("session_key", "session_data")),
        RoomEvent.objects.count(),
        row,
    )


@pytest.fixture
def world(fresh_cache):
    position = PositionFactory(slug="fault-line")
    invited = interview_create(position=position, candidate=None)
    personal = interview_create(position=position, candidate=InterviewFactory().candidate)
    return {"position": position, "open": invited.interview, "personal": personal}


def browser(secret: str) -> Client:
    client = Client(raise_request_exception=False)
    assert client.get(f"/interview/{secret}/").status_code == 302
    return client


def webhook_request(client: Client, interview: Interview):
    body = event_body("participant_joined", interview, event_id=f"EV-{interview.pk}")
    return client.post(
        "/livekit/webhook",
        data=body,
        content_type="application/webhook+json",
        HTTP_AUTHORIZATION=signature(body),
    )


def requests(world) -> dict:
    personal = world["personal"]
    secret = personal.invite_secret

    def fresh() -> Client:
        return Client(raise_request_exception=False)

    def json_post(client, path, body):
        return client.post(path, data=json.dumps(body), content_type="application/json")

    return {
        "invite": (False, 302, fresh, lambda c: c.get(f"/interview/{secret}/")),
        "apply": (False, 302, fresh, lambda c: c.get("/apply/fault-line/")),
        "join": (False, 200, lambda: browser(secret), lambda c: c.get("/interview/")),
        "consent": (
            True,
            200,
            lambda: browser(secret),
            lambda c: json_post(c, "/interview/consent", {"choice": "consent", "consent": True}),
        ),
        "token": (
            True,
            201,
            lambda: _consented(secret, personal.interview),
            lambda c: json_post(c, "/interview/token", {}),
        ),
        "status": (True, 200, lambda: browser(secret), lambda c: c.get("/interview/status")),
        "webhook": (True, 200, fresh, lambda c: webhook_request(c, personal.interview)),
    }


def _consented(secret: str, interview: Interview) -> Client:
    client = browser(secret)
    interview_record_consent(interview=interview)
    return client


@pytest.mark.parametrize(
    "view", ["invite", "apply", "join", "consent", "token", "status", "webhook"]
)
def test_a_failing_query_anywhere_answers_503_and_keeps_nothing(world, view):
    as_json, success, make_client, send = requests(world)[view]
    interview = world["personal"].interview
    with transaction.atomic():
        client = make_client()
        with CaptureQueriesContext(connection) as queries:
            assert send(client).status_code == success
        transaction.set_rollback(True)
    total = len(queries.captured_queries)
    assert total > 0

    unavailable = 0
    for k in range(1, total + 1):
        with transaction.atomic():
            client = make_client()
            before = snapshot(interview)
            failing = FailKth(k)
            with connection.execute_wrapper(failing):
                response = send(client)
            assert response.status_code in (success, 503), (k, response.status_code)
            if response.status_code == 503:
                unavailable += 1
                assert snapshot(interview) == before, k
                if as_json:
                    assert response.json()["error"]["code"] == "database_unavailable"
                else:
                    assert b"technical problem" in response.content
                assert (
                    "sessionid" not in response.cookies or response.cookies["sessionid"].value == ""
                )
                # Once the fault clears, the same request works.
                assert send(client).status_code == success, k
            transaction.set_rollback(True)
    assert unavailable > 0


def test_the_503_page_never_names_the_invite_secret_in_the_logs(world, caplog):
    secret = world["personal"].invite_secret
    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(FailKth(1, persist=True)):
        response = client.get(f"/interview/{secret}/")
    assert response.status_code == 503
    assert response["Referrer-Policy"] == "no-referrer"
    assert all(secret not in record.getMessage() for record in caplog.records)


# --- The interviewer's tools ----------------------------------------------------------


@pytest.fixture
def tool_faults(monkeypatch):
    """Counts and fails only the queries the tools make (not the transcript's)."""
    state = {"wrapper": None}
    real = interviewer_module.run_tool_work

    async def run_tool_work(work, **kwargs):
        def armed_work():
            wrapper = state["wrapper"]
            if wrapper is None:
                return work()
            wrapper.armed = True
            try:
                return work()
            finally:
                wrapper.armed = False

        return await real(armed_work, **kwargs)

    monkeypatch.setattr(interviewer_module, "run_tool_work", run_tool_work)
    monkeypatch.setattr("agent_worker.tools.calls.RETRY_DELAY_SECONDS", 0)
    return state


CREATE = {"name": "Dee Bee", "email": "dee@example.com", "position": "", "experience": 3}


def run_create(interview: Interview, wrapper: FailKth | None, tool_faults) -> ScriptedLLM:
    # The candidate proved the address with the emailed code earlier in the interview.
    EmailCode.objects.create(
        interview=interview,
        email=CREATE["email"],
        code_hash="-",
        expires_at=timezone.now(),
        verified_at=timezone.now(),
    )
    model = ScriptedLLM(
        Say("Welcome."),
        Call("create_candidate", CREATE),
        Say("One moment."),
        Call("create_candidate", CREATE),
        Say("Thank you."),
    )

    async def scenario() -> None:
        async with interviewer_session(interview, model) as (session, _agent):
            tool_faults["wrapper"] = wrapper
            await session.run(user_input="I am Dee, dee@example.com, 3 years")
            tool_faults["wrapper"] = None  # the fault clears
            await session.run(user_input="Please try again")

    if wrapper is None:
        async_to_sync(scenario)()
    else:
        wrapper.armed = False
        with connection.execute_wrapper(wrapper):
            async_to_sync(scenario)()
    return model


# Transactional: inside the test's own transaction, a rollback that fails would poison the
# rest of the test; outside one, Django drops the broken connection and reconnects.
@pytest.mark.django_db(transaction=True)
def test_a_tool_survives_a_fault_at_every_query(position_with_bank, tool_faults):
    # How many queries one successful create_candidate makes.
    probe = FailKth(10_000)
    interview = interview_create(position=position_with_bank).interview
    run_create(interview, probe, tool_faults)
    total = probe.seen
    assert total > 3

    for k in range(1, total + 1):
        for persist in (False, True):
            Candidate.objects.filter(email="dee@example.com").delete()
            interview = interview_create(position=position_with_bank).interview
            failing = FailKth(k, persist=persist)
            model = run_create(interview, failing, tool_faults)

            first, second = model.tool_outputs("create_candidate")
            if persist:
                # Retried a bounded number of times, then an apology; nothing half-written.
                assert (first["ok"], first["code"]) == (False, "save_failed"), k
                assert failing.failed <= 3 * total
            else:
                assert first == {"ok": True, "created": True, "name": "Dee Bee"}, k
            if persist:  # the fault cleared: the interview continues
                assert second == {"ok": True, "created": True, "name": "Dee Bee"}, k
            else:
                assert (second["ok"], second["code"]) == (False, "candidate_fixed"), k
            # Exactly one profile, tied to this interview, whatever failed where.
            assert Candidate.objects.filter(email="dee@example.com").count() == 1, k
            interview.refresh_from_db()
            assert interview.candidate.email == "dee@example.com", k
            assert interview.status == Interview.Status.IN_PROGRESS
