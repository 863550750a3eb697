import pytest
from django.core.management import call_command
from django.urls import reverse

from interviews.evaluation import llm
from interviews.evaluation import run as run_module
from interviews.evaluation.llm import configured_model
from interviews.evaluation.reply import passage_occurs
from interviews.evaluation.run import PROMPT_VERSION, evaluation_run
from interviews.models import Evaluation, Interview, QuestionScore, TranscriptSegment
from tests.review.conftest import (
    EMAIL,
    NAME,
    TECHNICAL_ANSWER,
    ScriptedModel,
    completed_interview,
    model_reply,
)

pytestmark = pytest.mark.django_db


def no_sleep(seconds: float) -> None:
    pass


def run(interview, *replies, **kwargs):
    model = ScriptedModel(*replies)
    result = evaluation_run(interview=interview, model=model, sleep=no_sleep, **kwargs)
    return result, model


def scores_by_sequence(result: Evaluation) -> dict[int, QuestionScore]:
    return {s.interview_question.sequence: s for s in result.question_scores.all()}


def test_scores_backed_by_what_the_candidate_said_are_kept_with_their_evidence(interview):
    result, _ = run(interview, model_reply())

    result.refresh_from_db()
    assert result.status == Evaluation.Status.EVALUATED
    scores = scores_by_sequence(result)
    assert [scores[n].score for n in (1, 2, 3)] == [4, 3, 4]
    assert not any(s.insufficient_evidence for s in scores.values())
    assert scores[1].evidence == ["integration tests against a real database"]
    assert scores[1].rationale == "Rationale for q1."
    assert result.suggested_recommendation == "advance"
    assert result.summary.startswith("Solid testing")
    assert result.strengths == ["Testing discipline"]
    assert result.concerns == ["Little detail on monitoring"]
    assert result.model_name == "scripted-evaluator"
    assert result.prompt_version == PROMPT_VERSION
    assert [item["rubric"] for item in result.rubric_snapshot][0].startswith("Mentions unit")
    assert result.attempts == 1 and result.error == "" and result.evaluated_at is not None


def test_a_fabricated_quote_turns_the_score_into_insufficient_evidence(interview):
    invented = "I designed the company's whole test strategy on my own"
    result, _ = run(
        interview,
        model_reply(
            q1={"evidence": ["integration tests against a real database", invented]},
            q3={"evidence": []},
        ),
    )

    scores = scores_by_sequence(result)
    assert scores[1].score is None and scores[1].insufficient_evidence
    assert scores[1].unverified_quotes == [invented]
    assert scores[1].evidence == ["integration tests against a real database"]
    assert scores[3].score is None and scores[3].insufficient_evidence  # no quote at all
    assert scores[2].score == 3 and not scores[2].insufficient_evidence


def test_quotes_of_the_interviewer_or_out_of_range_scores_are_not_accepted(interview):
    result, _ = run(
        interview,
        model_reply(q1={"evidence": ["How do you test a web service"]}, q2={"score": 7}),
    )

    scores = scores_by_sequence(result)
    assert scores[1].insufficient_evidence and scores[1].unverified_quotes
    assert scores[2].insufficient_evidence and scores[2].score is None
    assert scores[3].score == 4


def test_a_question_the_model_skipped_gets_no_score(interview):
    reply = model_reply()
    reply["questions"] = reply["questions"][:2]

    result, _ = run(interview, reply)

    assert scores_by_sequence(result)[3].insufficient_evidence
    assert result.status == Evaluation.Status.EVALUATED


def test_quotes_match_whatever_the_case_punctuation_and_spacing():
    sources = [TECHNICAL_ANSWER]
    assert passage_occurs("Unit tests for the HANDLERS,  and integration", sources)
    assert passage_occurs("“run them in CI on every merge request”", sources)
    assert not passage_occurs("unit tests for every handler", sources)
    assert not passage_occurs("tests", sources)  # too short to be evidence
    assert not passage_occurs("a real database against", sources)  # order matters


def test_the_model_never_sees_the_candidates_name_or_email(interview):
    _, model = run(interview, model_reply())

    sent = (model.calls[0]["system"] + model.calls[0]["user"]).lower()
    for private in [EMAIL, *NAME.lower().split(), "zelda.quistorp"]:
        assert private.lower() not in sent
    assert "integration tests against a real database" in sent
    assert "mentions unit and integration tests" in sent  # the rubric
    assert "what is your email" not in sent  # the identification before the questions


def test_a_scrubbed_name_inside_an_answer_can_still_be_quoted(interview):
    result, _ = run(
        interview, model_reply(q3={"evidence": ["My manager said [candidate], you own"]})
    )

    score = scores_by_sequence(result)[3]
    assert score.score == 4 and score.evidence == ["My manager said [candidate], you own"]


