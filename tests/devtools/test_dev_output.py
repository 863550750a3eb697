import io

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from devtools import dev
from devtools.dev_output import Console, banner, is_shown
from interviews.services.staff import admin_user_ensure

INVITE = "http://127.0.0.1:8000/interview/secret-invite/"
OPEN_LINK = "http://127.0.0.1:8000/apply/backend-engineer/"
BLOCKED = b"2026-12-07 13:00:00 WARNING livekit.agents event loop blocked for 812ms\n"
HTTP2 = b"2026-12-07 13:00:00 INFO daphne.server HTTP/2 support not enabled (install ...)\n"
REQUEST = b'2026-12-07 13:00:01 INFO django.server "GET /admin/ HTTP/1.1" 200 4203\n'


def test_the_banner_gives_the_admin_login_with_the_password_generated_on_this_run(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    text = dev.banner(INVITE, OPEN_LINK, admin_password="s3cret-Pa55")

    assert "Back office (admin): http://127.0.0.1:8000/admin/" in text
    assert "Admin login:         admin / s3cret-Pa55  (shown only now: keep it)" in text
    assert f"A personal invite:   {INVITE}" in text
    assert f"An open position:    {OPEN_LINK}" in text
    assert "Read them (admins):  http://127.0.0.1:8000/admin/outbox/" in text
    assert "Full log:            .tools/dev.log" in text
    assert text.rstrip().endswith("Ctrl-C stops everything.")


def test_the_banner_says_how_to_change_a_password_set_on_an_earlier_run():
    text = banner(
        web_port=8123,
        invite=INVITE,
        open_link=OPEN_LINK,
        interview_ai="structured",
        admin_username="admin",
        admin_password=None,
        emails_folder=None,
        logs=[],
    )
    assert "Admin login:         admin (password set earlier; to change it: " in text
    assert "python manage.py changepassword admin" in text
    assert "http://127.0.0.1:8123/admin/" in text
    assert "Emails sent" not in text


@pytest.mark.django_db
def test_the_admin_password_is_generated_once_and_logs_in():
    password = admin_user_ensure(username="newcomer")

    assert password and len(password) >= 16
    login = RequestFactory().post("/admin/login/")  # the back office's login throttling needs it
    assert authenticate(login, username="newcomer", password=password).is_superuser
    assert admin_user_ensure(username="newcomer") is None
    assert authenticate(login, username="newcomer", password=password) is not None


def test_known_harmless_lines_are_left_out_and_a_blocked_loop_is_shown_after_start_up():
    assert not is_shown(HTTP2, starting=True)
    assert not is_shown(HTTP2, starting=False)
    assert not is_shown(BLOCKED, starting=True)
    assert is_shown(BLOCKED, starting=False)
    assert is_shown(REQUEST, starting=True)


def test_the_console_keeps_every_line_in_the_log_and_shows_the_others():
    log, echo = io.BytesIO(), io.BytesIO()
    console = Console(log=log, echo=echo)
    agent = io.BytesIO(BLOCKED + HTTP2 + b"INFO livekit.agents registered worker\n" + BLOCKED)

    console.forward(agent, ready_line=b"registered worker")

    assert log.getvalue() == agent.getvalue()
    assert echo.getvalue() == b"INFO livekit.agents registered worker\n" + BLOCKED
    assert console.started.is_set()
