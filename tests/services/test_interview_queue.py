"""The line for an interviewer: admitted while a slot is free, otherwise in arrival order
with a place and an honest estimate; a candidate who leaves frees their place; starts are
paced; workers that stopped reporting, or drain, take no one."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from interviews.models import Interview, InterviewerWorker
from interviews.selectors.interviewer_capacity import capacity_now
from interviews.services.interview_queue import (
    interview_admit_or_queue,
    worker_gone,
    worker_report,
)
from interviews.services.lifecycle import interview_finish, interview_start
from tests.factories import InterviewFactory, PositionFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def later(seconds: float):  # noqa: ANN201
    return NOW + timedelta(seconds=seconds)


def report(capacity: int, in_use: int, *, at=NOW, worker: str = "w1", draining=False) -> None:  # noqa: ANN001
    worker_report(worker_id=worker, capacity=capacity, in_use=in_use, draining=draining, now=at)


def fresh(interview: Interview) -> Interview:
    return Interview.objects.get(pk=interview.pk)


def test_with_no_worker_reporting_nobody_is_held_in_line():
    interview = InterviewFactory()

    admission = interview_admit_or_queue(interview=interview, now=NOW)

    assert admission.admitted
    assert fresh(interview).queued_at is None


def test_a_free_slot_admits_the_candidate():
    report(capacity=2, in_use=1)
    interview = InterviewFactory()

    assert interview_admit_or_queue(interview=interview, now=NOW).admitted


def test_when_every_slot_is_taken_the_candidate_is_told_their_place_and_the_wait():
    # 2 technical + 1 behavioural question: the position's own estimate, 6 minutes.
    position = PositionFactory(technical_questions=2, behavioral_questions=1)
    report(capacity=1, in_use=1)
    first, second = InterviewFactory(position=position), InterviewFactory(position=position)

    one = interview_admit_or_queue(interview=first, now=NOW)
    two = interview_admit_or_queue(interview=second, now=later(1))

    assert (one.admitted, one.place) == (False, 1)
    assert (two.admitted, two.place) == (False, 2)
    # One slot: the first waits about one interview, the second about two.
    assert one.estimate_seconds == position.estimated_minutes * 60
    assert two.estimate_seconds == 2 * position.estimated_minutes * 60
    assert fresh(first).queued_at == NOW
    assert fresh(first).admitted_at is None


def test_the_estimate_follows_how_long_recent_interviews_took():
    for minutes in (10, 20, 30):
        done = InterviewFactory()
        interview_start(interview=done, ai_mode="structured", at=NOW - timedelta(hours=1))
        interview_finish(interview=done, at=NOW - timedelta(hours=1) + timedelta(minutes=minutes))
    report(capacity=2, in_use=2)

    admission = interview_admit_or_queue(interview=InterviewFactory(), now=NOW)

    # Two slots, interviews of 20 minutes on average: one frees every 10 minutes.
    assert admission.estimate_seconds == 10 * 60


def test_candidates_are_admitted_in_the_order_they_arrived():
    report(capacity=1, in_use=1)
    first, second = InterviewFactory(), InterviewFactory()
    interview_admit_or_queue(interview=first, now=NOW)
    interview_admit_or_queue(interview=second, now=later(1))

    report(capacity=1, in_use=0, at=later(5))  # an interview ended
    # The later one asks first: it is still behind the first.
    behind = interview_admit_or_queue(interview=fresh(second), now=later(6))
    turn = interview_admit_or_queue(interview=fresh(first), now=later(7))

    assert (behind.admitted, behind.place) == (False, 2)
    assert turn.admitted
    assert fresh(first).queued_at is None


def test_a_candidate_who_left_the_line_frees_their_place():
    report(capacity=1, in_use=1)
    first, second = InterviewFactory(), InterviewFactory()
    interview_admit_or_queue(interview=first, now=NOW)
    interview_admit_or_queue(interview=second, now=later(1))

    # The first stops asking (closed the page); the second keeps asking every few seconds.
    report(capacity=1, in_use=1, at=later(10))
    interview_admit_or_queue(interview=fresh(second), now=later(10))
    report(capacity=1, in_use=1, at=later(18))
    admission = interview_admit_or_queue(interview=fresh(second), now=later(18))

    assert admission.place == 1
    assert capacity_now(now=later(18)).waiting == 1


def test_starts_are_paced_and_the_wait_for_a_start_is_short(settings):
    settings.AGENT_STARTS_AT_ONCE = 2
    report(capacity=10, in_use=0)
    first, second, third = InterviewFactory(), InterviewFactory(), InterviewFactory()

    admitted = [interview_admit_or_queue(interview=i, now=NOW).admitted for i in (first, second)]
    held = interview_admit_or_queue(interview=third, now=NOW)

    assert admitted == [True, True]
    assert (held.admitted, held.place) == (False, 1)
    assert held.estimate_seconds is not None and held.estimate_seconds <= 30
    assert capacity_now(now=NOW).starting == 2

    # One interviewer starts its interview: the next start may begin.
    interview_start(interview=first, ai_mode="structured", at=later(2))
    report(capacity=10, in_use=1, at=later(2))
    assert interview_admit_or_queue(interview=fresh(third), now=later(3)).admitted


def test_a_worker_that_stopped_reporting_or_drains_takes_no_one():
    report(capacity=5, in_use=0, worker="stopping", draining=True)
    report(capacity=5, in_use=0, worker="gone", at=NOW - timedelta(minutes=1))
    report(capacity=1, in_use=1, worker="busy")

    capacity = capacity_now(now=NOW)
    admission = interview_admit_or_queue(interview=InterviewFactory(), now=NOW)

    assert (capacity.workers, capacity.capacity, capacity.free) == (2, 1, 0)
    assert not admission.admitted


def test_a_worker_that_stops_removes_its_report():
    report(capacity=5, in_use=0, worker="leaving")
    worker_gone(worker_id="leaving")
    assert not InterviewerWorker.objects.filter(worker_id="leaving").exists()


@pytest.mark.django_db(transaction=True)
def test_web_processes_asking_at_once_never_give_one_slot_twice():
    report(capacity=1, in_use=0, at=timezone.now())
    interviews = [InterviewFactory() for _ in range(8)]
    barrier = threading.Barrier(len(interviews))
    admitted: list[bool] = []
    lock = threading.Lock()

    def ask(interview: Interview) -> None:
        try:
            barrier.wait()
            answer = interview_admit_or_queue(interview=interview).admitted
            with lock:
                admitted.append(answer)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask, args=(i,)) for i in interviews]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(admitted) == [False] * 7 + [True]
    assert Interview.objects.filter(admitted_at__isnull=False).count() == 1
    places = sorted(
        interview_admit_or_queue(interview=i).place
        for i in Interview.objects.filter(queued_at__isnull=False)
    )
    assert places == list(range(1, 8))


def test_only_workers_of_the_dispatched_name_give_a_slot(settings):
    settings.LIVEKIT_AGENT_NAME = "interviewer-eu"
    worker_report(worker_id="us", capacity=5, in_use=0, draining=False, agent_name="other")
    worker_report(worker_id="eu", capacity=1, in_use=1, draining=False)

    assert capacity_now().capacity == 1
    assert not interview_admit_or_queue(interview=InterviewFactory()).admitted
