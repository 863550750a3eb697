from typing import cast

from django.contrib import admin
from django.urls import include, path, reverse_lazy

from interviews.web.outbox import outbox

admin.site.site_header = "Hiring back office"
admin.site.site_title = "Hiring"
admin.site.index_title = "Interviews, candidates and the question bank"
# The candidates' side has no home page of its own: "View site" opens the live dashboard.
# django-stubs types site_url as str | None; Django resolves the lazy string when the
# admin renders the link, after the URLconf is loaded.
admin.site.site_url = cast(str, reverse_lazy("admin:interviews_interview_dashboard"))

handler500 = "interviews.web.guard.server_error"

urlpatterns = [
    # Development only: the mail sent, for staff (the view refuses outside DEBUG).
    path("admin/outbox/", outbox, name="outbox"),
    path("admin/", admin.site.urls),
    path("", include("interviews.web.urls")),
]
