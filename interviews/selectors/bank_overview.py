"""A position's bank beside its plan: its questions of every stage, and where the plan asks
for more questions than the bank can give."""

from dataclasses import dataclass

from interviews.models import PLAN_ORDER, Position, Question, Stage


@dataclass(frozen=True)
class StageInBank:
    stage: Stage
    planned: int
    questions: list[Question]

    @property
    def label(self) -> str:
        return self.stage.label.lower()

    @property
    def askable(self) -> int:
        """Active questions the interview can ask (a coding one only with its exercise)."""
        return sum(1 for question in self.questions if _askable(question))

    @property
    def shortfall(self) -> str | None:
        if self.planned <= self.askable:
            return None
        asked = f"{self.planned} {self.label} question{'' if self.planned == 1 else 's'}"
        has = f"only {self.askable}" if self.askable else "none"
        which = "active, with an exercise" if self.stage == Stage.CODING else "active"
        return (
            f"The plan asks for {asked}, but the bank has {has} ({which}): "
            "interviews will ask fewer."
        )


@dataclass(frozen=True)
class BankOverview:
    position: Position
    stages: list[StageInBank]

    @property
    def is_empty(self) -> bool:
        return not any(stage.questions for stage in self.stages)

    @property
    def warnings(self) -> list[str]:
        found = [stage.shortfall for stage in self.stages if stage.shortfall]
        if self.is_empty:
            found.insert(0, "This position has no questions yet: its interviews ask nothing.")
        return found


def _askable(question: Question) -> bool:
    if not question.is_active:
        return False
    return question.stage != Stage.CODING or hasattr(question, "exercise")


def position_bank_overview(*, position: Position) -> BankOverview:
    """Every question of the position (one query), by stage in the interview's order."""
    questions = list(
        Question.objects.filter(position=position)
        .select_related("exercise")
        .order_by("order", "id")
    )
    return BankOverview(
        position=position,
        stages=[
            StageInBank(
                stage=stage,
                planned=position.planned_count(stage),
                questions=[q for q in questions if q.stage == stage],
            )
            for stage in PLAN_ORDER
        ],
    )
