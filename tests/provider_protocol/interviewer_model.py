"""A scripted interviewer model for the local OpenAI server: what a model that follows our
instructions does, decided from the conversation alone (the instructions, the candidate's
messages and our tools' JSON results), the same way in Chat Completions and Realtime."""

import re
from typing import Any

from agent_worker import prompts
from tests.provider_protocol.openai_server import (
    Action,
    Call,
    Conversation,
    Message,
    Say,
    ToolResult,
)

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
ASK_EMAIL = "To begin, what is your email address?"
ASK_PROFILE = (
    "Thank you. Please tell me your full name, the position you are applying for, and "
    "your years of experience."
)
ACKNOWLEDGE = "Thank you."


class InterviewerModel:
    def __init__(self) -> None:
        self.seen: list[Conversation] = []

    def __call__(self, conversation: Conversation) -> Action:
        self.seen.append(conversation)
        last = conversation.last
        if isinstance(last, ToolResult):
            return self._after_tool(conversation, last.name, last.parsed())
        if isinstance(last, Message) and last.role == "user":
            return self._after_candidate(conversation, last.text)
        return self._greet(conversation)

    def _greet(self, conversation: Conversation) -> Action:
        if _personal(conversation):
            return Call("get_next_question")
        return Say(f"{prompts.WELCOME_MESSAGE} {ASK_EMAIL}")

    def _after_candidate(self, conversation: Conversation, text: str) -> Action:
        if _identified(conversation):
            return Call("record_answer", {"answer": text})
        lookups = conversation.tool_results("lookup_candidate")
        unknown = [r for r in lookups if isinstance(r, dict) and r.get("found") is False]
        if unknown:
            name, position, experience = (part.strip() for part in f"{text},,".split(",")[:3])
            return Call(
                "create_candidate",
                {
                    "name": name,
                    "email": unknown[-1]["email"],
                    "position": position,
                    "experience": experience,
                },
            )
        if match := EMAIL.search(text):
            return Call("lookup_candidate", {"email": match.group(0)})
        return Say(ASK_EMAIL)

    def _after_tool(self, conversation: Conversation, tool: str, result: Any) -> Action:
        if not isinstance(result, dict):
            return Say("I am sorry, something went wrong on my side. Let me try again.")
        if result.get("ok") is False:
            return Say(result.get("error", "I am sorry, that did not work."))
        if tool == "lookup_candidate":
            return Call("get_next_question") if result.get("found") else Say(ASK_PROFILE)
        if tool in ("create_candidate", "record_answer"):
            return Call("get_next_question")
        if tool == "get_next_question":
            if result.get("done"):
                return Call("end_interview")
            question = result["question"]
            if not conversation.assistant_messages():
                return Say(f"{prompts.WELCOME_MESSAGE} {question}")
            return Say(f"{ACKNOWLEDGE} {question}")
        if tool == "end_interview":
            return Say(result.get("closing", ""))
        if tool == "add_interview_question":
            return Say(result.get("question", ""))
        return Say(ACKNOWLEDGE)


def _personal(conversation: Conversation) -> bool:
    return prompts.PERSONAL_INVITE_CONTEXT in conversation.instructions


def _identified(conversation: Conversation) -> bool:
    if _personal(conversation):
        return True
    found = any(
        isinstance(r, dict) and r.get("found") is True
        for r in conversation.tool_results("lookup_candidate")
    )
    created = any(
        isinstance(r, dict) and r.get("ok") is True
        for r in conversation.tool_results("create_candidate")
    )
    return found or created
