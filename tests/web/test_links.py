from datetime import timedelta

import pytest
from django.utils import timezone

from interviews.links import apply_url, invite_url
from interviews.models import Interview, hash_invite
from interviews.services.invites import interview_create, interview_revoke_invite
from interviews.services.lifecycle import interview_finish, interview_start
from interviews.web import ratelimit
from interviews.web.session import SESSION_KEY
from tests.factories import CandidateFactory, PositionFactory
from tests.web.conftest import open_invite

pytestmark = pytest.mark.django_db


# --- Personal invite links --------------------------------------------------------------


def test_an_invite_binds_the_interview_to_the_session_and_drops_the_secret(client, invited):
    response = open_invite(client, invited.invite_secret)

    assert response.status_code == 302
    assert response["Location"] == "/interview/"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    assert client.session[SESSION_KEY] == str(invited.interview.public_id)


def test_the_invite_secret_is_random_and_stored_only_as_a_hash(invited):
    stored = Interview.objects.get(pk=invited.interview.pk)

    assert len(invited.invite_secret) >= 22  # >= 128 bits in URL-safe base64
    assert stored.invite_hash == hash_invite(invited.invite_secret)
    row = Interview.objects.filter(pk=stored.pk).values().get()
    assert invited.invite_secret not in {str(value) for value in row.values()}


def test_two_invites_never_share_a_secret(invited):
    other = interview_create(position=invited.interview.position, candidate=CandidateFactory())
    assert other.invite_secret != invited.invite_secret


def test_an_invite_expires_after_seven_days_by_default(client, invited):
    interview = Interview.objects.get(pk=invited.interview.pk)
    expected = interview.created_at + timedelta(days=7)
    assert abs(interview.invite_expires_at - expected) < timedelta(minutes=1)


def test_it_refuses_an_expired_invite_with_410(client, invited):
    Interview.objects.filter(pk=invited.interview.pk).update(
        invite_expires_at=timezone.now() - timedelta(seconds=1)
    )

    response = open_invite(client, invited.invite_secret)

    assert response.status_code == 410
    assert b"This interview link has expired" in response.content
    assert response["Referrer-Policy"] == "no-referrer"
    assert SESSION_KEY not in client.session


def test_it_refuses_a_revoked_invite_with_410(client, invited):
    interview_revoke_invite(interview=invited.interview)

    response = open_invite(client, invited.invite_secret)

    assert response.status_code == 410
    assert b"no longer active" in response.content
    assert SESSION_KEY not in client.session
    assert Interview.objects.get(pk=invited.interview.pk).invite_revoked_at is not None


def test_it_refuses_an_invite_once_the_interview_is_completed(client, invited):
    interview_start(interview=invited.interview, ai_mode="structured")
    interview_finish(interview=invited.interview)

    response = open_invite(client, invited.invite_secret)

    assert response.status_code == 410
    assert b"already complete" in response.content
    assert Interview.objects.get(pk=invited.interview.pk).status == Interview.Status.COMPLETED


@pytest.mark.parametrize(
    "mangle",
    [lambda s: s[:-1] + ("A" if s[-1] != "A" else "B"), lambda s: s[:10], lambda s: "x" * 500],
)
def test_it_answers_a_tampered_invite_with_a_friendly_404(client, invited, mangle):
    response = open_invite(client, mangle(invited.invite_secret))

    assert response.status_code == 404
    assert b"We could not find this interview" in response.content
    assert response["Referrer-Policy"] == "no-referrer"
    assert SESSION_KEY not in client.session
    assert Interview.objects.get(pk=invited.interview.pk).status == Interview.Status.INVITED


def test_opening_a_second_invite_switches_the_session_to_it(client, invited):
    other = interview_create(position=invited.interview.position, candidate=CandidateFactory())
    open_invite(client, invited.invite_secret)
    first_session = client.session.session_key

    open_invite(client, other.invite_secret)

    assert client.session[SESSION_KEY] == str(other.interview.public_id)
    assert client.session.session_key != first_session


def test_invite_url_builds_the_link_recruiters_send(rf, invited):
    request = rf.get("/admin/")
    secret = invited.invite_secret

    assert (
        invite_url("https://jobs.example/", secret) == f"https://jobs.example/interview/{secret}/"
    )
    assert invite_url(request, secret) == f"http://testserver/interview/{secret}/"


# --- Open position links ----------------------------------------------------------------


def consent(client, **extra):
    return client.post(
        "/interview/consent",
        data={"choice": "consent", "consent": True},
        content_type="application/json",
        **extra,
    )


def test_opening_an_open_link_writes_no_interview(client):
    PositionFactory(slug="open-role")

    for _ in range(3):
        response = client.get("/apply/open-role/")
        assert response.status_code == 302
        assert response["Location"] == "/interview/"

    assert Interview.objects.count() == 0
    assert SESSION_KEY not in client.session
    page = client.get("/interview/")
    assert page.status_code == 200
    assert Interview.objects.count() == 0


