"""The coding round: a coding question's exercise, and the candidate's work on it.

A coding question is a `Question` of the coding stage; its text is the statement and
its rubric says what good code and a good explanation cover. `CodingExercise` holds what
only a coding question has. In an interview, the question asked (`InterviewQuestion`,
stage coding) gets one `CodingWork`: the code as the candidate last left it, and every
run and submission the server executed (`CodeRun`), with the hints given (`CodingHint`).
The asked question's `answer` is the candidate's explanation of their approach.

Only the server's results are stored: the browser runs the visible tests for instant
feedback, but what it reports is never recorded.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from interviews.models.bank import Question
from interviews.models.interviews import InterviewQuestion

MAX_CODE_LENGTH = 50_000


class Language(models.TextChoices):
    PYTHON = "python", "Python"


class CodingExercise(models.Model):
    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="exercise")
    language = models.CharField(max_length=20, choices=Language, default=Language.PYTHON)
    starter_code = models.TextField(
        blank=True, help_text="The code the candidate's editor opens with."
    )
    visible_tests = models.TextField(
        help_text="Python test functions (def test_...: assert ...) the candidate sees and "
        "runs with Run."
    )
    hidden_tests = models.TextField(
        blank=True,
        help_text="More test functions, run only on Submit; the candidate sees how many "
        "passed, never the tests.",
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        default=20, validators=[MinValueValidator(5), MaxValueValidator(90)]
    )
    hint_1 = models.TextField("first hint", help_text="A nudge, never the answer.")
    hint_2 = models.TextField("second hint", help_text="More direct, still not the answer.")
    hint_3 = models.TextField("third hint", blank=True)

    class Meta:
        verbose_name = "coding exercise"

    def __str__(self) -> str:
        return f"Exercise: {self.question.text[:60]}"

    @property
    def hints(self) -> list[str]:
        """The hint ladder, in the order it is given."""
        return [hint for hint in (self.hint_1, self.hint_2, self.hint_3) if hint.strip()]


class CodingWork(models.Model):
    """A candidate's work on one coding question asked in one interview."""

    asked = models.OneToOneField(
        InterviewQuestion, on_delete=models.CASCADE, related_name="coding_work"
    )
    language = models.CharField(max_length=20, choices=Language, default=Language.PYTHON)
    code = models.TextField(blank=True, help_text="The code as the candidate last left it.")
    started_at = models.DateTimeField(auto_now_add=True)
    saved_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "coding work"
        verbose_name_plural = "coding work"

    def __str__(self) -> str:
        return f"Coding work on {self.asked}"


class CodeRun(models.Model):
    """One execution of the candidate's code by the server's sandbox."""

    class Kind(models.TextChoices):
        RUN = "run", "Run (visible tests)"
        SUBMIT = "submit", "Submission (all tests)"

    class Outcome(models.TextChoices):
        PASSED = "passed", "All tests passed"
        FAILED = "failed", "Some tests failed"
        ERROR = "error", "The code raised an error"
        TIMEOUT = "timeout", "Time limit reached"
        MEMORY = "memory", "Memory limit reached"
        OUTPUT = "output", "Too much output"
        UNAVAILABLE = "unavailable", "The sandbox could not run it"

    work = models.ForeignKey(CodingWork, on_delete=models.CASCADE, related_name="runs")
    kind = models.CharField(max_length=10, choices=Kind)
    code = models.TextField()
    outcome = models.CharField(max_length=20, choices=Outcome)
    visible_passed = models.PositiveSmallIntegerField(default=0)
    visible_total = models.PositiveSmallIntegerField(default=0)
    hidden_passed = models.PositiveSmallIntegerField(default=0)
    hidden_total = models.PositiveSmallIntegerField(default=0)
    # Each visible test: {"name", "passed", "message"}; hidden tests only as counts.
    results = models.JSONField(default=list, blank=True)
    output = models.TextField(blank=True, help_text="What the code printed, cut short.")
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["work", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_outcome_display()}"

    def as_json(self) -> dict:
        """The run as the candidate's page and the candidate's export show it."""
        return {
            "id": self.pk,
            "kind": self.kind,
            "outcome": self.outcome,
            "visible_passed": self.visible_passed,
            "visible_total": self.visible_total,
            "hidden_passed": self.hidden_passed,
            "hidden_total": self.hidden_total,
            "results": self.results,
            "output": self.output,
            "error": self.error,
            "duration_ms": self.duration_ms,
            "created_at": self.created_at.isoformat(),
        }

    @property
    def passed(self) -> int:
        return self.visible_passed + self.hidden_passed

    @property
    def total(self) -> int:
        return self.visible_total + self.hidden_total


class CodingHint(models.Model):
    """A hint from the exercise's ladder, given during the interview."""

    work = models.ForeignKey(CodingWork, on_delete=models.CASCADE, related_name="hints")
    level = models.PositiveSmallIntegerField(help_text="1 for the first hint of the ladder.")
    text = models.TextField()
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["work", "level"]
        constraints = [
            models.UniqueConstraint(fields=["work", "level"], name="coding_hint_level_unique"),
        ]

    def __str__(self) -> str:
        return f"Hint {self.level}"
