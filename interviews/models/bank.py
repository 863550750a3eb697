"""The question bank: positions, their interview plan, and the questions to ask."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

MAX_EXPERIENCE_YEARS = 60
# How long a coding exercise takes, as the candidate is told the interview's length.
MINUTES_PER_EXERCISE = 15


class Stage(models.TextChoices):
    TECHNICAL = "technical", "Technical"
    CODING = "coding", "Coding"
    BEHAVIORAL = "behavioral", "Behavioral"


# The order of an interview's stages: a coding exercise follows the spoken technical
# questions, and the behavioral questions close the interview.
PLAN_ORDER = (Stage.TECHNICAL, Stage.CODING, Stage.BEHAVIORAL)


class Position(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField("active", default=True)
    aliases = models.CharField(
        max_length=500,
        blank=True,
        help_text="Other words candidates use for this position, comma-separated "
        "(for example: backend, developer, SWE). The interviewer matches them when it asks "
        "which position a candidate applies for.",
    )
    technical_questions = models.PositiveSmallIntegerField(
        default=3,
        validators=[MaxValueValidator(20)],
        help_text="Technical questions per interview.",
    )
    behavioral_questions = models.PositiveSmallIntegerField(
        default=2,
        validators=[MaxValueValidator(20)],
        help_text="Behavioral questions per interview.",
    )
    coding_questions = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(3)],
        help_text="Coding exercises per interview (the candidate writes and runs code).",
    )
    time_budget_minutes = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(5), MaxValueValidator(180)]
    )
    records_interviews = models.BooleanField(
        "records interviews",
        default=True,
        help_text="Record both voices of each interview, for the report (when the "
        "candidate agreed to a notice that says so).",
    )
    goes_on_unrecorded = models.BooleanField(
        "interviews go on unrecorded",
        default=True,
        help_text="A candidate who asks not to be recorded is interviewed without a "
        "recording. Clear it when a recording is required: a recruiter then follows up.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    # The interview's length as the candidate is told it: minutes per planned question.
    MINUTES_PER_QUESTION = 2
    MIN_ESTIMATED_MINUTES = 5

    @property
    def estimated_minutes(self) -> int:
        """About how long this position's interview takes, from its plan."""
        questions = self.technical_questions + self.behavioral_questions
        spoken = questions * self.MINUTES_PER_QUESTION
        return max(
            self.MIN_ESTIMATED_MINUTES, spoken + self.coding_questions * MINUTES_PER_EXERCISE
        )

    @property
    def alias_list(self) -> list[str]:
        return [alias.strip() for alias in self.aliases.split(",") if alias.strip()]

    def planned_count(self, stage: str) -> int:
        return {
            Stage.TECHNICAL: self.technical_questions,
            Stage.CODING: self.coding_questions,
            Stage.BEHAVIORAL: self.behavioral_questions,
        }[Stage(stage)]


class Question(models.Model):
    class Origin(models.TextChoices):
        RECRUITER = "recruiter", "Recruiter"
        AGENT = "agent", "Suggested by the interviewer"

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="questions")
    stage = models.CharField(max_length=20, choices=Stage)
    text = models.TextField()
    rubric = models.TextField(blank=True, help_text="What a good answer covers.")
    min_experience = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(MAX_EXPERIENCE_YEARS)]
    )
    max_experience = models.PositiveSmallIntegerField(
        default=MAX_EXPERIENCE_YEARS, validators=[MaxValueValidator(MAX_EXPERIENCE_YEARS)]
    )
    order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField("active", default=True)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.RECRUITER)
    suggested_in = models.ForeignKey(
        "Interview",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggested_questions",
        help_text="The interview in which the interviewer suggested this question.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "stage", "order", "id"]
        indexes = [
            models.Index(
                fields=["position", "stage", "is_active", "order"], name="question_pick_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_experience__lte=F("max_experience")),
                name="question_experience_band_ordered",
            ),
            models.CheckConstraint(
                condition=Q(max_experience__lte=MAX_EXPERIENCE_YEARS),
                name="question_experience_band_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position} / {self.get_stage_display()}: {self.text[:60]}"

    def fits(self, experience_years: int) -> bool:
        return self.min_experience <= experience_years <= self.max_experience
