import json

import pytest
from django.core.exceptions import ValidationError

from interviews.models import Interview, NoticeConsent, NoticeVersion
from interviews.selectors.notices import current_notice, notice_render
from interviews.services.consent import interview_record_consent
from interviews.services.notices import notice_publish
from tests.factories import PositionFactory

pytestmark = pytest.mark.django_db

URL = "/interview/consent"


def new_text(**changes) -> dict:
    first = NoticeVersion.objects.get(version=1)
    fields = {
        "heading": "Before you start",
        "points": [
            {"text": "You will talk with **{interviewer}**", "only_if": ""},
            {"text": "We keep the transcript for a year.", "only_if": ""},
        ],
        "consent_statement": "I agree to be interviewed by {interviewer_short}.",
        "modes": first.modes,
    }
    return {**fields, **changes}


def consent(client, **body):
    data = {"choice": "consent", "consent": True, **body}
    return client.post(URL, data=json.dumps(data), content_type="application/json")


def test_the_first_notice_version_is_the_join_pages_text_as_data():
    notice = NoticeVersion.objects.get(version=1)
    position = PositionFactory(technical_questions=2, behavioral_questions=1)

    rendered = notice_render(
        notice=notice, mode="structured", position=position, candidate_known=False
    )

    assert rendered.heading == "What will happen"
    assert rendered.points[0].startswith("You will talk with **an automated, scripted")
    assert "It will first ask for your email address" in rendered.points[1]
    assert "2 technical and 1 behavioral topic." in rendered.points[2]
    assert rendered.consent_statement == (
        "I understand the above and agree to be interviewed by an automated, scripted "
        "interviewer, with the session transcribed and reviewed by the hiring team."
    )
    assert "<strong>The session is transcribed:</strong>" in rendered.points_html[3]


def test_a_known_candidate_is_not_told_they_will_be_asked_who_they_are():
    position = PositionFactory()

    rendered = notice_render(
        notice=current_notice(), mode="realtime", position=position, candidate_known=True
    )

    assert not any("email address" in point for point in rendered.points)
    assert "The AI may suggest an assessment" in rendered.points[-2]


def test_the_notice_as_plain_text_names_its_version_and_drops_the_markup():
    notice = current_notice()
    rendered = notice_render(
        notice=notice, mode="pipeline", position=PositionFactory(), candidate_known=True
    )

    text = rendered.as_text()

    assert "**" not in text and "<" not in text
    assert "- The session is transcribed: what you say" in text
    assert text.endswith(f"(Notice version {notice.version})") and notice.version > 1


def test_a_new_text_is_a_new_version_and_the_old_one_stays_as_it_was():
    before = NoticeVersion.objects.get(version=1).points
    latest = current_notice().version

    published = notice_publish(**new_text())

    assert published.version == latest + 1
    assert current_notice() == published
    assert NoticeVersion.objects.get(version=1).points == before


def test_a_published_notice_cannot_be_edited():
    notice = current_notice()
    notice.heading = "Changed"

    with pytest.raises(ValidationError, match="publish a new version"):
        notice.save()


def test_a_notice_must_describe_every_interviewer_mode():
    versions = NoticeVersion.objects.count()
    with pytest.raises(ValidationError, match="missing: structured"):
        notice_publish(**new_text(modes={"realtime": {}, "pipeline": {}}))
    assert NoticeVersion.objects.count() == versions


def test_placeholders_are_plain_names_never_code():
    published = notice_publish(
        **new_text(points=[{"text": "{interviewer.__class__} {unknown}", "only_if": ""}])
    )

    rendered = notice_render(
        notice=published, mode="structured", position=PositionFactory(), candidate_known=True
    )

    assert rendered.points == ["{interviewer.__class__} {unknown}"]


def test_the_join_page_shows_the_current_version_and_its_consent_statement(joined):
    published = notice_publish(**new_text())

    response = joined.get("/interview/")

    text = response.content.decode()
    assert response.context["config"]["noticeVersion"] == published.version
    assert "Before you start" in text and "We keep the transcript for a year." in text
    assert "I agree to be interviewed by an automated, scripted interviewer." in text


def test_consent_records_the_notice_version_agreed_to(joined, invited):
    shown = current_notice().version

    response = consent(joined, notice_version=shown)

    assert response.status_code == 200
    record = NoticeConsent.objects.get(interview=invited.interview)
    assert record.notice.version == shown
    assert record.agreed_at == Interview.objects.get(pk=invited.interview.pk).consent_at


def test_consent_to_a_notice_replaced_since_the_page_opened_is_refused(joined, invited):
    notice_publish(**new_text())

    response = consent(joined, notice_version=1)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "notice_changed"
    assert Interview.objects.get(pk=invited.interview.pk).consent_at is None
    assert not NoticeConsent.objects.exists()


def test_consent_without_a_version_records_the_current_one(invited):
    published = notice_publish(**new_text())

    interview_record_consent(interview=invited.interview)
    interview_record_consent(interview=invited.interview)

    assert NoticeConsent.objects.get(interview=invited.interview).notice == published


def test_reading_the_current_notice_never_writes_one():
    NoticeVersion.objects.all().delete()

    with pytest.raises(NoticeVersion.DoesNotExist, match="migration 0007"):
        current_notice()
    assert not NoticeVersion.objects.exists()
