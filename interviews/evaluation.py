"""The AI evaluator: scores each answer against its question's rubric, citing what the
candidate said. Its output is a suggestion for the person who decides.

Blind by design: the model receives the questions, their rubrics and what was said from
the first question on, with the candidate's name and email scrubbed; never the profile.
Every passage it quotes is looked up in what the candidate said, in code: a score whose
quotes cannot all be found becomes "insufficient evidence".

It runs after the interview, outside it (`manage.py evaluate_interviews`, or the admin's
"(Re)run the evaluation"); a failure is recorded on the evaluation and never touches the
interview.
"""

from __future__ import annotations

import json
import logging
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.db.models import Q, QuerySet

from interviews import review
from interviews.models import Candidate, Evaluation, Interview, TranscriptSegment

logger = logging.getLogger(__name__)

PROMPT_VERSION = "evaluation-v1"
MAX_TRIES = 3
BACKOFF_SECONDS = 2.0
MIN_QUOTE_WORDS = 2
MAX_ERROR_LENGTH = 1_000

SYSTEM_PROMPT = """\
You assess a job interview for a hiring team. A person makes the decision; you suggest.
You receive the questions asked, the rubric for each (what a good answer covers), the
candidate's answers and the transcript. You do not know who the candidate is; judge only
what was said.

For every question, give a score from 1 (does not meet the rubric) to 5 (fully meets it),
and quote, word for word, the passages of what the candidate said that support the score.
Quote only the candidate's own words, exactly as written in the transcript or answer. If
what the candidate said cannot support a score, give the score null and no quotes.

Reply with one JSON object, nothing else:
{"questions": [{"id": "<question id>", "score": <1-5 or null>,
                "evidence": ["<exact quote>", ...], "rationale": "<one or two sentences>"}],
 "summary": "<a short overall assessment>",
 "strengths": ["<strength>", ...],
 "concerns": ["<concern>", ...],
 "next_step": "advance" | "hold" | "reject"}
"""


class EvaluationModel(Protocol):
    """What the evaluator needs from a language model; tests pass a scripted one."""

    name: str

    def complete(self, *, system: str, user: str) -> str:
        """The model's reply to one system and one user message."""
        ...


class OpenAIEvaluationModel:
    """OpenAI, or any server speaking its chat completions API (EVALUATION_BASE_URL)."""

    def __init__(self, *, model: str, base_url: str = "", api_key: str = "") -> None:
        from openai import OpenAI

        self.name = model
        # Self-hosted servers often need no key, but the client insists on one.
        self._client = OpenAI(
            base_url=base_url or None, api_key=api_key or "none", max_retries=0, timeout=120
        )

    def complete(self, *, system: str, user: str) -> str:
        response = self._client.chat.completions.create(
            model=self.name,
            temperature=0,
            response_format={"type": "json_object"},
            messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
        )
        return response.choices[0].message.content or ""


def configured_model() -> EvaluationModel | None:
    """The model from the settings, or None: then interviews wait for a person, unscored."""
    if not settings.EVALUATION_MODEL:
        return None
    return OpenAIEvaluationModel(
        model=settings.EVALUATION_MODEL,
        base_url=settings.EVALUATION_BASE_URL,
        api_key=settings.OPENAI_API_KEY,
    )


# --- What the model sees ---------------------------------------------------------------

EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
NAME_PLACEHOLDER = "[candidate]"
EMAIL_PLACEHOLDER = "[email]"


def _scrubber(candidate: Candidate | None) -> Callable[[str], str]:
    """Removes the candidate's email and name (whole, and each part) from a text."""
    patterns: list[tuple[re.Pattern[str], str]] = []
    if candidate is not None:
        patterns.append((re.compile(re.escape(candidate.email), re.IGNORECASE), EMAIL_PLACEHOLDER))
        words = [candidate.name, *candidate.name.split(), candidate.email.split("@")[0]]
        for word in sorted({w for w in words if len(w) >= 2}, key=len, reverse=True):
            patterns.append(
                (re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE), NAME_PLACEHOLDER)
            )

    def scrub(text: str) -> str:
        for pattern, placeholder in patterns:
            text = pattern.sub(placeholder, text)
        return EMAIL_PATTERN.sub(EMAIL_PLACEHOLDER, text)

    return scrub


@dataclass(frozen=True)
class BlindInput:
    """The evaluator's whole view of an interview."""

    questions: list[dict]
    transcript: list[dict]

    @property
    def candidate_texts(self) -> list[str]:
        """What the candidate said, as the model saw it: where quotes must come from."""
        said = [s["text"] for s in self.transcript if s["speaker"] == "candidate"]
        return said + [q["answer"] for q in self.questions if q["answer"]]

    def as_prompt(self) -> str:
        return json.dumps(
            {"questions": self.questions, "transcript": self.transcript},
            ensure_ascii=False,
            indent=1,
        )


