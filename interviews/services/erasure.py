"""Candidates' data leaving: erasure on request and the retention purge. Each keeps a
record that it happened (when, by whom, how much), never whose data it was."""

from collections.abc import Collection
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from interviews.models import (
    Candidate,
    EmailCode,
    ErasureRecord,
    Interview,
    Question,
    RoomEvent,
)
from interviews.selectors.address_matches import confirmed_unidentified
from interviews.selectors.reports import candidate_interviews
from interviews.services.operation_log import operation_log_record
from interviews.services.recordings import recording_files_delete_on_commit

# How erase reports what it deleted: model label -> name in the erasure record.
COUNTED = {
    "interviews.Candidate": "candidates",
    "interviews.Interview": "interviews",
    "interviews.InterviewQuestion": "answers",
    "interviews.CodingWork": "coding_work",
    "interviews.CodeRun": "code_runs",
    "interviews.CodingHint": "coding_hints",
    "interviews.TranscriptSegment": "transcript_segments",
    "interviews.Evaluation": "evaluations",
    "interviews.QuestionScore": "question_scores",
    "interviews.DecisionRecord": "decisions",
    "interviews.RoomEvent": "room_events",
    "interviews.NoticeConsent": "notice_consents",
    "interviews.SelfIdentification": "self_identifications",
    "interviews.Recording": "recordings",
}


def _erase(*, interviews: QuerySet[Interview], candidates: QuerySet[Candidate]) -> dict[str, int]:
    counts = dict.fromkeys(COUNTED.values(), 0)
    interview_ids = list(interviews.values_list("pk", flat=True))
    candidate_ids = list(candidates.values_list("pk", flat=True))
    room_names = list(interviews.values_list("room_name", flat=True))
    # What the system did stays on record, without the personal data deleted below.
    operation_log_record(interviews=Interview.objects.filter(pk__in=interview_ids))
    # Follow-ups the interviewer suggested were written from the candidate's answers: they
    # go too, unless a recruiter has put them in the bank (then they are the team's text).
    suggested = Question.objects.filter(suggested_in__in=interview_ids)
    counts["suggested_questions_deleted"] = suggested.filter(
        origin=Question.Origin.AGENT, is_active=False
    ).delete()[0]
    counts["suggested_questions_unlinked"] = suggested.count()
    # The recordings' files leave the storage once their rows are gone for good.
    counts["recording_files"] = recording_files_delete_on_commit(interview_ids=interview_ids)
    deleted = [
        RoomEvent.objects.filter(room_name__in=room_names).delete()[1],
        Interview.objects.filter(pk__in=interview_ids).delete()[1],
        Candidate.objects.filter(pk__in=candidate_ids).delete()[1],
    ]
    for per_model in deleted:
        for label, number in per_model.items():
            if label in COUNTED:
                counts[COUNTED[label]] += number
    # The admin's history names the objects it changed ("Name <email>").
    for model, ids in ((Interview, interview_ids), (Candidate, candidate_ids)):
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in ids],
        ).delete()
    return counts


def candidate_erase(
    *,
    candidate: Candidate,
    erased_by: AbstractBaseUser,
    unidentified: Collection[int] = (),
) -> ErasureRecord:
    """Erase everything held about a candidate: profile, self-identification, interviews,
    transcripts, recordings (their files too), answers, coding work (code, runs, hints),
    evaluations, decisions, codes
    sent to their address, and the
    open-link interviews nobody was identified in that a person confirmed are theirs
    (`unidentified`, see selectors.address_matches). What remains is the record that an
    erasure happened, and the operation log's records, which name no one."""
    if not (erased_by.is_active and getattr(erased_by, "is_staff", False)):
        raise ValidationError(
            "Only the hiring team's staff can erase data.", code="erasure_not_allowed"
        )
    with transaction.atomic():
        candidates = Candidate.objects.select_for_update().filter(pk=candidate.pk)
        if not candidates.exists():
            raise ValidationError("This candidate was already erased.", code="already_erased")
        confirmed = confirmed_unidentified(candidate=candidate, confirmed=list(unidentified))
        counts = _erase(
            interviews=candidate_interviews(candidate=candidate, unidentified=confirmed),
            candidates=candidates,
        )
        # Codes sent to the address from interviews that ended up someone else's.
        counts["email_codes"] = EmailCode.objects.filter(email=candidate.email).delete()[0]
        return ErasureRecord.objects.create(
            reason=ErasureRecord.Reason.REQUEST,
            erased_by_username=erased_by.get_username(),
            counts=counts,
        )


def interview_purge_expired(
    *, now: datetime | None = None, retention_days: int | None = None
) -> ErasureRecord | None:
    """Delete interviews created more than the retention period ago, with all their data,
    open-link interviews no one agreed to (nor asked an accommodation for) within a day,
    and the profiles of candidates left with no interview who are as old. Returns the
    record of what was deleted, or None when nothing was due."""
    days = settings.DATA_RETENTION_DAYS if retention_days is None else retention_days
    if days < 1:
        raise ValidationError("The retention period must be at least one day.", code="retention")
    now = now or timezone.now()
    cutoff = now - timedelta(days=days)
    with transaction.atomic():
        interviews = Interview.objects.filter(
            Q(created_at__lt=cutoff)
            | Q(
                kind=Interview.Kind.OPEN,
                consent_at__isnull=True,
                accommodation_requested_at__isnull=True,
                created_at__lt=now - Interview.UNCONSENTED_OPEN_TTL,
            )
        )
        candidates = Candidate.objects.filter(created_at__lt=cutoff).exclude(
            interviews__created_at__gte=cutoff
        )
        if not interviews.exists() and not candidates.exists():
            return None
        counts = _erase(interviews=interviews, candidates=candidates)
        return ErasureRecord.objects.create(reason=ErasureRecord.Reason.RETENTION, counts=counts)
