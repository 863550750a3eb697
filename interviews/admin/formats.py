"""Dates as recruiters read them: "today, 15:38", "yesterday, 09:05", "12 Mar, 15:38",
"12 Mar 2025, 15:38" (never the locale's "3:38 a.m." that a sentence's full stop doubles)."""

from datetime import datetime, timedelta

from django.utils import timezone


def natural_datetime(value: datetime | None, *, now: datetime | None = None) -> str:
    if value is None:
        return "-"
    local = timezone.localtime(value)
    today = timezone.localtime(now or timezone.now()).date()
    clock = local.strftime("%H:%M")
    if local.date() == today:
        return f"today, {clock}"
    if local.date() == today - timedelta(days=1):
        return f"yesterday, {clock}"
    day = f"{local.day} {local.strftime('%b')}"
    if local.year != today.year:
        day += f" {local.year}"
    return f"{day}, {clock}"
