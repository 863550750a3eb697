"""Requests are not answers, whatever the model does: record_answer refuses a text that is
clearly a request ("Could you repeat that?", "Can we skip this one?", "Let's stop here"),
read with the same reader as the structured interviewer (agent_worker.understanding), and
tells the model the response a person would give. Nothing is stored.

Only a message that is a request as a whole is refused: "I don't know, but I would start
with the logs" is an answer, and so are "Yes." and "No.".
"""

from agent_worker.tools.calls import refuse
from agent_worker.understanding import Request, find_request
from interviews.errors import ErrorCode

NOT_AN_ANSWER = ErrorCode.NOT_AN_ANSWER

# What the model is told to do instead, by request. Each says nothing was recorded.
_INSTEAD: dict[Request, str] = {
    Request.REPEAT: "The candidate asked you to repeat the question: ask it again.",
    Request.CLARIFY: (
        "The candidate asked what the question means: explain once, in one sentence, what "
        "kind of answer is wanted without hinting at its content, then ask it again."
    ),
    Request.SKIP: (
        "The candidate asked to skip this question: say that is fine, call skip_question, "
        "then get_next_question."
    ),
    Request.DONT_KNOW: (
        "The candidate does not know: say that is fine, call skip_question, then get_next_question."
    ),
    Request.GO_BACK: (
        "The candidate asked to go back: call previous_question and ask the question it returns."
    ),
    Request.PAUSE: "The candidate asked for a moment: say take your time, and wait.",
    Request.STOP: (
        "The candidate asked to stop: ask once whether they want to end the interview now "
        "(they can continue later with the same link). If they confirm, call end_interview; "
        "if not, ask the question again."
    ),
    Request.FINISHED: (
        "That only says the answer is complete: record what the candidate said before it, "
        "or ask the question again if they have not answered."
    ),
}
_WAIT = "That is not an answer to the question: wait for the answer, or ask the question again."


def refusal_if_request(answer: object) -> str | None:
    """The tool's refusal when `answer` is a request rather than an answer; None otherwise."""
    if not isinstance(answer, str):
        return None
    request = find_request(answer)
    if request is None or request in (Request.YES, Request.NO):
        return None
    return refuse(
        f"Nothing was recorded. {_INSTEAD.get(request, _WAIT)}",
        code=NOT_AN_ANSWER,
        request=request.value,
    )
