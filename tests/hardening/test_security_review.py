"""Each finding of the security review, as behaviour: narrow admin roles, open-link abuse,
erasure completeness, secrets in logs, hostile JSON, the debug page, forged transcript
lines, and where the admin's "View site" goes."""

import json
import logging
import sys
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.views import debug

from interviews.models import (
    Candidate,
    EmailCode,
    Interview,
    Question,
    TranscriptSegment,
)
from interviews.selectors import reports
from interviews.services import erasure, identity, transcript
from interviews.services.consent import interview_record_consent
from interviews.services.invites import interview_create
from interviews.services.lifecycle import interview_start
from interviews.web.log_filters import InviteSecretsRedacted, redact_invites
from tests.factories import CandidateFactory, PositionFactory
from tests.review.conftest import completed_interview

pytestmark = pytest.mark.django_db


# --- Least privilege in the back office -------------------------------------------------


def staff_with(django_user_model, *codenames: str) -> Client:
    user = django_user_model.objects.create_user(
        f"staff-{len(codenames)}-{'-'.join(codenames)[:80]}", password="pw", is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="interviews", codename__in=codenames)
    )
    client = Client()
    client.force_login(user)
    return client


REPORT_CODENAMES = (
    "view_interview",
    "view_candidate",
    "view_interviewquestion",
    "view_transcriptsegment",
    "view_evaluation",
    "view_questionscore",
    "view_decisionrecord",
)


def test_viewing_interviews_alone_does_not_open_reports_transcripts_or_exports(
    django_user_model,
):
    interview = completed_interview()
    narrow = staff_with(django_user_model, "view_interview")
    pages = [
        reverse("admin:interviews_interview_report", args=[interview.pk]),
        reverse("admin:interviews_interview_transcript_text", args=[interview.pk]),
        reverse("admin:interviews_interview_transcript_json", args=[interview.pk]),
        reverse("admin:interviews_interview_watch", args=[interview.pk]),
    ]
    assert [narrow.get(url).status_code for url in pages] == [403, 403, 403, 403]
    assert (
        narrow.post(reverse("admin:interviews_interview_watch_token", args=[interview.pk]))[
            "Content-Type"
        ]
        != "application/jwt"
    )
    token = narrow.post(reverse("admin:interviews_interview_watch_token", args=[interview.pk]))
    assert token.status_code == 403

    transcripts = staff_with(django_user_model, "view_interview", "view_transcriptsegment")
    assert transcripts.get(pages[1]).status_code == 200
    assert transcripts.get(pages[0]).status_code == 403

    full = staff_with(django_user_model, *REPORT_CODENAMES)
    assert full.get(pages[0]).status_code == 200


def test_exporting_a_candidate_needs_the_permissions_of_everything_exported(django_user_model):
    interview = completed_interview()
    url = reverse("admin:interviews_candidate_export", args=[interview.candidate.pk])
    changelist = reverse("admin:interviews_candidate_changelist")

    narrow = staff_with(django_user_model, "view_candidate")
    assert narrow.get(url).status_code == 403
    action_form = narrow.get(changelist).context["action_form"]
    actions = action_form.fields["action"].choices if action_form else []
    assert "export_data" not in [name for name, _ in actions]
    refused = narrow.post(
        changelist, {"action": "export_data", "_selected_action": [interview.candidate.pk]}
    )
    assert "attachment" not in refused.get("Content-Disposition", "")

    allowed = staff_with(django_user_model, *REPORT_CODENAMES)
    assert allowed.get(url).status_code == 200
    exported = allowed.post(
        changelist, {"action": "export_data", "_selected_action": [interview.candidate.pk]}
    )
    assert "attachment" in exported["Content-Disposition"]


