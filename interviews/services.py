"""Every write to the interview data happens here: the admin, the web views and the agent
all call these functions. Each runs in one transaction; bad input raises ValidationError
with a message a person (or the interviewer agent) can act on, and writes nothing.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from interviews import live
from interviews.models import (
    MAX_EXPERIENCE_YEARS,
    Candidate,
    Evaluation,
    Interview,
    InterviewQuestion,
    Position,
    Question,
    RoomEvent,
    Stage,
    TranscriptSegment,
    hash_invite,
)
from interviews.selectors import normalise_email

MAX_NAME_LENGTH = 200
MAX_ANSWER_LENGTH = 20_000
MAX_SEGMENT_LENGTH = 20_000
MAX_QUESTION_LENGTH = 1_000
# An interviewer may suggest a few follow-ups per interview, not flood the bank.
MAX_SUGGESTIONS_PER_INTERVIEW = 10


def _without_nul(text: str) -> str:
    # PostgreSQL cannot store NUL in text; it is never meaningful in what people say.
    return text.replace("\x00", "")


# --- Candidates ------------------------------------------------------------------------


def _clean_email(email: object) -> str:
    if not isinstance(email, str) or not email.strip():
        raise ValidationError("An email address is needed.", code="email_missing")
    normalised = normalise_email(email)
    if "@" not in normalised:
        raise ValidationError(
            "That email address has no @ sign; ask the candidate to spell it.",
            code="email_invalid",
        )
    try:
        validate_email(normalised)
    except ValidationError:
        raise ValidationError(
            "That is not a valid email address; ask the candidate to spell it again.",
            code="email_invalid",
        ) from None
    return normalised


def _clean_experience(experience_years: object) -> int:
    if isinstance(experience_years, bool) or not isinstance(experience_years, int):
        raise ValidationError(
            "Experience must be a whole number of years.", code="experience_invalid"
        )
    if not 0 <= experience_years <= MAX_EXPERIENCE_YEARS:
        raise ValidationError(
            f"Experience must be between 0 and {MAX_EXPERIENCE_YEARS} years.",
            code="experience_out_of_range",
        )
    return experience_years


def _clean_name(name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("The candidate's name is needed.", code="name_missing")
    name = " ".join(_without_nul(name).split())
    if not name:
        raise ValidationError("The candidate's name is needed.", code="name_missing")
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(
            f"A name can be at most {MAX_NAME_LENGTH} characters.", code="name_too_long"
        )
    return name


def candidate_create(
    *, email: str, name: str, position: Position, experience_years: int
) -> Candidate:
    """Create a candidate profile. An existing email is never overwritten."""
    email = _clean_email(email)
    name = _clean_name(name)
    experience_years = _clean_experience(experience_years)
    if not position.is_active:
        raise ValidationError(
            f"The {position.title} position is not open.", code="position_inactive"
        )
    with transaction.atomic():
        if Candidate.objects.filter(email=email).exists():
            raise ValidationError(
                "A candidate with this email already exists; look them up instead.",
                code="email_taken",
            )
        return Candidate.objects.create(
            email=email, name=name, position=position, experience_years=experience_years
        )


# --- Interviews ------------------------------------------------------------------------


@dataclass(frozen=True)
class NewInterview:
    interview: Interview
    # The raw invite secret, shown once: only its hash is stored.
    invite_secret: str | None


def interview_create(
    *,
    position: Position,
    candidate: Candidate | None = None,
    invite_ttl: timedelta | None = None,
    now: datetime | None = None,
) -> NewInterview:
    """A personal invite (with a candidate) or an open-link interview (without one)."""
    if not position.is_active:
        raise ValidationError(
            f"The {position.title} position is not open.", code="position_inactive"
        )
    now = now or timezone.now()
    with transaction.atomic():
        if candidate is None:
            interview = Interview.objects.create(position=position, kind=Interview.Kind.OPEN)
            live.broadcast_interview_change(interview)
            return NewInterview(interview=interview, invite_secret=None)
        secret, expires_at = _new_invite(invite_ttl=invite_ttl, now=now)
        interview = Interview.objects.create(
            position=position,
            candidate=candidate,
            kind=Interview.Kind.PERSONAL,
            invite_hash=hash_invite(secret),
            invite_expires_at=expires_at,
        )
        live.broadcast_interview_change(interview)
        return NewInterview(interview=interview, invite_secret=secret)


def _new_invite(*, invite_ttl: timedelta | None, now: datetime) -> tuple[str, datetime]:
    ttl = invite_ttl if invite_ttl is not None else timedelta(days=settings.INVITE_TTL_DAYS)
    if ttl <= timedelta(0):
        raise ValidationError("An invite must be valid for some time.", code="ttl_invalid")
    return secrets.token_urlsafe(24), now + ttl  # 192 random bits


def interview_reissue_invite(
    *, interview: Interview, invite_ttl: timedelta | None = None, now: datetime | None = None
) -> NewInterview:
    """A fresh link for a personal interview (the old one stops working)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(interview)
        _refuse_if_finished(locked)
        if locked.kind != Interview.Kind.PERSONAL:
            raise ValidationError(
                "Only personal interviews have invite links.", code="not_personal"
            )
        secret, expires_at = _new_invite(invite_ttl=invite_ttl, now=now)
        locked.invite_hash = hash_invite(secret)
        locked.invite_expires_at = expires_at
        locked.invite_revoked_at = None
        locked.save(
            update_fields=["invite_hash", "invite_expires_at", "invite_revoked_at", "updated_at"]
        )
        return NewInterview(interview=locked, invite_secret=secret)


