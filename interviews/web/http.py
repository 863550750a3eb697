"""JSON endpoints and secret-bearing links: how they read requests and answer."""

import json
import logging
from collections.abc import Callable
from functools import wraps

from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt

from interviews.web.pages import LINK_PROBLEM_CODES

logger = logging.getLogger(__name__)

MAX_JSON_BODY_BYTES = 10_000


def json_error(status: int, code: str, message: str, **headers: str) -> JsonResponse:
    response = JsonResponse({"error": {"code": code, "message": message}}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def mark_logged(response: HttpResponseBase) -> None:
    """Set Django's flag for "already logged", so that it does not log the response itself
    (its line names the path, which may hold an invite secret)."""
    # django.utils.log.log_response sets and reads this attribute on every response.
    response._has_been_logged = True  # type: ignore[attr-defined]  # django-stubs omit it


def private(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For responses to links that carry a secret: it must not leak through the Referer
    header, nor stay in a shared cache."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "no-referrer"
        response["Cache-Control"] = "no-store"
        # Django logs every 4xx with its path, which here holds the invite secret; our own
        # log line below names the interview instead.
        if response.status_code >= 400:
            logger.info("Link refused (%s)", response.status_code)
            mark_logged(response)
        return response

    return wrapped


def json_post(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """POST only, answered in JSON, with CSRF checked (the X-CSRFToken header) and its
    failure answered in JSON too rather than Django's HTML page."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method != "POST":
            return json_error(405, "method_not_allowed", "Use POST.", Allow="POST")
        if _csrf_rejection(request) is not None:
            return json_error(
                403,
                "csrf_failed",
                "Your page is out of date. Reload it and try again.",
            )
        return view(request, *args, **kwargs)

    return wrapped


def _not_exempt(request: HttpRequest) -> HttpResponse:
    """The view CsrfViewMiddleware is told it guards: one without csrf_exempt, so the check
    always runs. Never called."""
    return HttpResponse()


def _csrf_rejection(request: HttpRequest) -> HttpResponseForbidden | None:
    """Django's CSRF check, as its middleware runs it before a view."""
    return CsrfViewMiddleware(_not_exempt).process_view(request, _not_exempt, (), {})


class BodyTooLarge(ValueError):
    """The body is longer than the endpoint reads."""


def read_json(request: HttpRequest, *, max_bytes: int = MAX_JSON_BODY_BYTES) -> dict:
    """The JSON object in the body; an empty body is an empty object. ValueError says
    why not (BodyTooLarge past `max_bytes`, or past Django's own upload limit)."""
    try:
        body = request.body
    except RequestDataTooBig:
        raise BodyTooLarge("body too large") from None
    if len(body) > max_bytes:
        raise BodyTooLarge("body too large")
    if not body.strip():
        return {}
    try:
        data = json.loads(body)
    except RecursionError:
        # Deeply nested arrays ("[[[[...") exhaust the parser's stack: not a request.
        raise ValueError("nested too deeply") from None
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    try:
        # "\ud800" parses to a lone surrogate, which no database or page can encode.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("not valid Unicode") from None
    return data


def validation_error(error: ValidationError) -> JsonResponse:
    code = error.code or "invalid"
    status = 410 if code in LINK_PROBLEM_CODES else 400
    return json_error(status, code, error.messages[0])


def no_interview() -> JsonResponse:
    return json_error(
        403,
        "no_interview",
        "No interview is open in this browser. Open the link from your invitation again.",
    )
