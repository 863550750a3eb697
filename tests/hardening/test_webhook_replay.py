"""LiveKit may deliver webhook events twice, late, or out of order: the interview ends as
in-order delivery leaves it, and each event's side effects happen once."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interviews import live
from interviews.models import Interview, RoomEvent
from interviews.services.room_events import ROOM_EVENT_ORDER, room_event_process
from tests.factories import InterviewFactory
from tests.web.test_webhook import deliver, event_body

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
KINDS = ["room_started", "participant_joined", "participant_left", "room_finished"]

event_specs = st.lists(
    st.tuples(
        st.sampled_from(KINDS),
        st.integers(min_value=0, max_value=30),  # seconds after T0; ties happen
        st.booleans(),  # about the candidate (else the agent's participant)
    ),
    min_size=1,
    max_size=8,
)


def process(interview: Interview, spec: tuple, event_id: str) -> str:
    kind, seconds, candidate = spec
    identity = interview.participant_identity if candidate else "agent-AJ_1"
    return room_event_process(
        event_id=event_id,
        event=kind,
        room_name=interview.room_name,
        participant_identity=identity if kind.startswith("participant_") else "",
        occurred_at=T0 + timedelta(seconds=seconds),
    )


def state(interview: Interview) -> tuple:
    interview = Interview.objects.get(pk=interview.pk)
    return interview.status, interview.started_at, interview.ended_at


def in_order(specs: list[tuple]) -> list[int]:
    return sorted(
        range(len(specs)), key=lambda i: (specs[i][1], ROOM_EVENT_ORDER.index(specs[i][0]), i)
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(specs=event_specs, data=st.data())
def test_any_delivery_order_with_repeats_ends_as_in_order_delivery(specs, data, monkeypatch):
    broadcasts = []
    monkeypatch.setattr(live, "broadcast_interview_change", broadcasts.append)
    reference, replayed = InterviewFactory(), InterviewFactory()
    for i in in_order(specs):
        process(reference, specs[i], f"ref-{reference.pk}-{i}")

    once = data.draw(st.permutations(range(len(specs))))
    again = data.draw(st.lists(st.sampled_from(range(len(specs))), max_size=6))
    delivery = data.draw(st.permutations([*once, *again]))
    broadcasts.clear()
    outcomes = {}
    for i in delivery:
        outcome = process(replayed, specs[i], f"rep-{replayed.pk}-{i}")
        if i in outcomes:
            assert outcome == "duplicate"
        outcomes.setdefault(i, outcome)

    assert state(replayed) == state(reference)
    stored = RoomEvent.objects.filter(event_id__startswith=f"rep-{replayed.pk}-")
    assert stored.count() == len(specs)  # one record per event, however often it came
    assert len(broadcasts) <= len(specs)  # a repeat announces nothing


def test_a_signed_event_replayed_over_http_changes_nothing_the_second_time(client):
    interview = InterviewFactory()
    joined = event_body("participant_joined", interview, event_id="EV_A", at=T0)
    left = event_body("participant_left", interview, event_id="EV_B", at=T0 + timedelta(minutes=1))

    for body in (left, joined, left, joined, joined):
        assert deliver(client, body).status_code == 200

    interview = Interview.objects.get(pk=interview.pk)
    assert interview.status == Interview.Status.INTERRUPTED
    assert (interview.started_at, interview.ended_at) == (T0, T0 + timedelta(minutes=1))
    assert RoomEvent.objects.filter(interview=interview).count() == 2


@pytest.mark.parametrize("final", Interview.FINISHED_STATUSES)
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(specs=event_specs, data=st.data())
def test_no_event_sequence_reopens_a_finished_interview(final, specs, data):
    interview = InterviewFactory(status=final, ended_at=T0)
    delivery = data.draw(st.permutations(range(len(specs))))
    for i in delivery:
        process(interview, specs[i], f"fin-{interview.pk}-{i}")
    assert state(interview) == (final, None, T0)
