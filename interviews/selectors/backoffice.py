"""Reads for the recruiters' lists and start page: each interview's current decision and
average answer score as correlated subqueries, so a list costs the same few queries
however many rows it has."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Avg, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from interviews.models import DecisionRecord, Evaluation, Interview, Position, QuestionScore


class ReviewState(TypedDict):
    """What with_review_state adds to each interview."""

    current_decision: str | None
    average_score: float | None
    last_activity: datetime


if TYPE_CHECKING:  # WithAnnotations takes two arguments for type checkers only
    from django_stubs_ext import WithAnnotations

    ReviewedInterview = WithAnnotations[Interview, ReviewState]


def latest_decision() -> Subquery:
    return Subquery(
        DecisionRecord.objects.filter(interview=OuterRef("pk"))
        .order_by("-decided_at", "-id")
        .values("decision")[:1]
    )


def average_score() -> Subquery:
    """The mean of the scored answers of an evaluated interview, 1 to 5 (None unscored)."""
    return Subquery(
        QuestionScore.objects.filter(
            evaluation__interview=OuterRef("pk"),
            evaluation__status=Evaluation.Status.EVALUATED,
            score__isnull=False,
        )
        .values("evaluation__interview")
        .annotate(average=Avg("score"))
        .values("average")[:1]
    )


def with_review_state(interviews: QuerySet[Interview]) -> QuerySet[ReviewedInterview]:
    """Annotate `current_decision`, `average_score` and `last_activity` (when it ended,
    else started, else was created)."""
    return interviews.annotate(
        current_decision=latest_decision(),
        average_score=average_score(),
        last_activity=Coalesce("ended_at", "started_at", "created_at"),
    )


def awaiting_decision_filter() -> Q:
    """Ended, and no one has decided yet."""
    decided = DecisionRecord.objects.filter(interview=OuterRef("pk"))
    return Q(status__in=Interview.ENDED_STATUSES) & ~Q(Exists(decided))


def interviews_awaiting_decision() -> QuerySet[Interview]:
    return (
        Interview.objects.filter(awaiting_decision_filter())
        .select_related("candidate", "position")
        .order_by("-ended_at", "-pk")
    )


def interviews_in_progress() -> QuerySet[Interview]:
    return (
        Interview.objects.filter(status=Interview.Status.IN_PROGRESS)
        .select_related("candidate", "position")
        .order_by("started_at", "pk")
    )


def open_interviews_of_candidate(*, email: str) -> QuerySet[Interview]:
    """A candidate's interviews that are waiting for them or running."""
    return (
        Interview.objects.filter(
            candidate__email=email.strip().lower(), status__in=Interview.LIVE_STATUSES
        )
        .select_related("position")
        .order_by("-created_at")
    )


def open_positions() -> QuerySet[Position]:
    return Position.objects.filter(is_active=True).order_by("title")
