"""The codes of the errors the services raise and the interviewer's tools return, named
once: the services (`ValidationError(code=...)`), the tools (`{"ok": false, "code": ...}`)
and the structured interviewer's script read the same names, and a field's problems are
sets here rather than prefixes matched by each reader."""

from enum import StrEnum


class ErrorCode(StrEnum):
    # Identification
    CANDIDATE_UNKNOWN = "candidate_unknown"
    CANDIDATE_FIXED = "candidate_fixed"
    IDENTIFY_QUOTA = "identify_quota"
    EMAIL_MISSING = "email_missing"
    EMAIL_INVALID = "email_invalid"
    EMAIL_NOT_SENT = "email_not_sent"
    EMAIL_NOT_VERIFIED = "email_not_verified"
    EMAIL_TAKEN = "email_taken"
    CODE_MISSING = "code_missing"
    CODE_INVALID = "code_invalid"
    CODE_WRONG = "code_wrong"
    CODE_EXPIRED = "code_expired"
    CODE_EXHAUSTED = "code_exhausted"
    NAME_MISSING = "name_missing"
    NAME_TOO_LONG = "name_too_long"
    POSITION_UNKNOWN = "position_unknown"
    POSITION_INACTIVE = "position_inactive"
    EXPERIENCE_INVALID = "experience_invalid"
    EXPERIENCE_OUT_OF_RANGE = "experience_out_of_range"
    # Questions and answers
    EMPTY = "empty"
    ANSWER_TOO_LONG = "answer_too_long"
    QUESTION_TOO_LONG = "question_too_long"
    NO_OPEN_QUESTION = "no_open_question"
    NO_PREVIOUS_QUESTION = "no_previous_question"
    NO_QUESTION_YET = "no_question_yet"
    SUGGESTION_QUOTA = "suggestion_quota"
    INTERVIEW_FINISHED = "interview_finished"
    # The coding round
    NO_CODING_QUESTION = "no_coding_question"
    WORK_UNKNOWN = "work_unknown"
    CODING_CLOSED = "coding_closed"
    ALREADY_SUBMITTED = "already_submitted"
    CODE_NOT_TEXT = "code_not_text"
    CODE_TOO_LONG = "code_too_long"
    TOO_MANY_RUNS = "too_many_runs"
    RUN_KIND_INVALID = "run_kind_invalid"
    CODING_OPEN = "coding_open"
    # The agent's own
    NOT_AN_ANSWER = "not_an_answer"
    SAVE_FAILED = "save_failed"


EMAIL_PROBLEMS = frozenset(
    {
        ErrorCode.EMAIL_MISSING,
        ErrorCode.EMAIL_INVALID,
        ErrorCode.EMAIL_NOT_SENT,
        ErrorCode.EMAIL_NOT_VERIFIED,
        ErrorCode.EMAIL_TAKEN,
    }
)
NAME_PROBLEMS = frozenset({ErrorCode.NAME_MISSING, ErrorCode.NAME_TOO_LONG})
POSITION_PROBLEMS = frozenset({ErrorCode.POSITION_UNKNOWN, ErrorCode.POSITION_INACTIVE})
EXPERIENCE_PROBLEMS = frozenset({ErrorCode.EXPERIENCE_INVALID, ErrorCode.EXPERIENCE_OUT_OF_RANGE})
# A code the candidate can type again, and one that needs a new code sent.
CODE_TO_RETYPE = frozenset({ErrorCode.CODE_WRONG, ErrorCode.CODE_INVALID})
CODE_TO_RESEND = frozenset(
    {ErrorCode.CODE_EXPIRED, ErrorCode.CODE_EXHAUSTED, ErrorCode.CODE_MISSING}
)