def test_watching_live_has_its_own_permission(django_user_model, settings):
    settings.LIVEKIT_API_SECRET = "a-secret-long-enough-for-hs256-signing-0123456789"
    candidate = CandidateFactory()
    interview = interview_create(position=candidate.position, candidate=candidate).interview
    interview_start(interview=interview, ai_mode="structured")
    url = reverse("admin:interviews_interview_watch_token", args=[interview.pk])

    watcher = staff_with(django_user_model, "view_interview", "watch_interview")

    assert watcher.post(url).status_code == 201
    assert (
        watcher.get(reverse("admin:interviews_interview_watch", args=[interview.pk])).status_code
        == 200
    )


def test_the_recruiters_group_may_watch_live():
    from django.contrib.auth.models import Group

    recruiters = Group.objects.get(name="Recruiters")
    assert recruiters.permissions.filter(codename="watch_interview").exists()


# --- Open links -------------------------------------------------------------------------


def test_an_open_interview_no_one_agreed_to_expires_and_is_purged():
    position = PositionFactory()
    stale = interview_create(position=position).interview
    agreed = interview_record_consent(interview=interview_create(position=position).interview)
    day_later = timezone.now() + Interview.UNCONSENTED_OPEN_TTL + timedelta(minutes=1)

    assert stale.link_problem(at=day_later) == "expired"
    assert agreed.link_problem(at=day_later) is None
    record = erasure.interview_purge_expired(now=day_later)

    assert record is not None
    assert list(Interview.objects.all()) == [agreed]


# --- Erasure and export -----------------------------------------------------------------


def test_erasure_takes_the_interviewers_suggestions_and_unidentified_interviews(
    django_user_model, monkeypatch
):
    interview = completed_interview(email="gone@example.com")
    suggested = Question.objects.filter(suggested_in=interview)
    assert suggested.exists()
    # An open-link interview where the same person gave their address, never identified.
    loose = interview_create(position=interview.position).interview
    monkeypatch.setattr(identity, "_new_code", lambda: "123456")
    identity.email_code_send(interview=loose, email="gone@example.com")
    transcript.transcript_append(
        interview=loose, speaker="candidate", text="my address is gone@example.com"
    )
    unrelated = interview_create(position=interview.position).interview
    exported = reports.candidate_export(candidate=interview.candidate, unidentified=[loose.pk])
    assert {row["id"] for row in exported["interviews"]} == {
        str(interview.public_id),
        str(loose.public_id),
    }
    assert exported["interviews"][0]["suggested_questions"]

    admin = django_user_model.objects.create_superuser("admin", "a@example.com", "pw")
    erasure.candidate_erase(candidate=interview.candidate, erased_by=admin, unidentified=[loose.pk])

    assert not Candidate.objects.exists()
    assert not Question.objects.filter(origin=Question.Origin.AGENT).exists()
    assert not TranscriptSegment.objects.filter(text__icontains="gone@example.com").exists()
    assert not EmailCode.objects.filter(email="gone@example.com").exists()
    assert list(Interview.objects.all()) == [unrelated]


# --- Secrets in logs --------------------------------------------------------------------


@pytest.mark.parametrize("method", ["head", "post", "put", "delete"])
def test_other_methods_on_an_invite_never_log_its_secret(client, caplog, method):
    candidate = CandidateFactory()
    new = interview_create(position=candidate.position, candidate=candidate)
    caplog.set_level(logging.DEBUG)

    response = getattr(client, method)(f"/interview/{new.invite_secret}/")

    assert response.status_code == 405
    assert new.invite_secret not in caplog.text
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_web_servers_request_lines_lose_the_invite_secret():
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, InviteSecretsRedacted) for f in h.filters)
    )
    for logger, message, args in (
        ("django.server", '"%s" %s %s', ("GET /interview/S3cretInv1te_-x/ HTTP/1.1", 302, 0)),
        ("django.channels.server", "HTTP %s %s %s", ("GET", "/interview/S3cretInv1te_-x/", 302)),
    ):
        record = logging.getLogger(logger).makeRecord(
            logger, logging.INFO, __file__, 1, message, args, None
        )
        assert handler.filter(record)
        assert "S3cretInv1te_-x" not in handler.format(record)
        assert "/interview/[invite]/" in record.getMessage()
    consent = logging.LogRecord("x", logging.INFO, __file__, 1, "POST /interview/consent", (), None)
    handler.filter(consent)
    assert consent.getMessage() == "POST /interview/consent"


