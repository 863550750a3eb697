"""The back office's template helpers: natural dates, link boxes with a copy button, and
what the start page shows."""

from dataclasses import dataclass
from itertools import count

from django import template
from django.db.models import Q
from django.utils.html import format_html

from interviews.admin.formats import natural_datetime
from interviews.links import apply_url
from interviews.models import Interview, Position, Question
from interviews.selectors import backoffice
from interviews.web.outbox import may_read_outbox

register = template.Library()
_box_ids = count(1)
START_LIST_LIMIT = 5


@register.filter
def natural(value) -> str:
    return natural_datetime(value)


def link_box_html(url: str, *, label: str) -> str:
    """A link that wraps inside its box, and a button that copies it."""
    box_id = f"link-box-{next(_box_ids)}"
    return format_html(
        '<span class="link-box"><code id="{}">{}</code>'
        '<button type="button" class="button copy-button" data-copy-target="{}">'
        '<span class="copy-label">Copy</span><span class="visually-hidden"> {}</span>'
        "</button></span>",
        box_id,
        url,
        box_id,
        label,
    )


@register.simple_tag
def link_box(url: str, label: str = "the link") -> str:
    return link_box_html(url, label=label)


@dataclass(frozen=True)
class OpenPosition:
    position: Position
    url: str


@register.simple_tag(takes_context=True)
def backoffice_start(context) -> dict:
    """The start page's figures, for what this user may see."""
    request = context["request"]
    user = request.user
    start: dict = {}
    if user.has_perm("interviews.view_interview"):
        awaiting = backoffice.interviews_awaiting_decision()
        in_progress = backoffice.interviews_in_progress()
        start["awaiting_count"] = awaiting.count()
        start["awaiting"] = list(awaiting[:START_LIST_LIMIT])
        start["in_progress_count"] = in_progress.count()
        start["in_progress"] = list(in_progress[:START_LIST_LIMIT])
        start["can_invite"] = user.has_perm("interviews.add_interview")
    if user.has_perm("interviews.view_position"):
        start["positions"] = [
            OpenPosition(position, apply_url(request, position))
            for position in backoffice.open_positions()
        ]
    if user.has_perm("interviews.view_question"):
        start["question_count"] = Question.objects.filter(is_active=True).count()
        start["suggestion_count"] = Question.objects.filter(
            Q(origin=Question.Origin.AGENT) & Q(is_active=False)
        ).count()
    start["in_progress_status"] = Interview.Status.IN_PROGRESS
    start["outbox"] = may_read_outbox(user)
    return start


@register.simple_tag(takes_context=True)
def outbox_readable(context) -> bool:
    """In development, whether this user may read the mail the product sent."""
    return may_read_outbox(context["request"].user)
