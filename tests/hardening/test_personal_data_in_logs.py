"""A whole interview, every logger captured at DEBUG: no email address, candidate name,
invite secret or LiveKit token appears in any log message."""

import json
import logging
import re

import pytest
from asgiref.sync import async_to_sync
from django.test import Client

from agent_worker.structured.interviewer import StructuredInterviewer
from interviews.models import Candidate, Interview
from interviews.services.invites import interview_create
from tests.agent.conftest import EMAILED_CODE, emailed_code, interviewer_session  # noqa: F401
from tests.factories import CandidateFactory
from tests.web.test_webhook import event_body, signature

pytestmark = pytest.mark.django_db

EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def rendered(record: logging.LogRecord) -> str:
    """Everything a log handler could write: the message, its arguments, the traceback."""
    parts = [record.getMessage(), repr(record.args)]
    if record.exc_info:
        parts.append(logging.Formatter().formatException(record.exc_info))
    if record.exc_text:
        parts.append(record.exc_text)
    return " ".join(parts)


def post_json(client: Client, path: str, body: dict):
    return client.post(path, data=json.dumps(body), content_type="application/json")


def webhook(client: Client, interview: Interview, event: str, event_id: str):
    body = event_body(event, interview, event_id=event_id)
    return client.post(
        "/livekit/webhook",
        data=body,
        content_type="application/webhook+json",
        HTTP_AUTHORIZATION=signature(body),
    )


# Answers, then "no" when the interviewer asks whether there is anything to add.
ANSWERS = (
    "I would check the logs first.",
    "I would add an index.",
    "We talked it through and agreed.",
)


def run_typed(interview: Interview, *turns: str) -> str | None:
    async def scenario() -> str | None:
        async with interviewer_session(interview, StructuredInterviewer()) as (session, agent):
            for text in turns:
                await session.run(user_input=text)
            return agent.outcome

    return async_to_sync(scenario)()


@pytest.mark.usefixtures("emailed_code")
def test_a_whole_interview_logs_no_personal_data_or_secrets(
    position_with_bank, fresh_cache, caplog
):
    caplog.set_level(logging.DEBUG)  # the root logger: every logger propagates here
    invitee = CandidateFactory(
        email="quentin.private@example.com", name="Quentin Privatename", position=position_with_bank
    )
    personal = interview_create(position=position_with_bank, candidate=invitee)
    secrets_seen = [personal.invite_secret, invitee.email, invitee.name]

    # A personal invite, through the candidate's page.
    browser = Client()
    assert browser.get(f"/interview/{personal.invite_secret}/").status_code == 302
    assert browser.get(f"/interview/{personal.invite_secret[:-2]}zz/").status_code == 404
    assert browser.get("/interview/").status_code == 200
    consent = post_json(browser, "/interview/consent", {"choice": "consent", "consent": True})
    assert consent.status_code == 200
    token = post_json(browser, "/interview/token", {})
    assert token.status_code == 201
    secrets_seen.append(token.json()["participant_token"])
    assert browser.get("/interview/status").status_code == 200
    webhook(Client(), personal.interview, "participant_joined", "EV_LOG_1")
    outcome = run_typed(personal.interview, *ANSWERS, "no, that's all")
    assert outcome == "completed"
    assert browser.get(f"/interview/{personal.invite_secret}/").status_code == 410

    # An open link: the candidate says who they are.
    opener = Client()
    assert opener.get(f"/apply/{position_with_bank.slug}/").status_code == 302
    consented = post_json(opener, "/interview/consent", {"choice": "consent", "consent": True})
    assert consented.status_code == 200
    open_interview = Interview.objects.filter(kind=Interview.Kind.OPEN).get()
    secrets_seen.append(EMAILED_CODE)
    outcome = run_typed(
        open_interview,
        "my email is olivia dot hidden at example dot org",
        EMAILED_CODE,
        "My name is Olivia Hiddenname",
        position_with_bank.title,
        "four years",
        *ANSWERS,
        "no, that's all",
    )
    assert outcome == "completed"
    newcomer = Candidate.objects.get(email="olivia.hidden@example.org")
    secrets_seen += [newcomer.email, newcomer.name, "Olivia", "Hiddenname", "Privatename"]

    assert len(caplog.records) > 10  # the capture works
    for record in caplog.records:
        text = rendered(record)
        for secret in secrets_seen:
            assert secret not in text, (record.name, text[:300])
        assert not EMAIL_PATTERN.search(text), (record.name, text[:300])
