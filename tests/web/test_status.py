from django.test import Client

from interviews.models import Interview
from interviews.services.lifecycle import interview_finish, interview_interrupt, interview_start


def test_the_page_learns_a_finished_interview_from_its_status(joined: Client, invited):
    assert joined.get("/interview/status").json() == {"status": "invited", "finished": False}
    interview_start(interview=invited.interview, ai_mode="structured")
    interview_interrupt(interview=invited.interview)
    assert joined.get("/interview/status").json()["status"] == "interrupted"
    interview_start(interview=invited.interview, ai_mode="structured")
    interview_finish(interview=invited.interview)
    response = joined.get("/interview/status")
    assert response.json() == {"status": "completed", "finished": True}
    assert response["Cache-Control"] == "no-store"
    assert Interview.objects.get(pk=invited.interview.pk).status == "completed"


def test_the_status_needs_an_interview_in_this_browser(client: Client, db):
    response = client.get("/interview/status")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "no_interview"
