"""A coding question's exercise, written in the question's page: starter code, visible and
hidden tests, time limit and the hint ladder. The code is compiled to check it, never run
(interviews.services.exercises)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from interviews.models import CodingExercise, Question, Stage
from interviews.services.exercises import (
    EXERCISE_FIELDS,
    exercise_check_code,
    question_check_exercise,
)


class CodeTextarea(forms.Textarea):
    """Monospace, no spell checking or automatic capitals: code as it is typed."""

    def __init__(self, rows: int = 12) -> None:
        super().__init__(
            attrs={
                "rows": rows,
                "cols": 90,
                "class": "code-input",
                "spellcheck": "false",
                "autocapitalize": "off",
                "autocomplete": "off",
                "autocorrect": "off",
                "wrap": "off",
            }
        )


CODE_FIELDS = ("starter_code", "visible_tests", "hidden_tests")


class CodingExerciseForm(forms.ModelForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in CODE_FIELDS:
            # Code keeps its whitespace: a first line's indentation is part of it.
            self.fields[name].strip = False  # type: ignore[attr-defined]

    class Meta:
        model = CodingExercise
        fields = list(EXERCISE_FIELDS)
        widgets = {
            "starter_code": CodeTextarea(rows=10),
            "visible_tests": CodeTextarea(rows=12),
            "hidden_tests": CodeTextarea(rows=12),
            "hint_1": forms.Textarea(attrs={"rows": 2, "cols": 90}),
            "hint_2": forms.Textarea(attrs={"rows": 2, "cols": 90}),
            "hint_3": forms.Textarea(attrs={"rows": 2, "cols": 90}),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in CODE_FIELDS:
            if isinstance(cleaned.get(name), str):  # browsers send a textarea's lines as CRLF
                cleaned[name] = cleaned[name].replace("\r\n", "\n")
        if any(self.has_error(name) for name in CODE_FIELDS):
            return cleaned
        exercise_check_code(
            starter_code=cleaned.get("starter_code") or "",
            visible_tests=cleaned.get("visible_tests") or "",
            hidden_tests=cleaned.get("hidden_tests") or "",
        )
        return cleaned


class ExerciseFormSet(BaseInlineFormSet):
    """Checks the exercise against the question's stage, as the question's form set it."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        has_exercise = any(
            (form.instance.pk is not None or form.has_changed())
            and not form.cleaned_data.get("DELETE", False)
            for form in self.forms
        )
        try:
            question_check_exercise(stage=self.instance.stage, has_exercise=has_exercise)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None


class CodingExerciseInline(admin.StackedInline):
    model = CodingExercise
    form = CodingExerciseForm
    formset = ExerciseFormSet
    max_num = 1
    verbose_name = "coding exercise"
    fieldsets = [
        (
            None,
            {
                "description": "For a coding question only. The question's text is the "
                "statement the candidate reads; its rubric says what good code and a good "
                "explanation cover.",
                "fields": ["language", "starter_code", "time_limit_minutes"],
            },
        ),
        (
            "Tests",
            {
                "description": "Python test functions the candidate's code must pass, written "
                "as if in the same module: def test_reverses_a_word(): assert "
                "reverse_words('a b') == 'b a'. The visible tests are shown to the candidate "
                "and run with Run; the hidden ones run only on Submit (the candidate sees how "
                "many passed). They are compiled to check them, never run here.",
                "fields": ["visible_tests", "hidden_tests"],
            },
        ),
        (
            "Hint ladder",
            {
                "description": "Two or three hints, each more direct than the last, given in "
                "order when the candidate is stuck. None gives the answer.",
                "fields": ["hint_1", "hint_2", "hint_3"],
            },
        ),
    ]

    def get_extra(self, request: HttpRequest, obj: Question | None = None, **kwargs) -> int:
        has_one = obj is not None and CodingExercise.objects.filter(question=obj).exists()
        return 0 if has_one else 1

    # The exercise is part of its question: whoever may write questions writes exercises.
    def _question_permission(self, request: HttpRequest, action: str) -> bool:
        opts = Question._meta
        codename = get_permission_codename(action, opts)
        return request.user.has_perm(f"{opts.app_label}.{codename}")

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._question_permission(request, "add" if obj is None else "change")

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._question_permission(request, "change")

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._question_permission(request, "change")

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._question_permission(request, "view") or self._question_permission(
            request, "change"
        )


def exercise_inline_classes(obj: Question | None, stage_asked: str | None) -> tuple[str, ...]:
    """Open for a coding question (or a new one asked for as coding), folded otherwise."""
    stage = obj.stage if obj is not None else stage_asked
    return () if stage == Stage.CODING else ("collapse",)
