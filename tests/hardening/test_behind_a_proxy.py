"""The documented server behind the documented proxy: the client is the right-most hop a
trusted proxy added, and no invite secret reaches the server's log."""

import pytest
import requests

from interviews.models import Interview
from interviews.services.invites import interview_create
from interviews.web.ratelimit import NEW_OPEN_INTERVIEWS_PER_ADDRESS
from tests.factories import CandidateFactory, PositionFactory
from tests.hardening.served import ServedApp, open_link_consent

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_forged_forwarded_address_does_not_escape_the_open_link_limit(tmp_path):
    PositionFactory(slug="backend")
    per_address, _ = NEW_OPEN_INTERVIEWS_PER_ADDRESS

    with ServedApp(tmp_path / "web.log", TRUSTED_PROXIES="127.0.0.1") as app:
        # The client wrote "203.0.113.N"; the proxy (127.0.0.1 here) appended 10.0.0.5.
        statuses = [
            open_link_consent(
                app, "backend", **{"X-Forwarded-For": f"203.0.113.{n}, 10.0.0.5"}
            ).status_code
            for n in range(per_address + 1)
        ]

    assert statuses == [200] * per_address + [429], app.log()[-3000:]
    assert set(Interview.objects.values_list("client_network", flat=True)) == {"10.0.0.5"}
    assert Interview.objects.count() == per_address


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(tmp_path):
    PositionFactory(slug="backend")

    with ServedApp(tmp_path / "web.log", TRUSTED_PROXIES="") as app:
        response = open_link_consent(app, "backend", **{"X-Forwarded-For": "203.0.113.1"})

    assert response.status_code == 200
    assert Interview.objects.get().client_network == "127.0.0.1"


def test_the_served_app_logs_no_invite_secret(tmp_path):
    position = PositionFactory()
    candidate = CandidateFactory(position=position)
    secret = interview_create(position=position, candidate=candidate).invite_secret

    with ServedApp(tmp_path / "web.log") as app:
        opened = requests.get(f"{app.url}/interview/{secret}/", allow_redirects=False, timeout=30)
        refused = requests.post(  # refused by the CSRF check, which logs the path
            f"{app.url}/interview/{secret}/", timeout=30
        )
        missing = requests.get(f"{app.url}/interview/{secret}x/", timeout=30)

    assert (opened.status_code, refused.status_code, missing.status_code) == (302, 403, 404)
    log = app.log()
    assert "GET /interview/[invite]/" in log
    assert secret not in log
