"""Tokens for open-link interviews: how many may be live at once, from one client and in
all. An interview holding an unexpired token counts as live, started or not: six tokens
taken before any room starts are six rooms."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from interviews.models import Interview
from interviews.selectors.interviews import live_open_interviews

# Open-link interviews one client (an IPv4 address, an IPv6 /64) may hold live at once.
MAX_LIVE_OPEN_INTERVIEWS_PER_CLIENT = 3


def open_interview_token_grant(
    *, interview: Interview, client: str, now: datetime | None = None
) -> None:
    """Record that a token is issued for this open-link interview, or refuse (codes
    "too_many_interviews" for the client, "open_links_busy" for everyone) when that would
    make one live interview too many."""
    now = now or timezone.now()
    with transaction.atomic():
        if (
            live_open_interviews(now=now, network=client, other_than=interview)
            >= MAX_LIVE_OPEN_INTERVIEWS_PER_CLIENT
            or interview.client_network
            and interview.client_network != client
            and live_open_interviews(
                now=now, network=interview.client_network, other_than=interview
            )
            >= MAX_LIVE_OPEN_INTERVIEWS_PER_CLIENT
        ):
            raise ValidationError(
                "Too many interviews are running from your network. Finish one, then try again.",
                code="too_many_interviews",
            )
        if (
            live_open_interviews(now=now, other_than=interview)
            >= settings.OPEN_LINK_MAX_LIVE_INTERVIEWS
        ):
            raise ValidationError(
                "Interviews on open position links are all taken right now. Try again in a "
                "few minutes.",
                code="open_links_busy",
            )
        Interview.objects.filter(pk=interview.pk).update(token_issued_at=now)
