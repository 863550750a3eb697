import re

import pytest
from django.urls import reverse

from interviews.models import Candidate, Interview, hash_invite
from interviews.services.invites import interview_create
from tests.admin.rows import filled_interview
from tests.factories import CandidateFactory, PositionFactory

pytestmark = pytest.mark.django_db


def test_the_interview_page_shows_the_asked_questions_and_transcript(recruiter_client):
    interview = filled_interview()
    page = recruiter_client.get(reverse("admin:interviews_interview_change", args=[interview.pk]))
    text = page.content.decode()
    assert "An answer." in text
    assert "Hello." in text
    assert "Awaiting human review" in text


def invite(client, **data):
    return client.post(
        reverse("admin:interviews_interview_invite"), {"invite_valid_days": 3, **data}
    )


def links_in(response) -> list[str]:
    return re.findall(
        r'<code id="[^"]+">(http://testserver/interview/[^<]+/)</code>', response.content.decode()
    )


def test_adding_an_interview_leads_to_the_invite_form(recruiter_client):
    response = recruiter_client.get(reverse("admin:interviews_interview_add"))
    assert response.status_code == 302
    assert response.url == reverse("admin:interviews_interview_invite")


def test_inviting_an_existing_candidate_by_email_shows_the_link_once(recruiter_client):
    candidate = CandidateFactory(email="grace@example.com")
    response = invite(recruiter_client, email=" Grace@Example.com ", position=candidate.position.pk)
    assert response.status_code == 200
    links = links_in(response)
    assert len(links) == 1
    interview = Interview.objects.get(candidate=candidate)
    secret = links[0].rstrip("/").rsplit("/", 1)[-1]
    assert interview.invite_hash == hash_invite(secret)
    assert "Copy" in response.content.decode()
    change = recruiter_client.get(reverse("admin:interviews_interview_change", args=[interview.pk]))
    assert secret not in change.content.decode()


def test_inviting_someone_new_creates_their_profile_and_interview(recruiter_client):
    position = PositionFactory()
    response = invite(
        recruiter_client,
        email="new.person@example.com",
        name="New Person",
        experience_years=4,
        position=position.pk,
    )
    assert len(links_in(response)) == 1
    candidate = Candidate.objects.get(email="new.person@example.com")
    assert (candidate.name, candidate.experience_years, candidate.position) == (
        "New Person",
        4,
        position,
    )
    assert Interview.objects.get(candidate=candidate).position == position


def test_someone_new_needs_a_name_and_experience_and_nothing_is_created(recruiter_client):
    position = PositionFactory()
    response = invite(recruiter_client, email="nobody@example.com", position=position.pk)
    page = response.content.decode()
    assert "This is a new candidate: give their name." in page
    assert "This is a new candidate: give their experience." in page
    assert not Candidate.objects.filter(email="nobody@example.com").exists()
    assert not Interview.objects.exists()


def test_a_candidate_with_an_open_interview_is_warned_before_a_second_one(recruiter_client):
    candidate = CandidateFactory()
    interview_create(position=candidate.position, candidate=candidate)
    data = {"email": candidate.email, "position": candidate.position.pk}

    warned = invite(recruiter_client, **data)
    assert "already has an interview waiting or in progress" in warned.content.decode()
    assert "Invite anyway" in warned.content.decode()
    assert Interview.objects.filter(candidate=candidate).count() == 1

    anyway = invite(recruiter_client, **data, invite_anyway="on")
    assert len(links_in(anyway)) == 1
    assert Interview.objects.filter(candidate=candidate).count() == 2


def test_the_email_field_suggests_existing_candidates(recruiter_client):
    CandidateFactory(email="ada.lovelace@example.com", name="Ada Lovelace", experience_years=7)
    CandidateFactory(email="someone@example.com", name="Someone Else")
    url = reverse("admin:interviews_interview_invite_candidates")
    found = recruiter_client.get(url, {"q": "lovel"}).json()["candidates"]
    assert [(c["email"], c["name"], c["experience_years"]) for c in found] == [
        ("ada.lovelace@example.com", "Ada Lovelace", 7)
    ]
    assert recruiter_client.get(url, {"q": "a"}).json()["candidates"] == []


def test_staff_who_cannot_add_interviews_cannot_invite(client, django_user_model):
    user = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:interviews_interview_invite")).status_code == 403
    url = reverse("admin:interviews_interview_invite_candidates")
    assert client.get(url, {"q": "ada"}).status_code == 403


def test_revoking_and_reissuing_invites_from_the_list(recruiter_client):
    candidate = CandidateFactory()
    new = interview_create(position=candidate.position, candidate=candidate)
    url = reverse("admin:interviews_interview_changelist")
    recruiter_client.post(url, {"action": "revoke_invites", "_selected_action": [new.interview.pk]})
    new.interview.refresh_from_db()
    assert new.interview.invite_revoked_at is not None
    response = recruiter_client.post(
        url, {"action": "new_invite_links", "_selected_action": [new.interview.pk]}
    )
    new.interview.refresh_from_db()
    assert new.interview.invite_revoked_at is None
    assert "/interview/" in response.content.decode()
