"""What the interviewer knows of the coding round: the notes about the candidate's code,
and the codes of the coding tools' refusals (the tools and the structured interviewer
read the same names).

After each run or submission the job (agent_worker.session.coding_news) reads the run from
the database and adds a note to the conversation: a system message, the same in every
mode, that the AI models read as an instruction with its facts and the structured
interviewer reads as an event (agent_worker.structured.coding). Everything in it comes
from the database, never from the room's message, which only names the run.

    [coding] {"run": 12, "kind": "submit", "outcome": "failed", "passed": 5, "total": 6,
              "stuck": false, "summary": "...", "instruction": "..."}
"""

import json
from dataclasses import asdict, dataclass
from typing import Any

from agent_worker import prompts

# record_answer's and previous_question's refusals at a coding exercise (the interviewer's
# own; give_hint's come from the service's ErrorCode).
NOT_SUBMITTED = "coding_not_submitted"
NO_GOING_BACK = "coding_no_going_back"

PREFIX = "[coding] "
# The summary quotes the candidate's output and errors: kept short in the conversation.
MAX_SUMMARY_LENGTH = 600
KINDS = ("run", "submit")


@dataclass(frozen=True)
class CodingNote:
    """One run or submission, as the server recorded it."""

    run: int
    kind: str  # "run" (the visible tests) or "submit" (every test)
    outcome: str  # a CodeRun.Outcome value
    passed: int
    total: int
    summary: str
    # The work is submitted: a submission the server could not execute leaves it open.
    submitted: bool = False
    # Failing runs in a row since the last hint: the interviewer offers one.
    stuck: bool = False

    @property
    def wants_reply(self) -> bool:
        """Whether the interviewer speaks now; a plain run is only noted."""
        return self.kind == "submit" or self.stuck

    def instruction(self) -> str:
        if self.submitted:
            return prompts.CODING_SUBMITTED_INSTRUCTION
        if self.kind == "submit":
            return prompts.CODING_SUBMIT_AGAIN_INSTRUCTION
        return prompts.CODING_STUCK_INSTRUCTION if self.stuck else prompts.CODING_RUN_INSTRUCTION

    def text(self) -> str:
        facts = asdict(self) | {"summary": self.summary[:MAX_SUMMARY_LENGTH]}
        return PREFIX + json.dumps({**facts, "instruction": self.instruction()})


def read_note(text: str) -> CodingNote | None:
    """The note a system message carries; None when it is not one."""
    if not text.startswith(PREFIX):
        return None
    try:
        data: Any = json.loads(text[len(PREFIX) :])
        note = CodingNote(
            run=int(data["run"]),
            kind=str(data["kind"]),
            outcome=str(data["outcome"]),
            passed=int(data["passed"]),
            total=int(data["total"]),
            summary=str(data["summary"]),
            submitted=data.get("submitted") is True,
            stuck=data.get("stuck") is True,
        )
    except (ValueError, TypeError, KeyError):
        return None
    return note if note.kind in KINDS else None
