"""Which interview this browser holds: a link binds it to the session."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from interviews.models import Interview, Position
from interviews.selectors.interviews import interview_by_invite, interview_by_public_id
from interviews.web.pages import Unavailable

SESSION_KEY = "interview_public_id"
# Which generation of the interview's link bound it: a reissued or revoked link ends the
# sessions the old one opened.
LINK_KEY = "interview_link"
# An open position link opened in this browser, before its interview exists (consent).
POSITION_KEY = "open_position_id"
MAX_INVITE_LENGTH = 200


def interview_for_invite(secret: str) -> Interview:
    """The interview an invite link opens, or Unavailable saying why it cannot."""
    interview = None
    if 0 < len(secret) <= MAX_INVITE_LENGTH:
        interview = interview_by_invite(secret=secret)
    if interview is None:
        raise Unavailable("not_found")
    problem = interview.link_problem()
    if problem is not None:
        raise Unavailable(problem)
    return interview


def link_generation(interview: Interview) -> str:
    """What the session remembers of the link that bound it (nothing for an open link)."""
    return (interview.invite_hash or "")[:16]


def _bound_by_current_link(request: HttpRequest, interview: Interview | None) -> bool:
    if interview is None:
        return False
    return request.session.get(LINK_KEY, None) == link_generation(interview)


def interview_in_session(request: HttpRequest) -> Interview | None:
    public_id = request.session.get(SESSION_KEY)
    if not public_id:
        return None
    try:
        interview = interview_by_public_id(public_id=public_id)
    except ValidationError:
        return None
    return interview if _bound_by_current_link(request, interview) else None


# What the token endpoint reads of the interview: whether its link still opens it
# (Interview.link_problem), consent, and what its token names.
TOKEN_FIELDS = (
    "id",
    "public_id",
    "kind",
    "status",
    "invite_hash",
    "room_name",
    "invite_expires_at",
    "invite_revoked_at",
    "consent_at",
    "accommodation_requested_at",
    "recording_declined_at",  # a position that requires a recording refuses the token
    "created_at",
    "candidate_id",
    "queued_at",  # waiting in line for an interviewer (interviews.services.interview_queue)
)


def token_interview_in_session(request: HttpRequest) -> Interview | None:
    """The interview bound to this browser with only what a token needs (its other
    fields load on first use), and its candidate's name, in one query."""
    public_id = request.session.get(SESSION_KEY)
    if not public_id:
        return None
    try:
        interview = (
            Interview.objects.select_related("candidate")
            .only(*TOKEN_FIELDS, "candidate__name")
            .filter(public_id=public_id)
            .first()
        )
    except ValidationError:
        return None
    return interview if _bound_by_current_link(request, interview) else None


def bind_to_session(request: HttpRequest, interview: Interview) -> None:
    if request.session.get(SESSION_KEY) != str(interview.public_id):
        request.session.cycle_key()  # a new session id whenever what it grants changes
    request.session[SESSION_KEY] = str(interview.public_id)
    request.session[LINK_KEY] = link_generation(interview)
    request.session.pop(POSITION_KEY, None)


def bind_position_to_session(request: HttpRequest, position: Position) -> None:
    """An open link: the position waits in the session; its interview is created by the
    page's first POST."""
    if request.session.get(POSITION_KEY) != position.pk or SESSION_KEY in request.session:
        request.session.cycle_key()
    request.session.pop(SESSION_KEY, None)
    request.session.pop(LINK_KEY, None)
    request.session[POSITION_KEY] = position.pk


def position_in_session(request: HttpRequest) -> Position | None:
    position_id = request.session.get(POSITION_KEY)
    if not isinstance(position_id, int):
        return None
    return Position.objects.filter(pk=position_id, is_active=True).first()
