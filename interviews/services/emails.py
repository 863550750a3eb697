"""Email the product sends: invitations with the personal link and the notice, one-time
codes that prove an address, and the recruiter's note that an interview completed.

Everything goes through Django's email framework (SMTP in production, a folder in
development). A send that fails is reported to whoever asked for it, never raised into
the interview: an invitation records the failure on the interview, a code says it could
not be sent.
"""

import logging
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from interviews.links import invite_url
from interviews.models import Interview
from interviews.selectors.notices import current_notice, notice_render

logger = logging.getLogger(__name__)

MAX_ERROR_LENGTH = 500


def notice_context(interview: Interview) -> dict:
    """The notice the join page shows, in the version candidates agree to from now on."""
    notice = notice_render(
        notice=current_notice(),
        mode=interview.ai_mode or settings.INTERVIEW_AI,
        position=interview.position,
        candidate_known=interview.candidate_id is not None,
    )
    return {
        "position": interview.position,
        "notice_text": notice.as_text(),
        "notice_version": notice.version,
        "retention_days": settings.DATA_RETENTION_DAYS,
    }


def _send(*, to: str, subject: str, template: str, context: dict) -> str | None:
    """Send one plain-text message; the reason it failed, or None when it went out."""
    body = render_to_string(template, context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)
    except Exception as error:  # noqa: BLE001 - SMTP and socket errors have no common base
        logger.warning(
            "Email not sent", extra={"template": template, "error": type(error).__name__}
        )
        return f"{type(error).__name__}: {error}"[:MAX_ERROR_LENGTH]
    return None


def interview_send_invitation(
    *, interview: Interview, secret: str, now: datetime | None = None
) -> Interview:
    """Email the candidate their personal link, when it expires and the notice. The outcome
    is kept on the interview: `invitation_sent_at`, or `invitation_error` for the
    recruiter to see."""
    candidate = interview.candidate
    if candidate is None:
        raise ValueError("Only an interview with a candidate can be sent an invitation.")
    context = {
        **notice_context(interview),
        "candidate": candidate,
        "link": invite_url(settings.SITE_URL, secret),
        "expires_at": interview.invite_expires_at,
    }
    error = _send(
        to=candidate.email,
        subject=f"Your interview for {interview.position.title}",
        template="interviews/email/invitation.txt",
        context=context,
    )
    now = now or timezone.now()
    if error is None:
        interview.invitation_sent_at, interview.invitation_error = now, ""
    else:
        interview.invitation_error = error
    Interview.objects.filter(pk=interview.pk).update(
        invitation_sent_at=interview.invitation_sent_at,
        invitation_error=interview.invitation_error,
        updated_at=now,
    )
    return interview


def send_email_code(*, email: str, code: str, interview: Interview) -> bool:
    """The one-time code for an open-link interview; the same message for every address."""
    error = _send(
        to=email,
        subject=f"Your code for the {interview.position.title} interview",
        template="interviews/email/code.txt",
        context={
            "code": code,
            "position": interview.position,
            "minutes": settings.EMAIL_CODE_TTL_MINUTES,
        },
    )
    return error is None


def notify_completion(*, interview: Interview) -> None:
    """After the interview's completion commits: tell NOTIFY_ON_COMPLETION_EMAIL, with a
    link to the report only (no transcript, no name, no address)."""
    recipients = settings.NOTIFY_ON_COMPLETION_EMAIL
    if not recipients:
        return
    report = settings.SITE_URL + reverse("admin:interviews_interview_report", args=[interview.pk])
    title = interview.position.title

    def send() -> None:
        for recipient in recipients:
            _send(
                to=recipient,
                subject=f"An interview for {title} is complete",
                template="interviews/email/completed.txt",
                context={"position_title": title, "report": report},
            )

    transaction.on_commit(send)
