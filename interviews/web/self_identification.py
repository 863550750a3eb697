"""The optional, voluntary self-identification page a candidate may fill in after the
interview. What they choose goes to the bias audit only: never to the people or the
model who assess them."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from interviews.models import SelfIdentification
from interviews.services.self_identification import self_identification_record
from interviews.web.guard import guarded
from interviews.web.pages import unavailable_page
from interviews.web.session import interview_in_session


class SelfIdentificationForm(forms.Form):
    sex = forms.ChoiceField(
        choices=SelfIdentification.Sex.choices,
        initial=SelfIdentification.PREFER_NOT_TO_SAY,
        widget=forms.RadioSelect,
    )
    race_ethnicity = forms.ChoiceField(
        label="Race/ethnicity",
        choices=SelfIdentification.RaceEthnicity.choices,
        initial=SelfIdentification.PREFER_NOT_TO_SAY,
        widget=forms.RadioSelect,
    )


@require_http_methods(["GET", "POST"])
@guarded()
def self_identification(request: HttpRequest) -> HttpResponse:
    interview = interview_in_session(request)
    if interview is None:
        return unavailable_page(request, "no_session")
    available = interview.candidate_id is not None and interview.started_at is not None
    form = SelfIdentificationForm(request.POST if request.method == "POST" else None)
    saved = False
    if request.method == "POST" and available and form.is_valid():
        try:
            self_identification_record(interview=interview, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            saved = True
    response = render(
        request,
        "interviews/self_identification.html",
        {"form": form, "available": available, "saved": saved},
        status=200 if available else 409,
    )
    response["Cache-Control"] = "no-store"
    return response
