"""Evaluating one completed interview: ask the model, check its reply, record the result
or the failure."""

import logging
import time
from collections.abc import Callable

from interviews.evaluation import llm
from interviews.evaluation.blind import blind_input
from interviews.evaluation.llm import EvaluationModel
from interviews.evaluation.reply import parse_reply
from interviews.models import Evaluation, Interview
from interviews.services import evaluations

logger = logging.getLogger(__name__)

PROMPT_VERSION = "evaluation-v3"
MAX_TRIES = 3
BACKOFF_SECONDS = 2.0
MAX_ERROR_LENGTH = 1_000

SYSTEM_PROMPT = """\
You assess a job interview for a hiring team. A person makes the decision; you suggest.
You receive the questions asked, the rubric for each (what a good answer covers), the
candidate's answers and the transcript. You do not know who the candidate is; judge only
what was said.

For every question, give a score from 1 (does not meet the rubric) to 5 (fully meets it),
and quote, word for word, the passages of what the candidate said that support the score.
Quote only the candidate's own words, exactly as written in the transcript (or in an
"answer"). An "interviewer_summary_of_answer" is the interviewer's summary, not the
candidate's words: never quote it. A rubric whose "rubric_written_by" is the AI
interviewer was not set by the hiring team: say so in the rationale if you rely on it. If
what the candidate said cannot support a score, give the score null and no quotes.

A coding question carries "coding": the candidate's final code and the results of the
server's own run of the tests on it (visible and hidden tests passed), with the runs
before the submission, the hints used and the minutes taken. Judge the code against the
rubric with those results as evidence, and its answer as the candidate's explanation of
the approach. You may quote lines of the final code, word for word, as evidence. Without
a submission, say so and judge only what is there.

Reply with one JSON object, nothing else:
{"questions": [{"id": "<question id>", "score": <1-5 or null>,
                "evidence": ["<exact quote>", ...], "rationale": "<one or two sentences>"}],
 "summary": "<a short overall assessment>",
 "strengths": ["<strength>", ...],
 "concerns": ["<concern>", ...],
 "next_step": "advance" | "hold" | "reject"}
"""


def evaluation_run(
    *,
    interview: Interview,
    model: EvaluationModel | None = None,
    tries: int = MAX_TRIES,
    sleep: Callable[[float], None] = time.sleep,
) -> Evaluation:
    """Evaluate one completed interview. Without a model it stays awaiting human review,
    unscored. Each failed call is retried after a growing pause; after the last one the
    evaluation is marked failed with the reason. Never raises for a model's failure."""
    evaluation = evaluations.evaluation_prepare(interview=interview)
    model = model if model is not None else llm.configured_model()
    if model is None:
        return evaluation
    source = blind_input(interview=evaluation.interview)
    error = ""
    for attempt in range(1, tries + 1):
        try:
            result = parse_reply(
                model.complete(system=SYSTEM_PROMPT, user=source.as_prompt()), source
            )
        except Exception as exc:  # noqa: BLE001 - whatever the model does, the run records it
            error = f"{type(exc).__name__}: {exc}"[:MAX_ERROR_LENGTH]
            logger.warning(
                "Evaluation attempt failed",
                extra={"interview": str(interview.public_id), "attempt": attempt},
            )
            if attempt < tries:
                sleep(BACKOFF_SECONDS * 2 ** (attempt - 1))
            continue
        return evaluations.evaluation_record_result(
            evaluation=evaluation,
            result=result,
            model_name=model.name,
            prompt_version=PROMPT_VERSION,
            attempts=attempt,
        )
    return evaluations.evaluation_record_failure(
        evaluation=evaluation,
        error=error,
        model_name=model.name,
        prompt_version=PROMPT_VERSION,
        attempts=tries,
    )
