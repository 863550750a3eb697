"""The default bank's coding exercises: two or three per engineering position, each with
starter code, visible and hidden tests, a hint ladder and a rubric. Their tests are proven
here, with plain CPython in the test process and the product's own harness (trusted test
data; the web app only compiles recruiters' code): a reference solution, kept in this file
only, passes every test; the starter code fails them; a plausible wrong answer passes the
visible tests and fails a hidden one."""

import importlib.util
import json
import re
from pathlib import Path

import pytest
from django.apps import apps

from interviews.models import CodingExercise, Position, Question, Stage
from interviews.services.exercises import exercise_check_code

MIGRATION = importlib.import_module("interviews.migrations.0019_default_coding_exercises")
QUESTIONS = MIGRATION.QUESTIONS
_HARNESS_FILE = Path(__file__).resolve().parents[2] / "static/interviews/coding/harness.py"
_spec = importlib.util.spec_from_file_location("coding_harness", _HARNESS_FILE)
assert _spec is not None and _spec.loader is not None
HARNESS = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(HARNESS)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_bank")]

ENGINEERING = {"software-engineer", "data-scientist"}

# Reference solutions by the function or class each exercise asks for.
SOLUTIONS = {
    "merge_intervals": """
def merge_intervals(intervals):
    merged = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
""",
    "top_words": """
import re
from collections import Counter


def top_words(text, k):
    counts = Counter(re.findall(r"[a-z]+", text.lower()))
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:k]
""",
    "LRUCache": """
from collections import OrderedDict


class LRUCache:
    def __init__(self, capacity):
        self.capacity = capacity
        self.items = OrderedDict()

    def get(self, key):
        if key not in self.items:
            return None
        self.items.move_to_end(key)
        return self.items[key]

    def put(self, key, value):
        self.items[key] = value
        self.items.move_to_end(key)
        if len(self.items) > self.capacity:
            self.items.popitem(last=False)
""",
    "moving_average": """
def moving_average(values, window):
    if window < 1:
        raise ValueError("the window must be at least 1")
    if window > len(values):
        return []
    total = sum(values[:window])
    averages = [total / window]
    for entering, leaving in zip(values[window:], values):
        total += entering - leaving
        averages.append(total / window)
    return averages
""",
    "precision_recall_f1": """
def precision_recall_f1(actual, predicted, positive=1):
    if len(actual) != len(predicted):
        raise ValueError("actual and predicted differ in length")
    tp = fp = fn = 0
    for truth, guess in zip(actual, predicted):
        if guess == positive and truth == positive:
            tp += 1
        elif guess == positive:
            fp += 1
        elif truth == positive:
            fn += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
""",
    "group_means": """
def group_means(rows, key, value):
    totals = {}
    for row in rows:
        number = row.get(value)
        if number is None:
            continue
        total, count = totals.get(row[key], (0, 0))
        totals[row[key]] = (total + number, count + 1)
    return {group: total / count for group, (total, count) in totals.items()}
""",
}
# Plausible wrong answers each exercise's hidden tests must catch (the visible ones pass).
NEAR_MISSES = {
    "merge_intervals": """
def merge_intervals(intervals):
    intervals.sort()
    merged = []
    for start, end in intervals:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
""",
    "top_words": """
def top_words(text, k):
    counts = {}
    for word in text.lower().replace(",", " ").replace("!", " ").replace("?", " ")\\
            .replace(".", " ").split():
        counts[word] = counts.get(word, 0) + 1
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:k]
""",
    "LRUCache": """
class LRUCache:
    def __init__(self, capacity):
        self.capacity = capacity
        self.items = {}

    def get(self, key):
        if key in self.items:
            value = self.items.pop(key)
            self.items[key] = value
            return value

    def put(self, key, value):
        if len(self.items) >= self.capacity:
            del self.items[next(iter(self.items))]
        self.items[key] = value
""",
    "moving_average": """
def moving_average(values, window):
    return [sum(values[i:i + window]) / window for i in range(len(values) - window + 1)]
""",
    "precision_recall_f1": """
def precision_recall_f1(actual, predicted, positive=1):
    tp = sum(1 for a, p in zip(actual, predicted) if a == p == positive)
    precision = tp / sum(1 for p in predicted if p == positive)
    recall = tp / sum(1 for a in actual if a == positive)
    return precision, recall, 2 * precision * recall / (precision + recall)
""",
    "group_means": """
def group_means(rows, key, value):
    groups = {}
    for row in rows:
        if row.get(value):
            groups.setdefault(row[key], []).append(row[value])
    return {group: sum(values) / len(values) for group, values in groups.items()}
""",
}
ASKED_FOR = re.compile(r"^(?:class|def) (\w+)", re.MULTILINE)


def asked_for(spec: dict) -> str:
    return ASKED_FOR.findall(spec["exercise"]["starter_code"])[0]


