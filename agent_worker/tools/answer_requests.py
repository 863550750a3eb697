"""Requests are not answers, whatever the model does: record_answer refuses a text that is
clearly a request ("Could you repeat that?", "Can we skip this one?", "Let's stop here"),
read with the same reader as the structured interviewer (agent_worker.understanding), and
tells the model the response a person would give. Nothing is stored.

Only a message that is a request as a whole is refused: "I don't know, but I would start
with the logs" is an answer, and so are "Yes." and "No.".
"""

from agent_worker.prompts.request_rules import REQUEST_RULES
from agent_worker.tools.calls import refuse
from agent_worker.understanding import Request, find_request
from interviews.errors import ErrorCode

NOT_AN_ANSWER = ErrorCode.NOT_AN_ANSWER

_WAIT = "That is not an answer to the question: wait for the answer, or ask the question again."


def _instead(request: Request) -> str:
    """What the model is told to do instead: the rule its instructions give (written once,
    agent_worker.prompts.request_rules)."""
    rule = REQUEST_RULES.get(request.value)
    if rule is None:
        return _WAIT
    return f"The candidate said something like {rule.said}: {rule.instead}"


def refusal_if_request(answer: object) -> str | None:
    """The tool's refusal when `answer` is a request rather than an answer; None otherwise."""
    if not isinstance(answer, str):
        return None
    request = find_request(answer)
    if request is None or request in (Request.YES, Request.NO):
        return None
    return refuse(
        f"Nothing was recorded. {_instead(request)}",
        code=NOT_AN_ANSWER,
        request=request.value,
    )
