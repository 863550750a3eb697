"""LiveKit's webhook events about an interview's room, applied once each and in order,
whatever order and however often LiveKit delivers them."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from interviews import live
from interviews.models import Interview, RoomEvent
from interviews.services.common import locked_interview

# Events that move an interview, in the order they happen within one second (LiveKit
# stamps events in whole seconds): the later kind wins a tie.
ROOM_EVENT_ORDER = ("room_started", "participant_joined", "participant_left", "room_finished")


def room_event_process(
    *,
    event_id: str,
    event: str,
    room_name: str,
    participant_identity: str = "",
    occurred_at: datetime,
) -> str:
    """Apply one verified LiveKit webhook event to the interview held in its room.

    Returns the outcome: "applied", "duplicate" (this id was seen before), "stale" (a newer
    event for the interview came first), "ignored" (not about an interview's candidate).
    A finished interview is never changed. Whatever order LiveKit delivers events in, and
    however often, the interview ends as in-order delivery would leave it: a late event
    cannot move it back, and fills in what the newer ones implied.
    """
    if not event_id:
        raise ValidationError("The event has no id.", code="event_id_missing")
    if "\x00" in f"{event_id}{event}{room_name}{participant_identity}":
        raise ValidationError("The event holds a NUL character.", code="bad_event")
    with transaction.atomic():
        if RoomEvent.objects.filter(event_id=event_id).exists():
            return "duplicate"
        interview = Interview.objects.filter(room_name=room_name).first() if room_name else None
        if interview is not None:
            interview = locked_interview(interview)
            # Another delivery of the same id may have been recorded while we waited.
            if RoomEvent.objects.filter(event_id=event_id).exists():
                return "duplicate"
        # The interview this event is about, if it concerns its room or its candidate.
        subject = (
            interview
            if interview is not None
            and event in ROOM_EVENT_ORDER
            and (
                event.startswith("room_") or participant_identity == interview.participant_identity
            )
            else None
        )
        outcome = "ignored"
        if subject is not None:
            rank = ROOM_EVENT_ORDER.index(event)
            later_kinds = ROOM_EVENT_ORDER[rank + 1 :]
            newer = RoomEvent.objects.filter(interview=subject).filter(
                Q(occurred_at__gt=occurred_at) | Q(occurred_at=occurred_at, event__in=later_kinds)
            )
            if newer.exists():
                outcome = "stale"
            else:
                if subject.mark_room_event(event=event, at=occurred_at):
                    subject.save(
                        update_fields=["status", "ai_mode", "started_at", "ended_at", "updated_at"]
                    )
                outcome = "applied"
        RoomEvent.objects.create(
            event_id=event_id,
            event=event[:40],
            room_name=room_name[:200],
            participant_identity=participant_identity[:200],
            interview=subject,
            occurred_at=occurred_at,
            outcome=outcome,
        )
        if subject is not None:
            changed = _reconcile_room_events(subject)
            if outcome == "applied" or changed:
                # Even when the event changes nothing here: the state it announces may be
                # one the agent process wrote, which an in-memory layer did not carry.
                live.broadcast_interview_change(subject)
        return outcome


STATUS_EVENTS = ("participant_joined", "participant_left", "room_finished")


def _reconcile_room_events(interview: Interview) -> bool:
    """Bring the interview to what in-order delivery of every recorded event gives: the
    first join starts it; the first leave (or room end) after the last join interrupts it;
    a join after that resumes it. Returns whether anything changed."""
    if interview.is_finished:
        return False
    events = sorted(
        RoomEvent.objects.filter(interview=interview, event__in=STATUS_EVENTS).values_list(
            "occurred_at", "event"
        ),
        key=lambda row: (row[0], ROOM_EVENT_ORDER.index(row[1])),
    )
    joins = [i for i, (_, event) in enumerate(events) if event == "participant_joined"]
    if not joins:
        return False
    first_join = events[joins[0]][0]
    before = (interview.status, interview.started_at, interview.ended_at)
    last_join = joins[-1]
    left_at = events[last_join + 1][0] if last_join < len(events) - 1 else None
    interview.mark_as_room_history_shows(first_join=first_join, left_at=left_at)
    if (interview.status, interview.started_at, interview.ended_at) == before:
        return False
    interview.save(update_fields=["status", "started_at", "ended_at", "updated_at"])
    return True
