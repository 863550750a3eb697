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


NEXT_QUESTION = Step(tool="get_next_question")
END = Step(tool="end_interview")
SILENCE = Step()
