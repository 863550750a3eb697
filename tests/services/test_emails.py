from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from interviews.models import Candidate, Interview
from interviews.selectors.interviews import interview_by_invite
from interviews.services import emails, invitations, lifecycle
from interviews.services.invites import interview_create
from tests.factories import CandidateFactory, PositionFactory

pytestmark = pytest.mark.django_db


class FailingBackend:
    def __init__(self, *args, **kwargs) -> None:
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")


def personal_interview():
    candidate = CandidateFactory(name="Ada Example", email="ada@example.com")
    return interview_create(position=candidate.position, candidate=candidate)


def test_an_invitation_carries_the_link_its_expiry_and_the_notice(settings):
    settings.SITE_URL = "https://jobs.example"
    settings.DATA_RETENTION_DAYS = 180
    new = personal_interview()
    interview = emails.interview_send_invitation(interview=new.interview, secret=new.invite_secret)
    (message,) = mail.outbox
    assert message.to == ["ada@example.com"]
    assert f"https://jobs.example/interview/{new.invite_secret}/" in message.body
    assert f"{new.interview.invite_expires_at:%Y}" in message.body
    body = " ".join(message.body.split())
    for part in (
        "automated",  # the interviewer it is
        "What is assessed",
        "people make every hiring decision",
        "kept for 180 days",
        "accommodation",
        "Notice version 3",  # the version the join page asks them to agree to
        "The interview is recorded",  # the position records (the default)
    ):
        assert part in body
    stored = Interview.objects.get(pk=interview.pk)
    assert stored.invitation_sent_at is not None and stored.invitation_error == ""


def test_a_failed_invitation_is_recorded_on_the_interview_for_the_recruiter(settings):
    settings.EMAIL_BACKEND = "tests.services.test_emails.FailingBackend"
    new = personal_interview()
    emails.interview_send_invitation(interview=new.interview, secret=new.invite_secret)
    stored = Interview.objects.get(pk=new.interview.pk)
    assert stored.invitation_sent_at is None
    assert "no mail server" in stored.invitation_error


def test_sending_again_issues_a_new_link_and_the_old_one_stops_working():
    new = personal_interview()
    again = invitations.interview_resend_invitation(interview=new.interview)
    assert again.sent
    assert again.invite_secret in mail.outbox[-1].body
    assert interview_by_invite(secret=new.invite_secret) is None
    assert interview_by_invite(secret=again.invite_secret) == new.interview


def test_the_invite_command_creates_the_candidate_and_the_interview_and_mails_the_link(capsys):
    position = PositionFactory(slug="data-engineer")
    call_command(
        "invite",
        "--position=data-engineer",
        "--email=Grace@Example.com",
        "--name=Grace Hopper",
        "--experience=7",
    )
    grace = Candidate.objects.get(email="grace@example.com")
    assert (grace.name, grace.experience_years) == ("Grace Hopper", 7)
    interview = Interview.objects.get(candidate=grace, position=position)
    (message,) = mail.outbox
    assert message.to == ["grace@example.com"]
    assert "/interview/" in message.body
    assert str(interview.public_id) in capsys.readouterr().out
    assert interview.invitation_sent_at is not None


def test_the_invite_command_reuses_an_existing_candidate():
    position = PositionFactory(slug="data-engineer")
    existing = CandidateFactory(email="ada@example.com", position=position)
    call_command("invite", "--position=data-engineer", "--email=ada@example.com")
    assert Interview.objects.get().candidate == existing
    assert Candidate.objects.count() == 1


def test_the_invite_command_fails_loudly_when_the_mail_cannot_go(settings):
    settings.EMAIL_BACKEND = "tests.services.test_emails.FailingBackend"
    PositionFactory(slug="data-engineer")
    with pytest.raises(CommandError, match="could not be sent"):
        call_command(
            "invite",
            "--position=data-engineer",
            "--email=a@example.com",
            "--name=A",
            "--experience=1",
        )
    assert "no mail server" in Interview.objects.get().invitation_error


def test_the_invite_command_refuses_an_unknown_position():
    with pytest.raises(CommandError, match="No position"):
        call_command("invite", "--position=nope", "--email=a@example.com", "--name=A")


def test_a_completed_interview_notifies_the_recruiters_with_a_report_link_only(
    settings, django_capture_on_commit_callbacks
):
    settings.NOTIFY_ON_COMPLETION_EMAIL = ["team@example.com"]
    settings.SITE_URL = "https://jobs.example"
    new = personal_interview()
    lifecycle.interview_start(interview=new.interview, ai_mode="structured")
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.interview_finish(interview=new.interview, at=timezone.now() + timedelta(1))
    (message,) = mail.outbox
    assert message.to == ["team@example.com"]
    assert f"https://jobs.example/admin/interviews/interview/{new.interview.pk}/report/" in (
        message.body
    )
    for personal in ("Ada", "ada@example.com", str(new.interview.public_id)):
        assert personal not in message.body and personal not in message.subject


def test_no_notification_is_sent_unless_configured(settings, django_capture_on_commit_callbacks):
    settings.NOTIFY_ON_COMPLETION_EMAIL = []
    new = personal_interview()
    lifecycle.interview_start(interview=new.interview, ai_mode="structured")
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.interview_finish(interview=new.interview)
    assert mail.outbox == []
