"""Development only (DEBUG, file email backend): the mail the product sent, so whoever runs
`make dev` reads invitations and codes without a mail server. It holds invite links and
codes: superusers, or staff with its own permission, only."""

import email
import heapq
import os
from dataclasses import dataclass
from email import policy
from pathlib import Path

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

OUTBOX_PERMISSION = "interviews.read_outbox"

# The newest messages shown: reading an email takes about 3 ms (Python's email parser),
# and what a developer looks for (the last invitation or code) is among the newest.
MAX_MESSAGES = 50
# Django's file backend writes each message followed by a line of 79 dashes.
SEPARATOR = b"\n" + b"-" * 79 + b"\n"


@dataclass(frozen=True)
class SentMessage:
    sent: str
    to: str
    subject: str
    body: str


# The file backend names each file after the second it was written and an id:
# "20261207-091500-140211.log".
SECOND = len("20261207-091500")


def newest_files(folder: Path, count: int) -> list[Path]:
    """The `count` newest of the file backend's messages. Ordered by the second in their
    names, so that only the files of the newest seconds are stat-ed (sorting a folder of
    100,000 by the time each was written took 1.4 s); within one second, by that time."""
    with os.scandir(folder) as entries:
        names = [entry.name for entry in entries if entry.name.endswith(".log")]
    top = heapq.nlargest(count, names)
    if not top:
        return []
    cutoff = top[-1][:SECOND]
    newest = [name for name in names if name[:SECOND] >= cutoff]
    newest.sort(key=lambda name: (name[:SECOND], (folder / name).stat().st_mtime_ns), reverse=True)
    return [folder / name for name in newest[:count]]


def sent_messages(folder: Path) -> list[SentMessage]:
    """The newest messages first."""
    messages: list[SentMessage] = []
    # A file holds at least one message: the newest MAX_MESSAGES files hold enough.
    for path in newest_files(folder, MAX_MESSAGES):
        for raw in reversed([part for part in path.read_bytes().split(SEPARATOR) if part.strip()]):
            parsed = email.message_from_bytes(raw, policy=policy.default)
            body = parsed.get_body(preferencelist=("plain",))
            messages.append(
                SentMessage(
                    sent=str(parsed.get("Date", "")),
                    to=str(parsed.get("To", "")),
                    subject=str(parsed.get("Subject", "")),
                    body=body.get_content() if body is not None else "",
                )
            )
            if len(messages) >= MAX_MESSAGES:
                return messages
    return messages


def outbox_exists() -> bool:
    return settings.DEBUG and settings.EMAIL_BACKEND.endswith("filebased.EmailBackend")


def may_read_outbox(user) -> bool:
    """Whether the outbox exists and this user may read it (links to it show then)."""
    return outbox_exists() and bool(
        user.is_active and user.is_staff and (user.is_superuser or user.has_perm(OUTBOX_PERMISSION))
    )


@staff_member_required
def outbox(request: HttpRequest) -> HttpResponse:
    if not outbox_exists():
        raise Http404("The outbox exists only in development.")
    if not may_read_outbox(request.user):
        raise PermissionDenied
    folder = Path(settings.EMAIL_FILE_PATH)
    messages = sent_messages(folder) if folder.is_dir() else []
    context = {
        **admin.site.each_context(request),
        "title": "Outbox (development)",
        "messages_sent": messages,
        "max_messages": MAX_MESSAGES,
        "folder": folder,
    }
    response = render(request, "interviews/outbox.html", context)
    response["Cache-Control"] = "no-store"
    return response
