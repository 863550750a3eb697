"""The join page's question while the candidate waits in the room: is the interviewer
coming? The answer comes from the room itself, and sends the interviewer again when it
was lost on the way (interviews.services.interviewer_dispatch)."""

import logging

import aiohttp
from django.http import HttpRequest, HttpResponse, JsonResponse
from livekit import api

from interviews.services.interviewer_dispatch import interviewer_send_if_missing
from interviews.web import ratelimit
from interviews.web.guard import guarded
from interviews.web.http import json_error, json_post, no_interview
from interviews.web.session import interview_in_session

logger = logging.getLogger(__name__)


@json_post
@guarded(as_json=True, atomic=False)
def interviewer(request: HttpRequest) -> HttpResponse:
    """{"interviewer": "present" | "coming" | "sent" | "waiting" | "not_in_room" |
    "finished" | "queued"} for the interview bound to this browser; in line, also
    {"queue": {"place", "estimate_seconds"}}."""
    interview = interview_in_session(request)
    if interview is None:
        return no_interview()
    refused = ratelimit.rate_limited(
        "interviewer-interview",
        str(interview.public_id),
        ratelimit.INTERVIEWER_LIMIT_PER_INTERVIEW,
    )
    if refused:
        return refused
    try:
        news = interviewer_send_if_missing(interview=interview)
    except (api.TwirpError, aiohttp.ClientError, TimeoutError) as error:
        logger.warning(
            "LiveKit unreachable while a candidate waits",
            extra={"interview": str(interview.public_id), "error": str(error)},
        )
        return json_error(
            503,
            "livekit_unreachable",
            "The interview service cannot be reached right now. Stay on this page: we keep trying.",
            Retry_After="5",
        )
    body: dict = {"interviewer": news.interviewer.value}
    if news.queue is not None:
        body["queue"] = news.queue.news()
    response = JsonResponse(body)
    response["Cache-Control"] = "no-store"
    return response
