"""Links recruiters send: a personal invite and an open position link."""

from django.http import HttpRequest
from django.urls import reverse

from interviews.models import Position


def _absolute(request_or_base: HttpRequest | str, path: str) -> str:
    if isinstance(request_or_base, str):
        return request_or_base.rstrip("/") + path
    return request_or_base.build_absolute_uri(path)


def invite_url(request_or_base: HttpRequest | str, secret: str) -> str:
    """The personal invite link, from a request or a base URL like https://jobs.example."""
    return _absolute(request_or_base, reverse("interviews:invite", kwargs={"invite": secret}))


def apply_url(request_or_base: HttpRequest | str, position: Position) -> str:
    """The open link anyone can use to be interviewed for `position`."""
    return _absolute(request_or_base, reverse("interviews:apply", kwargs={"slug": position.slug}))
