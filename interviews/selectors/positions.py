import re

from django.db.models import Q

from interviews.models import Position


def position_by_name(*, name: str) -> Position | None:
    """Find an active position from what a person said: its slug or its title, any case."""
    words = re.sub(r"[^a-z0-9]+", " ", name.lower()).split()
    if not words:
        return None
    slug = "-".join(words)
    return (
        Position.objects.filter(is_active=True)
        .filter(Q(slug=slug) | Q(title__iexact=" ".join(words)))
        .first()
    )


def active_position_titles() -> list[str]:
    """The titles of the open positions, for matching what a candidate says."""
    return list(
        Position.objects.filter(is_active=True).order_by("title").values_list("title", flat=True)
    )


def active_position_aliases() -> dict[str, list[str]]:
    """The aliases recruiters gave each open position, by title."""
    return {
        title: [alias.strip() for alias in aliases.split(",") if alias.strip()]
        for title, aliases in Position.objects.filter(is_active=True)
        .exclude(aliases="")
        .values_list("title", "aliases")
    }
