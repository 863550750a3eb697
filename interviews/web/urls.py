from django.urls import path

from interviews.web import coding, interviewer, self_identification, views, webhook

app_name = "interviews"

urlpatterns = [
    path("interview/", views.join, name="join"),
    path("interview/consent", views.consent, name="consent"),
    path("interview/token", views.token, name="token"),
    path("interview/status", views.status, name="status"),
    path("interview/interviewer", interviewer.interviewer, name="interviewer"),
    path("interview/coding", coding.coding, name="coding"),
    path("interview/coding/save", coding.coding_save, name="coding_save"),
    path("interview/coding/run", coding.coding_run, name="coding_run"),
    path("interview/coding/submit", coding.coding_submit, name="coding_submit"),
    path(
        "interview/about-you",
        self_identification.self_identification,
        name="self_identification",
    ),
    path("interview/<str:invite>/", views.invite, name="invite"),
    path("apply/<slug:slug>/", views.apply, name="apply"),
    path("livekit/webhook", webhook.livekit_webhook, name="livekit-webhook"),
]
