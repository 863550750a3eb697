"""Inviting a candidate in one form: an email (suggesting existing candidates as it is
typed), a name and experience for someone new, the position. It creates what is
missing, shows the link once, and warns before a second interview for someone who
already has one waiting or running."""

from datetime import timedelta
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse

from interviews.admin.invite_links import show_invite_links
from interviews.admin.pages import ExtraPage, ExtraPagesAdmin, no_store
from interviews.models import MAX_EXPERIENCE_YEARS, Candidate, Position
from interviews.selectors import backoffice
from interviews.services import emails
from interviews.services.candidate_invites import CandidateInvite, candidate_invite

SUGGESTION_LIMIT = 10


class InviteForm(forms.Form):
    email = forms.EmailField(
        widget=forms.EmailInput(attrs={"list": "candidate-emails", "autocomplete": "off"}),
        help_text="Type a few letters to pick someone already in the system.",
    )
    name = forms.CharField(required=False, max_length=200, help_text="Needed only for someone new.")
    position = forms.ModelChoiceField(queryset=Position.objects.none())
    experience_years = forms.IntegerField(
        label="Experience (years)",
        required=False,
        min_value=0,
        max_value=MAX_EXPERIENCE_YEARS,
        help_text="Needed only for someone new; it chooses the questions.",
    )
    invite_valid_days = forms.IntegerField(label="Link valid for (days)", min_value=1, max_value=90)
    send_email = forms.BooleanField(
        required=False,
        initial=True,
        label="Send the invitation by email",
        help_text="The link is also shown on the next page, to copy.",
    )
    invite_anyway = forms.BooleanField(
        required=False,
        label="Invite anyway: create another interview for this candidate",
        widget=forms.CheckboxInput(),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Declared above as a ModelChoiceField; the stubs know form fields only as Field.
        position = cast(forms.ModelChoiceField, self.fields["position"])
        position.queryset = backoffice.open_positions()
        self.fields["invite_valid_days"].initial = settings.INVITE_TTL_DAYS
        self.open_interviews: list = []

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        email = data.get("email")
        if not email:
            return data
        if not Candidate.objects.filter(email=email.strip().lower()).exists():
            if not (data.get("name") or "").strip():
                self.add_error("name", "This is a new candidate: give their name.")
            if data.get("experience_years") is None:
                self.add_error(
                    "experience_years", "This is a new candidate: give their experience."
                )
        self.open_interviews = list(backoffice.open_interviews_of_candidate(email=email))
        if self.open_interviews and not data.get("invite_anyway"):
            raise ValidationError(
                "This candidate already has an interview waiting or in progress. Send them "
                "that one, or tick \u201cInvite anyway\u201d to create another.",
                code="open_interview",
            )
        return data


def invite_page(model_admin: ExtraPagesAdmin, request: HttpRequest) -> HttpResponse:
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = InviteForm(request.POST or None, initial=request.GET.dict() or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invited = candidate_invite(
                email=data["email"],
                name=data["name"],
                position=data["position"],
                experience_years=data["experience_years"],
                invite_ttl=timedelta(days=data["invite_valid_days"]),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            note = _outcome(invited, email=data["send_email"])
            return show_invite_links(request, [invited.new], [], note=note)
    context = model_admin.page_context(
        request,
        title="Invite a candidate",
        form=form,
        open_interviews=form.open_interviews if form.is_bound else [],
        suggestions_url=reverse("admin:interviews_interview_invite_candidates"),
    )
    return TemplateResponse(request, "admin/interviews/invite.html", context)


def _outcome(invited: CandidateInvite, *, email: bool) -> str:
    who = invited.candidate.name + (" (a new candidate)" if invited.candidate_created else "")
    if not email:
        return f"Invited {who}. No email was sent: send them the link below."
    interview = emails.interview_send_invitation(
        interview=invited.new.interview, secret=invited.new.personal_secret
    )
    if interview.invitation_error:
        return f"Invited {who}, but the email could not be sent; send them the link below."
    return f"Invited {who}: the invitation was emailed to {invited.candidate.email}."


def candidate_suggestions(model_admin: ExtraPagesAdmin, request: HttpRequest) -> HttpResponse:
    """Candidates whose email or name contains what was typed (for the email field)."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    typed = request.GET.get("q", "").strip()
    found: QuerySet[Candidate] = Candidate.objects.none()
    if len(typed) >= 2:
        found = (
            Candidate.objects.filter(Q(email__icontains=typed) | Q(name__icontains=typed))
            .select_related("position")
            .order_by("email")[:SUGGESTION_LIMIT]
        )
    rows = [
        {
            "email": c.email,
            "name": c.name,
            "experience_years": c.experience_years,
            "position": c.position_id,
        }
        for c in found
    ]
    return no_store(JsonResponse({"candidates": rows}))


PAGES = (
    ExtraPage("invite/", invite_page, "invite"),
    ExtraPage("invite/candidates.json", candidate_suggestions, "invite_candidates"),
)
