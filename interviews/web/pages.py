"""What the candidate reads: how each interviewer mode is described, and the page shown
when a link cannot be used."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from interviews.modes import AI_MODES, MODES

# mode -> (short, long)
_MODE_TEXT = {
    "structured": (
        "an automated, scripted interviewer",
        "an automated, scripted interviewer. It is not an AI: it asks the position's "
        "prepared questions in a fixed order and records your answers.",
    ),
    "realtime": (
        "an AI interviewer",
        "an AI interviewer: a speech-to-speech AI model that listens to you and talks "
        "back, asking the position's questions and follow-ups.",
    ),
    "pipeline": (
        "an AI interviewer",
        "an AI interviewer: speech recognition turns what you say into text, an AI "
        "language model chooses what to ask, and a synthetic voice speaks it.",
    ),
}
MODE_DESCRIPTIONS = {
    mode: {"is_ai": mode in AI_MODES, "short": _MODE_TEXT[mode][0], "long": _MODE_TEXT[mode][1]}
    for mode in MODES
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

LINK_PROBLEM_CODES = {f"interview_{problem}" for problem in PROBLEMS if PROBLEMS[problem][0] == 410}


class Unavailable(Exception):
    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def unavailable_page(request: HttpRequest, problem: str) -> HttpResponse:
    status, title, message = PROBLEMS[problem]
    return render(
        request,
        "interviews/unavailable.html",
        {"title": title, "message": message, "problem": problem},
        status=status,
    )
