from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from interviews.models import Interview, hash_invite
from tests.factories import InterviewFactory

pytestmark = pytest.mark.django_db


def test_every_interview_gets_its_own_room():
    first, second = InterviewFactory(), InterviewFactory()
    assert first.room_name.startswith("interview-")
    assert first.room_name != second.room_name
    with pytest.raises(IntegrityError), transaction.atomic():
        InterviewFactory(room_name=first.room_name)
    assert Interview.objects.count() == 2


def test_invites_are_hashed_with_sha256():
    assert hash_invite("secret") == (
        "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b"
    )


def test_models_describe_themselves():
    interview = InterviewFactory(candidate__email="ann@example.com", position__title="Analyst")
    assert str(interview) == "Analyst interview with ann@example.com"
    assert str(interview.candidate).endswith("<ann@example.com>")
    assert str(interview.position) == "Analyst"
    open_interview = InterviewFactory(candidate=None, kind=Interview.Kind.OPEN)
    assert "unidentified candidate" in str(open_interview)


def test_the_candidate_joining_starts_an_invited_interview_and_leaving_interrupts_it():
    interview = InterviewFactory()
    joined_at = timezone.now()
    assert interview.mark_room_event(event="participant_joined", at=joined_at)
    assert interview.status == Interview.Status.IN_PROGRESS
    assert interview.started_at == joined_at
    left_at = joined_at + timedelta(minutes=5)
    assert interview.mark_room_event(event="participant_left", at=left_at)
    assert interview.status == Interview.Status.INTERRUPTED
    assert interview.ended_at == left_at
    assert not interview.mark_room_event(event="participant_left", at=left_at)


def test_room_events_never_move_a_finished_interview():
    interview = InterviewFactory()
    interview.mark_completed(at=timezone.now())
    assert not interview.mark_room_event(event="participant_joined", at=timezone.now())
    assert interview.status == Interview.Status.COMPLETED


def test_the_room_history_sets_the_earliest_start_and_the_last_departure():
    interview = InterviewFactory()
    first_join = timezone.now()
    interview.mark_as_room_history_shows(first_join=first_join, left_at=None)
    assert interview.status == Interview.Status.IN_PROGRESS
    assert interview.started_at == first_join and interview.ended_at is None
    left_at = first_join + timedelta(minutes=3)
    interview.mark_as_room_history_shows(
        first_join=first_join - timedelta(minutes=1), left_at=left_at
    )
    assert interview.status == Interview.Status.INTERRUPTED
    assert interview.started_at == first_join - timedelta(minutes=1)
    assert interview.ended_at == left_at


def test_every_status_is_either_live_or_finished():
    statuses = set(Interview.Status.values)
    assert set(Interview.LIVE_STATUSES) | set(Interview.FINISHED_STATUSES) == statuses
    assert not set(Interview.LIVE_STATUSES) & set(Interview.FINISHED_STATUSES)


def test_a_resumable_interview_is_live_and_not_running():
    assert set(Interview.RESUMABLE_STATUSES) < set(Interview.LIVE_STATUSES)
    assert Interview.Status.IN_PROGRESS not in Interview.RESUMABLE_STATUSES


def test_an_interview_a_person_may_decide_on_is_interrupted_or_completed():
    assert set(Interview.ENDED_STATUSES) == {
        Interview.Status.INTERRUPTED,
        Interview.Status.COMPLETED,
    }
    assert set(Interview.FINISHED_STATUSES) <= set(Interview.ENDED_STATUSES)


@pytest.mark.parametrize("status", Interview.FINISHED_STATUSES)
def test_a_finished_interview_ignores_the_candidate_joining_its_room(status):
    interview = InterviewFactory(status=status)
    assert interview.is_finished
    assert not interview.mark_room_event(event="participant_joined", at=timezone.now())
    assert interview.status == status


def test_an_expired_link_leaves_the_interview_resumable_by_a_new_link():
    now = timezone.now()
    interview = InterviewFactory(
        status=Interview.Status.INTERRUPTED, invite_expires_at=now - timedelta(days=1)
    )
    assert interview.link_problem(at=now) == "expired"
    assert not interview.is_finished
    assert interview.status in Interview.RESUMABLE_STATUSES