def interview_revoke_invite(*, interview: Interview, now: datetime | None = None) -> Interview:
    with transaction.atomic():
        locked = _locked(interview)
        if locked.invite_revoked_at is None:
            locked.invite_revoked_at = now or timezone.now()
            locked.save(update_fields=["invite_revoked_at", "updated_at"])
        return locked


def _locked(interview: Interview) -> Interview:
    return (
        Interview.objects.select_for_update(of=("self",))
        .select_related("position", "candidate")
        .get(pk=interview.pk)
    )


def _refuse_if_finished(interview: Interview) -> None:
    if interview.is_finished:
        raise ValidationError(
            f"This interview is already {interview.get_status_display().lower()}.",
            code="interview_finished",
        )


def interview_start(*, interview: Interview, ai_mode: str, at: datetime | None = None) -> Interview:
    """The interviewer has joined: in progress (again, after an interruption)."""
    with transaction.atomic():
        locked = _locked(interview)
        _refuse_if_finished(locked)
        locked.mark_started(ai_mode=ai_mode, at=at or timezone.now())
        locked.save(update_fields=["status", "ai_mode", "started_at", "ended_at", "updated_at"])
        live.broadcast_interview_change(locked)
        return locked


def interview_identify_candidate(*, interview: Interview, candidate: Candidate) -> Interview:
    """Tie the candidate to the interview; a personal invite's candidate is fixed."""
    with transaction.atomic():
        locked = _locked(interview)
        _refuse_if_finished(locked)
        if locked.candidate_id and locked.candidate_id != candidate.pk:
            raise ValidationError(
                "This interview belongs to another candidate; it cannot be switched.",
                code="candidate_fixed",
            )
        if locked.candidate_id is None:
            locked.candidate = candidate
            locked.save(update_fields=["candidate", "updated_at"])
        return locked


def interview_interrupt(*, interview: Interview, at: datetime | None = None) -> Interview:
    """The candidate left or the interviewer stopped early; nothing said is lost."""
    with transaction.atomic():
        locked = _locked(interview)
        if locked.status == Interview.Status.IN_PROGRESS:
            locked.mark_interrupted(at=at or timezone.now())
            locked.save(update_fields=["status", "ended_at", "updated_at"])
            live.broadcast_interview_change(locked)
        return locked


