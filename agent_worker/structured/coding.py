"""The structured interviewer at a coding exercise: one table of (state, intent) ->
transition while the candidate works, and what it does with the job's notes about their
runs (agent_worker.coding_round) and with give_hint's result.

    asked (intro + task) ──> WORKING ──hint──────────> give_hint ──> "Here is a hint: ..."
                               │  ──repeat──> the task again     ──clarify──> how it works
                               │  ──maybe a hint──> "Would you like a hint?" (HINT_OFFERED)
                               │  ──thinking aloud, waiting──> "Take your time" once, then
                               │                                silence
                               │  ──"I'm done"──> press Submit first
                               │  ──skip──> CONFIRMING_SKIP ──yes──> skip_question
                               │  ──a run note, stuck──> HINT_OFFERED ──yes──> give_hint
                               │                                       ──no───> carry on
                               └──submission note──> SUBMITTED: the result, "walk me through
                                  your approach": the next answer is recorded as usual

Nothing the candidate says while they work is recorded as the answer: the answer is their
explanation after the submission. Thinking aloud gets one short acknowledgement, then
silence: a reply to every remark would interrupt someone writing code, and they know they
are heard. Going back is not offered: it would withdraw the exercise and its work;
skipping it is confirmed first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agent_worker import prompts
from agent_worker.coding_round import CodingNote
from agent_worker.structured import states
from agent_worker.structured.steps import CODING_WORK, SILENCE, CodingState, Stage, Step
from agent_worker.understanding import Asking, Intent, Request, Understanding, understand

if TYPE_CHECKING:
    from agent_worker.structured.flow import _Flow as Flow

CODING_STAGE = "coding"
# A yes or no at least this sure answers "Would you like a hint?" (or "Skip it?"); anything
# less is read as what it says at the exercise: a hint given unasked counts against the
# candidate ("nah, I'm fine" is no yes).
SURE_REPLY = 0.6


def state_for(output: dict[str, Any]) -> CodingState | None:
    """The state a question starts in, from get_next_question's (or previous_question's)
    output; None for a question that is not a coding exercise."""
    if output.get("stage") != CODING_STAGE:
        return None
    coding = output.get("coding")
    if isinstance(coding, dict) and coding.get("submitted") is True:
        return CodingState.SUBMITTED
    return CodingState.WORKING


# --- The transitions while the candidate works ---------------------------------------------


def give_hint(flow: Flow, text: str, understood: Understanding) -> None:
    flow.coding = CodingState.WORKING
    flow.action = Step(tool="give_hint")


def repeat_task(flow: Flow, text: str, understood: Understanding) -> None:
    flow.coding = CodingState.WORKING
    flow.action = flow.say(prompts.STRUCTURED_REPEAT_PREFIX, flow.question_line())


def explain(flow: Flow, text: str, understood: Understanding) -> None:
    flow.coding = CodingState.WORKING
    flow.action = flow.say(prompts.STRUCTURED_CODING_CLARIFY)


def think_aloud(flow: Flow, text: str, understood: Understanding) -> None:
    flow.coding = CodingState.WORKING
    if flow.coding_heard:
        flow.action = SILENCE
        return
    flow.coding_heard = True
    flow.action = flow.say(prompts.STRUCTURED_CODING_GO_ON)


def submit_first(flow: Flow, text: str, understood: Understanding) -> None:
    flow.coding = CodingState.WORKING
    flow.action = flow.say(prompts.STRUCTURED_CODING_SUBMIT_FIRST)


def remark(flow: Flow, text: str, understood: Understanding) -> None:
    # "Hello, can you hear me?": yes. "OK", "thanks": thinking aloud.
    if understood.question or states.GREETING.match(text):
        flow.coding = CodingState.WORKING
        flow.action = flow.say(prompts.STRUCTURED_STILL_HERE)
    else:
        think_aloud(flow, text, understood)


def no_going_back(flow: Flow, text: str, understood: Understanding) -> None:
    flow.coding = CodingState.WORKING
    flow.action = flow.say(prompts.STRUCTURED_CODING_NO_GOING_BACK)


def ask_about_hint(flow: Flow, text: str, understood: Understanding) -> None:
    """Unsure, and a hint is among the likely readings: asked, never guessed."""
    flow.coding = CodingState.HINT_OFFERED
    flow.action = flow.say(prompts.STRUCTURED_CODING_WANT_A_HINT)


def confirm_skip(flow: Flow, text: str, understood: Understanding) -> None:
    flow.coding = CodingState.CONFIRMING_SKIP
    flow.action = flow.say(prompts.STRUCTURED_CODING_CONFIRM_SKIP)


def skip_exercise(flow: Flow, text: str, understood: Understanding) -> None:
    flow.coding = CodingState.WORKING  # until skip_question succeeds
    flow.answer_parts, flow.skipped = [], Request.SKIP
    flow.action = Step(tool="skip_question")


def keep_exercise(flow: Flow, text: str, understood: Understanding) -> None:
    flow.coding = CodingState.WORKING
    flow.action = flow.say(prompts.STRUCTURED_CODING_NOT_SKIPPED)


def no_hint_then(flow: Flow, text: str, understood: Understanding) -> None:
    flow.coding = CodingState.WORKING
    flow.action = flow.say(prompts.STRUCTURED_CODING_NO_HINT_THEN)


_WHILE_WORKING: dict[Intent | None, states.Transition] = {
    Intent.HINT: give_hint,
    Intent.REPEAT: repeat_task,
    Intent.CLARIFY: explain,
    Intent.DONE: submit_first,
    Intent.SKIP: confirm_skip,
    Intent.BACK: no_going_back,
    Intent.STOP: states.stop,
    Intent.SMALL_TALK: remark,
    Intent.WAIT: think_aloud,
    Intent.ANSWER: think_aloud,
    None: think_aloud,
    Intent.YES: think_aloud,
    Intent.NO: think_aloud,
}

TRANSITIONS: dict[tuple[CodingState, Intent | None], states.Transition] = {
    **{(CodingState.WORKING, i): t for i, t in _WHILE_WORKING.items()},
    **{(CodingState.HINT_OFFERED, i): t for i, t in _WHILE_WORKING.items()},
    (CodingState.HINT_OFFERED, Intent.YES): give_hint,
    (CodingState.HINT_OFFERED, Intent.NO): no_hint_then,
    **{(CodingState.CONFIRMING_SKIP, i): t for i, t in _WHILE_WORKING.items()},
    (CodingState.CONFIRMING_SKIP, Intent.YES): skip_exercise,
    (CodingState.CONFIRMING_SKIP, Intent.SKIP): skip_exercise,
    (CodingState.CONFIRMING_SKIP, Intent.NO): keep_exercise,
}

# The states that asked a yes-or-no question.
_ASKED_YES_OR_NO = (CodingState.HINT_OFFERED, CodingState.CONFIRMING_SKIP)


def on_message(flow: Flow, text: str) -> None:
    """The transition for the candidate's message while they work on the exercise."""
    state = flow.coding if flow.coding in CODING_WORK else CodingState.WORKING
    if state in _ASKED_YES_OR_NO:
        # Asked a yes-or-no question: read as the reply to one first.
        reply = understand(text, asking=Asking.CONFIRMATION)
        if reply.intent in (Intent.YES, Intent.NO) and reply.confidence >= SURE_REPLY:
            TRANSITIONS[(state, reply.intent)](flow, text, reply)
            return
    understood = understand(
        text, asking=Asking.CODING, question=str(flow.question.get("question", ""))
    )
    if understood.noise:
        flow.action = SILENCE
        return
    intent = states.settled(understood)
    reading = understood.reading
    if intent is None and reading is not None and Intent.HINT in (reading.intent, reading.second):
        ask_about_hint(flow, text, understood)
        return
    transition = TRANSITIONS.get((state, intent), think_aloud)
    transition(flow, text, understood)