def test_the_first_post_starts_one_interview_without_a_candidate(client):
    position = PositionFactory(slug="open-role")
    client.get("/apply/open-role/")

    response = consent(client, REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 200, response.content
    interview = Interview.objects.get()
    assert interview.position == position
    assert interview.kind == Interview.Kind.OPEN
    assert interview.candidate is None
    assert interview.invite_hash is None
    assert interview.consent_at is not None
    assert interview.client_network == "203.0.113.9"
    assert client.session[SESSION_KEY] == str(interview.public_id)


def test_reloading_an_open_link_reuses_the_unfinished_interview(client):
    PositionFactory(slug="open-role")
    client.get("/apply/open-role/")
    consent(client)
    first = Interview.objects.get()

    for _ in range(3):
        response = client.get("/apply/open-role/")
        assert response.status_code == 302
        consent(client)

    assert Interview.objects.count() == 1
    assert client.session[SESSION_KEY] == str(first.public_id)


def test_an_open_link_starts_a_new_interview_after_the_last_one_completed(client):
    PositionFactory(slug="open-role")
    client.get("/apply/open-role/")
    consent(client)
    first = Interview.objects.get()
    Interview.objects.filter(pk=first.pk).update(status=Interview.Status.COMPLETED)

    client.get("/apply/open-role/")
    consent(client)

    assert Interview.objects.count() == 2
    assert client.session[SESSION_KEY] != str(first.public_id)


def test_another_browser_gets_its_own_open_interview(client):
    from django.test import Client

    PositionFactory(slug="open-role")
    other = Client()
    for browser in (client, other):
        browser.get("/apply/open-role/")
        consent(browser)

    assert Interview.objects.count() == 2


def test_an_open_link_for_another_position_starts_a_new_interview(client):
    PositionFactory(slug="open-role")
    PositionFactory(slug="other-role")
    client.get("/apply/open-role/")
    consent(client)

    client.get("/apply/other-role/")
    consent(client)

    assert Interview.objects.count() == 2
    current = Interview.objects.get(public_id=client.session[SESSION_KEY])
    assert current.position.slug == "other-role"


@pytest.mark.parametrize("slug", ["closed-role", "no-such-role"])
def test_an_open_link_for_an_inactive_or_unknown_position_is_a_404(client, slug):
    PositionFactory(slug="closed-role", is_active=False)

    response = client.get(f"/apply/{slug}/")

    assert response.status_code == 404
    assert b"not taking interviews" in response.content
    assert Interview.objects.count() == 0
    assert SESSION_KEY not in client.session


def new_open_interviews(client, address: str, times: int) -> list[int]:
    statuses = []
    for _ in range(times):
        client.cookies.clear()  # a script that keeps no cookies
        client.get("/apply/open-role/")
        statuses.append(consent(client, REMOTE_ADDR=address).status_code)
    return statuses


def test_open_links_are_rate_limited_per_address(client, monkeypatch):
    monkeypatch.setattr(ratelimit, "NEW_OPEN_INTERVIEWS_PER_ADDRESS", (2, 3600))
    PositionFactory(slug="open-role")

    assert new_open_interviews(client, "198.51.100.7", 3) == [200, 200, 429]
    assert Interview.objects.count() == 2
    # Someone else is not locked out of the link.
    assert new_open_interviews(client, "192.0.2.1", 1) == [200]


def test_an_ipv6_client_is_one_client_across_its_slash_64(client, monkeypatch):
    monkeypatch.setattr(ratelimit, "NEW_OPEN_INTERVIEWS_PER_ADDRESS", (2, 3600))
    PositionFactory(slug="open-role")

    statuses = [new_open_interviews(client, f"2001:db8:1:2::{n:x}", 1)[0] for n in range(1, 4)]

    assert statuses == [200, 200, 429]
    assert new_open_interviews(client, "2001:db8:1:3::1", 1) == [200]
    assert set(Interview.objects.values_list("client_network", flat=True)) == {
        "2001:db8:1:2::/64",
        "2001:db8:1:3::/64",
    }


def test_a_network_is_limited_too(client, monkeypatch):
    monkeypatch.setattr(ratelimit, "NEW_OPEN_INTERVIEWS_PER_NETWORK", (3, 3600))
    PositionFactory(slug="open-role")

    statuses = [new_open_interviews(client, f"203.0.113.{n}", 1)[0] for n in range(1, 5)]

    assert statuses == [200, 200, 200, 429]
    assert new_open_interviews(client, "198.51.100.1", 1) == [200]


def test_apply_url_builds_the_open_link():
    position = PositionFactory.build(slug="open-role")
    assert apply_url("https://jobs.example", position) == "https://jobs.example/apply/open-role/"


def test_a_refused_invite_never_writes_its_secret_to_the_logs(client, invited, caplog):
    interview_revoke_invite(interview=invited.interview)

    with caplog.at_level("DEBUG"):
        response = open_invite(client, invited.invite_secret)
        open_invite(client, invited.invite_secret + "x")

    assert response.status_code == 410
    assert "Link refused (410)" in caplog.text
    assert "Link refused (404)" in caplog.text
    assert invited.invite_secret not in caplog.text
