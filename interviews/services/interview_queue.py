"""Who gets an interviewer now, and who waits in line.

Every `runagent` reports its capacity (AGENT_MAX_INTERVIEWS) and the interviews it holds
every few seconds (`worker_report`). A candidate asking for an interviewer (the token,
then the join page every few seconds) is admitted while there is a free slot and no one
arrived before them; otherwise they wait in arrival order and are told their place and an
estimate. The line lives in the database, so every web process sees the same one.

Starts are paced: at most AGENT_STARTS_AT_ONCE interviews per worker may be admitted and
not yet started by their interviewer, since interviews starting together on a small
machine starve each other of CPU (20 starts at once on two cores greeted no one within
5 s).

When no worker reports (none is running, or all are restarting), nobody is held in line:
the candidate is admitted, and the interviewer is sent again until one joins
(interviews.services.interviewer_dispatch).
"""

import math
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from interviews.models import Interview, InterviewerWorker
from interviews.selectors import interviewer_capacity as slots
from interviews.selectors.interviewer_capacity import Capacity

# Workers report this often (agent_worker.session.runner).
HEARTBEAT_SECONDS = 5.0
# A candidate held only by the pacing of starts waits about this long per round of starts.
PACED_START_SECONDS = 10


@dataclass(frozen=True)
class Admission:
    admitted: bool
    place: int | None = None  # 1 for the next in line
    estimate_seconds: int | None = None

    def news(self) -> dict[str, int | None]:
        """What the join page is told while the candidate waits in line."""
        return {"place": self.place, "estimate_seconds": self.estimate_seconds}


def worker_report(
    *,
    worker_id: str,
    capacity: int,
    in_use: int,
    draining: bool,
    agent_name: str | None = None,
    now: datetime | None = None,
) -> None:
    InterviewerWorker.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "agent_name": agent_name or settings.LIVEKIT_AGENT_NAME,
            "capacity": capacity,
            "in_use": in_use,
            "draining": draining,
            "seen_at": now or timezone.now(),
        },
    )


def worker_gone(*, worker_id: str) -> None:
    InterviewerWorker.objects.filter(worker_id=worker_id).delete()


def estimate_wait_seconds(*, place: int, capacity: Capacity, interview_seconds: float) -> int:
    """Slots free up as interviews end, one every interview_seconds / capacity on
    average: the candidate at `place` waits about that many of them."""
    slots = max(1, capacity.capacity)
    return math.ceil(place * interview_seconds / slots)


def interview_admit_or_queue(*, interview: Interview, now: datetime | None = None) -> Admission:
    """Admit the candidate when a slot is free and nobody waits before them; otherwise
    keep (or put) them in line and say where they stand."""
    now = now or timezone.now()
    if interview.queued_at is None and not slots.reporting(now).exists():
        # Nobody to wait for: no line, and nothing to write (the token stays one read
        # and one write of its own).
        return Admission(admitted=True)
    with transaction.atomic():
        # Serializes the web processes deciding on the same slots: on PostgreSQL the
        # workers' rows are locked, on SQLite the first write locks the database.
        Interview.objects.filter(pk=interview.pk, queued_at__isnull=False).update(queue_seen_at=now)
        workers = list(slots.reporting(now).select_for_update())
        locked = Interview.objects.select_for_update().get(pk=interview.pk)
        if not workers:  # the last one stopped reporting a moment ago
            return _admit(locked, now)
        capacity = slots.capacity_now(now=now, workers=workers)
        taking = sum(not worker.draining for worker in workers)
        pace = settings.AGENT_STARTS_AT_ONCE * max(1, taking)
        arrived = locked.queued_at or now
        before = Q(queued_at__lt=arrived) | Q(queued_at=arrived, pk__lt=locked.pk)
        ahead = slots.in_line(now).filter(before).exclude(pk=locked.pk).count()
        if ahead < capacity.free and capacity.starting < pace:
            return _admit(locked, now)
        if locked.queued_at is None:
            locked.queued_at = now
        locked.queue_seen_at = now
        locked.admitted_at = None
        locked.save(update_fields=["queued_at", "queue_seen_at", "admitted_at"])
        place = ahead + 1
        if ahead < capacity.free:  # held only by the pacing of starts
            estimate = math.ceil(place / pace) * PACED_START_SECONDS
        else:
            seconds = slots.typical_interview_seconds(
                position_minutes=locked.position.estimated_minutes
            )
            estimate = estimate_wait_seconds(
                place=place - capacity.free, capacity=capacity, interview_seconds=seconds
            )
        return Admission(admitted=False, place=place, estimate_seconds=estimate)


def _admit(interview: Interview, now: datetime) -> Admission:
    interview.queued_at = None
    interview.queue_seen_at = None
    interview.admitted_at = now
    interview.save(update_fields=["queued_at", "queue_seen_at", "admitted_at"])
    return Admission(admitted=True)


def is_waiting(interview: Interview) -> bool:
    return interview.queued_at is not None
