"""The structured interviewer at an open question and at the close: one table of
(state, intent) -> transition, read top to bottom.

    asked ──answer──> record_answer ──> next question ... plan done ──> ANYTHING_ELSE
      │  ──unsure──> CONFIRMING ("Shall I take that as your answer, or a moment?")
      │  ──wait────> WAITING ("Take your time.": the question stays open)
      │  ──repeat / clarify / skip / back / stop / done / small talk──> their reply
    ANYTHING_ELSE ──no / done──> end_interview      ──yes──> ADDING ──answer──> noted, end
                  ──back──> previous_question (the new answer replaces the old one)

Unsure never goes into the record: between an answer and a request the model is not sure
of (agent_worker.understanding.intents), the interviewer asks. Silence is not a message:
the worker tells the flow about a long one (`on_silence`), and the flow prompts once
while waiting, or closes when the candidate has nothing to add.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING

from agent_worker import prompts
from agent_worker.structured.steps import CODING_WORK, END, NEXT_QUESTION, SILENCE, Stage, Step
from agent_worker.understanding import Intent, Request, Understanding

if TYPE_CHECKING:
    from agent_worker.structured.flow import _Flow as Flow


GREETING = re.compile(
    r"^\W*(?:hi|hello|hey|good (?:morning|afternoon|evening)|(?:nice|pleased|glad) to meet"
    r"|thanks? (?:you )?for having)\b",
    re.I,
)


class QuestionState(StrEnum):
    OPEN = "open"  # asked; no answer yet
    WAITING = "waiting"  # "hold on": open, and "Take your time" said once
    CONFIRMING = "confirming"  # unsure whether the last message was the answer
    ANYTHING_ELSE = "anything_else"  # every question asked: anything to add or correct?
    ADDING = "adding"  # the candidate said yes: what they add is noted, then the end


# --- How sure is sure ---------------------------------------------------------------------
# An answer at least this likely is taken as one.
SURE_ANSWER = 0.6
# A request is acted on when the model is this sure of it and an answer is this unlikely.
SURE_REQUEST = 0.7
UNLIKELY_ANSWER = 0.2
# Between the two, an answer this likely is worth asking about.
ASK_ABOUT_ANSWER = 0.25
# A request the model is this unsure of may be an answer it has not seen the like of...
UNSURE_REQUEST = 0.5
# ...unless an answer is this unlikely.
NEVER_AN_ANSWER = 0.1


def settled(understood: Understanding) -> Intent | None:
    """The intent to act on, or None when the interviewer should ask first."""
    reading = understood.reading
    if reading is None:
        return understood.intent
    p_answer = reading.answer_probability
    if reading.intent is Intent.ANSWER:
        return Intent.ANSWER if reading.confidence >= SURE_ANSWER else None
    if p_answer < NEVER_AN_ANSWER:
        return reading.intent  # unsure only between requests: the likeliest is harmless
    if reading.confidence >= SURE_REQUEST and p_answer < UNLIKELY_ANSWER:
        return reading.intent
    if p_answer >= ASK_ABOUT_ANSWER or reading.confidence < UNSURE_REQUEST:
        return None
    return reading.intent


def sure_request(understood: Understanding) -> Request | None:
    """The request a message surely makes, for the identification steps: anything less
    sure is not understood (and counted as such), never acted on as a request."""
    reading = understood.reading
    if reading is None or reading.confidence >= SURE_REQUEST:
        return understood.request
    return None


# --- The transitions ------------------------------------------------------------------------


def take_answer(flow: Flow, text: str, understood: Understanding) -> None:
    flow.answer_parts.append(text)
    flow.question_state = QuestionState.OPEN
    flow.action = flow.record_step()


def ask_if_answer(flow: Flow, text: str, understood: Understanding) -> None:
    flow.pending = text
    flow.question_state = QuestionState.CONFIRMING
    flow.action = flow.say(prompts.STRUCTURED_ANSWER_OR_MOMENT)


def repeat(flow: Flow, text: str, understood: Understanding) -> None:
    flow.question_state = QuestionState.OPEN
    flow.action = flow.say(prompts.STRUCTURED_REPEAT_PREFIX, flow.question_line())


def clarify(flow: Flow, text: str, understood: Understanding) -> None:
    if flow.clarified:
        line = prompts.STRUCTURED_ONLY_REPEAT
    else:
        stage = str(flow.question.get("stage", ""))
        line = prompts.STRUCTURED_CLARIFY_BY_STAGE.get(stage, prompts.STRUCTURED_CLARIFY_ANY)
    flow.clarified = True
    flow.question_state = QuestionState.OPEN
    flow.action = flow.say(line, flow.question_line())


def wait(flow: Flow, text: str, understood: Understanding) -> None:
    if flow.question_state is QuestionState.WAITING:
        flow.action = SILENCE  # "Take your time" was said; the question stays open
        return
    flow.question_state = QuestionState.WAITING
    flow.action = flow.say(prompts.STRUCTURED_TAKE_YOUR_TIME)


def skip(flow: Flow, text: str, understood: Understanding) -> None:
    if flow.answer_parts and understood.request is Request.DONT_KNOW:
        take_answer(flow, text, understood)  # "I don't know" after an answer is part of it
        return
    flow.answer_parts, flow.skipped = [], understood.request or Request.SKIP
    flow.question_state = QuestionState.OPEN
    flow.action = Step(tool="skip_question")


def go_back(flow: Flow, text: str, understood: Understanding) -> None:
    flow.answer_parts = []
    flow.question_state = QuestionState.OPEN
    flow.action = Step(tool="previous_question")


def stop(flow: Flow, text: str, understood: Understanding) -> None:
    flow.confirming = "stop"
    flow.action = flow.say(prompts.STRUCTURED_CONFIRM_STOP)


def done(flow: Flow, text: str, understood: Understanding) -> None:
    if flow.answer_parts:
        flow.action = flow.record_step()
    else:
        flow.action = flow.say(prompts.STRUCTURED_STILL_OPEN)


def small_talk(flow: Flow, text: str, understood: Understanding) -> None:
    if flow.question_state is QuestionState.WAITING:
        # "OK, I'm back": the question again.
        flow.question_state = QuestionState.OPEN
        flow.action = flow.say(flow.question_line())
    elif flow.answer_parts:
        flow.action = flow.record_step()
    elif understood.question or GREETING.match(text):
        # "Hello, can you hear me?": yes, and the question again.
        flow.action = flow.say(prompts.STRUCTURED_STILL_HERE, flow.question_line())
    else:
        flow.action = SILENCE  # "OK", "thanks": nothing to reply to


def confirmed_answer(flow: Flow, text: str, understood: Understanding) -> None:
    pending, flow.pending = flow.pending, ""
    take_answer(flow, pending, understood)


def not_the_answer(flow: Flow, text: str, understood: Understanding) -> None:
    flow.pending = ""
    flow.question_state = QuestionState.WAITING
    flow.action = flow.say(prompts.STRUCTURED_TAKE_YOUR_TIME)


def answer_instead(flow: Flow, text: str, understood: Understanding) -> None:
    """Asked whether the last message was the answer, the candidate answered: this is it."""
    flow.pending = ""
    take_answer(flow, text, understood)


def ask_anything_else(flow: Flow) -> None:
    flow.stage, flow.question_state = Stage.ASKING, QuestionState.ANYTHING_ELSE
    thanks = prompts.STRUCTURED_THANKS_FOR_ANSWER if flow.answered else ""
    flow.action = flow.say(thanks, prompts.STRUCTURED_ANYTHING_ELSE)


def finish(flow: Flow, text: str, understood: Understanding) -> None:
    flow.answered = False  # thanked already, before asking for anything else
    flow.stage, flow.action = Stage.CLOSING, END


def go_ahead(flow: Flow, text: str, understood: Understanding) -> None:
    flow.question_state = QuestionState.ADDING
    flow.action = flow.say(prompts.STRUCTURED_GO_AHEAD)


def noted(flow: Flow, text: str, understood: Understanding) -> None:
    flow.said_before_closing = prompts.STRUCTURED_NOTED
    finish(flow, text, understood)


def repeat_anything_else(flow: Flow, text: str, understood: Understanding) -> None:
    flow.action = flow.say(prompts.STRUCTURED_ANYTHING_ELSE)


def explain_anything_else(flow: Flow, text: str, understood: Understanding) -> None:
    flow.action = flow.say(prompts.STRUCTURED_ANYTHING_ELSE_CLARIFY)


def wait_at_the_close(flow: Flow, text: str, understood: Understanding) -> None:
    flow.action = flow.say(prompts.STRUCTURED_TAKE_YOUR_TIME)


def go_back_at_the_close(flow: Flow, text: str, understood: Understanding) -> None:
    flow.question_state = QuestionState.OPEN
    flow.action = Step(tool="previous_question")


Transition = Callable[["Flow", str, Understanding], None]
_AT_A_QUESTION: dict[Intent | None, Transition] = {
    Intent.ANSWER: take_answer,
    None: ask_if_answer,
    Intent.REPEAT: repeat,
    Intent.CLARIFY: clarify,
    Intent.WAIT: wait,
    Intent.SKIP: skip,
    Intent.BACK: go_back,
    Intent.STOP: stop,
    Intent.DONE: done,
    Intent.SMALL_TALK: small_talk,
    Intent.YES: take_answer,  # "Yes." answers a question
    Intent.NO: take_answer,
}

TRANSITIONS: dict[tuple[QuestionState, Intent | None], Transition] = {
    **{(QuestionState.OPEN, i): t for i, t in _AT_A_QUESTION.items()},
    **{(QuestionState.WAITING, i): t for i, t in _AT_A_QUESTION.items()},
    **{(QuestionState.CONFIRMING, i): t for i, t in _AT_A_QUESTION.items()},
    (QuestionState.CONFIRMING, Intent.YES): confirmed_answer,
    (QuestionState.CONFIRMING, Intent.NO): not_the_answer,
    (QuestionState.CONFIRMING, Intent.WAIT): not_the_answer,
    (QuestionState.CONFIRMING, Intent.ANSWER): answer_instead,
    (QuestionState.CONFIRMING, None): answer_instead,
    (QuestionState.ANYTHING_ELSE, Intent.NO): finish,
    (QuestionState.ANYTHING_ELSE, Intent.DONE): finish,
    (QuestionState.ANYTHING_ELSE, Intent.SMALL_TALK): finish,
    (QuestionState.ANYTHING_ELSE, Intent.STOP): finish,
    (QuestionState.ANYTHING_ELSE, Intent.SKIP): finish,
    (QuestionState.ANYTHING_ELSE, Intent.YES): go_ahead,
    (QuestionState.ANYTHING_ELSE, Intent.ANSWER): noted,
    (QuestionState.ANYTHING_ELSE, None): noted,
    (QuestionState.ANYTHING_ELSE, Intent.BACK): go_back_at_the_close,
    (QuestionState.ANYTHING_ELSE, Intent.REPEAT): repeat_anything_else,
    (QuestionState.ANYTHING_ELSE, Intent.CLARIFY): explain_anything_else,
    (QuestionState.ANYTHING_ELSE, Intent.WAIT): wait_at_the_close,
    (QuestionState.ADDING, Intent.ANSWER): noted,
    (QuestionState.ADDING, None): noted,
    (QuestionState.ADDING, Intent.NO): finish,
    (QuestionState.ADDING, Intent.DONE): finish,
    (QuestionState.ADDING, Intent.STOP): finish,
    (QuestionState.ADDING, Intent.BACK): go_back_at_the_close,
    (QuestionState.ADDING, Intent.WAIT): wait_at_the_close,
}


def on_message(flow: Flow, text: str, understood: Understanding) -> None:
    """The transition for the candidate's message in the flow's question state."""
    if understood.noise:
        flow.action = flow.record_step() if flow.answer_parts else SILENCE
        return
    intent = settled(understood)
    state = flow.question_state
    # The context already decided: yes/no where yes/no is asked, an answer otherwise.
    if state is QuestionState.CONFIRMING and intent is None:
        intent = understood.intent if understood.intent in (Intent.YES, Intent.NO) else None
    transition = TRANSITIONS.get((state, intent))
    if transition is None:
        transition = TRANSITIONS.get((state, Intent.ANSWER), take_answer)
        if state in (QuestionState.ANYTHING_ELSE, QuestionState.ADDING):
            transition = repeat_anything_else
    transition(flow, text, understood)


def on_silence(flow: Flow) -> None:
    """A long silence: one gentle prompt at an open question; the end at the close."""
    if flow.coding in CODING_WORK:
        flow.action = SILENCE  # writing code is quiet
    elif flow.stage is Stage.ASKING and flow.question_state in (
        QuestionState.ANYTHING_ELSE,
        QuestionState.ADDING,
    ):
        finish(flow, "", Understanding())
    elif flow.stage is Stage.ASKING:
        flow.action = flow.say(prompts.STRUCTURED_GENTLE_PROMPT)
    else:
        flow.action = SILENCE


def listening_for(flow: Flow) -> str | None:
    """What a long silence would mean now, for the worker's timer: None when nothing."""
    if flow.stage is not Stage.ASKING or flow.coding in CODING_WORK:
        return None
    if flow.question_state in (QuestionState.ANYTHING_ELSE, QuestionState.ADDING):
        return "anything_else"
    if flow.question_state is QuestionState.WAITING:
        return "waiting"
    return None


__all__ = ["NEXT_QUESTION", "TRANSITIONS", "QuestionState", "on_message", "on_silence"]
