"""A position's page shows its plan beside its bank: every question of every stage in
place, a link to add one of each stage, and a warning where the plan asks for more than
the bank can give."""

import pytest
from django.contrib import messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interviews.models import CodingExercise, NoticeVersion, Position, Stage
from interviews.services.notices import notice_publish
from tests.factories import PositionFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def change_url(position: Position) -> str:
    return reverse("admin:interviews_position_change", args=[position.pk])


def position_form(position: Position, **changes) -> dict:
    return {
        "title": position.title,
        "slug": position.slug,
        "description": position.description,
        "is_active": "on",
        "aliases": "",
        "technical_questions": position.technical_questions,
        "coding_questions": position.coding_questions,
        "behavioral_questions": position.behavioral_questions,
        "time_budget_minutes": position.time_budget_minutes,
        **changes,
    }


def with_exercise(question):
    CodingExercise.objects.create(
        question=question,
        visible_tests="def test_one():\n    assert solve() == 1\n",
        hint_1="One.",
        hint_2="Two.",
    )
    return question


def test_the_position_page_lists_its_questions_of_every_stage_with_links(recruiter_client):
    position = PositionFactory(technical_questions=1, behavioral_questions=1)
    technical = QuestionFactory(position=position, text="How do you test a web service?")
    retired = QuestionFactory(position=position, text="An old question?", is_active=False)
    behavioral = QuestionFactory(
        position=position, stage=Stage.BEHAVIORAL, text="Tell me about a conflict."
    )
    coding = with_exercise(
        QuestionFactory(position=position, stage=Stage.CODING, text="Write solve().")
    )

    page = recruiter_client.get(change_url(position)).content.decode()

    bank = page.split('id="position-bank-heading"')[1]
    for question in (technical, retired, behavioral, coding):
        link = reverse("admin:interviews_question_change", args=[question.pk])
        assert f'<a href="{link}">{question.text}</a>' in bank
    assert bank.index("Technical (2)") < bank.index("Coding (1)") < bank.index("Behavioral (1)")
    assert '<tr class="inactive">' in bank and "<td>No</td>" in bank
    assert "Yes, 20 min, 2 hints" in bank
    add = reverse("admin:interviews_question_add")
    for stage in ("technical", "coding", "behavioral"):
        assert f'href="{add}?position={position.pk}&amp;stage={stage}"' in bank
    assert "Add a coding question" in bank


def test_a_position_with_no_questions_is_warned_about(recruiter_client):
    position = PositionFactory(technical_questions=2, behavioral_questions=1)

    page = recruiter_client.get(change_url(position)).content.decode()

    assert "This position has no questions yet: its interviews ask nothing." in page
    assert "The plan asks for 2 technical questions, but the bank has none" in page
    assert "No technical questions." in page


def test_the_plan_asking_for_more_than_the_bank_has_is_warned_about(recruiter_client):
    position = PositionFactory(technical_questions=3, behavioral_questions=1)
    QuestionFactory(position=position)
    QuestionFactory(position=position, is_active=False)
    QuestionFactory(position=position, stage=Stage.BEHAVIORAL)
    Position.objects.filter(pk=position.pk).update(coding_questions=1)
    QuestionFactory(position=position, stage=Stage.CODING, text="No exercise yet.")

    page = recruiter_client.get(change_url(position)).content.decode()

    assert "The plan asks for 3 technical questions, but the bank has only 1" in page
    assert "The plan asks for 1 coding question, but the bank has none" in page
    assert "(active, with an exercise)" in page and "None: never asked" in page
    assert "behavioral question" not in page.split('class="messagelist')[1].split("</ul>")[0]
    assert "no questions yet" not in page


def test_a_plan_the_bank_covers_warns_of_nothing(recruiter_client):
    position = PositionFactory(technical_questions=1, behavioral_questions=1)
    QuestionFactory(position=position)
    QuestionFactory(position=position, stage=Stage.BEHAVIORAL)

    response = recruiter_client.get(change_url(position))

    assert response.context["plan_warnings"] == []
    assert '<ul class="messagelist position-bank-warnings"' not in response.content.decode()


def test_the_plan_holds_coding_exercises_and_saving_it_warns_what_is_missing(recruiter_client):
    position = PositionFactory(technical_questions=0, behavioral_questions=0)

    page = recruiter_client.get(change_url(position)).content.decode()
    response = recruiter_client.post(
        change_url(position), position_form(position, coding_questions=2), follow=True
    )

    fields = page.split('name="technical_questions"')[1]
    assert fields.index('name="coding_questions"') < fields.index('name="behavioral_questions"')
    assert response.status_code == 200
    assert Position.objects.get(pk=position.pk).coding_questions == 2
    warnings = [m.message for m in response.context["messages"] if m.level == messages.WARNING]
    assert "The plan asks for 2 coding questions, but the bank has none" in " ".join(warnings)


def test_a_coding_plan_under_a_notice_that_does_not_say_so_is_warned_about(recruiter_client):
    position = PositionFactory()
    QuestionFactory(position=position)
    QuestionFactory(position=position, stage=Stage.BEHAVIORAL)
    first = NoticeVersion.objects.get(version=1)
    notice_publish(
        heading=first.heading,
        points=first.points,
        consent_statement=first.consent_statement,
        modes=first.modes,
    )
    Position.objects.filter(pk=position.pk).update(coding_questions=1)
    with_exercise(QuestionFactory(position=position, stage=Stage.CODING))

    page = recruiter_client.get(change_url(position)).content.decode()

    assert "the current notice does not tell candidates about a coding round" in page


def test_the_position_page_reads_as_many_times_for_many_questions_as_for_few(
    recruiter_client,
):
    position = PositionFactory()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert recruiter_client.get(change_url(position)).status_code == 200
        return len(captured)

    QuestionFactory(position=position)
    with_exercise(QuestionFactory(position=position, stage=Stage.CODING))
    few = queries()
    for n in range(10):
        QuestionFactory(position=position, stage=[*Stage][n % 3])
        with_exercise(QuestionFactory(position=position, stage=Stage.CODING))
    many = queries()

    assert many == few
