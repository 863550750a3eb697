import csv
import io
import json

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from interviews.evaluation.run import evaluation_run
from interviews.models import Interview, NoticeConsent, NoticeVersion, SelfIdentification
from interviews.selectors.bias_audit import AnswerGroup
from interviews.selectors.bias_audit_counts import audit_counts
from interviews.services.decisions import decision_record
from interviews.services.self_identification import self_identification_record
from tests.review.conftest import (
    EMAIL,
    TECHNICAL_ANSWER,
    ScriptedModel,
    completed_interview,
    model_reply,
)

pytestmark = pytest.mark.django_db

AUDIT_URL = "/admin/interviews/biasaudit/"


def assessed(admin_user, *, email, sex, race, decision=None, evaluate=False, position=None):
    interview = completed_interview(email=email, name=email.split("@")[0].title() + " Test")
    if position is not None:
        Interview.objects.filter(pk=interview.pk).update(position=position)
        interview.refresh_from_db()
    if evaluate:
        evaluation_run(interview=interview, model=ScriptedModel(model_reply()))
    if decision:
        decision_record(interview=interview, decision=decision, note="Note.", decided_by=admin_user)
    if sex:
        self_identification_record(interview=interview, sex=sex, race_ethnicity=race)
    return interview


@pytest.fixture
def every_cell_shown(monkeypatch):
    """These tests read the figures of one or two people: no category is left out."""
    monkeypatch.setattr("interviews.selectors.bias_audit.MIN_CELL", 1)


@pytest.fixture
def staff(django_user_model):
    def make(*codenames):
        user = django_user_model.objects.create_user(
            f"user{len(codenames)}", "u@example.com", "pw", is_staff=True
        )
        user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
        return user

    return make


def test_audit_counts_read_self_identification_decisions_and_mean_scores(admin_user):
    assessed(admin_user, email="a@example.com", sex="female", race="asian", decision="advance")
    assessed(
        admin_user,
        email="b@example.com",
        sex="male",
        race="white",
        decision="reject",
        evaluate=True,
    )
    assessed(admin_user, email="c@example.com", sex=None, race=None)

    counts = audit_counts()

    assert counts.groups == [
        AnswerGroup("female", "asian", count=1, decided=1, selected=1),
        AnswerGroup("male", "white", count=1, decided=1, scored=1),
        AnswerGroup("unknown", "unknown", count=1),
    ]
    assert counts.median_score == pytest.approx(11 / 3)


def test_audit_counts_keep_to_the_position_and_the_period(admin_user):
    first = assessed(admin_user, email="a@example.com", sex="female", race="asian")
    second = assessed(admin_user, email="b@example.com", sex="male", race="white")
    today = timezone.localdate()

    def counted(**scope):
        return sum(group.count for group in audit_counts(**scope).groups)

    assert counted(position=first.position) == 1
    assert counted(since=today, until=today) == 2
    assert counted(until=today.replace(year=today.year - 1)) == 0
    assert counted(position=second.position, since=today) == 1


