"""The candidate's side: invite and open links, the join page, consent, the LiveKit token
endpoint, and LiveKit's webhook. The rules live in services and models; these views read
the request, call them, and answer.
"""

import json
import logging
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from django.views.defaults import server_error as django_server_error
from google.protobuf.json_format import ParseError
from livekit import api

from interviews import livekit_tokens, ratelimit, selectors, services
from interviews.models import Interview, Position

logger = logging.getLogger(__name__)

SESSION_KEY = "interview_public_id"
AGENT_JOIN_TIMEOUT_SECONDS = 20
MAX_INVITE_LENGTH = 200
MAX_JSON_BODY_BYTES = 10_000
# (requests, seconds)
TOKEN_LIMIT_PER_INTERVIEW = (10, 60)
TOKEN_LIMIT_PER_ADDRESS = (30, 60)
NEW_OPEN_INTERVIEWS_PER_ADDRESS = (20, 3600)
NEW_OPEN_INTERVIEWS_PER_LINK = (500, 3600)
# The room, the identity and the room configuration are the server's to choose.
CLIENT_CHOSEN_FIELDS = (
    "room_name",
    "participant_identity",
    "participant_metadata",
    "participant_attributes",
    "room_config",
)

MODE_DESCRIPTIONS = {
    "structured": {
        "is_ai": False,
        "short": "an automated, scripted interviewer",
        "long": (
            "an automated, scripted interviewer. It is not an AI: it asks the position's "
            "prepared questions in a fixed order and records your answers."
        ),
    },
    "realtime": {
        "is_ai": True,
        "short": "an AI interviewer",
        "long": (
            "an AI interviewer: a speech-to-speech AI model that listens to you and talks "
            "back, asking the position's questions and follow-ups."
        ),
    },
    "pipeline": {
        "is_ai": True,
        "short": "an AI interviewer",
        "long": (
            "an AI interviewer: speech recognition turns what you say into text, an AI "
            "language model chooses what to ask, and a synthetic voice speaks it."
        ),
    },
}

PROBLEMS = {
    "not_found": (
        404,
        "We could not find this interview",
        "The link may be incomplete or mistyped. Copy it again from your invitation, or "
        "ask the recruiter who sent it.",
    ),
    "no_session": (
        404,
        "No interview is open in this browser",
        "Open the link from your invitation to begin. If you already started, open the "
        "same link again in this browser.",
    ),
    "position_closed": (
        404,
        "This position is not taking interviews",
        "The position may have been filled or closed. Check with the company for open roles.",
    ),
    "expired": (
        410,
        "This interview link has expired",
        "Invitations work for a limited time. Ask the recruiter who sent it for a new link.",
    ),
    "revoked": (
        410,
        "This interview link is no longer active",
        "The recruiter has withdrawn this link. If you think this is a mistake, ask them "
        "for a new one.",
    ),
    "completed": (
        410,
        "This interview is already complete",
        "Thank you for your time. A person on the hiring team reviews every interview and "
        "will be in touch. The link cannot be used again.",
    ),
    "closed": (
        410,
        "This interview has been closed",
        "Contact the recruiter who sent you the link if you would like to continue.",
    ),
    "rate_limited": (
        429,
        "Too many new interviews from your network",
        "Please wait a while, then open the link again.",
    ),
    "link_busy": (
        429,
        "This link is very busy right now",
        "Please wait a while, then open the link again.",
    ),
    "database_unavailable": (
        503,
        "We are having a technical problem",
        "Nothing was lost. Please wait a minute, then reload this page.",
    ),
}


class _Unavailable(Exception):
    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def _unavailable_page(request: HttpRequest, problem: str) -> HttpResponse:
    status, title, message = PROBLEMS[problem]
    return render(
        request,
        "interviews/unavailable.html",
        {"title": title, "message": message, "problem": problem},
        status=status,
    )


