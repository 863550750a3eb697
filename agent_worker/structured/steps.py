"""What the structured interviewer does next (a Step) and where it is in the script."""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


@dataclass(frozen=True)
class Step:
    """What the interviewer does next: call one tool, or say something."""

    tool: str | None = None
    arguments: dict[str, Any] = field(default_factory=dict)
    text: str = ""


class Stage(StrEnum):
    START = "start"
    IDENTIFYING = "identifying"
    IDENTIFIED = "identified"
    ASKING = "asking"
    CLOSING = "closing"
    CLOSED = "closed"


class CodingState(StrEnum):
    """Where a coding exercise stands (agent_worker.structured.coding)."""

    WORKING = "working"  # the task is on screen; not submitted
    HINT_OFFERED = "hint_offered"  # stuck: "Would you like a hint?" waits for yes or no
    CONFIRMING_SKIP = "confirming_skip"  # "Skip this exercise?" waits for yes or no
    SUBMITTED = "submitted"  # the walk-through is asked for: answered as any question


# The candidate is writing code: nothing they say is the answer yet.
CODING_WORK = (CodingState.WORKING, CodingState.HINT_OFFERED, CodingState.CONFIRMING_SKIP)

NEXT_QUESTION = Step(tool="get_next_question")
END = Step(tool="end_interview")
SILENCE = Step()
