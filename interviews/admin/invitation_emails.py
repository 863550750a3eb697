"""Admin actions that email invitations: to the selected candidates (a new interview each),
and again for the selected interviews (a fresh link; the old one stops working). What went
out and what failed is said to the recruiter, and a failure stays on the interview."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from interviews.models import Candidate, Interview
from interviews.services import emails, invitations, invites


def _report(model_admin, request: HttpRequest, sent: int, failures: list[str]) -> None:
    if sent:
        model_admin.message_user(request, f"{sent} invitation email(s) sent.", messages.SUCCESS)
    if failures:
        model_admin.message_user(
            request,
            f"{len(failures)} not sent: " + "; ".join(failures),
            messages.ERROR,
        )


@admin.action(description="Send invitation email (a new interview each)", permissions=["invite"])
def email_candidates(model_admin, request: HttpRequest, queryset: QuerySet[Candidate]) -> None:
    sent, failures = 0, []
    for candidate in queryset.select_related("position"):
        try:
            new = invites.interview_create(position=candidate.position, candidate=candidate)
        except ValidationError as exc:
            failures.append(f"{candidate.email}: {' '.join(exc.messages)}")
            continue
        interview = emails.interview_send_invitation(
            interview=new.interview, secret=new.personal_secret
        )
        if interview.invitation_error:
            failures.append(f"{candidate.email}: {interview.invitation_error}")
        else:
            sent += 1
    _report(model_admin, request, sent, failures)


@admin.action(description="Send invitation email again (new link)", permissions=["change"])
def email_interviews(model_admin, request: HttpRequest, queryset: QuerySet[Interview]) -> None:
    sent, failures = 0, []
    for interview in queryset.select_related("candidate", "position"):
        try:
            invitation = invitations.interview_resend_invitation(interview=interview)
        except ValidationError as exc:
            failures.append(f"{interview.public_id}: {' '.join(exc.messages)}")
            continue
        if invitation.sent:
            sent += 1
        else:
            failures.append(f"{interview.public_id}: {invitation.interview.invitation_error}")
    _report(model_admin, request, sent, failures)