def interview_finish(*, interview: Interview, at: datetime | None = None) -> Interview:
    """Completed: the plan was asked. The result waits for a human review."""
    with transaction.atomic():
        locked = _locked(interview)
        if locked.status == Interview.Status.COMPLETED:
            return locked
        _refuse_if_finished(locked)
        locked.mark_completed(at=at or timezone.now())
        locked.save(update_fields=["status", "ended_at", "updated_at"])
        Evaluation.objects.get_or_create(interview=locked)
        live.broadcast_interview_change(locked)
        return locked


# --- Questions and answers -------------------------------------------------------------


def _next_sequence(interview: Interview) -> int:
    last = interview.asked.aggregate(last=Max("sequence"))["last"]
    return (last or 0) + 1


def interview_next_question(*, interview: Interview) -> InterviewQuestion | None:
    """The question to ask now, or None when the interview plan is complete.

    Technical questions come before behavioral ones, each fits the candidate's
    experience, none repeats, and the position's plan sets how many of each. A question
    asked but not yet answered (after a reconnect) is asked again rather than skipped.
    """
    with transaction.atomic():
        locked = _locked(interview)
        _refuse_if_finished(locked)
        if locked.candidate is None:
            raise ValidationError(
                "The candidate is not identified yet; ask for their email first.",
                code="candidate_unknown",
            )
        main_questions = locked.asked.filter(follow_up_to__isnull=True)
        pending = main_questions.filter(answered_at__isnull=True).order_by("sequence").first()
        if pending is not None:
            return pending
        experience = locked.candidate.experience_years
        asked_ids = [qid for qid in main_questions.values_list("question_id", flat=True) if qid]
        for stage in (Stage.TECHNICAL, Stage.BEHAVIORAL):
            if main_questions.filter(stage=stage).count() >= locked.position.planned_count(stage):
                continue
            question = (
                Question.objects.filter(
                    position=locked.position,
                    stage=stage,
                    is_active=True,
                    min_experience__lte=experience,
                    max_experience__gte=experience,
                )
                .exclude(pk__in=asked_ids)
                .order_by("order", "pk")
                .first()
            )
            if question is None:
                continue  # The bank has no more for this stage: move on rather than stall.
            return InterviewQuestion.objects.create(
                interview=locked,
                question=question,
                sequence=_next_sequence(locked),
                stage=stage,
                text=question.text,
                rubric=question.rubric,
            )
        return None


def interview_record_answer(
    *, interview: Interview, answer: str, at: datetime | None = None
) -> InterviewQuestion:
    """Record the answer to the most recently asked question still awaiting one."""
    if not isinstance(answer, str) or not answer.strip():
        raise ValidationError("The answer is empty; ask the candidate to answer.", code="empty")
    answer = _without_nul(answer).strip()
    if not answer:
        raise ValidationError("The answer is empty; ask the candidate to answer.", code="empty")
    if len(answer) > MAX_ANSWER_LENGTH:
        raise ValidationError(
            f"An answer can be at most {MAX_ANSWER_LENGTH} characters; record a summary.",
            code="answer_too_long",
        )
    with transaction.atomic():
        locked = _locked(interview)
        _refuse_if_finished(locked)
        waiting = locked.asked.filter(answered_at__isnull=True).order_by("-sequence").first()
        if waiting is None:
            raise ValidationError(
                "No question is waiting for an answer; get the next question first.",
                code="no_open_question",
            )
        waiting.answer = answer
        waiting.answered_at = at or timezone.now()
        waiting.save(update_fields=["answer", "answered_at"])
        return waiting