# --- The job's notes and give_hint's result ------------------------------------------------


def result_line(note: CodingNote) -> str:
    line = prompts.STRUCTURED_CODING_RESULT.get(note.outcome, "")
    return line.format(passed=note.passed, total=note.total)


def on_note(flow: Flow, note: CodingNote) -> None:
    """A run or submission the server recorded, told by the job."""
    if flow.stage is not Stage.ASKING or flow.coding not in CODING_WORK:
        flow.action = SILENCE  # not this exercise's news any more
        return
    if note.kind == "submit" and not note.submitted:
        flow.action = flow.say(prompts.STRUCTURED_CODING_SUBMIT_AGAIN)
    elif note.submitted:
        flow.coding, flow.confirming = CodingState.SUBMITTED, None
        flow.question_state, flow.pending, flow.answer_parts = states.QuestionState.OPEN, "", []
        flow.action = flow.say(
            prompts.STRUCTURED_CODING_SUBMITTED,
            result_line(note),
            prompts.STRUCTURED_CODING_WALK_THROUGH,
        )
    elif note.stuck and flow.coding is CodingState.WORKING and flow.confirming is None:
        flow.coding = CodingState.HINT_OFFERED
        flow.action = flow.say(prompts.STRUCTURED_CODING_OFFER_HINT)
    else:
        flow.action = SILENCE  # a run is noted, not commented on


def on_hint(flow: Flow, output: dict[str, Any], succeeded: bool, code: str) -> None:
    if not succeeded:
        flow.action = flow.say(prompts.STRUCTURED_CODING_HINT_FAILED)
    elif isinstance(output.get("hint"), str) and output["hint"].strip():
        flow.action = flow.say(prompts.STRUCTURED_CODING_HINT.format(hint=output["hint"].strip()))
    else:
        flow.action = flow.say(prompts.STRUCTURED_CODING_NO_HINT_LEFT)
