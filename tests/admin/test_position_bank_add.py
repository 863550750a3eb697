"""A position's page adds a question of each stage in place: a small form per stage,
outside the page's own form, that puts the question last in its stage."""

from html.parser import HTMLParser

import pytest
from django.contrib import messages
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from interviews.models import Position, Question, Stage
from tests.factories import PositionFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def change_url(position: Position) -> str:
    return reverse("admin:interviews_position_change", args=[position.pk])


def add_url(position: Position, stage: str) -> str:
    return reverse("admin:interviews_position_add_question", args=[position.pk, stage])


def said(response) -> list[tuple[int, str]]:
    return [(m.level, str(m.message)) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("stage", [Stage.TECHNICAL, Stage.CODING, Stage.BEHAVIORAL])
def test_a_question_added_in_place_goes_last_in_its_stage_active_and_the_recruiters_own(
    recruiter_client, stage
):
    position = PositionFactory()
    QuestionFactory(position=position, stage=stage, order=0)
    QuestionFactory(position=position, stage=stage, order=3)
    QuestionFactory(position=position, stage=Stage(stage), order=9, is_active=False)
    other_stage = next(s for s in Stage if s != stage)
    QuestionFactory(position=position, stage=other_stage, order=50)

    response = recruiter_client.post(
        add_url(position, stage),
        {"text": "  How do you know it works?  ", "min_experience": "2", "max_experience": "5"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{change_url(position)}#bank-{stage}"
    added = Question.objects.get(position=position, text="How do you know it works?")
    assert added.stage == stage
    assert added.order == 10
    assert added.is_active is True
    assert added.origin == Question.Origin.RECRUITER
    assert (added.min_experience, added.max_experience) == (2, 5)
    label = stage.label.lower()
    [(level, message)] = said(response)
    assert level == messages.SUCCESS
    assert f"A {label} question is added, last of the {label} questions." in message


def test_the_first_question_of_a_stage_fits_every_candidate_without_a_band(recruiter_client):
    position = PositionFactory()

    recruiter_client.post(add_url(position, "behavioral"), {"text": "Tell me about a conflict."})

    added = Question.objects.get(position=position)
    assert (added.stage, added.order) == (Stage.BEHAVIORAL, 0)
    assert (added.min_experience, added.max_experience) == (0, 60)


def test_a_coding_question_added_in_place_says_it_needs_its_exercise_and_links_to_it(
    recruiter_client,
):
    position = PositionFactory()

    response = recruiter_client.post(
        add_url(position, "coding"), {"text": "Write solve()."}, follow=True
    )

    added = Question.objects.get(position=position)
    page = response.content.decode()
    question_page = reverse("admin:interviews_question_change", args=[added.pk])
    assert "It has no exercise yet, so interviews do not ask it:" in page
    assert f'<a href="{question_page}#exercise-group">write its exercise</a>' in page
    assert "None: never asked" in page.split('id="position-bank-heading"')[1]
    exercise_form = recruiter_client.get(question_page).content.decode()
    assert 'id="exercise-group"' in exercise_form


@pytest.mark.parametrize(
    ("form", "reason"),
    [
        ({"text": "   "}, "The question is empty: write it first."),
        ({}, "The question is empty: write it first."),
        ({"text": "x" * 1001}, "Keep a question to 1000 characters at most."),
        (
            {"text": "Why?", "min_experience": "8", "max_experience": "3"},
            "The minimum experience (8 years) is above the maximum (3 years).",
        ),
        (
            {"text": "Why?", "min_experience": "five"},
            "Write the minimum experience in whole years, e.g. 3.",
        ),
        (
            {"text": "Why?", "max_experience": "-1"},
            "Write the maximum experience in whole years, e.g. 3.",
        ),
        (
            {"text": "Why?", "max_experience": "2.5"},
            "Write the maximum experience in whole years, e.g. 3.",
        ),
        ({"text": "Why?", "max_experience": "61"}, "Experience goes from 0 to 60 years."),
        ({"text": "Why?", "min_experience": "99999"}, "Write the minimum experience"),
    ],
)
def test_a_question_that_cannot_be_added_is_refused_with_what_to_fix(
    recruiter_client, form, reason
):
    position = PositionFactory()

    response = recruiter_client.post(add_url(position, "technical"), form)

    assert response.status_code == 302
    assert response["Location"] == f"{change_url(position)}#bank-technical"
    assert not Question.objects.filter(position=position).exists()
    [(level, message)] = said(response)
    assert level == messages.ERROR
    assert message.startswith("No technical question added. ")
    assert reason in message


def test_the_refusal_shows_on_the_position_page(recruiter_client):
    position = PositionFactory()

    response = recruiter_client.post(add_url(position, "coding"), {"text": ""}, follow=True)

    assert response.redirect_chain == [(f"{change_url(position)}#bank-coding", 302)]
    assert "No coding question added. The question is empty: write it first." in (
        response.content.decode()
    )


@pytest.fixture
def reader_client(client, django_user_model):
    """Someone who may see and edit positions and see questions, not add them."""
    user = django_user_model.objects.create_user("reader", password="pw", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_position", "change_position", "view_question"]
        )
    )
    client.force_login(user)
    return client


def test_adding_a_question_needs_the_right_to_add_questions(reader_client):
    position = PositionFactory()

    response = reader_client.post(add_url(position, "technical"), {"text": "Why?"})
    page = reader_client.get(change_url(position)).content.decode()

    assert response.status_code == 403
    assert not Question.objects.filter(position=position).exists()
    assert 'id="add-question-technical"' not in page
    assert 'form="add-question-' not in page
    assert "Questions in the bank" in page


def test_adding_a_question_is_a_post_only(recruiter_client):
    position = PositionFactory()

    response = recruiter_client.get(add_url(position, "technical"), {"text": "Why?"})

    assert response.status_code == 405
    assert not Question.objects.filter(position=position).exists()


def test_no_question_is_added_to_a_stage_that_does_not_exist(recruiter_client):
    position = PositionFactory()

    response = recruiter_client.post(add_url(position, "trivia"), {"text": "Why?"})

    assert response.status_code == 404
    assert not Question.objects.filter(position=position).exists()


class FormsOfThePage(HTMLParser):
    """The page's forms (and whether one opens inside another), and every control with
    the label that names it."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, dict[str, str | None]] = {}
        self.nested: list[str | None] = []
        self.open_forms = 0
        self.form_with_csrf: set[str] = set()
        self.controls: list[dict[str, str | None]] = []
        self.labels: dict[str, str] = {}
        self.buttons: dict[str, str] = {}
        self._label_for: str | None = None
        self._button_form: str | None = None
        self._form_id: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            if self.open_forms:
                self.nested.append(attributes.get("id"))
            self.open_forms += 1
            self._form_id = attributes.get("id")
            self.forms[self._form_id or ""] = attributes
        elif tag == "input" and attributes.get("name") == "csrfmiddlewaretoken":
            self.form_with_csrf.add(self._form_id or "")
        elif tag in ("input", "textarea", "select") and attributes.get("form"):
            self.controls.append(attributes)
        elif tag == "label":
            self._label_for = attributes.get("for")
            self.labels[self._label_for or ""] = ""
        elif tag == "button" and attributes.get("form"):
            self._button_form = attributes["form"]
            self.buttons[self._button_form] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.open_forms -= 1
        elif tag == "label":
            self._label_for = None
        elif tag == "button":
            self._button_form = None

    def handle_data(self, data):
        if self._label_for is not None:
            self.labels[self._label_for] += data
        if self._button_form is not None:
            self.buttons[self._button_form] += data


def test_the_position_page_holds_one_standalone_add_form_per_stage_with_labelled_inputs(
    recruiter_client,
):
    position = PositionFactory()
    QuestionFactory(position=position)

    page = recruiter_client.get(change_url(position)).content.decode()
    parsed = FormsOfThePage()
    parsed.feed(page)

    assert parsed.nested == []
    assert "position_form" in parsed.forms
    stages = ("technical", "coding", "behavioral")
    for stage in stages:
        form = parsed.forms[f"add-question-{stage}"]
        assert form["method"] == "post"
        assert form["action"] == add_url(position, stage)
        assert f"add-question-{stage}" in parsed.form_with_csrf
        assert parsed.buttons[f"add-question-{stage}"] == f"Add a {stage} question"
        names = {c["name"] for c in parsed.controls if c["form"] == f"add-question-{stage}"}
        assert names == {"text", "min_experience", "max_experience"}
    for control in parsed.controls:
        assert control["form"] in {f"add-question-{stage}" for stage in stages}
        assert parsed.labels[control["id"]].strip()
    text = next(c for c in parsed.controls if c["id"] == "add-question-coding-text")
    assert "required" in text
    assert text["maxlength"] == "1000"
    # The inputs sit in the bank's section of the page's own form, before its buttons.
    bank = page.split('id="position-bank-heading"')[1].split('name="_save"')[0]
    assert 'form="add-question-behavioral"' in bank
    assert page.index('id="add-question-technical"') > page.index("</form>")
    full_form = reverse("admin:interviews_question_add")
    assert (
        f'href="{full_form}?position={position.pk}&amp;stage=coding">Open the full form'
        '<span class="visually-hidden"> to add a coding question</span></a>'
    ) in bank