def test_a_failing_model_is_retried_with_backoff_then_the_failure_is_recorded(interview):
    before = Interview.objects.filter(pk=interview.pk).values().get()
    segments = TranscriptSegment.objects.filter(interview=interview).count()
    pauses = []
    model = ScriptedModel(TimeoutError("timed out"), ConnectionError("refused"), "not json")

    result = evaluation_run(interview=interview, model=model, sleep=pauses.append)

    assert len(model.calls) == 3
    assert pauses == [2.0, 4.0]
    result.refresh_from_db()
    assert result.status == Evaluation.Status.FAILED
    assert "not JSON" in result.error
    assert result.attempts == 3
    assert not result.question_scores.exists()
    assert Interview.objects.filter(pk=interview.pk).values().get() == before
    assert TranscriptSegment.objects.filter(interview=interview).count() == segments


def test_a_retry_that_succeeds_keeps_the_evaluation(interview):
    result, model = run(interview, ConnectionError("refused"), model_reply(next_step="hold"))

    assert result.status == Evaluation.Status.EVALUATED
    assert result.attempts == 2
    assert result.suggested_recommendation == "hold"
    assert len(model.calls) == 2


def test_a_reply_without_a_valid_next_step_is_a_failure(interview):
    result, _ = run(interview, *[model_reply(next_step="hire")] * 3)

    assert result.status == Evaluation.Status.FAILED
    assert "next step" in result.error


def test_without_a_model_the_interview_waits_for_human_review_unscored(interview, settings):
    settings.EVALUATION_MODEL = ""

    result = evaluation_run(interview=interview)

    assert configured_model() is None
    assert result.status == Evaluation.Status.AWAITING_REVIEW
    assert result.summary == "" and result.suggested_recommendation == ""
    assert not QuestionScore.objects.exists()


def test_a_configured_model_speaks_to_the_openai_compatible_url(settings):
    settings.EVALUATION_MODEL = "local-model"
    settings.EVALUATION_BASE_URL = "http://127.0.0.1:9/v1"
    settings.OPENAI_API_KEY = ""

    model = configured_model()

    assert model.name == "local-model"
    assert str(model._client.base_url).startswith("http://127.0.0.1:9/v1")


def test_the_command_evaluates_only_completed_interviews_awaiting_evaluation(
    monkeypatch, capsys, interview
):
    unfinished = completed_interview(name="Ann Other", email="ann@example.com")
    Interview.objects.filter(pk=unfinished.pk).update(status=Interview.Status.INTERRUPTED)
    model = ScriptedModel(model_reply())
    monkeypatch.setattr(llm, "configured_model", lambda: model)

    call_command("evaluate_interviews")
    call_command("evaluate_interviews")  # nothing is left to do

    assert "1 evaluated, 0 failed." in capsys.readouterr().out
    assert len(model.calls) == 1
    assert Evaluation.objects.get(interview=interview).status == Evaluation.Status.EVALUATED
    assert Evaluation.objects.get(interview=unfinished).status == Evaluation.Status.AWAITING_REVIEW


def test_the_command_without_a_model_scores_nothing(settings, capsys, interview):
    settings.EVALUATION_MODEL = ""

    call_command("evaluate_interviews")

    assert "wait for human review" in capsys.readouterr().out
    assert Evaluation.objects.get(interview=interview).status == Evaluation.Status.AWAITING_REVIEW
    assert not QuestionScore.objects.exists()


def test_the_command_retries_failed_evaluations_only_when_asked(monkeypatch, capsys, interview):
    monkeypatch.setattr(run_module, "BACKOFF_SECONDS", 0)
    failing = ScriptedModel(*[ConnectionError("refused")] * 3)
    monkeypatch.setattr(llm, "configured_model", lambda: failing)
    call_command("evaluate_interviews")
    assert Evaluation.objects.get(interview=interview).status == Evaluation.Status.FAILED

    working = ScriptedModel(model_reply())
    monkeypatch.setattr(llm, "configured_model", lambda: working)
    call_command("evaluate_interviews")
    assert not working.calls
    call_command("evaluate_interviews", "--retry-failed")

    assert Evaluation.objects.get(interview=interview).status == Evaluation.Status.EVALUATED
    assert "1 evaluated, 0 failed." in capsys.readouterr().out


def test_a_recruiter_reruns_the_evaluation_from_the_admin(monkeypatch, recruiter_client, interview):
    run(interview, model_reply(next_step="reject"))
    model = ScriptedModel(model_reply(next_step="hold"))
    monkeypatch.setattr(llm, "configured_model", lambda: model)

    response = recruiter_client.post(
        reverse("admin:interviews_interview_changelist"),
        {"action": "rerun_evaluation", "_selected_action": [interview.pk]},
        follow=True,
    )

    assert "1 evaluated, 0 failed" in response.content.decode()
    result = Evaluation.objects.get(interview=interview)
    assert result.suggested_recommendation == "hold"
    assert result.question_scores.count() == 3


def test_rerunning_without_a_model_warns_and_changes_nothing(settings, recruiter_client, interview):
    settings.EVALUATION_MODEL = ""

    response = recruiter_client.post(
        reverse("admin:interviews_interview_changelist"),
        {"action": "rerun_evaluation", "_selected_action": [interview.pk]},
        follow=True,
    )

    assert "No evaluation model is configured" in response.content.decode()
    assert Evaluation.objects.get(interview=interview).status == Evaluation.Status.AWAITING_REVIEW
