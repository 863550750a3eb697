"""Positions: opening and closing one (its open link works only while it is open)."""

from django.db import transaction

from interviews.models import Position


def position_set_open(*, position: Position, is_open: bool) -> Position:
    with transaction.atomic():
        locked = Position.objects.select_for_update().get(pk=position.pk)
        if locked.is_active != is_open:
            locked.is_active = is_open
            locked.save(update_fields=["is_active"])
        return locked