def interview_add_follow_up(
    *, interview: Interview, text: str, rubric: str = ""
) -> InterviewQuestion:
    """Ask a follow-up of the interviewer's own; it also becomes an inactive suggestion
    for the question bank that a recruiter may approve."""
    if not isinstance(text, str) or not text.strip():
        raise ValidationError("The follow-up question is empty.", code="empty")
    text, rubric = _without_nul(text).strip(), _without_nul(rubric or "").strip()
    if not text:
        raise ValidationError("The follow-up question is empty.", code="empty")
    if len(text) > MAX_QUESTION_LENGTH or len(rubric) > MAX_QUESTION_LENGTH:
        raise ValidationError(
            f"Keep a question and its rubric under {MAX_QUESTION_LENGTH} characters each.",
            code="question_too_long",
        )
    with transaction.atomic():
        locked = _locked(interview)
        _refuse_if_finished(locked)
        parent = locked.asked.filter(follow_up_to__isnull=True).order_by("-sequence").first()
        if parent is None:
            raise ValidationError(
                "Follow-ups come after a question; get the next question first.",
                code="no_question_yet",
            )
        if locked.suggested_questions.count() >= MAX_SUGGESTIONS_PER_INTERVIEW:
            raise ValidationError(
                "No more follow-ups in this interview; continue with the next question.",
                code="suggestion_quota",
            )
        suggestion = Question.objects.create(
            position=locked.position,
            stage=parent.stage,
            text=text,
            rubric=rubric,
            is_active=False,
            origin=Question.Origin.AGENT,
            suggested_in=locked,
            order=10_000,
        )
        return InterviewQuestion.objects.create(
            interview=locked,
            question=suggestion,
            follow_up_to=parent,
            sequence=_next_sequence(locked),
            stage=parent.stage,
            text=text,
            rubric=rubric,
        )


def question_set_active(*, questions: list[Question], active: bool) -> int:
    """Recruiters' bulk activate / deactivate / approve of suggestions."""
    ids = [q.pk for q in questions]
    with transaction.atomic():
        return Question.objects.filter(pk__in=ids).update(is_active=active)


# --- Transcript ------------------------------------------------------------------------


def transcript_append(
    *, interview: Interview, speaker: str, text: str, at: datetime | None = None
) -> TranscriptSegment | None:
    """Append what was said, as it is said. Blank utterances are not stored."""
    if speaker not in TranscriptSegment.Speaker.values:
        raise ValidationError(f"Unknown speaker {speaker!r}.", code="speaker_invalid")
    if not isinstance(text, str) or not text.strip():
        return None
    text = _without_nul(text).strip()[:MAX_SEGMENT_LENGTH]
    if not text:
        return None
    with transaction.atomic():
        locked = _locked(interview)
        last = locked.transcript.aggregate(last=Max("sequence"))["last"]
        return TranscriptSegment.objects.create(
            interview=locked,
            sequence=(last or 0) + 1,
            speaker=speaker,
            text=text,
            spoken_at=at or timezone.now(),
        )


# --- The candidate's page --------------------------------------------------------------

MAX_ACCOMMODATION_NOTE_LENGTH = 2_000


def _refuse_if_link_unusable(interview: Interview, *, at: datetime) -> None:
    problem = interview.link_problem(at=at)
    if problem is not None:
        raise ValidationError(
            {
                "completed": "This interview is already completed.",
                "closed": "This interview has been closed.",
                "revoked": "This interview link has been withdrawn.",
                "expired": "This interview link has expired.",
            }[problem],
            code=f"interview_{problem}",
        )


def interview_open_for_position(
    *, position: Position, current: Interview | None = None
) -> NewInterview:
    """The interview an open position link leads to: the browser's unfinished one for this
    position when there is one (a reload must not start a new interview), else a new one."""
    with transaction.atomic():
        if current is not None:
            current = Interview.objects.filter(pk=current.pk).first()
        if current is not None and current.continues_open_link(position):
            return NewInterview(interview=current, invite_secret=None)
        return interview_create(position=position)


