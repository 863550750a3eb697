"""The page that shows new invite links: secrets are stored hashed, so this is the one
time a recruiter sees them."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from interviews.links import invite_url
from interviews.services.invites import NewInterview


def show_invite_links(
    request: HttpRequest, created: list[NewInterview], errors: list[str], *, note: str = ""
) -> HttpResponse:
    rows = [(new.interview, invite_url(request, new.personal_secret)) for new in created]
    context = {
        **admin.site.each_context(request),
        "title": "Invite links",
        "rows": rows,
        "errors": errors,
        "note": note,
    }
    return TemplateResponse(request, "admin/interviews/invite_links.html", context)
