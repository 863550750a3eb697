"""The database being unavailable: a 503 (JSON or a friendly page) instead of a
traceback, and nothing the request wrote stays."""

import logging
import sys
import time
from collections.abc import Callable
from functools import wraps
from typing import cast

from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.http import http_date
from django.views.defaults import server_error as django_server_error

from interviews.web.http import json_error, mark_logged
from interviews.web.pages import unavailable_page

logger = logging.getLogger(__name__)

JSON_VIEWS = {
    "consent",
    "token",
    "status",
    "interviewer",
    "coding",
    "coding_save",
    "coding_run",
    "coding_submit",
    "livekit-webhook",
}


def database_unavailable(request: HttpRequest, *, as_json: bool) -> HttpResponse:
    response: HttpResponse
    if as_json:
        response = json_error(
            503,
            "database_unavailable",
            "The service is briefly unavailable; nothing was saved. Try again in a moment.",
            Retry_After="30",
        )
    else:
        response = unavailable_page(request, "database_unavailable")
        response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


def guarded(*, as_json: bool = False, atomic: bool = True):
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
                        save_session(request, response)
                    return response
            except (DatabaseError, UpdateError) as error:
                # The error's text may quote the data (a duplicate key): log its kind only.
                logger.warning(
                    "Database unavailable",
                    extra={"view": view.__name__, "error": type(error).__name__},
                )
                return database_unavailable(request, as_json=as_json)

        return wrapped

    return decorator


def save_session(request: HttpRequest, response: HttpResponse) -> None:
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
        # save() gave the session its key.
        cast(str, request.session.session_key),
        max_age=max_age,
        expires=expires,
        domain=settings.SESSION_COOKIE_DOMAIN,
        path=settings.SESSION_COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=settings.SESSION_COOKIE_HTTPONLY,
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
        response = database_unavailable(request, as_json=as_json)
    else:
        logger.error("Server error", extra={"view": view_name}, exc_info=error is not None)
        response = django_server_error(request)
    mark_logged(response)
    return response
