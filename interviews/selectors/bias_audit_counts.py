"""The bias audit's input, counted by the database: the interviews of a position and a
period that were assessed, grouped by their candidate's answers (the computation over the
counts is `bias_audit.bias_audit`).

One query, whatever the number of candidates: how many audited interviews have each
combination of self-identification, current decision and mean score. The ORM writes its
parts (the interviews audited, the answers, each interview's latest decision, the completed
evaluations, each evaluation's mean score); the statement that joins them and groups the
result is written here, because the ORM cannot group over a grouped query. Each part is
read once (by hash joins on PostgreSQL). With the latest decision and the mean score as
correlated subqueries of the ORM instead, PostgreSQL runs two subplans per interview, and
compiles the statement with JIT: about four times as long at 100,000 candidates.
"""

# ruff: noqa: S608 - the SQL is composed of the ORM's statements and quoted aliases.

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import Avg, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from interviews.models import (
    DecisionRecord,
    Evaluation,
    Interview,
    Position,
    QuestionScore,
    SelfIdentification,
)
from interviews.selectors.bias_audit import UNKNOWN, AnswerGroup, AuditCounts

ADVANCE = Evaluation.Recommendation.ADVANCE.value

# (sex, race/ethnicity, current decision, mean score, how many interviews)
Combination = tuple[str | None, str | None, str | None, Any, int]


def default_period(today: date | None = None) -> tuple[date, date]:
    """The year up to today."""
    today = today or timezone.localdate()
    return today - timedelta(days=365), today


def audit_scope(position: Position | None, since: date, until: date) -> str:
    return f"{position.title if position else 'All positions'}, {since} to {until}"


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audited_interviews(
    *, position: Position | None = None, since: date | None = None, until: date | None = None
) -> QuerySet[Interview]:
    """The interviews the audit counts: ended, with a candidate, started in the period
    (both days included), of one position or all."""
    interviews = Interview.objects.filter(
        status__in=Interview.ENDED_STATUSES, started_at__isnull=False, candidate__isnull=False
    )
    if position is not None:
        interviews = interviews.filter(position=position)
    if since is not None:
        interviews = interviews.filter(started_at__gte=_day_start(since))
    if until is not None:
        interviews = interviews.filter(started_at__lt=_day_start(until + timedelta(days=1)))
    return interviews.order_by()


def current_decisions() -> QuerySet[DecisionRecord]:
    """Each decided interview's current decision: its latest (by time, then by record)."""
    later = DecisionRecord.objects.filter(interview=OuterRef("interview")).filter(
        Q(decided_at__gt=OuterRef("decided_at"))
        | Q(decided_at=OuterRef("decided_at"), pk__gt=OuterRef("pk"))
    )
    return DecisionRecord.objects.filter(~Exists(later)).order_by()


def _sql(queryset: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    return sql, tuple(params)


def _combinations(
    position: Position | None, since: date | None, until: date | None
) -> list[Combination]:
    audited = audited_interviews(position=position, since=since, until=until)
    parts: dict[str, QuerySet[Any]] = {
        "a": audited.values(interview_ref=F("pk"), candidate_ref=F("candidate")),
        "s": SelfIdentification.objects.order_by().values(
            "sex", "race_ethnicity", candidate_ref=F("candidate")
        ),
        "d": current_decisions().values("decision", interview_ref=F("interview")),
        # The mean score is over the scored answers of a completed evaluation (not those
        # left unscored for want of evidence).
        "e": Evaluation.objects.filter(status=Evaluation.Status.EVALUATED)
        .order_by()
        .values(interview_ref=F("interview"), evaluation_ref=F("pk")),
        "m": QuestionScore.objects.filter(score__isnull=False)
        .order_by()
        .values(evaluation_ref=F("evaluation"))
        .annotate(mean_score=Avg("score")),
    }
    # Each part joined to an earlier one on the key they share.
    joins = [("s", "candidate_ref", "a"), ("d", "interview_ref", "a")]
    joins += [("e", "interview_ref", "a"), ("m", "evaluation_ref", "e")]
    compiled = {alias: _sql(queryset) for alias, queryset in parts.items()}
    name = connection.ops.quote_name
    sql = " ".join(
        [
            f"SELECT s.{name('sex')}, s.{name('race_ethnicity')}, d.{name('decision')},",
            f"m.{name('mean_score')}, COUNT(*) FROM ({compiled['a'][0]}) a",
            *(
                f"LEFT JOIN ({compiled[alias][0]}) {alias} "
                f"ON {alias}.{name(key)} = {other}.{name(key)}"
                for alias, key, other in joins
            ),
            "GROUP BY 1, 2, 3, 4",
        ]
    )
    params = compiled["a"][1] + tuple(p for alias, *_ in joins for p in compiled[alias][1])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _median(scores: Counter[float]) -> float | None:
    """The median of the scores, given how many candidates have each: the middle one, or
    the mean of the two middle ones."""
    total = sum(scores.values())
    middle: list[float] = []
    seen = 0
    for score in sorted(scores):
        for rank in ((total - 1) // 2, total // 2):
            if seen <= rank < seen + scores[score]:
                middle.append(score)
        seen += scores[score]
    return (middle[0] + middle[1]) / 2 if middle else None


def audit_counts(
    *, position: Position | None = None, since: date | None = None, until: date | None = None
) -> AuditCounts:
    """The candidates assessed in the period (see `audited_interviews`), counted by their
    self-identification (as given; UNKNOWN without an answer), and the median score.

    The database returns one row per combination of answers, current decision and mean
    score: a handful of answers and decisions, and a mean of a few scores from 1 to 5
    takes few values, so there are hundreds of rows, never one per candidate."""
    combinations = [
        (sex or UNKNOWN, race or UNKNOWN, decision, None if mean is None else float(mean), n)
        for sex, race, decision, mean, n in _combinations(position, since, until)
    ]
    scores: Counter[float] = Counter()
    for *_, mean, n in combinations:
        if mean is not None:
            scores[mean] += n
    median = _median(scores)
    counts: dict[tuple[str, str], Counter[str]] = {}
    for sex, race, decision, mean, n in combinations:
        counted = counts.setdefault((sex, race), Counter())
        counted["count"] += n
        if decision is not None:
            counted["decided"] += n
            counted["selected"] += n if decision == ADVANCE else 0
        if mean is not None:
            counted["scored"] += n
            counted["above_median"] += n if median is not None and mean > median else 0
    groups = [
        AnswerGroup(
            sex=sex,
            race_ethnicity=race,
            count=counted["count"],
            decided=counted["decided"],
            selected=counted["selected"],
            scored=counted["scored"],
            above_median=counted["above_median"],
        )
        for (sex, race), counted in sorted(counts.items())
    ]
    return AuditCounts(groups=groups, median_score=median)