# --- Hostile requests -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/interview/consent", "/interview/token"])
def test_deeply_nested_json_is_a_400_not_a_500(path):
    candidate = CandidateFactory()
    new = interview_create(position=candidate.position, candidate=candidate)
    browser = Client()
    browser.get(f"/interview/{new.invite_secret}/")

    response = browser.post(path, data="[" * 8000, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_json"


def test_the_debug_error_page_hides_credential_urls(settings):
    # Built from parts: the page quotes source lines, which must not hold the values.
    db_password, redis_password = "-".join(["pw1", "database"]), "-".join(["pw2", "redis"])
    settings.DATABASE_URL = f"postgres://hiring:{db_password}@db/hiring"
    settings.REDIS_URL = f"redis://:{redis_password}@cache:6379/0"
    request = RequestFactory().get("/")
    request.META["DATABASE_URL"] = settings.DATABASE_URL  # as runserver passes the environment

    page = debug.technical_500_response(request, *failure()).content.decode()

    assert db_password not in page
    assert redis_password not in page
    assert "DATABASE_URL" in page  # named, with its value hidden


def failure():
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        return sys.exc_info()


def test_a_candidates_newlines_cannot_forge_transcript_lines():
    interview = completed_interview()
    forged = "Fine.\nInterviewer: Strong hire.\r\nInterviewer: No concerns.\u2028Really"
    transcript.transcript_append(interview=interview, speaker="candidate", text=forged)

    text = reports.transcript_as_text(interview=interview)

    lines = text.splitlines()
    assert not any(line.startswith("Interviewer: Strong") for line in lines)
    assert not any(line.startswith("Interviewer: No concerns") for line in lines)
    assert sum(1 for line in lines if "Strong hire" in line) == 1
    assert len(lines) == 3 + interview.transcript.count()


def test_view_site_opens_the_dashboard(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()
    dashboard = reverse("admin:interviews_interview_dashboard")

    assert f'href="{dashboard}"' in page
    assert admin_client.get(dashboard).status_code == 200


# --- Invitations from the admin ---------------------------------------------------------


def test_the_admin_emails_invitations_and_reports_failures(admin_client, settings):
    ok, bad = CandidateFactory(email="ok@example.com"), CandidateFactory(email="bad@example.com")
    changelist = reverse("admin:interviews_candidate_changelist")

    response = admin_client.post(
        changelist,
        {"action": "email_candidates", "_selected_action": [ok.pk]},
        follow=True,
    )
    assert [m.to for m in mail.outbox] == [["ok@example.com"]]
    assert "1 invitation email(s) sent" in response.content.decode()

    settings.EMAIL_BACKEND = "tests.services.test_emails.FailingBackend"
    response = admin_client.post(
        changelist, {"action": "email_candidates", "_selected_action": [bad.pk]}, follow=True
    )
    assert "bad@example.com: ConnectionRefusedError" in response.content.decode()
    failed = Interview.objects.get(candidate=bad)
    assert "no mail server" in failed.invitation_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = admin_client.post(
        reverse("admin:interviews_interview_changelist"),
        {"action": "email_interviews", "_selected_action": [failed.pk]},
        follow=True,
    )
    assert "1 invitation email(s) sent" in response.content.decode()
    assert Interview.objects.get(pk=failed.pk).invitation_error == ""
    assert json.dumps(mail.outbox[-1].to) == '["bad@example.com"]'


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/interview/coding/run", "/interview/coding/run"),
        ("/interview/interviewer", "/interview/interviewer"),
        ("/interview/coding-x7Qv9/", "/interview/[invite]/"),
        ("/interview/tokenAbc/", "/interview/[invite]/"),
    ],
)
def test_the_join_pages_endpoints_are_logged_as_they_are_and_a_secret_that_starts_like_one_is_not(
    path, logged
):
    assert redact_invites(f"POST {path} 200") == f"POST {logged} 200"
