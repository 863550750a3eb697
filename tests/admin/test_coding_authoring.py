"""Recruiters write coding questions in the back office: the statement and rubric on the
question, the exercise (starter code, tests, time limit, hint ladder) beside it, checked
to compile as Python and never run."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from interviews.models import CodingExercise, Question, Stage
from tests.factories import PositionFactory, QuestionFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:interviews_question_add")
VISIBLE = "def test_two_words():\n    assert reverse_words('a b') == 'b a'\n"
HIDDEN = "def test_no_words():\n    assert reverse_words('') == ''\n"
STARTER = "def reverse_words(text):\n    pass\n"


def question_form(position, *, stage=Stage.CODING, text="Write reverse_words(text).") -> dict:
    return {
        "position": position.pk,
        "stage": stage,
        "text": text,
        "rubric": "Splits, reverses, joins; explains the cost.",
        "min_experience": 0,
        "max_experience": 60,
        "order": 1,
        "is_active": "on",
    }


def exercise_form(*, existing: CodingExercise | None = None, **fields) -> dict:
    """The exercise inline's fields and management form, as the page posts them."""
    values = {
        "language": "python",
        "starter_code": STARTER,
        "visible_tests": VISIBLE,
        "hidden_tests": HIDDEN,
        "time_limit_minutes": 20,
        "hint_1": "Think about words, not letters.",
        "hint_2": "str.split gives you the words.",
        "hint_3": "",
        **fields,
    }
    form = {f"exercise-0-{name}": value for name, value in values.items()}
    form.update(
        {
            "exercise-TOTAL_FORMS": "1",
            "exercise-INITIAL_FORMS": "1" if existing else "0",
            "exercise-MIN_NUM_FORMS": "0",
            "exercise-MAX_NUM_FORMS": "1",
        }
    )
    if existing is not None:
        form["exercise-0-id"] = existing.pk
        form["exercise-0-question"] = existing.question_id
    return form


def empty_exercise_form() -> dict:
    """The exercise inline as the page posts it when left untouched."""
    return {
        "exercise-TOTAL_FORMS": "1",
        "exercise-INITIAL_FORMS": "0",
        "exercise-MIN_NUM_FORMS": "0",
        "exercise-MAX_NUM_FORMS": "1",
        "exercise-0-language": "python",
        "exercise-0-time_limit_minutes": "20",
    }


