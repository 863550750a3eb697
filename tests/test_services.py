from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from interviews.models import (
    Candidate,
    Evaluation,
    Interview,
    InterviewQuestion,
    Question,
    TranscriptSegment,
    hash_invite,
)
from interviews.selectors.candidates import candidate_by_email
from interviews.selectors.interviews import interview_by_invite
from interviews.selectors.positions import position_by_name
from interviews.services.candidates import candidate_create, interview_identify_candidate
from interviews.services.invites import (
    interview_create,
    interview_reissue_invite,
    interview_revoke_invite,
)
from interviews.services.lifecycle import interview_finish, interview_interrupt, interview_start
from interviews.services.questions import (
    MAX_SUGGESTIONS_PER_INTERVIEW,
    interview_add_follow_up,
    interview_next_question,
    interview_record_answer,
    question_set_active,
)
from interviews.services.transcript import transcript_append
from tests.factories import CandidateFactory, InterviewFactory, PositionFactory

pytestmark = pytest.mark.django_db


# --- Candidates ------------------------------------------------------------------------


def test_it_creates_a_candidate_with_a_normalised_email():
    position = PositionFactory()
    candidate = candidate_create(
        email="  Jane.Doe@Example.COM ", name="  Jane   Doe ", position=position, experience_years=4
    )
    candidate.refresh_from_db()
    assert candidate.email == "jane.doe@example.com"
    assert candidate.name == "Jane Doe"
    assert candidate.experience_years == 4


def test_it_looks_a_candidate_up_whatever_the_case_and_spaces():
    CandidateFactory(email="jane@example.com")
    assert candidate_by_email(email=" JANE@example.com").email == "jane@example.com"
    assert candidate_by_email(email="nobody@example.com") is None


@pytest.mark.parametrize(
    ("email", "name", "experience", "message"),
    [
        ("jane.example.com", "Jane", 3, "no @ sign"),
        ("jane@", "Jane", 3, "not a valid email"),
        ("", "Jane", 3, "email address is needed"),
        ("jane@example.com", "", 3, "name is needed"),
        ("jane@example.com", "x" * 201, 3, "at most 200"),
        ("jane@example.com", "Jane", -1, "between 0 and 60"),
        ("jane@example.com", "Jane", 61, "between 0 and 60"),
        ("jane@example.com", "Jane", 2.5, "whole number"),
        ("jane@example.com", "Jane", "5", "whole number"),
        ("jane@example.com", "Jane", True, "whole number"),
    ],
)
def test_it_refuses_a_bad_candidate_and_writes_nothing(email, name, experience, message):
    with pytest.raises(ValidationError, match=message):
        candidate_create(
            email=email, name=name, position=PositionFactory(), experience_years=experience
        )
    assert not Candidate.objects.exists()


def test_it_never_overwrites_an_existing_candidate():
    existing = CandidateFactory(email="jane@example.com", name="Jane Original")
    with pytest.raises(ValidationError, match="already exists"):
        candidate_create(
            email="JANE@example.com",
            name="Someone Else",
            position=PositionFactory(),
            experience_years=9,
        )
    existing.refresh_from_db()
    assert existing.name == "Jane Original"
    assert Candidate.objects.count() == 1


def test_it_refuses_a_candidate_for_a_closed_position():
    with pytest.raises(ValidationError, match="not open"):
        candidate_create(
            email="jane@example.com",
            name="Jane",
            position=PositionFactory(is_active=False),
            experience_years=1,
        )
    assert not Candidate.objects.exists()


def test_it_finds_a_position_by_what_a_person_says(default_bank):
    position = PositionFactory(title="Site Reliability Engineer", slug="sre")
    assert position_by_name(name="site reliability engineer") == position
    assert position_by_name(name="SRE!") == position
    assert position_by_name(name="Data-Scientist").slug == "data-scientist"
    assert position_by_name(name="astronaut") is None
    assert position_by_name(name="   ") is None


# --- Interviews ------------------------------------------------------------------------


