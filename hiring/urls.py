from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Hiring back office"
admin.site.site_title = "Hiring"
admin.site.index_title = "Interviews, candidates and the question bank"

handler500 = "interviews.web.guard.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("interviews.web.urls")),
]
