"""The interview data, one module per area. Import models from here."""

from interviews.models.bank import MAX_EXPERIENCE_YEARS, PLAN_ORDER, Position, Question, Stage
from interviews.models.candidates import Candidate
from interviews.models.capacity import InterviewerWorker
from interviews.models.coding import (
    MAX_CODE_LENGTH,
    CodeRun,
    CodingExercise,
    CodingHint,
    CodingWork,
    Language,
)
from interviews.models.compliance import (
    BiasAudit,
    NoticeConsent,
    NoticeVersion,
    OperationRecord,
    SelfIdentification,
)
from interviews.models.identity import EmailCode, IdentifyAttempt
from interviews.models.interviews import (
    Interview,
    InterviewQuestion,
    RoomEvent,
    TranscriptSegment,
    _new_room_name,  # noqa: F401 - migration 0001 names it here
    hash_invite,
)
from interviews.models.ratelimit import RateLimitCounter
from interviews.models.recordings import Recording
from interviews.models.review import DecisionRecord, ErasureRecord, Evaluation, QuestionScore

__all__ = [
    "MAX_CODE_LENGTH",
    "MAX_EXPERIENCE_YEARS",
    "PLAN_ORDER",
    "BiasAudit",
    "Candidate",
    "CodeRun",
    "CodingExercise",
    "CodingHint",
    "CodingWork",
    "DecisionRecord",
    "EmailCode",
    "ErasureRecord",
    "Evaluation",
    "IdentifyAttempt",
    "Language",
    "Interview",
    "InterviewerWorker",
    "InterviewQuestion",
    "NoticeConsent",
    "NoticeVersion",
    "OperationRecord",
    "Position",
    "Question",
    "QuestionScore",
    "RateLimitCounter",
    "Recording",
    "RoomEvent",
    "SelfIdentification",
    "Stage",
    "TranscriptSegment",
    "hash_invite",
]
