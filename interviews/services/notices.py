"""Publishing the notice candidates read before an interview: a new text is a new
version; published versions never change."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from interviews.models import NoticeVersion, Position
from interviews.modes import MODES
from interviews.selectors.notices import CODING_ROUND, CONDITIONS


def notice_validate(*, heading: str, points: list, consent_statement: str, modes: dict) -> None:
    if not isinstance(heading, str) or not heading.strip():
        raise ValidationError("The notice needs a heading.", code="notice_heading")
    if not isinstance(consent_statement, str) or not consent_statement.strip():
        raise ValidationError("The notice needs a consent statement.", code="notice_consent")
    if not isinstance(points, list) or not points:
        raise ValidationError("The notice needs at least one point.", code="notice_points")
    for point in points:
        if not (
            isinstance(point, dict)
            and isinstance(point.get("text"), str)
            and point["text"].strip()
            and point.get("only_if", "") in CONDITIONS
        ):
            raise ValidationError(
                'Each point is {"text": "...", "only_if": ""}, or "only_if" one of: '
                f"{', '.join(c for c in CONDITIONS if c)}.",
                code="notice_points",
            )
    # Candidates of a position whose plan holds coding exercises agree to a notice that
    # tells them their code and its results are stored and reviewed.
    if not any(point.get("only_if") == CODING_ROUND for point in points):
        planned = Position.objects.filter(coding_questions__gt=0).order_by("title")
        titles = list(planned.values_list("title", flat=True)[:3])
        if titles:
            raise ValidationError(
                f"Positions plan coding exercises ({', '.join(titles)}): the notice needs a "
                f'point with "only_if": "{CODING_ROUND}" saying that the candidate\'s code '
                "and its results are stored and reviewed by a person.",
                code="notice_coding_round",
            )
    missing = [mode for mode in MODES if not isinstance(modes, dict) or mode not in modes]
    if missing:
        raise ValidationError(
            f"Describe every interviewer mode; missing: {', '.join(missing)}.",
            code="notice_modes",
        )
    for mode in MODES:
        entry = modes[mode]
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(key), str) and entry[key].strip()
            for key in ("short", "long", "decides")
        ):
            raise ValidationError(
                f'The "{mode}" mode needs "short", "long" and "decides" texts.',
                code="notice_modes",
            )


def notice_publish(
    *,
    heading: str,
    points: list[dict],
    consent_statement: str,
    modes: dict[str, dict[str, str]],
    published_by: AbstractBaseUser | None = None,
) -> NoticeVersion:
    """Publish a new notice text: the next version, shown from now on. Candidates who
    agreed earlier keep the version they agreed to."""
    notice_validate(
        heading=heading, points=points, consent_statement=consent_statement, modes=modes
    )
    with transaction.atomic():
        latest = NoticeVersion.objects.select_for_update().order_by("-version").first()
        return NoticeVersion.objects.create(
            version=(latest.version if latest else 0) + 1,
            heading=heading.strip(),
            points=[{"text": p["text"].strip(), "only_if": p.get("only_if", "")} for p in points],
            consent_statement=consent_statement.strip(),
            modes={mode: modes[mode] for mode in MODES},
            published_by_username=published_by.get_username() if published_by else "",
        )