def blind_input(*, interview: Interview) -> BlindInput:
    """Questions, rubrics, answers and the transcript from the first question on (before
    it, the candidate is identifying themselves), with name and email scrubbed."""
    scrub = _scrubber(interview.candidate)
    asked = list(interview.asked.select_related("follow_up_to").order_by("sequence"))
    questions = [
        {
            "id": f"q{item.sequence}",
            "stage": item.stage,
            "follow_up_to": f"q{item.follow_up_to.sequence}" if item.follow_up_to_id else None,
            "question": scrub(item.text),
            "rubric": scrub(item.rubric),
            "answer": scrub(item.answer),
        }
        for item in asked
    ]
    segments = interview.transcript.order_by("sequence")
    if asked:
        segments = segments.filter(spoken_at__gte=min(item.asked_at for item in asked))
    transcript = [
        {
            "speaker": "candidate"
            if segment.speaker == TranscriptSegment.Speaker.CANDIDATE
            else "interviewer",
            "text": scrub(segment.text),
        }
        for segment in segments
    ]
    return BlindInput(questions=questions, transcript=transcript)


# --- Checking what the model said ------------------------------------------------------


def normalise_passage(text: str) -> str:
    """Case, punctuation and spacing vary between a transcript and a quote of it; the
    words and their order may not."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def passage_occurs(quote: str, sources: list[str]) -> bool:
    needle = normalise_passage(quote)
    if len(needle.split()) < MIN_QUOTE_WORDS:
        return False
    return any(f" {needle} " in f" {normalise_passage(source)} " for source in sources)


class EvaluationReplyError(ValueError):
    """The model's reply is not the JSON object the prompt asks for."""


@dataclass(frozen=True)
class ScoredAnswer:
    sequence: int
    score: int | None
    evidence: list[str]
    unverified_quotes: list[str]
    rationale: str

    @property
    def insufficient_evidence(self) -> bool:
        return self.score is None


@dataclass(frozen=True)
class EvaluationResult:
    answers: list[ScoredAnswer]
    summary: str
    next_step: str
    strengths: list[str] = field(default_factory=list)
    concerns: list[str] = field(default_factory=list)


def _texts(value: object) -> list[str]:
    if not isinstance(value, list):
        return []
    return [item.strip() for item in value if isinstance(item, str) and item.strip()]


def _score_answer(sequence: int, item: dict | None, sources: list[str]) -> ScoredAnswer:
    if item is None:
        return ScoredAnswer(sequence, None, [], [], "The model gave no score for this answer.")
    rationale = item.get("rationale") if isinstance(item.get("rationale"), str) else ""
    quotes = _texts(item.get("evidence"))
    found = [quote for quote in quotes if passage_occurs(quote, sources)]
    missing = [quote for quote in quotes if quote not in found]
    score = item.get("score")
    valid_score = isinstance(score, int) and not isinstance(score, bool) and 1 <= score <= 5
    if not valid_score or not found or missing:
        # Unsupported or partly invented evidence: a person reads the answer instead.
        return ScoredAnswer(sequence, None, found, missing, rationale.strip())
    return ScoredAnswer(sequence, score, found, [], rationale.strip())


def parse_reply(reply: str, source: BlindInput) -> EvaluationResult:
    text = reply.strip()
    fenced = re.fullmatch(r"```(?:json)?\s*(.*?)\s*```", text, re.DOTALL)
    if fenced:
        text = fenced.group(1)
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise EvaluationReplyError("The model's reply is not JSON.") from None
    if not isinstance(data, dict):
        raise EvaluationReplyError("The model's reply is not a JSON object.")
    next_step = data.get("next_step")
    if next_step not in Evaluation.Recommendation.values:
        raise EvaluationReplyError("The model's reply has no valid next step.")
    summary = data.get("summary")
    if not isinstance(summary, str) or not summary.strip():
        raise EvaluationReplyError("The model's reply has no summary.")
    items = data.get("questions")
    if not isinstance(items, list):
        raise EvaluationReplyError("The model's reply has no question scores.")
    by_id = {item.get("id"): item for item in items if isinstance(item, dict)}
    sources = source.candidate_texts
    answers = [
        _score_answer(int(question["id"][1:]), by_id.get(question["id"]), sources)
        for question in source.questions
    ]
    return EvaluationResult(
        answers=answers,
        summary=summary.strip(),
        next_step=next_step,
        strengths=_texts(data.get("strengths")),
        concerns=_texts(data.get("concerns")),
    )


# --- Running it ------------------------------------------------------------------------


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
    evaluation = review.evaluation_prepare(interview=interview)
    model = model if model is not None else configured_model()
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
        return review.evaluation_record_result(
            evaluation=evaluation,
            result=result,
            model_name=model.name,
            prompt_version=PROMPT_VERSION,
            attempts=attempt,
        )
    return review.evaluation_record_failure(
        evaluation=evaluation,
        error=error,
        model_name=model.name,
        prompt_version=PROMPT_VERSION,
        attempts=tries,
    )


def evaluations_due(*, include_failed: bool = False) -> QuerySet[Interview]:
    """Completed interviews whose evaluation has never run (and failed ones, when asked)."""
    due = Q(evaluation__isnull=True) | Q(
        evaluation__status=Evaluation.Status.AWAITING_REVIEW, evaluation__attempts=0
    )
    if include_failed:
        due |= Q(evaluation__status=Evaluation.Status.FAILED)
    return (
        Interview.objects.filter(status=Interview.Status.COMPLETED)
        .filter(due)
        .order_by("ended_at", "pk")
    )
