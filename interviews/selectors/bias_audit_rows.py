"""The bias audit's input: one row per assessed interview of a position and a period,
read from the database (the computation over the rows is `bias_audit.bias_audit`)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Avg, Q
from django.utils import timezone

from interviews.models import DecisionRecord, Evaluation, Interview, Position, QuestionScore
from interviews.selectors.bias_audit import UNKNOWN, AuditRow


def default_period(today: date | None = None) -> tuple[date, date]:
    """The year up to today."""
    today = today or timezone.localdate()
    return today - timedelta(days=365), today


def audit_scope(position: Position | None, since: date, until: date) -> str:
    return f"{position.title if position else 'All positions'}, {since} to {until}"


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_rows(
    *, position: Position | None = None, since: date | None = None, until: date | None = None
) -> list[AuditRow]:
    """One row per interview that started in the period (both days included), for one
    position or all: the candidate's self-identification, the current human decision and
    the mean of the evaluation's scores."""
    interviews = Interview.objects.filter(
        status__in=Interview.ENDED_STATUSES, started_at__isnull=False, candidate__isnull=False
    ).select_related("candidate__self_identification")
    if position is not None:
        interviews = interviews.filter(position=position)
    if since is not None:
        interviews = interviews.filter(started_at__gte=_day_start(since))
    if until is not None:
        interviews = interviews.filter(started_at__lt=_day_start(until + timedelta(days=1)))
    chosen = list(interviews.order_by("pk"))
    ids = [interview.pk for interview in chosen]
    decisions: dict[int, str] = {}
    for interview_id, decision in (
        DecisionRecord.objects.filter(interview_id__in=ids)
        .order_by("interview_id", "decided_at", "id")
        .values_list("interview_id", "decision")
    ):
        decisions[interview_id] = decision  # the latest wins
    scores = dict(
        QuestionScore.objects.filter(
            Q(score__isnull=False),
            evaluation__interview_id__in=ids,
            evaluation__status=Evaluation.Status.EVALUATED,
        )
        .values("evaluation__interview_id")
        .annotate(mean=Avg("score"))
        .values_list("evaluation__interview_id", "mean")
    )
    rows = []
    for interview in chosen:
        identity = getattr(interview.candidate, "self_identification", None)
        latest = decisions.get(interview.pk)
        rows.append(
            AuditRow(
                sex=identity.sex if identity else UNKNOWN,
                race_ethnicity=identity.race_ethnicity if identity else UNKNOWN,
                advanced=None if latest is None else latest == "advance",
                score=float(scores[interview.pk]) if interview.pk in scores else None,
            )
        )
    return rows