def test_a_personal_interview_stores_only_the_hash_of_its_invite():
    candidate = CandidateFactory()
    new = interview_create(position=candidate.position, candidate=candidate)
    interview = Interview.objects.get()
    assert len(new.invite_secret) >= 32  # 192 bits, url-safe base64
    assert interview.invite_hash == hash_invite(new.invite_secret)
    assert new.invite_secret not in str(Interview.objects.values().get())
    assert interview.status == Interview.Status.INVITED
    assert interview.kind == Interview.Kind.PERSONAL
    assert interview_by_invite(secret=new.invite_secret) == interview


def test_an_invite_expires_after_the_configured_days(settings):
    settings.INVITE_TTL_DAYS = 3
    now = timezone.now()
    candidate = CandidateFactory()
    interview = interview_create(
        position=candidate.position, candidate=candidate, now=now
    ).interview
    assert interview.invite_expires_at == now + timedelta(days=3)
    assert interview.link_problem(at=now + timedelta(days=2)) is None
    assert interview.link_problem(at=now + timedelta(days=3, seconds=1)) == "expired"


def test_an_open_link_interview_has_no_candidate_and_no_invite():
    interview = interview_create(position=PositionFactory()).interview
    assert interview.candidate is None
    assert interview.invite_hash is None
    assert interview.kind == Interview.Kind.OPEN


def test_no_interview_starts_for_a_closed_position():
    with pytest.raises(ValidationError, match="not open"):
        interview_create(position=PositionFactory(is_active=False))
    assert not Interview.objects.exists()


def test_reissuing_an_invite_replaces_the_old_link():
    candidate = CandidateFactory()
    old = interview_create(position=candidate.position, candidate=candidate)
    interview_revoke_invite(interview=old.interview)
    new = interview_reissue_invite(interview=old.interview)
    assert interview_by_invite(secret=old.invite_secret) is None
    interview = interview_by_invite(secret=new.invite_secret)
    assert interview.pk == old.interview.pk
    assert interview.invite_revoked_at is None


def test_a_revoked_invite_is_no_longer_usable():
    candidate = CandidateFactory()
    new = interview_create(position=candidate.position, candidate=candidate)
    interview_revoke_invite(interview=new.interview)
    new.interview.refresh_from_db()
    assert new.interview.link_problem() == "revoked"


def test_an_interview_goes_in_progress_then_interrupted_then_completed():
    interview = InterviewFactory()
    interview_start(interview=interview, ai_mode="structured")
    interview.refresh_from_db()
    assert interview.status == Interview.Status.IN_PROGRESS
    assert interview.ai_mode == "structured"
    first_start = interview.started_at

    interview_interrupt(interview=interview)
    interview.refresh_from_db()
    assert interview.status == Interview.Status.INTERRUPTED

    interview_start(interview=interview, ai_mode="structured")
    interview_finish(interview=interview)
    interview.refresh_from_db()
    assert interview.status == Interview.Status.COMPLETED
    assert interview.started_at == first_start
    assert interview.ended_at is not None
    assert Evaluation.objects.get(interview=interview).status == "awaiting_review"


def test_a_completed_interview_cannot_be_restarted_or_interrupted():
    interview = InterviewFactory(status=Interview.Status.COMPLETED)
    with pytest.raises(ValidationError, match="already completed"):
        interview_start(interview=interview, ai_mode="structured")
    interview_interrupt(interview=interview)
    interview.refresh_from_db()
    assert interview.status == Interview.Status.COMPLETED


def test_finishing_twice_is_harmless():
    interview = InterviewFactory(status=Interview.Status.IN_PROGRESS)
    interview_finish(interview=interview)
    interview_finish(interview=interview)
    assert Evaluation.objects.filter(interview=interview).count() == 1


def test_an_open_interview_is_tied_to_the_candidate_it_identifies():
    interview = InterviewFactory(candidate=None, kind=Interview.Kind.OPEN)
    candidate = CandidateFactory()
    interview_identify_candidate(interview=interview, candidate=candidate)
    interview.refresh_from_db()
    assert interview.candidate == candidate


def test_a_personal_interview_cannot_switch_candidates():
    interview = InterviewFactory()
    owner = interview.candidate
    with pytest.raises(ValidationError, match="another candidate"):
        interview_identify_candidate(interview=interview, candidate=CandidateFactory())
    interview.refresh_from_db()
    assert interview.candidate == owner


