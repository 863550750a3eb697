"""The question bank as CSV (position, stage, text, rubric, band, order, then a coding
question's exercise: language, starter_code, visible_tests, hidden_tests,
time_limit_minutes, hint_1, hint_2, hint_3), through django-import-export: its preview
shows what each row will do (new, update, skip) and row-level errors before anything is
saved. A row is identified by position, stage and text: changing a question's text imports
it as a new question. Files without the exercise's columns still import; a coding row
without them keeps its stored exercise."""

import re

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from import_export import fields, resources, widgets

from interviews.csv_cells import safe_cell, unescaped_cell
from interviews.models import (
    MAX_EXPERIENCE_YEARS,
    CodingExercise,
    Language,
    Position,
    Question,
    Stage,
)
from interviews.services.exercises import (
    EXERCISE_FIELDS,
    exercise_check_imported,
    exercise_save_imported,
    question_check_exercise,
)
from interviews.services.questions import question_save_imported

BAND = re.compile(r"^\s*(\d+)\s*-\s*(\d+)\s*$")


class PositionBySlug(widgets.ForeignKeyWidget):
    def __init__(self) -> None:
        super().__init__(Position, field="slug")

    def clean(self, value, row=None, **kwargs):
        slug = (value or "").strip()
        if not slug:
            raise ValueError("The position is missing (use its slug, e.g. software-engineer).")
        position = Position.objects.filter(slug=slug).first()
        if position is None:
            raise ValueError(f"No position has the slug \u201c{slug}\u201d.")
        return position


class TextWidget(widgets.CharWidget):
    """Text as a spreadsheet shows it, never a formula (see interviews.csv_cells)."""

    def clean(self, value, row=None, **kwargs):
        cleaned = super().clean(value, row, **kwargs)
        return unescaped_cell(cleaned) if isinstance(cleaned, str) else cleaned


class StageWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        stage = (value or "").strip().lower()
        if stage not in Stage.values:
            raise ValueError(f"The stage must be one of: {', '.join(Stage.values)}.")
        return stage


class BandField(fields.Field):
    """The experience band, in years, as "min-max" (e.g. 0-3)."""

    def __init__(self) -> None:
        super().__init__(attribute="band", column_name="band", widget=widgets.CharWidget())

    def get_value(self, obj: Question) -> str:
        return f"{obj.min_experience}-{obj.max_experience}"

    def save(self, instance: Question, row, is_m2m=False, **kwargs) -> None:
        text = str(row.get(self.column_name) or "").strip()
        if not text:
            instance.min_experience, instance.max_experience = 0, MAX_EXPERIENCE_YEARS
            return
        match = BAND.match(text)
        if match is None:
            raise ValueError(
                f"Write the band as two years with a dash, e.g. 0-3 (not \u201c{text}\u201d)."
            )
        low, high = int(match[1]), int(match[2])
        if low > high or high > MAX_EXPERIENCE_YEARS:
            raise ValueError(f"The band must go up, within 0-{MAX_EXPERIENCE_YEARS} years.")
        instance.min_experience, instance.max_experience = low, high


class LanguageWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        language = (value or "").strip().lower()
        if language and language not in Language.values:
            raise ValueError(f"The language must be one of: {', '.join(Language.values)}.")
        return language


class MinutesWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except (ValueError, ArithmeticError):
            raise ValueError("Write the time limit in whole minutes, e.g. 20.") from None


# Where an imported row's exercise values wait until its question is saved.
PENDING = "_imported_exercise"
# Columns whose empty cell means "as stored, or the default", not "empty".
DEFAULTED = ("language", "time_limit_minutes")


def stored_exercise(question: Question) -> CodingExercise | None:
    if question.pk is None:
        return None
    try:
        return question.exercise
    except ObjectDoesNotExist:
        return None


def imported_exercise_values(question: Question) -> dict[str, object]:
    """The exercise values a row gave, without the empty cells that mean the default;
    empty when the row gave none (no such columns, or all empty)."""
    given = getattr(question, PENDING, {})
    values = {
        name: value
        for name, value in given.items()
        if not (name in DEFAULTED and value in (None, ""))
    }
    content = [value for name, value in values.items() if name not in DEFAULTED and value]
    return values if content else {}


class ExerciseField(fields.Field):
    """A column of a coding question's exercise. Imported values wait on the question
    until it is saved; the export reads the stored exercise."""

    def __init__(self, name: str, widget: widgets.Widget) -> None:
        super().__init__(attribute=name, column_name=name, widget=widget)

    def get_value(self, obj: Question):
        given = getattr(obj, PENDING, {})
        if self.attribute in given:
            return given[self.attribute]
        exercise = stored_exercise(obj)
        if exercise is None:
            return None if self.attribute == "time_limit_minutes" else ""
        return getattr(exercise, self.attribute)

    def save(self, instance: Question, row, is_m2m=False, **kwargs) -> None:
        instance.__dict__.setdefault(PENDING, {})[self.attribute] = self.clean(row, **kwargs)


class QuestionResource(resources.ModelResource):
    position = fields.Field(attribute="position", column_name="position", widget=PositionBySlug())
    stage = fields.Field(attribute="stage", column_name="stage", widget=StageWidget())
    text = fields.Field(attribute="text", column_name="text", widget=TextWidget())
    rubric = fields.Field(
        attribute="rubric", column_name="rubric", widget=TextWidget(allow_blank=True)
    )
    band = BandField()
    order = fields.Field(
        attribute="order", column_name="order", widget=widgets.IntegerWidget(), default=0
    )
    language = ExerciseField("language", LanguageWidget())
    starter_code = ExerciseField("starter_code", TextWidget(allow_blank=True))
    visible_tests = ExerciseField("visible_tests", TextWidget(allow_blank=True))
    hidden_tests = ExerciseField("hidden_tests", TextWidget(allow_blank=True))
    time_limit_minutes = ExerciseField("time_limit_minutes", MinutesWidget())
    hint_1 = ExerciseField("hint_1", TextWidget(allow_blank=True))
    hint_2 = ExerciseField("hint_2", TextWidget(allow_blank=True))
    hint_3 = ExerciseField("hint_3", TextWidget(allow_blank=True))

    class Meta:
        model = Question
        fields = ("position", "stage", "text", "rubric", "band", "order", *EXERCISE_FIELDS)
        export_order = fields
        import_id_fields = ("position", "stage", "text")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_instance(self, instance_loader, row):
        # A bad position or stage is reported with the row's other field errors (a
        # validation error), not as a failure that hides every other row's errors.
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            return None

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("position", "exercise")

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if "stage" not in errors:
            for field, messages in self._exercise_errors(instance).items():
                errors.setdefault(field, messages)
        super().validate_instance(instance, errors, validate_unique)

    def _exercise_errors(self, question: Question) -> dict[str, list[str]]:
        values = imported_exercise_values(question)
        try:
            question_check_exercise(
                stage=question.stage,
                has_exercise=bool(values) or stored_exercise(question) is not None,
            )
            if question.stage == Stage.CODING and values:
                exercise_check_imported(question=question, values=values)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                return exc.message_dict
            return {"stage": exc.messages}
        return {}

    def export_field(self, field, instance, **kwargs):
        # Suggested questions come from the model, which the candidate can steer.
        return safe_cell(super().export_field(field, instance, **kwargs))

    def do_instance_save(self, instance: Question, is_create: bool) -> None:
        question_save_imported(question=instance)
        values = imported_exercise_values(instance)
        if instance.stage == Stage.CODING and values:
            exercise_save_imported(question=instance, values=values)
