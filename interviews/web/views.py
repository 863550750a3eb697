"""The candidate's pages and JSON endpoints: links, the join page, status, consent and the
LiveKit token endpoint."""

import logging
from datetime import datetime
from typing import cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from interviews import livekit_tokens
from interviews.models import Interview, Position
from interviews.selectors.notices import current_notice, notice_render
from interviews.services import consent as consent_services
from interviews.services import interview_queue, invites, live_rooms
from interviews.web import ratelimit
from interviews.web.csp import join_page_policy
from interviews.web.guard import guarded
from interviews.web.http import (
    json_error,
    json_post,
    no_interview,
    private,
    read_json,
    validation_error,
)
from interviews.web.pages import MODE_DESCRIPTIONS, PROBLEMS, Unavailable, unavailable_page
from interviews.web.session import (
    bind_position_to_session,
    bind_to_session,
    interview_for_invite,
    interview_in_session,
    position_in_session,
    token_interview_in_session,
)

logger = logging.getLogger(__name__)

# After this long without the interviewer, the page offers to start again (and goes on
# asking for it every ASK_INTERVIEWER_EVERY_SECONDS meanwhile).
AGENT_JOIN_TIMEOUT_SECONDS = 20
ASK_INTERVIEWER_EVERY_SECONDS = 3
# The room, the identity and the room configuration are the server's to choose.
CLIENT_CHOSEN_FIELDS = (
    "room_name",
    "participant_identity",
    "participant_metadata",
    "participant_attributes",
    "room_config",
)

# A candidate who asked not to be recorded, for a position whose interviews are recorded
# without exception.
RECORDING_REQUIRED_MESSAGE = (
    "This position's interviews are recorded, and you asked not to be recorded: a "
    "recruiter will follow up with you about another way to interview."
)


@private
@guarded()
def invite(request: HttpRequest, invite: str) -> HttpResponse:
    """A personal invite link: bind its interview to this browser, then drop the secret
    from the address bar."""
    if request.method != "GET":
        # Not require_GET: Django would log the refusal with the path, the secret in it.
        return HttpResponseNotAllowed(["GET"])
    try:
        interview = interview_for_invite(invite)
    except Unavailable as unavailable:
        return unavailable_page(request, unavailable.problem)
    bind_to_session(request, interview)
    logger.info("Invite opened", extra={"interview": str(interview.public_id)})
    return redirect("interviews:join")


@private
@guarded()
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    """An open position link: the position waits in this browser's session; the interview
    (whose candidate the interviewer identifies) is created by the page's first POST, so
    opening the link writes nothing."""
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    position = Position.objects.filter(slug=slug, is_active=True).first()
    if position is None:
        return unavailable_page(request, "position_closed")
    current = interview_in_session(request)
    if current is None or not current.continues_open_link(position):
        bind_position_to_session(request, position)
    return redirect("interviews:join")


def _open_interview_for_session(request: HttpRequest) -> Interview | JsonResponse:
    """The page's first POST on an open link creates its interview, within the limits per
    client and per network, and binds it to this browser; a response when it cannot."""
    position = position_in_session(request)
    if position is None:
        return no_interview()
    for scope, key, limits in (
        ("open-link", ratelimit.client_address(request), ratelimit.NEW_OPEN_INTERVIEWS_PER_ADDRESS),
        (
            "open-link-net",
            ratelimit.client_network(request),
            ratelimit.NEW_OPEN_INTERVIEWS_PER_NETWORK,
        ),
    ):
        refused = ratelimit.rate_limited(scope, key, limits)
        if refused:
            return refused
    try:
        opened = invites.interview_open_for_position(
            position=position, client_network=ratelimit.client_address(request)
        )
    except ValidationError:
        return json_error(410, "position_closed", "This position is not taking interviews.")
    bind_to_session(request, opened.interview)
    return opened.interview


@require_GET
@guarded(atomic=False)
def join(request: HttpRequest) -> HttpResponse:
    interview = interview_in_session(request)
    if interview is None:
        position = position_in_session(request)
        if position is None:
            return unavailable_page(request, "no_session")
        # An open link before consent: the page, without an interview yet.
        interview = Interview(position=position, kind=Interview.Kind.OPEN)
    problem = interview.link_problem()
    if problem is not None:
        return unavailable_page(request, problem)
    mode_name = interview.ai_mode or settings.INTERVIEW_AI
    mode = MODE_DESCRIPTIONS.get(mode_name, MODE_DESCRIPTIONS["structured"])
    notice = notice_render(
        notice=current_notice(),
        mode=mode_name,
        position=interview.position,
        candidate_known=interview.candidate_id is not None,
    )
    config = {
        "csrfToken": get_token(request),
        "consentUrl": reverse("interviews:consent"),
        "tokenUrl": reverse("interviews:token"),
        "statusUrl": reverse("interviews:status"),
        "interviewerUrl": reverse("interviews:interviewer"),
        "askInterviewerEverySeconds": ASK_INTERVIEWER_EVERY_SECONDS,
        "roomClosesAfterSeconds": livekit_tokens.ROOM_DEPARTURE_TIMEOUT,
        "consented": interview.consent_at is not None,
        "agentJoinTimeoutSeconds": AGENT_JOIN_TIMEOUT_SECONDS,
        "noticeVersion": notice.version,
    }
    response = render(
        request,
        "interviews/join.html",
        {
            "interview": interview,
            "position": interview.position,
            "candidate": interview.candidate,
            "mode": mode,
            "mode_name": mode_name,
            "notice": notice,
            "config": config,
        },
    )
    response["Content-Security-Policy"] = join_page_policy()
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@guarded(as_json=True, atomic=False)
def status(request: HttpRequest) -> HttpResponse:
    """Where the interview in this browser stands: the page asks when the interviewer
    leaves, to tell a finished interview from a lost connection."""
    interview = interview_in_session(request)
    if interview is None:
        return no_interview()
    response = JsonResponse({"status": interview.status, "finished": interview.is_finished})
    response["Cache-Control"] = "no-store"
    return response