def test_the_audit_page_needs_its_own_permission(every_cell_shown, client, staff, admin_user):
    assessed(admin_user, email="a@example.com", sex="female", race="asian", decision="advance")
    client.force_login(staff("view_interview", "view_candidate", "view_selfidentification"))

    assert client.get(AUDIT_URL).status_code == 403

    client.force_login(staff("view_biasaudit"))
    response = client.get(AUDIT_URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Bias audit" in text and "Female" in text
    assert EMAIL not in text and "a@example.com" not in text


def test_the_audit_permission_opens_no_one_s_self_identification(client, staff, admin_user):
    interview = assessed(admin_user, email="a@example.com", sex="female", race="asian")
    identity = SelfIdentification.objects.get(candidate=interview.candidate)
    client.force_login(staff("view_biasaudit"))

    for page in ("change", "history", "delete"):
        url = f"{AUDIT_URL}{identity.pk}/{page}/"
        assert client.get(url).status_code == 404, url
    assert client.get(AUDIT_URL).status_code == 200
    assert SelfIdentification.objects.filter(pk=identity.pk).exists()


def test_the_audit_downloads_as_csv_for_a_position_and_period(
    every_cell_shown, admin_client, admin_user
):
    one = assessed(
        admin_user, email="a@example.com", sex="female", race="asian", decision="advance"
    )
    assessed(admin_user, email="b@example.com", sex="male", race="white", decision="reject")
    today = timezone.localdate().isoformat()

    response = admin_client.get(
        AUDIT_URL, {"position": one.position.pk, "since": today, "until": today, "format": "csv"}
    )

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["dimension"] == "all" and rows[0]["count"] == "1"
    female = next(r for r in rows if r["dimension"] == "sex")
    assert (female["category"], female["selection_rate"]) == ("Female", "1.0000")


def test_the_command_writes_the_same_csv(every_cell_shown, admin_user, tmp_path):
    assessed(admin_user, email="a@example.com", sex="female", race="asian", decision="advance")
    assessed(admin_user, email="b@example.com", sex="male", race="asian", decision="reject")
    out = io.StringIO()

    call_command("bias_audit", stdout=out)
    call_command("bias_audit", "--output", str(tmp_path / "audit.csv"), stdout=io.StringIO())

    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    male = next(r for r in rows if r["dimension"] == "sex" and r["category"] == "Male")
    assert male["selection_impact_ratio"] == "0.0000" and male["flagged"] == "yes"
    assert (tmp_path / "audit.csv").read_bytes().decode() == out.getvalue()


def test_the_command_refuses_an_unknown_position_and_a_reversed_period():
    with pytest.raises(CommandError, match="No position"):
        call_command("bias_audit", "--position", "nope")
    with pytest.raises(CommandError, match="end after it starts"):
        call_command("bias_audit", "--since", "2025-02-01", "--until", "2025-01-01")


def test_the_explanation_tells_the_candidate_what_happened_in_plain_language(admin_user):
    interview = assessed(
        admin_user, email=EMAIL, sex="female", race="asian", decision="advance", evaluate=True
    )
    NoticeConsent.objects.create(interview=interview, notice=NoticeVersion.objects.get(version=1))
    out = io.StringIO()

    call_command("export_candidate", "--email", EMAIL, "--explanation", stdout=out)

    text = out.getvalue()
    assert "You were interviewed by an AI interviewer: a speech-to-speech AI model" in text
    assert "You agreed to notice version 1" in text
    assert "How do you test a web service?" in text and TECHNICAL_ANSWER in text
    assert "Score suggested by the AI: 4 out of 5." in text
    assert 'Based on your words: "integration tests against a real database"' in text
    assert "It decided nothing" in text
    assert "A person on the hiring team decided: Advance" in text
    assert "Their reason: Note." in text
    assert "contest it" in text
    assert "asian" not in text.lower() and "female" not in text.lower()


def test_without_an_evaluation_the_explanation_says_a_person_read_the_answers(admin_user):
    assessed(admin_user, email=EMAIL, sex=None, race=None)
    out = io.StringIO()

    call_command("export_candidate", "--email", EMAIL, "--explanation", stdout=out)

    assert "No automated evaluation was made" in out.getvalue()
    assert "No decision has been made yet" in out.getvalue()


def test_the_candidates_own_export_includes_their_self_identification(admin_user):
    assessed(admin_user, email=EMAIL, sex="female", race="asian")
    out = io.StringIO()

    call_command("export_candidate", "--email", EMAIL, stdout=out)

    assert '"race_ethnicity": "asian"' in out.getvalue()


def test_the_report_shows_the_notice_version_and_links_the_explanation(admin_client, admin_user):
    interview = assessed(admin_user, email=EMAIL, sex=None, race=None, decision="hold")
    NoticeConsent.objects.create(interview=interview, notice=NoticeVersion.objects.get(version=1))

    report = admin_client.get(reverse("admin:interviews_interview_report", args=[interview.pk]))
    url = reverse("admin:interviews_operationrecord_explanation", args=[interview.pk])
    explanation = admin_client.get(url)

    assert "Version 1, on" in report.content.decode()
    assert url in report.content.decode()
    assert explanation.status_code == 200
    assert "attachment" in explanation["Content-Disposition"]
    assert "A person on the hiring team decided: Hold" in explanation.content.decode()


def test_the_explanation_page_needs_the_permission_to_view_interviews(client, staff, admin_user):
    interview = assessed(admin_user, email=EMAIL, sex=None, race=None)
    client.force_login(staff("view_selfidentification"))

    url = reverse("admin:interviews_operationrecord_explanation", args=[interview.pk])

    assert client.get(url).status_code == 403


def test_a_new_notice_is_published_from_the_admin(admin_client):
    first = NoticeVersion.objects.get(version=1)
    add = reverse("admin:interviews_noticeversion_add")
    initial = admin_client.get(add)
    assert initial.context["adminform"].form.initial["heading"] == "What will happen"

    response = admin_client.post(
        add,
        {
            "heading": "Before you start",
            "points": json.dumps([{"text": "We keep transcripts for a year.", "only_if": ""}]),
            "consent_statement": "I agree.",
            "modes": json.dumps(first.modes),
        },
    )

    assert response.status_code == 302
    latest = NoticeVersion.objects.order_by("-version").first()
    assert (latest.version, latest.heading, latest.published_by_username) == (
        4,  # after version 3 (migration 0022: the recording)
        "Before you start",
        "admin",
    )
    admin_client.post(
        reverse("admin:interviews_noticeversion_change", args=[first.pk]), {"heading": "X"}
    )
    assert NoticeVersion.objects.get(pk=first.pk).heading == "What will happen"


def test_a_notice_without_every_mode_is_refused_in_the_admin(admin_client):
    modes = {"realtime": NoticeVersion.objects.get(version=1).modes["realtime"]}

    response = admin_client.post(
        reverse("admin:interviews_noticeversion_add"),
        {
            "heading": "Before you start",
            "points": '[{"text": "A point.", "only_if": ""}]',
            "consent_statement": "I agree.",
            "modes": json.dumps(modes),
        },
    )

    assert response.status_code == 200
    assert "missing: pipeline, structured" in response.content.decode()
    assert NoticeVersion.objects.count() == 3  # those the migrations published
    assert not SelfIdentification.objects.exists()
