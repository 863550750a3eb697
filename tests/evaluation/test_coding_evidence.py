"""The evaluator scores a coding question with evidence: the final code and the server's
results reach it (scrubbed like the rest), and a quoted line of code counts as the
candidate's own words."""

import json

import pytest

from interviews.evaluation.blind import blind_input
from interviews.evaluation.run import SYSTEM_PROMPT, evaluation_run
from interviews.models import CodeRun, CodingWork, Evaluation
from tests.review.coding_work import EXPLANATION, FINAL_CODE, coding_interview
from tests.review.conftest import ScriptedModel

pytestmark = pytest.mark.django_db

NAME = "Cora Coder"


def reply(**entry) -> dict:
    return {
        "questions": [{"id": "q1", "rationale": "Correct and explained.", **entry}],
        "summary": "Solved the exercise and explained it.",
        "strengths": ["Clean code"],
        "concerns": [],
        "next_step": "advance",
    }


def test_the_model_sees_the_final_code_and_the_servers_results():
    interview = coding_interview(name=NAME)

    [question] = blind_input(interview=interview).questions

    coding = question["coding"]
    assert question["stage"] == "coding" and question["answer"] == EXPLANATION
    assert coding["submitted"] is True
    assert coding["final_code"] == FINAL_CODE
    assert coding["server_result_of_submission"] == {
        "outcome": "passed",
        "visible_tests_passed": "1/1",
        "hidden_tests_passed": "1/1",
        "error": "",
    }
    assert (coding["runs_before_submission"], coding["hints_used"]) == (1, 2)
    assert coding["minutes_to_submit"] == 12.6


def test_the_code_reaches_the_model_without_the_candidates_name():
    interview = coding_interview(name=NAME)
    signed = f"# Written by {NAME} <cora.coder@example.com>\n{FINAL_CODE}"
    CodeRun.objects.filter(work__asked__interview=interview, kind="submit").update(code=signed)

    prompt = blind_input(interview=interview).as_prompt()

    assert "Cora" not in prompt and "cora.coder@example.com" not in prompt
    assert "# Written by [candidate] <[email]>" in prompt


def test_unsubmitted_work_is_sent_as_it_was_left_without_a_result():
    interview = coding_interview(name=NAME)
    work = CodingWork.objects.get(asked__interview=interview)
    CodeRun.objects.filter(work=work, kind="submit").delete()
    CodingWork.objects.filter(pk=work.pk).update(submitted_at=None, code="def half(")

    [question] = blind_input(interview=interview).questions

    assert question["coding"]["submitted"] is False
    assert question["coding"]["final_code"] == "def half("
    assert question["coding"]["server_result_of_submission"] is None


def test_a_quoted_line_of_the_final_code_supports_a_score():
    interview = coding_interview(name=NAME)
    model = ScriptedModel(reply(score=5, evidence=["' '.join(reversed(text.split()))"]))

    result = evaluation_run(interview=interview, model=model)

    assert result.status == Evaluation.Status.EVALUATED
    score = result.question_scores.get()
    assert (score.score, score.insufficient_evidence) == (5, False)
    sent = json.loads(model.calls[0]["user"])
    assert sent["questions"][0]["coding"]["server_result_of_submission"]["outcome"] == "passed"
    assert "coding" in model.calls[0]["system"] and model.calls[0]["system"] == SYSTEM_PROMPT


def test_code_the_candidate_never_wrote_is_not_evidence():
    interview = coding_interview(name=NAME)
    model = ScriptedModel(reply(score=5, evidence=["return sorted(words, key=len)"]))

    result = evaluation_run(interview=interview, model=model)

    score = result.question_scores.get()
    assert score.score is None and score.insufficient_evidence
    assert score.unverified_quotes == ["return sorted(words, key=len)"]
