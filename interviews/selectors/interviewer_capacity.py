"""What the interviewer workers can take and hold right now, and who waits for them
(written by interviews.services.interview_queue; shown on the live dashboard)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from interviews.models import Interview, InterviewerWorker

# Workers report every few seconds; one silent for WORKER_GONE_AFTER is gone.
WORKER_GONE_AFTER = timedelta(seconds=20)
# The join page asks every 3 s while it waits: a candidate silent this long has left the
# line, and frees their place.
LEFT_LINE_AFTER = timedelta(seconds=15)
# An admitted interview counts as starting until its interviewer starts it, or for this
# long (a dispatch lost on the way is sent again, not held forever).
STARTING_FOR = timedelta(seconds=60)
# The interview length of the estimate: the mean of this many recent finished ones.
RECENT_INTERVIEWS = 50


@dataclass(frozen=True)
class Capacity:
    """What the workers that report can take, right now."""

    workers: int
    capacity: int  # of the workers taking new interviews (not draining)
    in_use: int  # interviews those workers hold
    starting: int  # admitted, the interviewer not yet started
    waiting: int  # in line

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.in_use - self.starting)


def reporting(now: datetime | None = None) -> QuerySet[InterviewerWorker]:
    """The workers that take this web app's interviews (its LIVEKIT_AGENT_NAME) and
    reported lately."""
    now = now or timezone.now()
    return InterviewerWorker.objects.filter(
        agent_name=settings.LIVEKIT_AGENT_NAME, seen_at__gte=now - WORKER_GONE_AFTER
    )


def starting(now: datetime) -> QuerySet[Interview]:
    return Interview.objects.filter(admitted_at__gte=now - STARTING_FOR).filter(
        Q(interviewer_joined_at__isnull=True) | Q(interviewer_joined_at__lt=F("admitted_at"))
    )


def in_line(now: datetime) -> QuerySet[Interview]:
    return Interview.objects.filter(
        queued_at__isnull=False, queue_seen_at__gte=now - LEFT_LINE_AFTER
    )


def capacity_now(
    *, now: datetime | None = None, workers: list[InterviewerWorker] | None = None
) -> Capacity:
    """`workers`: those reporting, when the caller already read (and locked) them."""
    now = now or timezone.now()
    if workers is None:
        workers = list(reporting(now))
    taking = [worker for worker in workers if not worker.draining]
    return Capacity(
        workers=len(workers),
        capacity=sum(worker.capacity for worker in taking),
        in_use=sum(worker.in_use for worker in taking),
        starting=starting(now).count(),
        waiting=in_line(now).count(),
    )


def typical_interview_seconds(*, position_minutes: int) -> float:
    """How long interviews take: the recent finished ones, or the position's estimate."""
    recent = list(
        Interview.objects.filter(
            status=Interview.Status.COMPLETED, started_at__isnull=False, ended_at__isnull=False
        )
        .order_by("-ended_at")
        .values_list("started_at", "ended_at")[:RECENT_INTERVIEWS]
    )
    lengths = [(ended - started).total_seconds() for started, ended in recent if started and ended]
    if len(lengths) < 3:
        return position_minutes * 60.0
    return sum(lengths) / len(lengths)
