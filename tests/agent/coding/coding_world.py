"""The structured interviewer's flow at a coding exercise without a session: the fake
tools of tests/agent/structured/structured_world.py, with a coding question, give_hint
and the job's notes about runs."""

import json
from dataclasses import dataclass, field
from typing import Any

from agent_worker.coding_round import CodingNote
from tests.agent.structured.structured_world import Conversation, FakeInterview, FakeQuestion

STATEMENT = "Write first_unique(s): the first character of s that does not repeat."
HINTS = ["Count each character first.", "A second pass finds the first count of one."]


@dataclass
class FakeCodingInterview(FakeInterview):
    questions: list[FakeQuestion] = field(
        default_factory=lambda: [
            FakeQuestion("technical", "How does a hash map work?"),
            FakeQuestion("coding", STATEMENT),
            FakeQuestion("behavioral", "Tell me about a disagreement in your team."),
        ]
    )
    submitted: bool = False
    hints_given: int = 0
    hint_fails: bool = False

    def _question_output(self, index: int) -> str:
        output = json.loads(super()._question_output(index))
        if output["stage"] == "coding":
            output["coding"] = {"submitted": self.submitted}
        return json.dumps(output)

    def tool_give_hint(self) -> str:
        if self.hint_fails:
            return self.refuse("save_failed")
        if self.hints_given >= len(HINTS):
            return self.ok(hint=None)
        self.hints_given += 1
        return self.ok(hint=HINTS[self.hints_given - 1], level=self.hints_given)


def note(
    kind: str = "run",
    *,
    outcome: str = "failed",
    passed: int = 0,
    total: int = 1,
    submitted: bool | None = None,
    stuck: bool = False,
    run: int = 1,
) -> str:
    """A note as the job writes it."""
    if submitted is None:
        submitted = kind == "submit" and outcome != "unavailable"
    return CodingNote(
        run=run,
        kind=kind,
        outcome=outcome,
        passed=passed,
        total=total,
        summary="The candidate ran the visible tests: 0 of 1 visible tests passed.",
        submitted=submitted,
        stuck=stuck,
    ).text()


def at_the_exercise(**options: Any) -> Conversation:
    interview = FakeCodingInterview(
        candidate={"name": "Ivy", "email": "ivy@example.com"}, hears_speech=True, **options
    )
    conversation = Conversation(interview)
    conversation.say("It hashes the key into a bucket.")
    return conversation
