"""The language model the evaluator calls."""

from typing import Protocol

from django.conf import settings


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
