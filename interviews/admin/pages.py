"""Extra admin pages: one way to route them under a model's admin, one way to find the
object they show (missing: 404; not viewable by this user: 403)."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from django.contrib import admin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path


@dataclass(frozen=True)
class ExtraPage:
    """A page under a model's admin: `view(model_admin, request, **url_kwargs)`, named
    `admin:<app>_<model>_<name>`. `post_only`: an action (a switch, a token) that its view
    performs on POST only, not a page anyone opens."""

    route: str
    view: Callable[..., HttpResponse]
    name: str
    post_only: bool = False


M = TypeVar("M", bound=Model)


class ExtraPagesAdmin(admin.ModelAdmin):
    extra_pages: tuple[ExtraPage, ...] = ()
    # No second count of every row beside the paginator's.
    show_full_result_count = False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        pages = [
            path(page.route, wrap(partial(page.view, self)), name=f"{prefix}_{page.name}")
            for page in self.extra_pages
        ]
        return [*pages, *super().get_urls()]

    def viewable_object(self, request: HttpRequest, object_id: int, model: type[M]) -> M:
        """The `model` object this admin shows, by id."""
        obj = self.get_object(request, str(object_id))
        if not isinstance(obj, model):
            raise Http404(f"No such {self.opts.verbose_name}.")
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        return obj

    def require_view_permission(self, request: HttpRequest) -> None:
        if not self.has_view_permission(request):
            raise PermissionDenied

    def page_context(self, request: HttpRequest, **context: Any) -> dict:
        return {**self.admin_site.each_context(request), "opts": self.opts, **context}


# What a page shows decides what it needs: the view permission on every kind of record in it.
TRANSCRIPT_PERMISSIONS = ("interviews.view_interview", "interviews.view_transcriptsegment")
REPORT_PERMISSIONS = (
    *TRANSCRIPT_PERMISSIONS,
    "interviews.view_candidate",
    "interviews.view_interviewquestion",
    "interviews.view_evaluation",
    "interviews.view_questionscore",
    "interviews.view_decisionrecord",
)
# Scores and decisions, wherever they are shown (the interview list, the dashboard).
SCORE_PERMISSIONS = ("interviews.view_evaluation", "interviews.view_questionscore")
DECISION_PERMISSIONS = ("interviews.view_evaluation", "interviews.view_decisionrecord")
# A candidate's export holds everything about them.
EXPORT_PERMISSIONS = REPORT_PERMISSIONS
WATCH_PERMISSIONS = ("interviews.view_interview", "interviews.watch_interview")


def staff_member(request: HttpRequest) -> User:
    """Who an admin page runs for: the admin site lets only logged-in staff in."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def require_permissions(request: HttpRequest, permissions: tuple[str, ...]) -> None:
    if not request.user.has_perms(permissions):
        raise PermissionDenied


def no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def download(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return no_store(response)
