"""Figure 8: how well the structured interviewer understands candidates, measured on
messages written apart from the examples it learns from (held-out sets in
tests/agent/understanding/, lines {"text", "asking", "intent", and the expected fields}).

Each message goes through what the interviewer runs (agent_worker.understanding, then the
dialogue's confidence policy, agent_worker.structured.states.settled), and counts as:
- filed as an answer: the dialogue would take it as the answer;
- taken for a request: the dialogue would act on it as a request (repeat, wait, ...);
- asked about: the dialogue is unsure and asks first (never into the record).

    python -m bench.understanding --out understanding.json [FILE ...]
"""

import argparse
import json
import os
import time
from collections import Counter
from pathlib import Path

from bench.common import write_json

ROOT = Path(__file__).resolve().parent.parent
HELD_OUT = ROOT / "tests" / "agent" / "understanding"
# The measured sets (README.md there): the first, and the second written apart later.
DEFAULT_FILES = (
    "heldout_test.jsonl",
    "heldout_test2.jsonl",
    "heldout_test3.jsonl",
    "heldout_test4.jsonl",
    "heldout_test5.jsonl",
    "names_test.jsonl",
)
EXPERIENCE_TOLERANCE_YEARS = 0.05


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hiring.settings")
    import django

    django.setup()


def read_rows(paths: list[Path]) -> list[dict]:
    rows = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line))
    return rows


def evaluate(rows: list[dict]) -> dict:
    """The figures for these labelled messages."""
    _setup()
    from agent_worker.structured.states import settled
    from agent_worker.understanding import Asking, Intent, understand
    from agent_worker.understanding.codes import find_code

    asking_of = {
        "question": Asking.ANSWER,
        "email": Asking.EMAIL,
        "code": Asking.CODE,
        "name": Asking.NAME,
        "experience": Asking.EXPERIENCE,
        "position": Asking.POSITION,
        "confirm": Asking.CONFIRMATION,
        "anything_else": Asking.ANYTHING_ELSE,
        "coding": Asking.CODING,
    }
    titles = ("Software Engineer", "Data Scientist", "Product Manager")
    # The default positions' aliases, as the data migration gives them.
    from importlib import import_module

    migration = import_module("interviews.migrations.0015_position_aliases")
    slugs = {
        "software-engineer": titles[0],
        "data-scientist": titles[1],
        "product-manager": titles[2],
    }
    aliases = {
        slugs[slug]: [a.strip() for a in words.split(",")]
        for slug, words in migration.DEFAULT_ALIASES.items()
    }
    predicted: Counter[tuple[str, str]] = Counter()
    outcomes: Counter[tuple[str, str]] = Counter()  # (label kind, outcome)
    fields: Counter[tuple[str, bool]] = Counter()
    misses: list[dict] = []
    started = time.perf_counter()
    for row in rows:
        asking = asking_of[row["asking"]]
        understood = understand(row["text"], asking=asking, titles=titles, aliases=aliases)
        got: dict = {}
        if "intent" in row:
            label = row["intent"]
            predicted[(label, understood.intent.value)] += 1
            decision = settled(understood)
            outcome = (
                "asked"
                if decision is None
                else "answer"
                if decision is Intent.ANSWER
                else "request"
            )
            kind = "answer" if label == "answer" else "other"
            outcomes[(kind, outcome)] += 1
            got["intent"] = understood.intent.value
            got["outcome"] = outcome
            wrong = (kind == "answer") != (outcome == "answer") or got["intent"] != label
        else:
            wrong = False
        code = find_code(row["text"]) if "code" in row else None
        checks = {
            "email": understood.email,
            "name": understood.name,
            "code": code,
            "position": understood.position,
            "experience_years": understood.experience_said,
        }
        for name, value in checks.items():
            if name not in row:
                continue
            expected = row[name]
            if name == "experience_years" and value is not None and expected is not None:
                right = abs(value - expected) <= EXPERIENCE_TOLERANCE_YEARS
            else:
                right = value == expected
            fields[(name, right)] += 1
            got[name] = value
            wrong = wrong or not right
        if wrong:
            misses.append({**row, "got": got})
    seconds = time.perf_counter() - started

    labels = sorted({label for label, _ in predicted} | {p for _, p in predicted})
    per_intent = {}
    for intent in labels:
        true_positive = predicted[(intent, intent)]
        said = sum(n for (label, _), n in predicted.items() if label == intent)
        guessed = sum(n for (_, p), n in predicted.items() if p == intent)
        per_intent[intent] = {
            "messages": said,
            "precision": round(true_positive / guessed, 3) if guessed else None,
            "recall": round(true_positive / said, 3) if said else None,
        }
    others = sum(n for (kind, _), n in outcomes.items() if kind == "other")
    answers = sum(n for (kind, _), n in outcomes.items() if kind == "answer")
    names_total = fields[("name", True)] + fields[("name", False)]
    return {
        "messages": len(rows),
        "labelled": others + answers,
        "per_intent": per_intent,
        "request_filed_as_answer": _share(outcomes[("other", "answer")], others),
        "answer_taken_for_request": _share(outcomes[("answer", "request")], answers),
        "answer_asked_about": _share(outcomes[("answer", "asked")], answers),
        "request_asked_about": _share(outcomes[("other", "asked")], others),
        "names_exact": fields[("name", True)],
        "names": names_total,
        "fields": {
            name: {
                "right": fields[(name, True)],
                "of": fields[(name, True)] + fields[(name, False)],
            }
            for name in sorted({name for name, _ in fields})
        },
        "ms_per_message": round(1000 * seconds / max(len(rows), 1), 2),
        "misses": misses,
    }


def _share(count: int, of: int) -> dict:
    return {"count": count, "of": of, "share": round(count / of, 4) if of else None}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("files", nargs="*")
    parser.add_argument(
        "--show-misses",
        action="store_true",
        help="keep the misreadings in the output (only for development sets: nobody reads "
        "the held-out set's messages)",
    )
    args = parser.parse_args()
    paths = [Path(f) for f in args.files] or [HELD_OUT / name for name in DEFAULT_FILES]
    figure = evaluate(read_rows(paths))
    if not args.show_misses:
        figure["misses"] = len(figure["misses"])
    figure["files"] = [
        str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p) for p in paths
    ]
    write_json(args.out, figure)


if __name__ == "__main__":
    main()