# --- Answers, follow-ups, transcript ---------------------------------------------------


def test_an_answer_goes_to_the_question_waiting_for_it(position_with_bank):
    interview = InterviewFactory(position=position_with_bank, candidate__experience_years=1)
    asked = interview_next_question(interview=interview)
    interview_record_answer(interview=interview, answer="  My answer.  ")
    asked.refresh_from_db()
    assert asked.answer == "My answer."
    assert asked.is_answered


def test_an_answer_without_a_question_is_refused():
    interview = InterviewFactory()
    with pytest.raises(ValidationError, match="No question is waiting"):
        interview_record_answer(interview=interview, answer="Hello")
    assert not InterviewQuestion.objects.exists()


@pytest.mark.parametrize(("answer", "message"), [("   ", "empty"), ("x" * 20_001, "at most")])
def test_a_bad_answer_is_refused_and_nothing_is_written(position_with_bank, answer, message):
    interview = InterviewFactory(position=position_with_bank)
    asked = interview_next_question(interview=interview)
    with pytest.raises(ValidationError, match=message):
        interview_record_answer(interview=interview, answer=answer)
    asked.refresh_from_db()
    assert asked.answer == "" and not asked.is_answered


def test_a_follow_up_is_asked_and_suggested_inactive_to_the_bank(position_with_bank):
    interview = InterviewFactory(position=position_with_bank)
    parent = interview_next_question(interview=interview)
    follow_up = interview_add_follow_up(
        interview=interview, text="Why that data structure?", rubric="Names the trade-off."
    )
    assert follow_up.follow_up_to == parent
    assert follow_up.sequence == parent.sequence + 1
    suggestion = follow_up.question
    assert suggestion.is_active is False
    assert suggestion.origin == Question.Origin.AGENT
    assert suggestion.suggested_in == interview
    assert suggestion.stage == parent.stage

    interview_record_answer(interview=interview, answer="Because of lookups.")
    follow_up.refresh_from_db()
    parent.refresh_from_db()
    assert follow_up.answer == "Because of lookups."
    assert not parent.is_answered


def test_follow_ups_are_limited_per_interview(position_with_bank):
    interview = InterviewFactory(position=position_with_bank)
    interview_next_question(interview=interview)
    for n in range(MAX_SUGGESTIONS_PER_INTERVIEW):
        interview_add_follow_up(interview=interview, text=f"Follow-up {n}?")
    with pytest.raises(ValidationError, match="No more follow-ups"):
        interview_add_follow_up(interview=interview, text="One too many?")
    assert interview.suggested_questions.count() == MAX_SUGGESTIONS_PER_INTERVIEW


def test_a_follow_up_needs_a_question_first():
    interview = InterviewFactory()
    with pytest.raises(ValidationError, match="after a question"):
        interview_add_follow_up(interview=interview, text="Why?")
    assert not Question.objects.filter(origin=Question.Origin.AGENT).exists()


def test_bulk_activation_changes_only_the_chosen_questions(position_with_bank):
    inactive = Question.objects.get(position=position_with_bank, is_active=False)
    assert question_set_active(questions=[inactive], active=True) == 1
    assert Question.objects.filter(position=position_with_bank, is_active=False).count() == 0


def test_the_transcript_keeps_the_order_things_were_said():
    interview = InterviewFactory()
    transcript_append(interview=interview, speaker="agent", text="Hello.")
    transcript_append(interview=interview, speaker="candidate", text=" Hi! ")
    transcript_append(interview=interview, speaker="candidate", text="   ")
    segments = list(TranscriptSegment.objects.filter(interview=interview))
    assert [(s.sequence, s.speaker, s.text) for s in segments] == [
        (1, "agent", "Hello."),
        (2, "candidate", "Hi!"),
    ]


def test_the_transcript_refuses_an_unknown_speaker():
    interview = InterviewFactory()
    with pytest.raises(ValidationError, match="Unknown speaker"):
        transcript_append(interview=interview, speaker="narrator", text="Once...")
    assert not TranscriptSegment.objects.exists()
