"""What the interviewer does when the candidate makes a request instead of answering,
written once: the AI modes' instructions (AGENT_INSTRUCTIONS) list these rules, and
record_answer's refusal (agent_worker.tools.answer_requests) tells the model the same
rule when it tries to file a request as an answer. The structured interviewer does the
same in its transition table (agent_worker.structured.states).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class RequestRule:
    # How a candidate may say it, for the instructions.
    said: str
    # What the interviewer does instead of recording it.
    instead: str


# By request (agent_worker.understanding.Request values).
REQUEST_RULES: dict[str, RequestRule] = {
    "repeat": RequestRule('"Could you repeat that?"', "ask the same question again."),
    "clarify": RequestRule(
        '"What do you mean?"',
        "explain once, in one sentence, what kind of answer is wanted, without hinting at "
        "its content; then ask the question again. If they ask again, only repeat the "
        "question.",
    ),
    "skip": RequestRule(
        '"Can we skip this one?"',
        "say that is fine, call skip_question, then get_next_question.",
    ),
    "dont_know": RequestRule(
        '"I don\'t know" on its own',
        "say that is fine, call skip_question, then get_next_question. \"I don't know, but "
        'I would guess..." is an answer.',
    ),
    "go_back": RequestRule(
        '"Can I go back?"',
        "call previous_question and ask the question it returns; the new answer replaces "
        "the old one.",
    ),
    "pause": RequestRule(
        '"Hold on, one second" or "let me think"',
        "say take your time, once, and wait: the question stays open.",
    ),
    "stop": RequestRule(
        '"Let\'s stop here"',
        "ask once whether they want to end the interview now, saying they can continue "
        "later with the same link. If they confirm, call end_interview; if not, continue "
        "with the question.",
    ),
    "finished": RequestRule(
        '"That\'s it"',
        "record what the candidate said before it, or ask the question again if they have "
        "not answered.",
    ),
}


def as_instructions() -> str:
    """The rules as the instructions' bullet list."""
    return "\n".join(f"- {rule.said}: {rule.instead}" for rule in REQUEST_RULES.values())
