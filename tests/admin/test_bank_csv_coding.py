"""The bank's CSV carries a coding question's exercise in extra columns: exported, read
back as it was, checked like the form checks it; files without those columns still
import."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interviews.models import CodingExercise, Question, Stage
from tests.admin.test_bank_csv import confirm, upload
from tests.factories import PositionFactory, QuestionFactory

pytestmark = pytest.mark.django_db

EXPORT = reverse("admin:interviews_question_export")
COLUMNS = [
    "position",
    "stage",
    "text",
    "rubric",
    "band",
    "order",
    "language",
    "starter_code",
    "visible_tests",
    "hidden_tests",
    "time_limit_minutes",
    "hint_1",
    "hint_2",
    "hint_3",
]
STARTER = "def reverse_words(text):\n    # Your code here.\n    raise NotImplementedError\n"
VISIBLE = 'def test_two_words():\n    assert reverse_words("a, b") == "b a,"\n'
HIDDEN = "def test_no_words():\n    assert reverse_words('') == ''\n"


@pytest.fixture
def bank():
    position = PositionFactory(title="Data engineer", slug="data-engineer")
    QuestionFactory(position=position, text="What is a join?", rubric="Inner, outer.", order=1)
    coding = QuestionFactory(
        position=position, stage=Stage.CODING, text="Write reverse_words(text).", order=2
    )
    CodingExercise.objects.create(
        question=coding,
        starter_code=STARTER,
        visible_tests=VISIBLE,
        hidden_tests=HIDDEN,
        time_limit_minutes=25,
        hint_1="Words, not letters.",
        hint_2="-1 as a step reverses a list.",  # starts like a spreadsheet formula
        hint_3="",
    )
    return position


def exported(client, position) -> list[dict]:
    response = client.post(EXPORT, {"format": "0", "resource": "0"})
    text = b"".join(response).decode() if response.streaming else response.content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == COLUMNS
    return [row for row in rows if row["position"] == position.slug]


def as_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_the_export_carries_the_exercise_of_a_coding_question(recruiter_client, bank):
    rows = {row["text"]: row for row in exported(recruiter_client, bank)}

    coding = rows["Write reverse_words(text)."]
    assert (coding["stage"], coding["language"], coding["time_limit_minutes"]) == (
        "coding",
        "python",
        "25",
    )
    assert coding["starter_code"] == STARTER and coding["visible_tests"] == VISIBLE
    assert coding["hidden_tests"] == HIDDEN and coding["hint_1"] == "Words, not letters."
    assert coding["hint_2"] == "'-1 as a step reverses a list."  # shown as text, not run
    technical = rows["What is a join?"]
    assert [technical[c] for c in COLUMNS[6:]] == [""] * 8


def test_an_exported_bank_imports_back_unchanged(recruiter_client, bank):
    rows = exported(recruiter_client, bank)

    again = upload(recruiter_client, as_csv(rows))

    assert again.status_code == 200
    result = again.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["skip", "skip"]


def test_an_exported_exercise_imports_into_an_empty_bank_as_it_was(recruiter_client, bank):
    rows = exported(recruiter_client, bank)
    Question.objects.filter(position=bank).delete()

    confirm(recruiter_client, upload(recruiter_client, as_csv(rows)))

    coding = Question.objects.get(position=bank, stage=Stage.CODING)
    exercise = coding.exercise
    assert (exercise.starter_code, exercise.visible_tests, exercise.hidden_tests) == (
        STARTER,
        VISIBLE,
        HIDDEN,
    )
    assert exercise.time_limit_minutes == 25
    assert exercise.hints == ["Words, not letters.", "-1 as a step reverses a list."]
    assert Question.objects.get(position=bank, stage=Stage.TECHNICAL).text == "What is a join?"
    assert not hasattr(Question.objects.get(position=bank, stage=Stage.TECHNICAL), "exercise")


def test_an_import_changes_an_exercise(recruiter_client, bank):
    [row] = [r for r in exported(recruiter_client, bank) if r["stage"] == "coding"]
    row.update(hint_3="Join with one space.", time_limit_minutes="30")

    preview = upload(recruiter_client, as_csv([row]))
    assert [r.import_type for r in preview.context["result"].rows] == ["update"]
    confirm(recruiter_client, preview)

    exercise = CodingExercise.objects.get(question__position=bank)
    assert exercise.hint_3 == "Join with one space." and exercise.time_limit_minutes == 30
    assert exercise.visible_tests == VISIBLE


def test_a_file_without_the_exercise_columns_still_imports(recruiter_client, bank):
    old = (
        "position,stage,text,rubric,band,order\n"
        "data-engineer,technical,What is a window function?,Partitions.,0-60,3\n"
        "data-engineer,coding,Write reverse_words(text).,New rubric.,0-60,2\n"
    )

    confirm(recruiter_client, upload(recruiter_client, old))

    assert Question.objects.get(text="What is a window function?").stage == Stage.TECHNICAL
    coding = Question.objects.get(position=bank, stage=Stage.CODING)
    assert coding.rubric == "New rubric."
    assert coding.exercise.visible_tests == VISIBLE  # kept as it was


def test_a_new_coding_question_without_its_exercise_is_refused(recruiter_client, bank):
    response = upload(
        recruiter_client,
        "position,stage,text,rubric,band,order\n"
        "data-engineer,coding,Write merge_intervals().,Sorts first.,0-60,5\n",
    )

    assert "A coding question needs its exercise" in response.content.decode()
    assert 'name="import_file_name"' not in response.content.decode()
    assert not Question.objects.filter(text="Write merge_intervals().").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"visible_tests": "def test_a(:\n    pass\n"}, "Line 1: invalid syntax."),
        ({"visible_tests": "assert True\n"}, "The visible tests define no test function"),
        ({"starter_code": "def f()\n"}, "Line 1: expected &#x27;:&#x27;."),
        ({"hint_1": ""}, "This field cannot be blank."),
        ({"language": "cobol"}, "The language must be one of: python."),
        ({"time_limit_minutes": "2"}, "Ensure this value is greater than or equal to 5."),
    ],
)
def test_a_row_with_a_bad_exercise_names_the_error_and_saves_nothing(
    recruiter_client, bank, change, message
):
    [row] = [r for r in exported(recruiter_client, bank) if r["stage"] == "coding"]
    row.update(text="Write merge_intervals().", **change)

    response = upload(recruiter_client, as_csv([row]))

    assert message in response.content.decode()
    assert 'name="import_file_name"' not in response.content.decode()
    assert not Question.objects.filter(text="Write merge_intervals().").exists()


def test_a_question_of_another_stage_with_an_exercise_is_refused(recruiter_client, bank):
    [row] = [r for r in exported(recruiter_client, bank) if r["stage"] == "coding"]
    row.update(stage="technical", text="What is a view?")

    response = upload(recruiter_client, as_csv([row]))

    assert "Only a coding question has a coding exercise" in response.content.decode()
    assert not Question.objects.filter(text="What is a view?").exists()


def test_the_export_reads_as_many_times_for_many_exercises_as_for_one(recruiter_client, bank):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            exported(recruiter_client, bank)
        return len(captured)

    one = queries()
    for n in range(10):
        question = QuestionFactory(position=bank, stage=Stage.CODING, text=f"Exercise {n}.")
        CodingExercise.objects.create(
            question=question, visible_tests=VISIBLE, hint_1="One.", hint_2="Two."
        )
    many = queries()

    assert many == one
    assert len(exported(recruiter_client, bank)) == 12
