import json

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.urls import reverse

from interviews.evaluation.blind import blind_input
from interviews.models import Candidate, ErasureRecord, SelfIdentification
from interviews.services.erasure import candidate_erase
from interviews.services.lifecycle import interview_finish, interview_start
from interviews.services.self_identification import self_identification_record
from tests.review.conftest import completed_interview

pytestmark = pytest.mark.django_db

URL = "/interview/about-you"


@pytest.fixture
def finished(joined, invited):
    interview_start(interview=invited.interview, ai_mode="structured")
    interview_finish(interview=invited.interview)
    return joined


def identified(interview, sex="nonbinary", race="pacific_islander") -> SelfIdentification:
    return self_identification_record(interview=interview, sex=sex, race_ethnicity=race)


def test_the_ended_join_page_links_to_the_optional_form(joined):
    text = joined.get("/interview/").content.decode()

    assert f'href="{URL}"' in text
    assert "Optional: help us check our hiring is fair" in text


def test_the_form_is_clearly_optional_and_defaults_to_prefer_not_to_say(finished):
    response = finished.get(URL)

    text = response.content.decode()
    assert response.status_code == 200
    assert "This form is voluntary." in text
    assert response.context["form"]["sex"].value() == "prefer_not_to_say"
    assert response.context["form"]["race_ethnicity"].value() == "prefer_not_to_say"
    assert "never see them" in text


def test_a_candidate_saves_their_answers_apart_from_the_interview(finished, invited):
    response = finished.post(URL, {"sex": "female", "race_ethnicity": "asian"})

    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    record = SelfIdentification.objects.get()
    assert record.candidate_id == invited.interview.candidate_id
    assert (record.sex, record.race_ethnicity) == ("female", "asian")


def test_answering_again_replaces_the_earlier_answer(finished):
    finished.post(URL, {"sex": "female", "race_ethnicity": "asian"})
    finished.post(URL, {"sex": "prefer_not_to_say", "race_ethnicity": "white"})

    record = SelfIdentification.objects.get()
    assert (record.sex, record.race_ethnicity) == ("prefer_not_to_say", "white")


def test_an_option_outside_the_list_is_refused(finished):
    response = finished.post(URL, {"sex": "robot", "race_ethnicity": "asian"})

    assert response.status_code == 200
    assert not SelfIdentification.objects.exists()
    assert response.context["form"].errors["sex"]


def test_the_form_is_closed_before_the_interview_begins(joined):
    response = joined.post(URL, {"sex": "female", "race_ethnicity": "asian"})

    assert response.status_code == 409
    assert "opens once your interview has begun" in response.content.decode()
    assert not SelfIdentification.objects.exists()


def test_without_an_interview_in_the_browser_there_is_no_form(client):
    response = client.get(URL)

    assert response.status_code == 404
    assert not SelfIdentification.objects.exists()


def test_the_evaluator_never_sees_the_self_identification():
    interview = completed_interview()
    before = blind_input(interview=interview).as_prompt()
    identified(interview)

    prompt = blind_input(interview=interview).as_prompt()

    assert prompt == before
    for word in ("nonbinary", "non-binary", "pacific", "islander", "self_identification"):
        assert word not in prompt.lower()


def test_the_report_the_interview_record_and_the_live_dashboard_never_show_it(admin_client):
    interview = completed_interview()
    identified(interview)

    pages = [
        admin_client.get(reverse("admin:interviews_interview_report", args=[interview.pk])),
        admin_client.get(reverse("admin:interviews_interview_change", args=[interview.pk])),
        admin_client.get(
            reverse("admin:interviews_candidate_change", args=[interview.candidate_id])
        ),
        admin_client.get(reverse("admin:interviews_interview_changelist")),
        admin_client.get(reverse("admin:interviews_interview_dashboard")),
        admin_client.get(reverse("admin:interviews_interview_dashboard_snapshot")),
        admin_client.get(
            reverse("admin:interviews_interview_transcript_json", args=[interview.pk])
        ),
        admin_client.get(
            reverse("admin:interviews_interview_transcript_text", args=[interview.pk])
        ),
    ]

    for page in pages:
        assert page.status_code == 200
        text = page.content.decode().lower()
        assert "pacific islander" not in text and "non-binary" not in text
    # The dashboard's snapshot lists this interview: its absence would prove nothing.
    assert interview.candidate.name.lower() in pages[5].content.decode().lower()


def test_reading_it_in_the_admin_needs_its_own_permission(client, django_user_model):
    interview = completed_interview()
    identified(interview)
    reviewer = django_user_model.objects.create_user("rev", "r@example.com", "pw", is_staff=True)
    reviewer.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_interview", "view_candidate", "view_evaluation"]
        )
    )
    client.force_login(reviewer)
    url = reverse("admin:interviews_selfidentification_changelist")

    assert client.get(url).status_code == 403

    reviewer.user_permissions.add(Permission.objects.get(codename="view_selfidentification"))
    reviewer = django_user_model.objects.get(pk=reviewer.pk)
    client.force_login(reviewer)
    response = client.get(url)
    assert response.status_code == 200
    assert "Pacific Islander" in response.content.decode()


def rows_referring_to(candidate_id: int) -> list[str]:
    """Every row of every table with a field pointing at this candidate."""
    found = []
    for model in apps.get_models():
        names = [f.attname for f in model._meta.concrete_fields if f.attname == "candidate_id"]
        for row in model._default_manager.all().values():
            if any(row[name] == candidate_id for name in names):
                found.append(f"{model._meta.label}: {json.dumps(row, default=str)[:200]}")
    return found


def test_it_is_erased_with_the_candidate(admin_user):
    interview = completed_interview()
    identified(interview)
    candidate_id = interview.candidate_id
    assert rows_referring_to(candidate_id)  # the scan sees the data while it is there

    candidate_erase(candidate=interview.candidate, erased_by=admin_user)

    assert rows_referring_to(candidate_id) == []
    assert not SelfIdentification.objects.exists()
    assert not Candidate.objects.filter(pk=candidate_id).exists()
    assert ErasureRecord.objects.get().counts["self_identifications"] == 1
