"""Checking what the model said: its reply parsed into an EvaluationResult, and every
passage it quotes looked up in what the candidate said."""

import json
import re
import unicodedata

from interviews.evaluation.blind import BlindInput
from interviews.models import Evaluation
from interviews.services.evaluations import EvaluationResult, ScoredAnswer

MIN_QUOTE_WORDS = 2


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


def _texts(value: object) -> list[str]:
    if not isinstance(value, list):
        return []
    return [item.strip() for item in value if isinstance(item, str) and item.strip()]


def _score_answer(sequence: int, item: dict | None, sources: list[str]) -> ScoredAnswer:
    if item is None:
        return ScoredAnswer(sequence, None, [], [], "The model gave no score for this answer.")
    given = item.get("rationale")
    rationale = given if isinstance(given, str) else ""
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
