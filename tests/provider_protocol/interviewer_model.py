"""A scripted interviewer model for the local OpenAI server: what a model that follows our
instructions does, decided from the conversation alone (the instructions, the candidate's
messages and our tools' JSON results), the same way in Chat Completions and Realtime.

On an open position link it asks for the email, has a one-time code sent to it
(lookup_candidate), checks the code the candidate gives (verify_email_code), and creates
the profile from "name, position, experience" when the address has none."""

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
CODE = re.compile(r"\b\d{6}\b")
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
        verified = [
            r
            for r in conversation.tool_results("verify_email_code")
            if isinstance(r, dict) and r.get("verified")
        ]
        if verified:  # a proven address without a profile
            name, position, experience = (part.strip() for part in f"{text},,".split(",")[:3])
            return Call(
                "create_candidate",
                {
                    "name": name,
                    "email": verified[-1]["email"],
                    "position": position,
                    "experience": experience,
                },
            )
        code_sent = any(
            isinstance(r, dict) and r.get("code_sent")
            for r in conversation.tool_results("lookup_candidate")
        )
        if code_sent and (code := CODE.search(text)):
            return Call("verify_email_code", {"code": code.group(0)})
        if match := EMAIL.search(text):
            return Call("lookup_candidate", {"email": match.group(0)})
        return Say(prompts.CODE_SENT_MESSAGE if code_sent else ASK_EMAIL)

    def _after_tool(self, conversation: Conversation, tool: str, result: Any) -> Action:
        if not isinstance(result, dict):
            return Say("I am sorry, something went wrong on my side. Let me try again.")
        if result.get("ok") is False:
            return Say(result.get("error", "I am sorry, that did not work."))
        if tool in ("lookup_candidate", "verify_email_code"):
            if result.get("identified"):
                return Call("get_next_question")
            return Say(prompts.CODE_SENT_MESSAGE if result.get("code_sent") else ASK_PROFILE)
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
        isinstance(r, dict) and r.get("identified") is True
        for r in conversation.tool_results("verify_email_code")
    )
    created = any(
        isinstance(r, dict) and r.get("ok") is True
        for r in conversation.tool_results("create_candidate")
    )
    return found or created
