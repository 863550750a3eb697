"""Production settings, security headers, cookies, and the recruiters' permissions."""

import json
import os
import subprocess
import sys

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client
from django.urls import reverse

from interviews.models import Question
from tests.factories import InterviewFactory, QuestionFactory
from tests.test_settings import PRODUCTION_SECRETS, ROOT

LIVEKIT = "wss://media.example.com"


def production_values(*names: str) -> dict:
    code = (
        "import json; from hiring import settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {list(names)!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in ("DEBUG", "INTERVIEW_AI")},
            "ENV_FILE": os.devnull,
            "DEBUG": "False",
            "INTERVIEW_AI": "structured",
            **PRODUCTION_SECRETS,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_turns_on_https_hsts_and_secure_httponly_cookies():
    values = production_values(
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "X_FRAME_OPTIONS",
        "DEBUG",
    )
    assert values == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "X_FRAME_OPTIONS": "DENY",
        "DEBUG": False,
    }


def test_the_cache_is_shared_by_every_web_process():
    backend = production_values("CACHES")["CACHES"]["default"]["BACKEND"]
    assert backend == "django.core.cache.backends.db.DatabaseCache"


@pytest.fixture
def production(settings):
    """The production values the subprocess test above reads, applied in-process."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.LIVEKIT_PUBLIC_URL = LIVEKIT
    return settings


def test_plain_http_is_redirected_to_https(production, invited):
    response = Client().get("/interview/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_every_https_answer_carries_the_security_headers(production, invited):
    client = Client()
    for path in ("/interview/", f"/interview/{invited.invite_secret}/", "/admin/login/"):
        response = client.get(path, secure=True)
        assert response["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        )
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] in ("same-origin", "no-referrer")


def test_the_session_cookie_is_secure_httponly_and_same_site(production, invited):
    response = Client().get(f"/interview/{invited.invite_secret}/", secure=True)
    cookie = response.cookies["sessionid"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_the_join_page_csrf_cookie_is_secure_and_httponly(production, invited):
    client = Client()
    client.get(f"/interview/{invited.invite_secret}/", secure=True)
    response = client.get("/interview/", secure=True)
    assert response.status_code == 200
    cookie = response.cookies["csrftoken"]
    assert (cookie["secure"], cookie["httponly"]) == (True, True)


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def test_the_join_page_policy_allows_only_our_origin_and_the_livekit_server(production, invited):
    client = Client()
    assert client.get(f"/interview/{invited.invite_secret}/", secure=True).status_code == 302
    response = client.get("/interview/", secure=True)

    policy = csp_directives(response["Content-Security-Policy"])
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'", LIVEKIT, "https://media.example.com"]
    allowed = {"'self'", "'none'", "data:", "blob:", "mediastream:", LIVEKIT}
    allowed.add("https://media.example.com")
    for name, sources in policy.items():
        assert set(sources) <= allowed, (name, sources)
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header and "*" not in header


# --- The recruiters' permissions ----------------------------------------------------------

RECRUITER_CODENAMES = {
    "view_position",
    "add_position",
    "change_position",
    "view_question",
    "add_question",
    "change_question",
    "view_candidate",
    "add_candidate",
    "change_candidate",
    "view_interview",
    "add_interview",
    "change_interview",
    "view_interviewquestion",
    "view_transcriptsegment",
    "view_evaluation",
    "view_questionscore",
    "view_decisionrecord",
    "add_decisionrecord",
    "watch_interview",
}


def staff(username: str, *, group: str | None = None, codenames: tuple = ()) -> Client:
    user = User.objects.create_user(username, password="x", is_staff=True)  # noqa: S106
    if group:
        user.groups.add(Group.objects.get(name=group))
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_migration_gives_recruiters_exactly_their_permissions():
    group = Group.objects.get(name="Recruiters")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert codenames == RECRUITER_CODENAMES
    assert not group.permissions.exclude(content_type__app_label="interviews").exists()


def back_office_pages(interview) -> list[str]:
    return [
        reverse("admin:interviews_interview_changelist"),
        reverse("admin:interviews_interview_change", args=[interview.pk]),
        reverse("admin:interviews_interview_report", args=[interview.pk]),
        reverse("admin:interviews_interview_transcript_json", args=[interview.pk]),
        reverse("admin:interviews_interview_dashboard"),
        reverse("admin:interviews_interview_dashboard_snapshot"),
        reverse("admin:interviews_candidate_changelist"),
        reverse("admin:interviews_candidate_export", args=[interview.candidate.pk]),
        reverse("admin:interviews_question_changelist"),
    ]


@pytest.mark.django_db
def test_a_recruiter_reaches_every_back_office_page(fresh_cache):
    interview = InterviewFactory()
    client = staff("recruiter", group="Recruiters")
    for path in back_office_pages(interview):
        assert client.get(path).status_code == 200, path


@pytest.mark.django_db
def test_staff_without_a_permission_get_403(fresh_cache):
    interview = InterviewFactory()
    client = staff("nobody")
    for path in back_office_pages(interview):
        assert client.get(path).status_code == 403, path
    watch_token = reverse("admin:interviews_interview_watch_token", args=[interview.pk])
    assert client.post(watch_token).status_code == 403


@pytest.mark.django_db
def test_a_recruiter_cannot_erase_a_candidate(fresh_cache):
    interview = InterviewFactory()
    client = staff("recruiter", group="Recruiters")
    erase = reverse("admin:interviews_candidate_erase", args=[interview.candidate.pk])
    assert client.get(erase).status_code == 403
    assert client.post(erase).status_code == 403
    interview.candidate.refresh_from_db()


@pytest.mark.django_db
def test_viewing_questions_does_not_allow_activating_them(fresh_cache):
    question = QuestionFactory(is_active=False)
    client = staff("reader", codenames=("view_question",))

    client.post(
        reverse("admin:interviews_question_changelist"),
        {"action": "activate", "_selected_action": [question.pk]},
    )

    assert Question.objects.get(pk=question.pk).is_active is False
