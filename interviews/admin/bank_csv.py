"""The question bank as CSV (position, stage, text, rubric, band, order), through
django-import-export: its preview shows what each row will do (new, update, skip) and
row-level errors before anything is saved. A row is identified by position, stage and
text: changing a question's text imports it as a new question."""

import re

from import_export import fields, resources, widgets

from interviews.csv_cells import safe_cell, unescaped_cell
from interviews.models import MAX_EXPERIENCE_YEARS, Position, Question, Stage
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

    class Meta:
        model = Question
        fields = ("position", "stage", "text", "rubric", "band", "order")
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

    def export_field(self, field, instance, **kwargs):
        # Suggested questions come from the model, which the candidate can steer.
        return safe_cell(super().export_field(field, instance, **kwargs))

    def do_instance_save(self, instance: Question, is_create: bool) -> None:
        question_save_imported(question=instance)
