import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interviews.models import CodeRun, CodingWork, Interview
from interviews.selectors.reports import interview_report
from interviews.services.lifecycle import interview_finish, interview_start
from tests.factories import CandidateFactory, InterviewFactory
from tests.review.coding_work import (
    EXPLANATION,
    FIRST_TRY,
    HINTS,
    coding_interview,
    coding_position,
    work_through,
)

pytestmark = pytest.mark.django_db


def report_page(client, interview: Interview) -> str:
    response = client.get(reverse("admin:interviews_interview_report", args=[interview.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_report_shows_the_final_code_highlighted_and_escaped(recruiter_client):
    interview = coding_interview()

    page = report_page(recruiter_client, interview)

    assert "Submitted code (Python)" in page
    assert '<span class="tok-kw">def</span> <span class="tok-def">reverse_words</span>' in page
    assert '<span class="tok-bi">reversed</span>' in page
    # The candidate's markup is text on the page, never markup.
    assert "# split on whitespace &lt;b&gt;not&lt;/b&gt; on one space" in page
    assert "<b>not</b>" not in page
    assert '<pre class="gutter" aria-hidden="true">1\n2\n3\n4</pre>' in page


def test_the_report_puts_each_run_and_hint_on_a_timeline_from_the_start(recruiter_client):
    interview = coding_interview()

    page = report_page(recruiter_client, interview)

    rows = page.split('<table aria-labelledby="coding-1-timeline"')[1].split("</table>")[0]
    assert [line.strip() for line in rows.split("<tr")[2:]] and rows.count("<tr") == 5
    first_run, first_hint, second_hint, submission = rows.split("<tr")[2:]
    assert "<td>2:05</td>" in first_run and "<td>Run</td>" in first_run
    assert "Some tests failed" in first_run and "<td>0/1</td>" in first_run
    assert "not run" in first_run  # a run executes the visible tests only
    assert "<td>4:30</td>" in first_hint and "Hint 1" in first_hint and HINTS[0] in first_hint
    assert "<td>5:00</td>" in second_hint and HINTS[1] in second_hint
    assert "<td>12:34</td>" in submission and "<td>Submission</td>" in submission
    assert "All tests passed" in submission and submission.count("<td>1/1</td>") == 2


def test_the_report_shows_time_taken_hints_used_and_the_explanation(recruiter_client):
    interview = coding_interview()

    page = report_page(recruiter_client, interview)

    assert "12:34 (minutes:seconds) from the start to the submission" in page
    assert "(time limit 20 min)" in page
    assert "visible tests 1/1, hidden tests 1/1" in page
    assert "<dt>Hints used</dt>\n    <dd>2 of 3</dd>" in page
    assert "The candidate's explanation of their approach" in page
    assert EXPLANATION in page


def test_work_never_submitted_shows_the_code_as_last_saved(recruiter_client):
    position = coding_position()
    interview = InterviewFactory(position=position, candidate=CandidateFactory(position=position))
    interview_start(interview=interview, ai_mode="structured")
    work_through(interview, runs_before=2, submit=False)
    interview_finish(interview=interview)

    page = report_page(recruiter_client, interview)

    assert "Not submitted" in page
    assert "No submission: the code below is as the candidate last left it." in page
    assert "Code as last saved (Python)" in page
    assert 'text[::-<span class="tok-num">1</span>]' in page  # FIRST_TRY
    assert CodingWork.objects.get(asked__interview=interview).code == FIRST_TRY
    assert "(not explained)" in page


def test_the_report_reads_as_many_times_for_three_coding_questions_as_for_one(
    recruiter_client,
):
    def queries(interview: Interview) -> int:
        with CaptureQueriesContext(connection) as captured:
            report_page(recruiter_client, interview)
        return len(captured)

    one = coding_interview(exercises=1)
    three = coding_interview(name="Tom Three", email="tom.three@example.com", exercises=3)
    assert CodeRun.objects.filter(work__asked__interview=three).count() == 6

    assert queries(three) == queries(one)


def test_the_selector_reads_the_coding_work_in_a_constant_number_of_queries():
    interview = coding_interview(exercises=3)

    with CaptureQueriesContext(connection) as captured:
        report = interview_report(interview_id=interview.pk)
        assert report is not None
        for item in report.items:
            assert item.coding is not None
            assert item.coding.final_code and item.coding.timeline
            assert item.coding.hints_available == 3

    # The interview, questions with their work and exercise, runs, hints, transcript,
    # decisions, the evaluation and its scores.
    assert len(captured) == 8, [q["sql"] for q in captured.captured_queries]