@json_post
@guarded(as_json=True)
def consent(request: HttpRequest) -> HttpResponse:
    """Record the candidate's consent, or their request for an alternative process or an
    accommodation (JSON body: {"choice": "consent", "consent": true} or
    {"choice": "accommodation", "note": "...", "no_recording": false}). A consent may name
    the "notice_version"
    the page showed; it must then be the current one."""
    try:
        data = read_json(request)
    except ValueError:
        return json_error(400, "bad_json", "The request body must be a JSON object.")
    interview = interview_in_session(request) or _open_interview_for_session(request)
    if isinstance(interview, JsonResponse):
        return interview
    choice = data.get("choice")
    try:
        if choice == "consent":
            if data.get("consent") is not True:
                return json_error(
                    400, "consent_missing", "Tick the box to agree before you continue."
                )
            interview = consent_services.interview_record_consent(
                interview=interview, notice_version=data.get("notice_version")
            )
            # The service returns the interview with its consent recorded.
            consent_at = cast(datetime, interview.consent_at)
            return JsonResponse({"consent_at": consent_at.isoformat()})
        if choice == "accommodation":
            interview = consent_services.interview_request_accommodation(
                interview=interview,
                note=data.get("note") or "",
                no_recording=data.get("no_recording") is True,
            )
            # The service returns the interview with the request recorded.
            requested_at = cast(datetime, interview.accommodation_requested_at)
            return JsonResponse(
                {
                    "accommodation_requested_at": requested_at.isoformat(),
                    "message": RECORDING_REQUIRED_MESSAGE
                    if interview.recording_blocks_interview
                    else "Thank you. A recruiter will follow up with you.",
                    "can_go_on": not interview.recording_blocks_interview,
                }
            )
    except ValidationError as error:
        return validation_error(error)
    return json_error(400, "choice_invalid", 'Choose "consent" or "accommodation".')


@json_post
@guarded(as_json=True, atomic=False)
def token(request: HttpRequest) -> HttpResponse:
    """LiveKit's standard token endpoint, for the interview bound to this browser.

    Every request counts against its client address; one that may have a token counts
    against its interview too, in the same round trip. A personal invite's token writes
    nothing else, so it needs no transaction; an open link's is recorded, for the caps on
    live open-link interviews."""
    per_address = ratelimit.Limit(
        "token-address", ratelimit.client_address(request), *ratelimit.TOKEN_LIMIT_PER_ADDRESS
    )
    interview = _interview_for_token(request)
    if isinstance(interview, JsonResponse):
        return ratelimit.refused_beyond([per_address]) or interview
    per_interview = ratelimit.Limit(
        "token-interview", str(interview.public_id), *ratelimit.TOKEN_LIMIT_PER_INTERVIEW
    )
    refused = ratelimit.refused_beyond([per_address, per_interview])
    if refused:
        return refused
    if interview.kind == Interview.Kind.OPEN:
        try:
            live_rooms.open_interview_token_grant(
                interview=interview, client=ratelimit.client_address(request)
            )
        except ValidationError as error:
            return json_error(429, str(error.code), error.messages[0], Retry_After="60")
    admission = interview_queue.interview_admit_or_queue(interview=interview)
    logger.info(
        "Token issued",
        extra={"interview": str(interview.public_id), "admitted": admission.admitted},
    )
    return JsonResponse(
        {
            "server_url": settings.LIVEKIT_PUBLIC_URL,
            "participant_token": livekit_tokens.candidate_token(
                interview, dispatch=admission.admitted
            ),
            "room_name": interview.room_name,
            "participant_name": livekit_tokens.participant_name(interview),
            # Waiting in line for an interviewer: the place and an estimate in seconds.
            "queue": None if admission.admitted else admission.news(),
        },
        status=201,
    )


def _interview_for_token(request: HttpRequest) -> Interview | JsonResponse:
    """The interview bound to this browser when this request may have its token, else a
    4xx JSON error saying why not."""
    interview = token_interview_in_session(request)
    if interview is None:
        return no_interview()
    try:
        data = read_json(request)
    except ValueError:
        return json_error(400, "bad_json", "The request body must be a JSON object.")
    chosen = [field for field in CLIENT_CHOSEN_FIELDS if data.get(field) not in (None, "", {})]
    if chosen:
        return json_error(
            400,
            "field_not_allowed",
            f"The interview sets {', '.join(chosen)}; a client cannot choose it.",
        )
    problem = interview.link_problem()
    if problem is not None:
        return json_error(410, f"interview_{problem}", PROBLEMS[problem][1] + ".")
    if interview.consent_at is None:
        return json_error(
            403, "consent_required", "Please read and agree to how the interview works first."
        )
    if interview.recording_blocks_interview:
        return json_error(403, "recording_required", RECORDING_REQUIRED_MESSAGE)
    return interview
