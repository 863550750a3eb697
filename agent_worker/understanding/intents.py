"""What a candidate means by a message, by meaning rather than by word lists.

`read_intent(text, asking=..., question=...)` returns an `IntentReading`: the intent (an
answer, or a request: repeat, clarify, wait, skip, go back, stop, "that's it", small
talk, yes, no, and at the coding exercise a hint) with a confidence between 0 and 1. The
dialogue decides what a low confidence means (agent_worker.structured.states): it asks,
it never guesses into the record.

The model: a sentence embedding from wordllama (an English model shipped inside its
wheel, loaded once per process, nothing downloaded), plus a few signals of a message's
shape (its length, a question mark, digits, an address, how many of the open question's
words it repeats), fed to one small softmax classifier per context (what was asked last),
trained at load time in numpy on the examples in intent_examples.txt. Those examples are
never the messages it is measured on (bench/understanding.py, docs/benchmarks.md).

Nothing here imports Django.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

EXAMPLES_PATH = Path(__file__).with_name("intent_examples.txt")
# The model trained from those examples, shipped so that a process loads it in
# milliseconds; `python -m agent_worker.understanding.train_intents` (make intent-model) trains
# it again after the examples change (a test fails until it is).
MODEL_PATH = Path(__file__).with_name("intent_model.npz")
TRAINING_STEPS = 300
ANSWER_WEIGHT = 2.0
LEARNING_RATE = 0.05
L2 = 1e-3


class Intent(StrEnum):
    ANSWER = "answer"
    REPEAT = "repeat"
    CLARIFY = "clarify"
    WAIT = "wait"
    SKIP = "skip"
    BACK = "back"
    STOP = "stop"
    DONE = "done"
    SMALL_TALK = "small_talk"
    YES = "yes"
    NO = "no"
    # Asks for a hint (given in the coding exercise; elsewhere there are none to give).
    HINT = "hint"


class Context(StrEnum):
    """What the interviewer asked last."""

    QUESTION = "question"
    EMAIL = "email"
    CODE = "code"
    NAME = "name"
    EXPERIENCE = "experience"
    POSITION = "position"
    CONFIRM = "confirm"
    ANYTHING_ELSE = "anything_else"
    # The coding exercise: a question whose task is on the candidate's screen.
    CODING = "coding"


INTENTS = tuple(Intent)
# Contexts that also learn from another's examples: what is said at a question is said at
# the coding exercise too (it is one), which adds its own (asking for a hint). The
# question's classifier is trained on exactly what it was before the exercise existed.
ALSO_LEARNS_FROM = {Context.CODING: frozenset({Context.QUESTION.value})}
NAME_LIKE = "name_like"
# Lead-ins of the example names ("my name is", "I'm"): kept out of the bare names.
_LEAD_IN = re.compile(r"\b(?:name|i'm|i am|it's|it is|this is|call me)\b|,", re.I)
REQUESTS = frozenset(INTENTS) - {Intent.ANSWER}


@dataclass(frozen=True)
class IntentReading:
    intent: Intent
    confidence: float
    # The runner-up and its probability: "an answer or a request?" is asked between them.
    second: Intent
    second_confidence: float
    # How likely the message is an answer (0 when answers are not what the context takes).
    answer_probability: float = 0.0

    @property
    def is_request(self) -> bool:
        return self.intent is not Intent.ANSWER


@dataclass(frozen=True)
class Example:
    text: str
    intent: Intent
    context: str  # a Context value, or "any"
    question: str = ""


def load_examples(path: Path = EXAMPLES_PATH) -> list[Example]:
    examples: list[Example] = []
    context, question = "any", ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            context, question = line[1:-1].strip(), ""
            continue
        if line.startswith("? "):
            question = line[2:].strip()
            continue
        label, _, text = line.partition(":")
        examples.append(Example(text.strip(), Intent(label.strip()), context, question))
    return examples


# --- The embedding ---------------------------------------------------------------------

_load_lock = threading.Lock()


@cache
def embedder() -> Any:
    """wordllama's English model, from inside its wheel (its tokenizer sits in
    `tokenizers/`, where `load()` does not look by default: pointing the cache there and
    forbidding downloads keeps it offline)."""
    import wordllama
    from wordllama import WordLlama

    with _load_lock:
        return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_ASKING_START = re.compile(
    r"^(?:what|what's|which|who|when|where|why|how|is|are|am|do|does|did|can|could|would"
    r"|should|will|may)\b"
)
_EMAIL_LIKE = re.compile(r"@|\bat\b.*\bdot\b")
# Words too common to count as repeating the question.
_COMMON = frozenset(
    "a an the of to in on at for and or is are was were be you your i my me it this that "
    "do does did how what when why which would could can with about".split()
)


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def _signals(text: str, question: str) -> list[float]:
    said = words(text)
    count = len(said)
    stripped = text.strip()
    asked = {w for w in words(question) if w not in _COMMON}
    content = [w for w in said if w not in _COMMON]
    overlap = sum(1 for w in content if w in asked) / max(len(content), 1) if asked else 0.0
    return [
        min(np.log1p(count) / 3.0, 1.5),
        1.0 if count <= 3 else 0.0,
        1.0 if count >= 12 else 0.0,
        1.0 if stripped.endswith("?") else 0.0,
        1.0 if said and _ASKING_START.match(" ".join(said)) else 0.0,
        1.0 if any(c.isdigit() for c in text) else 0.0,
        1.0 if _EMAIL_LIKE.search(text.lower()) else 0.0,
        overlap,
    ]


def _embed(texts: list[str]) -> np.ndarray:
    cleaned = [" ".join(words(t)) or "." for t in texts]
    vectors = embedder().embed(cleaned, norm=True)
    return np.asarray(vectors, dtype=np.float64)


def features(texts: list[str], questions: list[str]) -> np.ndarray:
    embedded = _embed(texts) * 4.0  # unit vectors: scaled near the signals' range
    signals = np.array([_signals(t, q) for t, q in zip(texts, questions, strict=True)])
    bias = np.ones((len(texts), 1))
    return np.hstack([embedded, signals, bias])


# --- The classifier --------------------------------------------------------------------


@dataclass
class _Model:
    weights: np.ndarray  # features x intents
    intents: tuple[Intent, ...]

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        logits = x @ self.weights
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)


def _train(x: np.ndarray, labels: list[Intent]) -> _Model:
    """Multinomial logistic regression, each intent weighing the same however many
    examples it has; full-batch Adam from zero, so the same examples give the same model."""
    intents = tuple(i for i in INTENTS if i in set(labels))
    index = {intent: n for n, intent in enumerate(intents)}
    y = np.zeros((len(labels), len(intents)), dtype=np.float32)
    for row, label in enumerate(labels):
        y[row, index[label]] = 1.0
    per_class = y.sum(axis=0)
    # Every intent weighs the same however many examples it has, answers more: most of
    # what candidates say is an answer, and taking one for a request costs a question.
    prior = np.array([ANSWER_WEIGHT if i is Intent.ANSWER else 1.0 for i in intents])
    sample_weight = ((y * prior / per_class).sum(axis=1) * len(labels) / len(intents))[:, None]
    x = x.astype(np.float32)
    xt = np.ascontiguousarray(x.T)
    weights = np.zeros((x.shape[1], len(intents)), dtype=np.float32)
    moment, velocity = np.zeros_like(weights), np.zeros_like(weights)
    for step in range(1, TRAINING_STEPS + 1):
        logits = x @ weights
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        gradient = xt @ ((p - y) * sample_weight) / len(labels) + L2 * weights
        moment = 0.9 * moment + 0.1 * gradient
        velocity = 0.999 * velocity + 0.001 * gradient**2
        weights -= (
            LEARNING_RATE
            * (moment / (1 - 0.9**step))
            / (np.sqrt(velocity / (1 - 0.999**step)) + 1e-8)
        )
    return _Model(weights.astype(np.float64), intents)


def examples_digest(path: Path = EXAMPLES_PATH) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class IntentModel:
    """One classifier per context, trained on the shared examples and that context's."""

    def __init__(self, models: dict[str, _Model]) -> None:
        self._models = models

    @classmethod
    def trained(cls, examples: list[Example]) -> IntentModel:
        x = features([e.text for e in examples], [e.question for e in examples])
        models: dict[str, _Model] = {}
        for context in Context:
            learns_from = {"any", context.value, *ALSO_LEARNS_FROM.get(context, ())}
            rows = [n for n, e in enumerate(examples) if e.context in learns_from]
            models[context.value] = _train(x[rows], [examples[n].intent for n in rows])
        # Is this a person's name? The bare names given for the name question against
        # everything else the examples say.
        is_name = [
            e.context == Context.NAME and e.intent is Intent.ANSWER and not _LEAD_IN.search(e.text)
            for e in examples
        ]
        labels = [Intent.ANSWER if name else Intent.SMALL_TALK for name in is_name]
        models[NAME_LIKE] = _train(x, labels)
        return cls(models)

    def name_probability(self, text: str) -> float:
        model = self._models[NAME_LIKE]
        p = model.probabilities(features([text], [""]))[0]
        return float(p[model.intents.index(Intent.ANSWER)])

    def save(self, path: Path, *, digest: str) -> None:
        arrays: dict[str, Any] = {"examples_sha256": np.array(digest)}
        for context, model in self._models.items():
            arrays[f"{context}.weights"] = model.weights.astype(np.float32)
            arrays[f"{context}.intents"] = np.array([i.value for i in model.intents])
        with path.open("wb") as file:
            np.savez_compressed(file, **arrays)

    @classmethod
    def load(cls, path: Path, *, digest: str) -> IntentModel | None:
        """The shipped model, or None when it was trained from other examples."""
        try:
            data = np.load(path, allow_pickle=False)
        except OSError:
            return None
        with data:
            if str(data["examples_sha256"]) != digest:
                return None
            models = {
                key: _Model(
                    data[f"{key}.weights"].astype(np.float64),
                    tuple(Intent(str(i)) for i in data[f"{key}.intents"]),
                )
                for key in [*(c.value for c in Context), NAME_LIKE]
            }
        return cls(models)

    def read(self, text: str, *, context: Context, question: str = "") -> IntentReading:
        model = self._models[context.value]
        p = model.probabilities(features([text], [question]))[0]
        order = np.argsort(-p)
        first, second = int(order[0]), int(order[1]) if len(order) > 1 else int(order[0])
        answer = model.intents.index(Intent.ANSWER) if Intent.ANSWER in model.intents else None
        return IntentReading(
            intent=model.intents[first],
            confidence=float(p[first]),
            second=model.intents[second],
            second_confidence=float(p[second]),
            answer_probability=float(p[answer]) if answer is not None else 0.0,
        )


_model_lock = threading.Lock()
_model: IntentModel | None = None


def intent_model() -> IntentModel:
    """The model, trained once per process (about half a second; the worker's prewarm
    does it before any interview)."""
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                digest = examples_digest()
                _model = IntentModel.load(MODEL_PATH, digest=digest) or IntentModel.trained(
                    load_examples()
                )
                embedder()
    return _model


def read_intent(text: str, *, context: Context, question: str = "") -> IntentReading:
    if not words(text):
        return IntentReading(Intent.SMALL_TALK, 1.0, Intent.ANSWER, 0.0, 0.0)
    return intent_model().read(text, context=context, question=question)


def name_probability(text: str) -> float:
    """How much `text` reads like a person's name, by the examples (0 to 1)."""
    if not words(text):
        return 0.0
    return intent_model().name_probability(text)
