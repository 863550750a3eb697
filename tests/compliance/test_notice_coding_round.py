"""The notice tells candidates of a position with coding exercises that their code, its
results and the hints are stored and reviewed by a person; they agree to a version that
says so, and no version that leaves it out can be published while a plan holds coding."""

import json

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from interviews.models import NoticeConsent, NoticeVersion, Position
from interviews.selectors.notices import current_notice, notice_mentions_coding, notice_render
from interviews.services import emails
from interviews.services.invites import interview_create
from interviews.services.notices import notice_publish
from tests.factories import CandidateFactory, PositionFactory

pytestmark = pytest.mark.django_db

CODING_POINT = "There may be a coding exercise"
STORED = (
    "Your code, the result of every run and any hints you are given are stored with the "
    "interview, and a person on the hiring team reviews them."
)


def rendered(position: Position, notice: NoticeVersion | None = None):
    return notice_render(
        notice=notice or current_notice(),
        mode="structured",
        position=position,
        candidate_known=True,
    )


def with_coding_plan(position: Position, exercises: int = 1) -> Position:
    Position.objects.filter(pk=position.pk).update(coding_questions=exercises)
    position.refresh_from_db()
    return position


def test_version_2_is_a_new_version_that_mentions_the_coding_round():
    first, current = NoticeVersion.objects.get(version=1), NoticeVersion.objects.get(version=2)

    assert current.version == first.version + 1
    assert notice_mentions_coding(current) and not notice_mentions_coding(first)
    added = [p for p in current.points if p not in first.points]
    assert added == [
        {
            "text": f"**{CODING_POINT}:** you write and run Python code in an editor on this "
            f"page, then explain your approach. {STORED}",
            "only_if": "coding_round",
        }
    ]
    # Everything else the candidates read is as it was.
    assert [p for p in current.points if p in first.points] == first.points
    assert (current.heading, current.consent_statement, current.modes) == (
        first.heading,
        first.consent_statement,
        first.modes,
    )


def test_a_position_whose_plan_holds_coding_reads_about_it_right_after_the_questions():
    position = with_coding_plan(PositionFactory(technical_questions=2, behavioral_questions=1))

    points = rendered(position).points

    asks = next(i for i, p in enumerate(points) if p.startswith("It asks about 2 technical"))
    assert points[asks + 1].startswith(f"**{CODING_POINT}:**") and STORED in points[asks + 1]
    assert "Plan for about 21 minutes." in points[asks]  # 3 questions of 2 min, 15 to code


def test_a_position_without_coding_reads_the_notice_as_before():
    position = PositionFactory()

    now = rendered(position, NoticeVersion.objects.get(version=2))
    before = rendered(position, NoticeVersion.objects.get(version=1))

    assert not any(CODING_POINT in point for point in now.points)
    assert now.points == before.points
    assert now.consent_statement == before.consent_statement


def test_a_candidate_of_a_coding_position_agrees_to_a_version_that_says_so(client):
    position = with_coding_plan(PositionFactory(title="Backend engineer", slug="backend"))
    new = interview_create(position=position, candidate=CandidateFactory(position=position))
    assert client.get(f"/interview/{new.invite_secret}/").status_code == 302

    page = client.get("/interview/")
    shown = page.context["config"]["noticeVersion"]
    agreed = client.post(
        "/interview/consent",
        data=json.dumps({"choice": "consent", "consent": True, "notice_version": shown}),
        content_type="application/json",
    )

    assert CODING_POINT in page.content.decode() and STORED in page.content.decode()
    assert agreed.status_code == 200
    notice = NoticeConsent.objects.get(interview=new.interview).notice
    assert notice.version == shown == current_notice().version
    assert notice_mentions_coding(notice)
    assert any(CODING_POINT in point for point in rendered(position, notice).points)


def test_the_invitation_of_a_coding_position_carries_the_coding_point():
    position = with_coding_plan(PositionFactory())
    candidate = CandidateFactory(position=position, email="cody@example.com")
    new = interview_create(position=position, candidate=candidate)

    emails.interview_send_invitation(interview=new.interview, secret=new.invite_secret)

    body = " ".join(mail.outbox[0].body.split())
    assert f"{CODING_POINT}: you write and run Python code" in body
    assert STORED in body


def test_no_notice_without_the_coding_round_is_published_while_a_plan_holds_coding():
    with_coding_plan(PositionFactory(title="Backend engineer"))
    current = current_notice()
    without = [p for p in current.points if p.get("only_if") != "coding_round"]

    with pytest.raises(ValidationError, match=r"Positions plan coding exercises \(Backend"):
        notice_publish(
            heading=current.heading,
            points=without,
            consent_statement=current.consent_statement,
            modes=current.modes,
        )
    published = notice_publish(
        heading="Before you start",
        points=current.points,
        consent_statement=current.consent_statement,
        modes=current.modes,
    )

    assert current_notice() == published and notice_mentions_coding(published)


def test_the_notice_admin_names_the_coding_condition_and_refuses_a_text_without_it(
    admin_client,
):
    with_coding_plan(PositionFactory(title="Backend engineer"))
    current = current_notice()
    add = reverse("admin:interviews_noticeversion_add")

    form = admin_client.get(add)
    refused = admin_client.post(
        add,
        {
            "heading": current.heading,
            "points": json.dumps([p for p in current.points if p["only_if"] != "coding_round"]),
            "consent_statement": current.consent_statement,
            "modes": json.dumps(current.modes),
        },
    )

    assert '"coding_round" for one shown only when' in form.content.decode()
    assert form.context["adminform"].form.initial["points"] == current.points
    assert refused.status_code == 200
    assert "the notice needs a point with" in refused.content.decode()
    assert current_notice() == current


def test_an_unknown_condition_is_refused():
    current = current_notice()

    with pytest.raises(ValidationError, match="candidate_unknown, coding_round"):
        notice_publish(
            heading=current.heading,
            points=[{"text": "Shown sometimes.", "only_if": "weekends"}],
            consent_statement=current.consent_statement,
            modes=current.modes,
        )