def _json_error(status: int, code: str, message: str, **headers: str) -> JsonResponse:
    response = JsonResponse({"error": {"code": code, "message": message}}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


# --- The database being unavailable --------------------------------------------------

JSON_VIEWS = {"consent", "token", "status", "livekit-webhook"}


def _database_unavailable(request: HttpRequest, *, as_json: bool) -> HttpResponse:
    if as_json:
        response = _json_error(
            503,
            "database_unavailable",
            "The service is briefly unavailable; nothing was saved. Try again in a moment.",
            Retry_After="30",
        )
    else:
        response = _unavailable_page(request, "database_unavailable")
        response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


def _guarded(*, as_json: bool = False, atomic: bool = True):
    """A database failure answers 503 (JSON or a friendly page) instead of a traceback,
    and nothing the request wrote stays: the view and the session it changed commit
    together or not at all."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            try:
                if not atomic:
                    return view(request, *args, **kwargs)
                with transaction.atomic():
                    response = view(request, *args, **kwargs)
                    if request.session.modified and response.status_code < 500:
                        _save_session(request, response)
                    return response
            except (DatabaseError, UpdateError) as error:
                # The error's text may quote the data (a duplicate key): log its kind only.
                logger.warning(
                    "Database unavailable",
                    extra={"view": view.__name__, "error": type(error).__name__},
                )
                return _database_unavailable(request, as_json=as_json)

        return wrapped

    return decorator


def _save_session(request: HttpRequest, response: HttpResponse) -> None:
    """What the session middleware does after the view, done inside the view's transaction
    (so the middleware has nothing left to save)."""
    request.session.save()
    request.session.modified = False
    if request.session.get_expire_at_browser_close():
        max_age, expires = None, None
    else:
        max_age = request.session.get_expiry_age()
        expires = http_date(time.time() + max_age)
    response.set_cookie(
        settings.SESSION_COOKIE_NAME,
        request.session.session_key,
        max_age=max_age,
        expires=expires,
        domain=settings.SESSION_COOKIE_DOMAIN,
        path=settings.SESSION_COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE or None,
        httponly=settings.SESSION_COOKIE_HTTPONLY or None,
        samesite=settings.SESSION_COOKIE_SAMESITE,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. A database failure outside a view (saving the session) is a 503 too.
    Django's own log line names the path, which may hold an invite secret: ours does not."""
    error = sys.exc_info()[1]
    try:
        view_name = resolve(request.path_info).url_name or ""
    except Resolver404:
        view_name = ""
    if isinstance(error, DatabaseError):
        logger.warning(
            "Database unavailable", extra={"view": view_name, "error": type(error).__name__}
        )
        as_json = view_name in JSON_VIEWS or "json" in request.headers.get("Accept", "")
        response = _database_unavailable(request, as_json=as_json)
    else:
        logger.error("Server error", extra={"view": view_name}, exc_info=error is not None)
        response = django_server_error(request)
    response._has_been_logged = True
    return response


def _private(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For responses to links that carry a secret: it must not leak through the Referer
    header, nor stay in a shared cache."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "no-referrer"
        response["Cache-Control"] = "no-store"
        # Django logs every 4xx with its path, which here holds the invite secret; our own
        # log line below names the interview instead. (Django's flag for "already logged".)
        if response.status_code >= 400:
            logger.info("Link refused (%s)", response.status_code)
            response._has_been_logged = True
        return response

    return wrapped


def _json_post(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """POST only, answered in JSON, with CSRF checked (the X-CSRFToken header) and its
    failure answered in JSON too rather than Django's HTML page."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method != "POST":
            return _json_error(405, "method_not_allowed", "Use POST.", Allow="POST")
        rejected = CsrfViewMiddleware(lambda r: HttpResponse()).process_view(request, None, (), {})
        if rejected is not None:
            return _json_error(
                403,
                "csrf_failed",
                "Your page is out of date. Reload it and try again.",
            )
        return view(request, *args, **kwargs)

    return wrapped


def _read_json(request: HttpRequest) -> dict:
    """The JSON object in the body; an empty body is an empty object."""
    if len(request.body) > MAX_JSON_BODY_BYTES:
        raise ValueError("body too large")
    if not request.body.strip():
        return {}
    data = json.loads(request.body)
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    return data


def _interview_for_invite(secret: str) -> Interview:
    """The interview an invite link opens, or _Unavailable saying why it cannot."""
    interview = None
    if 0 < len(secret) <= MAX_INVITE_LENGTH:
        interview = selectors.interview_by_invite(secret=secret)
    if interview is None:
        raise _Unavailable("not_found")
    problem = interview.link_problem()
    if problem is not None:
        raise _Unavailable(problem)
    return interview


def _interview_in_session(request: HttpRequest) -> Interview | None:
    public_id = request.session.get(SESSION_KEY)
    if not public_id:
        return None
    try:
        return selectors.interview_by_public_id(public_id=public_id)
    except ValidationError:
        return None


def _bind_to_session(request: HttpRequest, interview: Interview) -> None:
    if request.session.get(SESSION_KEY) != str(interview.public_id):
        request.session.cycle_key()  # a new session id whenever what it grants changes
    request.session[SESSION_KEY] = str(interview.public_id)


# --- Links -----------------------------------------------------------------------------


@require_GET
@_private
@_guarded()
def invite(request: HttpRequest, invite: str) -> HttpResponse:
    """A personal invite link: bind its interview to this browser, then drop the secret
    from the address bar."""
    try:
        interview = _interview_for_invite(invite)
    except _Unavailable as unavailable:
        return _unavailable_page(request, unavailable.problem)
    _bind_to_session(request, interview)
    logger.info("Invite opened", extra={"interview": str(interview.public_id)})
    return redirect("interviews:join")


@require_GET
@_private
@_guarded()
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    """An open position link: an interview whose candidate the interviewer identifies."""
    position = Position.objects.filter(slug=slug, is_active=True).first()
    if position is None:
        return _unavailable_page(request, "position_closed")
    current = _interview_in_session(request)
    if current is None or not current.continues_open_link(position):
        limit, window = NEW_OPEN_INTERVIEWS_PER_ADDRESS
        verdict = ratelimit.hit(
            scope="open-link",
            key=ratelimit.client_address(request),
            limit=limit,
            window_seconds=window,
        )
        if verdict.allowed:
            limit, window = NEW_OPEN_INTERVIEWS_PER_LINK
            verdict = ratelimit.hit(
                scope="open-link-position", key=slug, limit=limit, window_seconds=window
            )
            problem = "link_busy"
        else:
            problem = "rate_limited"
        if not verdict.allowed:
            response = _unavailable_page(request, problem)
            response["Retry-After"] = str(verdict.retry_after)
            return response
    try:
        opened = services.interview_open_for_position(position=position, current=current)
    except ValidationError:
        return _unavailable_page(request, "position_closed")
    _bind_to_session(request, opened.interview)
    return redirect("interviews:join")


# --- The join page ---------------------------------------------------------------------


def _livekit_origins(url: str) -> list[str]:
    """The WebSocket origin of the media server and its HTTP twin (the client probes it
    over HTTP when a connection fails)."""
    parts = urlsplit(url)
    if not parts.netloc:
        return []
    twins = {"ws": "http", "wss": "https", "http": "ws", "https": "wss"}
    schemes = [parts.scheme, twins.get(parts.scheme, "")]
    return [f"{scheme}://{parts.netloc}" for scheme in schemes if scheme]


def _join_page_policy() -> str:
    connect = " ".join(["'self'", *_livekit_origins(settings.LIVEKIT_PUBLIC_URL)])
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "media-src 'self' blob: mediastream:",
            f"connect-src {connect}",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


@require_GET
@_guarded(atomic=False)
def join(request: HttpRequest) -> HttpResponse:
    interview = _interview_in_session(request)
    if interview is None:
        return _unavailable_page(request, "no_session")
    problem = interview.link_problem()
    if problem is not None:
        return _unavailable_page(request, problem)
    mode_name = interview.ai_mode or settings.INTERVIEW_AI
    mode = MODE_DESCRIPTIONS.get(mode_name, MODE_DESCRIPTIONS["structured"])
    config = {
        "csrfToken": get_token(request),
        "consentUrl": reverse("interviews:consent"),
        "tokenUrl": reverse("interviews:token"),
        "statusUrl": reverse("interviews:status"),
        "roomClosesAfterSeconds": livekit_tokens.ROOM_DEPARTURE_TIMEOUT,
        "consented": interview.consent_at is not None,
        "agentJoinTimeoutSeconds": AGENT_JOIN_TIMEOUT_SECONDS,
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
            "config": config,
        },
    )
    response["Content-Security-Policy"] = _join_page_policy()
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@_guarded(as_json=True, atomic=False)
def status(request: HttpRequest) -> HttpResponse:
    """Where the interview in this browser stands: the page asks when the interviewer
    leaves, to tell a finished interview from a lost connection."""
    interview = _interview_in_session(request)
    if interview is None:
        return _no_interview()
    response = JsonResponse({"status": interview.status, "finished": interview.is_finished})
    response["Cache-Control"] = "no-store"
    return response


# --- Consent and the token endpoint ----------------------------------------------------

LINK_PROBLEM_CODES = {f"interview_{problem}" for problem in PROBLEMS if PROBLEMS[problem][0] == 410}


def _validation_error(error: ValidationError) -> JsonResponse:
    code = error.code or "invalid"
    status = 410 if code in LINK_PROBLEM_CODES else 400
    return _json_error(status, code, error.messages[0])


def _no_interview() -> JsonResponse:
    return _json_error(
        403,
        "no_interview",
        "No interview is open in this browser. Open the link from your invitation again.",
    )


@_json_post
@_guarded(as_json=True)
def consent(request: HttpRequest) -> HttpResponse:
    """Record the candidate's consent, or their request for an alternative process or an
    accommodation (JSON body: {"choice": "consent", "consent": true} or
    {"choice": "accommodation", "note": "..."})."""
    interview = _interview_in_session(request)
    if interview is None:
        return _no_interview()
    try:
        data = _read_json(request)
    except ValueError:
        return _json_error(400, "bad_json", "The request body must be a JSON object.")
    choice = data.get("choice")
    try:
        if choice == "consent":
            if data.get("consent") is not True:
                return _json_error(
                    400, "consent_missing", "Tick the box to agree before you continue."
                )
            interview = services.interview_record_consent(interview=interview)
            return JsonResponse({"consent_at": interview.consent_at.isoformat()})
        if choice == "accommodation":
            interview = services.interview_request_accommodation(
                interview=interview, note=data.get("note") or ""
            )
            return JsonResponse(
                {
                    "accommodation_requested_at": interview.accommodation_requested_at.isoformat(),
                    "message": "Thank you. A recruiter will follow up with you.",
                }
            )
    except ValidationError as error:
        return _validation_error(error)
    return _json_error(400, "choice_invalid", 'Choose "consent" or "accommodation".')


def _rate_limited(scope: str, key: str, limits: tuple[int, int]) -> JsonResponse | None:
    limit, window = limits
    verdict = ratelimit.hit(scope=scope, key=key, limit=limit, window_seconds=window)
    if verdict.allowed:
        return None
    return _json_error(
        429,
        "rate_limited",
        "Too many attempts. Wait a minute, then try again.",
        Retry_After=str(verdict.retry_after),
    )


@_json_post
@_guarded(as_json=True)
def token(request: HttpRequest) -> HttpResponse:
    """LiveKit's standard token endpoint, for the interview bound to this browser."""
    refused = _rate_limited(
        "token-address", ratelimit.client_address(request), TOKEN_LIMIT_PER_ADDRESS
    )
    if refused:
        return refused
    interview = _interview_in_session(request)
    if interview is None:
        return _no_interview()
    try:
        data = _read_json(request)
    except ValueError:
        return _json_error(400, "bad_json", "The request body must be a JSON object.")
    chosen = [field for field in CLIENT_CHOSEN_FIELDS if data.get(field) not in (None, "", {})]
    if chosen:
        return _json_error(
            400,
            "field_not_allowed",
            f"The interview sets {', '.join(chosen)}; a client cannot choose it.",
        )
    problem = interview.link_problem()
    if problem is not None:
        return _json_error(410, f"interview_{problem}", PROBLEMS[problem][1] + ".")
    if interview.consent_at is None:
        return _json_error(
            403, "consent_required", "Please read and agree to how the interview works first."
        )
    refused = _rate_limited("token-interview", str(interview.public_id), TOKEN_LIMIT_PER_INTERVIEW)
    if refused:
        return refused
    logger.info("Token issued", extra={"interview": str(interview.public_id)})
    return JsonResponse(
        {
            "server_url": settings.LIVEKIT_PUBLIC_URL,
            "participant_token": livekit_tokens.candidate_token(interview),
            "room_name": interview.room_name,
            "participant_name": livekit_tokens.participant_name(interview),
        },
        status=201,
    )


# --- LiveKit webhook -------------------------------------------------------------------


@csrf_exempt
@_guarded(as_json=True)
def livekit_webhook(request: HttpRequest) -> HttpResponse:
    """Room and participant events from LiveKit, signed with the API secret."""
    if request.method != "POST":
        return _json_error(405, "method_not_allowed", "Use POST.", Allow="POST")
    auth = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not auth:
        return _json_error(401, "unsigned", "The Authorization header is missing.")
    try:
        body = request.body.decode("utf-8")
    except UnicodeDecodeError:
        return _json_error(400, "bad_body", "The body is not UTF-8 text.")
    receiver = api.WebhookReceiver(
        api.TokenVerifier(settings.LIVEKIT_API_KEY, settings.LIVEKIT_API_SECRET)
    )
    try:
        event = receiver.receive(body, auth)
    except ParseError:
        return _json_error(400, "bad_event", "The body is not a LiveKit webhook event.")
    except Exception:  # the library raises plain Exception for a body that does not match
        logger.warning("Webhook with a bad signature refused")
        return _json_error(401, "bad_signature", "The signature does not match this body.")
    try:
        occurred_at = datetime.fromtimestamp(event.created_at, tz=UTC) if event.created_at else None
    except (ValueError, OverflowError, OSError):
        return _json_error(400, "bad_event", "The event's time is out of range.")
    try:
        outcome = services.room_event_process(
            event_id=event.id,
            event=event.event,
            room_name=event.room.name,
            participant_identity=event.participant.identity,
            occurred_at=occurred_at or datetime.now(tz=UTC),
        )
    except ValidationError as error:
        return _json_error(400, error.code or "invalid", error.messages[0])
    logger.info("Webhook %s: %s", event.event, outcome, extra={"room": event.room.name})
    return JsonResponse({"outcome": outcome})
