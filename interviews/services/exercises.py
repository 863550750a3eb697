"""Coding exercises as recruiters write them (in the admin or in the bank's CSV).

The code is checked, never run: starter code and tests must compile as Python, and the
tests must define test functions. Recruiters' code runs only in the sandbox, with the
candidate's (interviews.services.coding); the web process only compiles it. Only a coding
question has an exercise, and a coding question without one is never asked.
"""

import ast

from django.core.exceptions import ValidationError
from django.db import transaction

from interviews.models import CodingExercise, Question, Stage

# The exercise's fields, as the admin's form and the bank's CSV name them.
EXERCISE_FIELDS = (
    "language",
    "starter_code",
    "visible_tests",
    "hidden_tests",
    "time_limit_minutes",
    "hint_1",
    "hint_2",
    "hint_3",
)
TEST_PREFIX = "test_"


def code_problem(source: str, *, what: str) -> str | None:
    """Why `source` does not compile as Python, naming the line; None when it does."""
    try:
        compile(source, f"<{what}>", "exec", dont_inherit=True)
    except SyntaxError as exc:  # IndentationError and TabError too
        return f"Line {exc.lineno or 1}: {exc.msg}. {what.capitalize()} must be valid Python."
    except ValueError as exc:  # a NUL character, on older Pythons
        return f"{what.capitalize()} must be valid Python: {exc}."
    return None


def _test_functions(source: str) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    module = ast.parse(source)
    return [
        node
        for node in module.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith(TEST_PREFIX)
    ]


def _tests_problems(source: str, *, what: str, required: bool) -> list[str]:
    if not source.strip():
        return (
            ["Write at least one test function (def test_...(): assert ...)."] if required else []
        )
    problem = code_problem(source, what=what)
    if problem is not None:
        return [problem]
    tests = _test_functions(source)
    if not tests:
        return [
            f"{what.capitalize()} define no test function: write at least one "
            "“def test_...():” at the start of a line, with an assert."
        ]
    problems = []
    for test in tests:
        arguments = test.args
        if arguments.args or arguments.posonlyargs or arguments.kwonlyargs or arguments.vararg:
            problems.append(
                f"Line {test.lineno}: {test.name} takes arguments; a test function takes none."
            )
        if isinstance(test, ast.AsyncFunctionDef):
            problems.append(f"Line {test.lineno}: {test.name} is async; write a plain def.")
    names = [test.name for test in tests]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        problems.append(
            f"{what.capitalize()} define {', '.join(repeated)} more than once: the last "
            "would hide the others."
        )
    return problems


def exercise_check_code(*, starter_code: str, visible_tests: str, hidden_tests: str) -> None:
    """Raise a ValidationError by field when the starter code or the tests do not compile
    as Python, or the tests define no test function (visible tests are required)."""
    errors: dict[str, list[str]] = {}
    starter = code_problem(starter_code, what="the starter code") if starter_code else None
    if starter is not None:
        errors["starter_code"] = [starter]
    for field, what, required, source in (
        ("visible_tests", "the visible tests", True, visible_tests),
        ("hidden_tests", "the hidden tests", False, hidden_tests),
    ):
        problems = _tests_problems(source, what=what, required=required)
        if problems:
            errors[field] = problems
    if errors:
        raise ValidationError(errors)


def question_check_exercise(*, stage: str, has_exercise: bool) -> None:
    """A coding question needs its exercise; any other question has none."""
    if stage == Stage.CODING and not has_exercise:
        raise ValidationError(
            "A coding question needs its exercise: write the visible tests and the hints "
            "in the coding exercise (a coding question without one is never asked).",
            code="exercise_missing",
        )
    if stage != Stage.CODING and has_exercise:
        raise ValidationError(
            "Only a coding question has a coding exercise: choose the coding stage, or "
            "delete the exercise.",
            code="exercise_not_coding",
        )


def _with_values(question: Question, values: dict[str, object]) -> CodingExercise:
    unknown = set(values) - set(EXERCISE_FIELDS)
    if unknown:
        raise ValueError(f"Not an exercise field: {', '.join(sorted(unknown))}")
    stored = CodingExercise.objects.filter(question=question).first() if question.pk else None
    exercise = stored or CodingExercise()
    for name, value in values.items():
        setattr(exercise, name, value)
    return exercise


def exercise_check_imported(*, question: Question, values: dict[str, object]) -> None:
    """Raise a ValidationError by field for an imported row's exercise values that
    `exercise_save_imported` would refuse (the stored exercise fills what is not given)."""
    exercise = _with_values(question, values)
    errors: dict[str, list[str]] = {}
    try:
        exercise.full_clean(exclude=["question"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        exercise_check_code(
            starter_code=exercise.starter_code,
            visible_tests=exercise.visible_tests,
            hidden_tests=exercise.hidden_tests,
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)


def exercise_save_imported(*, question: Question, values: dict[str, object]) -> CodingExercise:
    """Create or update a saved coding question's exercise from an imported row: the
    values given replace the stored ones; the others stay (or take their defaults)."""
    if question.stage != Stage.CODING:
        raise ValidationError("Only a coding question has a coding exercise.")
    with transaction.atomic():
        exercise_check_imported(question=question, values=values)
        exercise = _with_values(question, values)
        exercise.question = question
        exercise.save()
        return exercise
