"""Adding a question in place, from its stage's section of the position's page."""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html

from interviews.admin.pages import ExtraPagesAdmin
from interviews.models import Position, Question, Stage
from interviews.services import questions

# Whole years only: int() alone would also take "+3", "1_0" or other scripts' digits.
WHOLE_YEARS = re.compile(r"\d{1,4}", re.ASCII)


def _years(request: HttpRequest, name: str, label: str) -> int | None:
    value = request.POST.get(name, "").strip()
    if not value:
        return None
    if not WHOLE_YEARS.fullmatch(value):
        raise ValidationError(f"Write the {label} in whole years, e.g. 3.")
    return int(value)


def add_question(
    model_admin: ExtraPagesAdmin, request: HttpRequest, object_id: int, stage: str
) -> HttpResponse:
    """Add a question of `stage` to the position (POST, from the position's page), then go
    back to that stage's section with what happened."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    position = model_admin.viewable_object(request, object_id, Position)
    if not model_admin.admin_site.get_model_admin(Question).has_add_permission(request):
        raise PermissionDenied
    if stage not in Stage.values:
        raise Http404("No such stage.")
    label = Stage(stage).label.lower()
    back = reverse("admin:interviews_position_change", args=[position.pk]) + f"#bank-{stage}"
    try:
        question = questions.question_create(
            position=position,
            stage=Stage(stage),
            text=request.POST.get("text", ""),
            min_experience=_years(request, "min_experience", "minimum experience"),
            max_experience=_years(request, "max_experience", "maximum experience"),
        )
    except ValidationError as exc:
        model_admin.message_user(
            request, f"No {label} question added. {' '.join(exc.messages)}", messages.ERROR
        )
        return redirect(back)
    added = f"A {label} question is added, last of the {label} questions."
    if question.stage == Stage.CODING:
        # Interviews skip a coding question without its exercise: say where to write it.
        page = reverse("admin:interviews_question_change", args=[question.pk])
        model_admin.message_user(
            request,
            format_html(
                '{} It has no exercise yet, so interviews do not ask it: <a href="{}">write '
                "its exercise</a>.",
                added,
                f"{page}#exercise-group",
            ),
            messages.SUCCESS,
        )
    else:
        model_admin.message_user(request, added, messages.SUCCESS)
    return redirect(back)