def run_tests(code: str, tests: str) -> dict[str, bool]:
    """Each test's result, as the product's harness (the one file the browser and the
    server's sandbox both run) reports it, run here in CPython."""
    result = json.loads(HARNESS.run_tests(code, tests, 10_000))
    return {test["name"]: test["passed"] for test in result["tests"]}


def count_tests(tests: str) -> int:
    return len(re.findall(r"^def test_\w+\(\):", tests, re.MULTILINE))


def test_each_engineering_position_has_two_or_three_coding_exercises():
    for slug in ENGINEERING:
        coding = Question.objects.filter(position__slug=slug, stage=Stage.CODING)
        assert 2 <= coding.count() <= 3, slug
        assert coding.filter(exercise__isnull=False, is_active=True).count() == coding.count()
    assert not Question.objects.filter(position__slug="product-manager", stage=Stage.CODING)
    assert {spec["position"] for spec in QUESTIONS} == ENGINEERING


def test_the_plans_still_ask_for_no_coding_exercise_until_recruiters_turn_it_on():
    assert set(
        Position.objects.filter(slug__in=ENGINEERING).values_list("coding_questions", flat=True)
    ) == {0}


def test_the_exercises_are_stored_as_the_migration_froze_them():
    for spec in QUESTIONS:
        exercise = CodingExercise.objects.get(
            question__position__slug=spec["position"], question__text=spec["text"]
        )
        for field, value in spec["exercise"].items():
            assert getattr(exercise, field) == value, (spec["text"][:40], field)
        assert exercise.question.rubric == spec["rubric"]


@pytest.mark.parametrize("spec", QUESTIONS, ids=asked_for)
def test_each_exercise_is_complete_and_compiles(spec):
    exercise = spec["exercise"]

    exercise_check_code(
        starter_code=exercise["starter_code"],
        visible_tests=exercise["visible_tests"],
        hidden_tests=exercise["hidden_tests"],
    )

    assert 3 <= count_tests(exercise["visible_tests"]) <= 4
    assert 3 <= count_tests(exercise["hidden_tests"]) <= 5
    assert (
        2
        <= len([h for h in (exercise["hint_1"], exercise["hint_2"], exercise["hint_3"]) if h])
        <= 3
    )
    assert 5 <= exercise["time_limit_minutes"] <= 30
    assert asked_for(spec) in spec["text"]
    assert len(spec["rubric"]) > 200 and "explanation" in spec["rubric"]


@pytest.mark.parametrize("spec", QUESTIONS, ids=asked_for)
def test_a_reference_solution_passes_every_visible_and_hidden_test(spec):
    exercise = spec["exercise"]
    solution = SOLUTIONS[asked_for(spec)]

    visible = run_tests(solution, exercise["visible_tests"])
    hidden = run_tests(solution, exercise["hidden_tests"])

    assert visible and all(visible.values()), visible
    assert hidden and all(hidden.values()), hidden
    assert len(visible) == count_tests(exercise["visible_tests"])
    assert len(hidden) == count_tests(exercise["hidden_tests"])


@pytest.mark.parametrize("spec", QUESTIONS, ids=asked_for)
def test_the_starter_code_fails_the_tests(spec):
    exercise = spec["exercise"]

    visible = run_tests(exercise["starter_code"], exercise["visible_tests"])

    assert not any(visible.values()), visible


@pytest.mark.parametrize("spec", QUESTIONS, ids=asked_for)
def test_the_hidden_tests_catch_a_plausible_wrong_answer_the_visible_ones_let_through(spec):
    exercise = spec["exercise"]
    near_miss = NEAR_MISSES[asked_for(spec)]

    visible = run_tests(near_miss, exercise["visible_tests"])
    hidden = run_tests(near_miss, exercise["hidden_tests"])

    assert all(visible.values()), visible
    assert not all(hidden.values()), hidden


@pytest.mark.parametrize("spec", QUESTIONS, ids=asked_for)
def test_no_hint_gives_the_answer_away(spec):
    exercise = spec["exercise"]
    solution_lines = {
        line.strip()
        for line in SOLUTIONS[asked_for(spec)].splitlines()
        if len(line.strip()) > 12 and not line.strip().startswith(("def ", "class ", "import "))
    }

    for hint in (exercise["hint_1"], exercise["hint_2"], exercise["hint_3"]):
        assert "def " not in hint and "return " not in hint and "\n" not in hint
        assert not any(line in hint for line in solution_lines), hint


def test_loading_again_adds_nothing_and_removing_takes_only_questions_never_asked():
    before = Question.objects.filter(stage=Stage.CODING).count()

    MIGRATION.load_coding_exercises(apps, None)
    again = Question.objects.filter(stage=Stage.CODING).count()
    MIGRATION.remove_coding_exercises(apps, None)

    assert again == before == len(QUESTIONS)
    assert not Question.objects.filter(stage=Stage.CODING).exists()
    assert not CodingExercise.objects.exists()