def interview_record_consent(*, interview: Interview, at: datetime | None = None) -> Interview:
    """The candidate agreed to an interview by this interviewer, transcribed and reviewed
    by a person. The first agreement is the one kept."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = _locked(interview)
        _refuse_if_link_unusable(locked, at=at)
        if locked.consent_at is None:
            locked.consent_at = at
            locked.save(update_fields=["consent_at", "updated_at"])
        return locked


def interview_request_accommodation(
    *, interview: Interview, note: str = "", at: datetime | None = None
) -> Interview:
    """The candidate asks for an alternative process or an accommodation; a recruiter
    follows up. A later request replaces the note and the time."""
    if not isinstance(note, str):
        raise ValidationError("The note must be text.", code="note_invalid")
    note = _without_nul(note).strip()
    if len(note) > MAX_ACCOMMODATION_NOTE_LENGTH:
        raise ValidationError(
            f"Please keep the note under {MAX_ACCOMMODATION_NOTE_LENGTH} characters.",
            code="note_too_long",
        )
    at = at or timezone.now()
    with transaction.atomic():
        locked = _locked(interview)
        _refuse_if_link_unusable(locked, at=at)
        locked.accommodation_requested_at = at
        locked.accommodation_note = note
        locked.save(
            update_fields=["accommodation_requested_at", "accommodation_note", "updated_at"]
        )
        return locked


# --- LiveKit webhook events ------------------------------------------------------------

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
    A completed or abandoned interview is never changed. Whatever order LiveKit delivers
    events in, and however often, the interview ends as in-order delivery would leave it: a
    late event cannot move it back, and fills in what the newer ones implied.
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
            interview = _locked(interview)
            # Another delivery of the same id may have been recorded while we waited.
            if RoomEvent.objects.filter(event_id=event_id).exists():
                return "duplicate"
        relevant = (
            interview is not None
            and event in ROOM_EVENT_ORDER
            and (
                event.startswith("room_") or participant_identity == interview.participant_identity
            )
        )
        outcome = "ignored"
        if relevant:
            rank = ROOM_EVENT_ORDER.index(event)
            later_kinds = ROOM_EVENT_ORDER[rank + 1 :]
            newer = RoomEvent.objects.filter(interview=interview).filter(
                Q(occurred_at__gt=occurred_at) | Q(occurred_at=occurred_at, event__in=later_kinds)
            )
            if newer.exists():
                outcome = "stale"
            else:
                _apply_room_event(interview, event=event, at=occurred_at)
                outcome = "applied"
        RoomEvent.objects.create(
            event_id=event_id,
            event=event[:40],
            room_name=room_name[:200],
            participant_identity=participant_identity[:200],
            interview=interview if relevant else None,
            occurred_at=occurred_at,
            outcome=outcome,
        )
        if relevant:
            changed = _reconcile_room_events(interview)
            if outcome == "applied" or changed:
                # Even when the event changes nothing here: the state it announces may be
                # one the agent process wrote, which an in-memory layer did not carry.
                live.broadcast_interview_change(interview)
        return outcome


def _apply_room_event(interview: Interview, *, event: str, at: datetime) -> None:
    if interview.is_finished:
        return
    status = interview.status
    if event == "participant_joined" and status in (
        Interview.Status.INVITED,
        Interview.Status.INTERRUPTED,
    ):
        interview.mark_started(ai_mode=interview.ai_mode, at=at)
    elif event in ("participant_left", "room_finished") and status == Interview.Status.IN_PROGRESS:
        interview.mark_interrupted(at=at)
    else:
        return
    interview.save(update_fields=["status", "ai_mode", "started_at", "ended_at", "updated_at"])


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
    interview.started_at = min(interview.started_at or first_join, first_join)
    if joins[-1] == len(events) - 1:
        interview.status, interview.ended_at = Interview.Status.IN_PROGRESS, None
    else:
        interview.status = Interview.Status.INTERRUPTED
        interview.ended_at = events[joins[-1] + 1][0]
    if (interview.status, interview.started_at, interview.ended_at) == before:
        return False
    interview.save(update_fields=["status", "started_at", "ended_at", "updated_at"])
    return True


def interview_register_candidate(
    *, interview: Interview, email: str, name: str, position: Position, experience_years: int
) -> Interview:
    """A new candidate on an open link: create the profile and tie it to the interview, in
    one transaction, so a failure leaves neither a stray profile nor a half-identified
    interview. An interview that already has its candidate is refused."""
    with transaction.atomic():
        locked = _locked(interview)
        _refuse_if_finished(locked)
        if locked.candidate_id is not None:
            raise ValidationError(
                "The candidate is already identified; continue with the interview.",
                code="candidate_fixed",
            )
        candidate = candidate_create(
            email=email, name=name, position=position, experience_years=experience_years
        )
        return interview_identify_candidate(interview=locked, candidate=candidate)
