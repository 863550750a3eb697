"""The notice a candidate reads (join page, invitation email), as it stands now or as a
candidate agreed to it, rendered for one interview."""

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from interviews.models import Interview, NoticeVersion, Position

PLACEHOLDER = re.compile(r"\{(\w+)\}")
BOLD = re.compile(r"\*\*(.+?)\*\*")

# When a point of the notice is shown ("only_if"): always (""), before the candidate is
# identified, when the position's plan holds coding exercises, or when the position
# records its interviews (or does not).
CANDIDATE_UNKNOWN = "candidate_unknown"
CODING_ROUND = "coding_round"
RECORDED = "recorded"
NOT_RECORDED = "not_recorded"
CONDITIONS = ("", CANDIDATE_UNKNOWN, CODING_ROUND, RECORDED, NOT_RECORDED)


def current_notice() -> NoticeVersion:
    """The latest published version: what candidates read from now on. Migration 0007
    stores the first version; a database without one was not migrated (or was flushed)."""
    notice = NoticeVersion.objects.order_by("-version").first()
    if notice is None:
        raise NoticeVersion.DoesNotExist(
            "No notice version is stored: the first one comes with migration 0007 "
            "(python manage.py migrate)."
        )
    return notice


def notice_mentions_coding(notice: NoticeVersion) -> bool:
    """Whether the notice tells candidates of a position with coding exercises about them."""
    return any(point.get("only_if") == CODING_ROUND for point in notice.points)


def notice_mentions_recording(notice: NoticeVersion) -> bool:
    """Whether the notice tells candidates of a recording position that they are recorded:
    only then is an interview recorded."""
    return any(point.get("only_if") == RECORDED for point in notice.points)


def notice_agreed(*, interview: Interview) -> NoticeVersion | None:
    """The version the candidate agreed to, if they agreed."""
    consent = getattr(interview, "notice_consent", None) if interview.pk else None
    return consent.notice if consent is not None else None


@dataclass(frozen=True)
class RenderedNotice:
    version: int
    heading: str
    points: list[str]  # with **bold** markers
    consent_statement: str

    @staticmethod
    def _html(text: str) -> SafeString:
        return mark_safe(BOLD.sub(r"<strong>\1</strong>", str(escape(text))))  # noqa: S308 - escaped first

    @property
    def points_html(self) -> list[SafeString]:
        return [self._html(point) for point in self.points]

    @property
    def consent_statement_html(self) -> SafeString:
        return self._html(self.consent_statement)

    def as_text(self) -> str:
        """Plain text, for an email."""
        plain = [BOLD.sub(r"\1", point) for point in self.points]
        return "\n".join(
            [
                self.heading,
                "",
                *(f"- {point}" for point in plain),
                "",
                BOLD.sub(r"\1", self.consent_statement),
                "",
                f"(Notice version {self.version})",
            ]
        )


def _fill(text: str, values: dict[str, object]) -> str:
    # Only plain names: a notice is data, never code.
    return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)


def notice_render(
    *, notice: NoticeVersion, mode: str, position: Position, candidate_known: bool
) -> RenderedNotice:
    """The notice as one candidate reads it: this interviewer mode, this position's plan,
    the identification step only when the candidate is not known yet, the coding
    round only when the plan holds coding exercises, and the recording as the position
    records or not."""
    texts = notice.modes.get(mode) or notice.modes["structured"]
    values = {
        "interviewer": texts["long"],
        "interviewer_short": texts["short"],
        "decides": texts["decides"],
        "technical_questions": position.technical_questions,
        "behavioral_questions": position.behavioral_questions,
        "topics": "topic" if position.behavioral_questions == 1 else "topics",
        "minutes": position.estimated_minutes,
        "coding_questions": position.coding_questions,
    }
    hidden = {CANDIDATE_UNKNOWN} if candidate_known else set()
    if not position.coding_questions:
        hidden.add(CODING_ROUND)
    hidden.add(NOT_RECORDED if position.records_interviews else RECORDED)
    points = [
        _fill(point["text"], values)
        for point in notice.points
        if point.get("only_if", "") not in hidden
    ]
    return RenderedNotice(
        version=notice.version,
        heading=notice.heading,
        points=points,
        consent_statement=_fill(notice.consent_statement, values),
    )