def errors_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def recruiter_in_group(client, django_user_model):
    """A recruiter with exactly the Recruiters group's permissions (no superuser)."""
    user = django_user_model.objects.create_user("rina", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Recruiters"))
    client.force_login(user)
    return client


def test_a_recruiter_writes_a_coding_question_with_its_exercise(recruiter_in_group):
    position = PositionFactory()

    response = recruiter_in_group.post(ADD, {**question_form(position), **exercise_form()})

    assert response.status_code == 302
    question = Question.objects.get(position=position)
    assert question.stage == Stage.CODING and question.text == "Write reverse_words(text)."
    exercise = question.exercise
    assert (exercise.starter_code, exercise.visible_tests, exercise.hidden_tests) == (
        STARTER,
        VISIBLE,
        HIDDEN,
    )
    assert exercise.time_limit_minutes == 20 and exercise.hints == [
        "Think about words, not letters.",
        "str.split gives you the words.",
    ]


def test_the_add_page_opens_the_exercise_for_a_coding_question_with_monospace_code(
    recruiter_client,
):
    position = PositionFactory()

    coding = recruiter_client.get(ADD, {"position": position.pk, "stage": "coding"})
    other = recruiter_client.get(ADD, {"position": position.pk, "stage": "technical"})

    page = coding.content.decode()
    assert coding.context["adminform"].form.initial == {
        "position": str(position.pk),
        "stage": "coding",
    }
    assert 'id="exercise-group"' in page and "<details>" not in page.split("exercise-group")[1]
    assert 'class="code-input"' in page and 'spellcheck="false"' in page
    assert "textarea.code-input { font-family: ui-monospace" in page
    assert "Hint ladder" in page
    # Another stage keeps the exercise folded away (a details element, no script needed).
    assert "<details><summary>" in other.content.decode().split('id="exercise-group"')[1]


def test_a_coding_question_saved_without_an_exercise_is_refused(recruiter_client):
    position = PositionFactory()

    response = recruiter_client.post(ADD, {**question_form(position), **empty_exercise_form()})

    assert response.status_code == 200
    assert "A coding question needs its exercise" in errors_of(response)
    assert not Question.objects.filter(position=position).exists()


def test_a_question_of_another_stage_with_an_exercise_is_refused(recruiter_client):
    position = PositionFactory()

    response = recruiter_client.post(
        ADD, {**question_form(position, stage=Stage.TECHNICAL), **exercise_form()}
    )

    assert response.status_code == 200
    assert "Only a coding question has a coding exercise" in errors_of(response)
    assert not Question.objects.filter(position=position).exists()
    assert not CodingExercise.objects.filter(question__position=position).exists()


def test_a_technical_question_saves_with_the_exercise_left_empty(recruiter_client):
    position = PositionFactory()

    response = recruiter_client.post(
        ADD, {**question_form(position, stage=Stage.TECHNICAL), **empty_exercise_form()}
    )

    assert response.status_code == 302
    assert Question.objects.get(position=position).stage == Stage.TECHNICAL
    assert not CodingExercise.objects.filter(question__position=position).exists()


@pytest.mark.parametrize(
    ("field", "code", "message"),
    [
        (
            "visible_tests",
            "assert reverse_words('a') == 'a'\n",
            "The visible tests define no test function",
        ),
        (
            "visible_tests",
            "def test_ok():\n    assert True\n\ndef test_broken(:\n    pass\n",
            "Line 4: invalid syntax. The visible tests must be valid Python.",
        ),
        (
            "hidden_tests",
            "def test_ok():\n  assert True\n    assert False\n",
            "Line 3: unexpected indent. The hidden tests must be valid Python.",
        ),
        (
            "starter_code",
            "def reverse_words(text)\n    pass\n",
            "Line 1: expected &#x27;:&#x27;. The starter code must be valid Python.",
        ),
        (
            "visible_tests",
            "def test_with_argument(words):\n    assert words\n",
            "Line 1: test_with_argument takes arguments; a test function takes none.",
        ),
        (
            "hidden_tests",
            HIDDEN + "\n\n" + HIDDEN,
            "The hidden tests define test_no_words more than once",
        ),
    ],
)
def test_code_that_does_not_compile_or_has_no_test_is_refused_naming_the_line(
    recruiter_client, field, code, message
):
    position = PositionFactory()

    response = recruiter_client.post(
        ADD, {**question_form(position), **exercise_form(**{field: code})}
    )

    assert response.status_code == 200
    assert message in errors_of(response)
    assert not Question.objects.filter(position=position).exists()


def test_recruiters_code_is_compiled_never_run(recruiter_client, tmp_path):
    position = PositionFactory()
    marker = tmp_path / "ran"
    # Each piece would leave the marker behind if the web process ran it.
    touch = f"open({str(marker)!r}, 'w').close()\n"

    response = recruiter_client.post(
        ADD,
        {
            **question_form(position),
            **exercise_form(
                starter_code=touch + STARTER,
                visible_tests=touch + VISIBLE,
                hidden_tests=touch + HIDDEN,
            ),
        },
    )

    assert response.status_code == 302
    assert Question.objects.get(position=position).exercise.starter_code.startswith("open(")
    assert not marker.exists()


def test_an_exercise_is_changed_with_its_question(recruiter_client):
    question = QuestionFactory(stage=Stage.CODING)
    exercise = CodingExercise.objects.create(
        question=question, visible_tests=VISIBLE, hint_1="One.", hint_2="Two."
    )
    url = reverse("admin:interviews_question_change", args=[question.pk])

    page = recruiter_client.get(url).content.decode()
    response = recruiter_client.post(
        url,
        {
            **question_form(question.position, text=question.text),
            **exercise_form(
                existing=exercise,
                hint_1="One.",
                hint_2="Two.",
                hint_3="Three.",
                time_limit_minutes=30,
            ),
        },
    )

    assert "<details><summary>" not in page.split('id="exercise-group"')[1]
    assert response.status_code == 302
    exercise.refresh_from_db()
    assert (exercise.time_limit_minutes, exercise.hints) == (30, ["One.", "Two.", "Three."])


def test_deleting_the_exercise_of_a_coding_question_is_refused(recruiter_client):
    question = QuestionFactory(stage=Stage.CODING)
    exercise = CodingExercise.objects.create(
        question=question, visible_tests=VISIBLE, hint_1="One.", hint_2="Two."
    )
    url = reverse("admin:interviews_question_change", args=[question.pk])
    form = {
        **question_form(question.position, text=question.text),
        **exercise_form(existing=exercise),
        "exercise-0-DELETE": "on",
    }

    refused = recruiter_client.post(url, form)
    moved = recruiter_client.post(url, {**form, "stage": Stage.TECHNICAL})

    assert refused.status_code == 200
    assert "A coding question needs its exercise" in errors_of(refused)
    assert moved.status_code == 302
    assert Question.objects.get(pk=question.pk).stage == Stage.TECHNICAL
    assert not CodingExercise.objects.filter(question=question).exists()


def test_a_question_with_an_exercise_cannot_leave_the_coding_stage_keeping_it(
    recruiter_client,
):
    question = QuestionFactory(stage=Stage.CODING)
    exercise = CodingExercise.objects.create(
        question=question, visible_tests=VISIBLE, hint_1="One.", hint_2="Two."
    )
    url = reverse("admin:interviews_question_change", args=[question.pk])

    response = recruiter_client.post(
        url,
        {
            **question_form(question.position, stage=Stage.TECHNICAL, text=question.text),
            **exercise_form(existing=exercise),
        },
    )

    assert response.status_code == 200
    assert "Only a coding question has a coding exercise" in errors_of(response)
    assert Question.objects.get(pk=question.pk).stage == Stage.CODING


def test_a_viewer_of_questions_sees_the_exercise_but_cannot_change_it(client, django_user_model):
    viewer = django_user_model.objects.create_user("vera", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_question"))
    client.force_login(viewer)
    question = QuestionFactory(stage=Stage.CODING)
    CodingExercise.objects.create(
        question=question, visible_tests=VISIBLE, hint_1="One.", hint_2="Two."
    )
    url = reverse("admin:interviews_question_change", args=[question.pk])

    page = client.get(url).content.decode()
    response = client.post(url, {**question_form(question.position, text="Changed.")})

    assert "def test_two_words():" in page and "<textarea" not in page
    assert response.status_code == 403
    assert Question.objects.get(pk=question.pk).text == question.text
