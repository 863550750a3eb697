import pytest
from django.urls import reverse

from interviews.models import Candidate, Interview
from tests.factories import CandidateFactory, PositionFactory

pytestmark = pytest.mark.django_db


def test_searching_candidates_by_email_finds_only_the_match(recruiter_client):
    CandidateFactory(email="findme@example.com", name="Ada")
    CandidateFactory(email="other@example.com", name="Bob")
    page = recruiter_client.get(
        reverse("admin:interviews_candidate_changelist"), {"q": "findme"}
    ).content.decode()
    assert "findme@example.com" in page
    assert "other@example.com" not in page


def test_inviting_candidates_in_bulk_gives_one_link_each(recruiter_client):
    candidates = [CandidateFactory() for _ in range(3)]
    response = recruiter_client.post(
        reverse("admin:interviews_candidate_changelist"),
        {"action": "invite", "_selected_action": [c.pk for c in candidates]},
    )
    assert response.status_code == 200
    assert response.content.decode().count("/interview/") >= 3
    assert Interview.objects.filter(candidate__in=candidates).count() == 3


def test_bulk_invites_report_a_closed_position_and_create_nothing_for_it(recruiter_client):
    closed = CandidateFactory(position=PositionFactory(is_active=False))
    response = recruiter_client.post(
        reverse("admin:interviews_candidate_changelist"),
        {"action": "invite", "_selected_action": [closed.pk]},
    )
    assert "is not open" in response.content.decode()
    assert not Interview.objects.filter(candidate=closed).exists()


def test_candidates_are_not_editable_into_duplicates(recruiter_client):
    CandidateFactory(email="taken@example.com")
    other = CandidateFactory()
    response = recruiter_client.post(
        reverse("admin:interviews_candidate_change", args=[other.pk]),
        {
            "email": "taken@example.com",
            "name": other.name,
            "position": other.position.pk,
            "experience_years": 2,
            "interviews-TOTAL_FORMS": 0,
            "interviews-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert Candidate.objects.filter(email="taken@example.com").count() == 1
