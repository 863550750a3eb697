"""A scripted interviewer model for the local OpenAI server: what a model that follows our
instructions does, decided from the conversation alone (the instructions, the candidate's
messages and our tools' JSON results), the same way in Chat Completions and Realtime.

On an open position link it asks for the email, has a one-time code sent to it
(lookup_candidate), checks the code the candidate gives (verify_email_code), and creates
the profile from "name, experience" when the address has none (the position is the
link's, never asked).

Like a careless model, it files whatever the candidate says once identified as the answer;
when record_answer refuses a request (code "not_an_answer"), it does what the request
needs: repeat or clarify the question, skip_question, previous_question, or confirm a
stop once and then end_interview.

At a coding exercise it calls give_hint when the candidate asks for a hint and says the
hint; it follows the job's notes about the candidate's runs (system messages starting
"[coding]", which reach it with the instructions in Chat Completions): after a
submission it asks for the walk-through."""

import re
from typing import Any

from agent_worker import prompts
from agent_worker.coding_round import NOT_SUBMITTED, read_note
from agent_worker.coding_round import PREFIX as CODING_NOTE
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
ASK_PROFILE = "Thank you. Please tell me your full name and your years of experience."
ACKNOWLEDGE = "Thank you."
REPEAT = "Of course."
CLARIFY = "Answer in your own words; there is no single right answer."
CONFIRM_STOP = "Do you want to end the interview now? You can continue later with the same link."
YES = re.compile(r"^\W*(yes|yeah|yep|sure)\b", re.IGNORECASE)
HINT = re.compile(r"\b(hint|clue)\b", re.IGNORECASE)
HINT_SAID = "Here is a hint: {hint}"
NO_HINT_LEFT = "There are no more hints for this exercise."
TAKE_YOUR_TIME = "Take your time, and press Submit when you are done."
WALK_THROUGH = "Thank you. Please walk me through your approach and its time and space cost."


class InterviewerModel:
    def __init__(self) -> None:
        self.seen: list[Conversation] = []
        self._notes_followed: set[int] = set()

    def __call__(self, conversation: Conversation) -> Action:
        self.seen.append(conversation)
        if (followed := self._follow_coding_note(conversation)) is not None:
            return followed
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

    def _follow_coding_note(self, conversation: Conversation) -> Action | None:
        """The reply a new note about a submission asks for (other notes: none)."""
        for part in conversation.instructions.split(CODING_NOTE)[1:]:
            note = read_note(CODING_NOTE + part.split("\n", 1)[0])
            if note is None or note.run in self._notes_followed:
                continue
            self._notes_followed.add(note.run)
            if note.submitted:
                return Say(WALK_THROUGH)
        return None

    def _after_candidate(self, conversation: Conversation, text: str) -> Action:
        if _identified(conversation) and HINT.search(text):
            return Call("give_hint")
        if _identified(conversation):
            if _asked_last(conversation) == CONFIRM_STOP:
                if YES.match(text):
                    return Call("end_interview")
                return Say(f"{ACKNOWLEDGE} {_open_question(conversation)}")
            return Call("record_answer", {"answer": text})
        verified = [
            r
            for r in conversation.tool_results("verify_email_code")
            if isinstance(r, dict) and r.get("verified")
        ]
        if verified:  # a proven address without a profile
            parts = [part.strip() for part in text.split(",")]
            name, experience = parts[0], parts[-1] if len(parts) > 1 else ""
            return Call(
                "create_candidate",
                {
                    "name": name,
                    "email": verified[-1]["email"],
                    "position": "",
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
            if result.get("code") == NOT_SUBMITTED:
                return Say(TAKE_YOUR_TIME)
            if result.get("code") == "not_an_answer":
                return self._instead_of_answer(conversation, result.get("request"))
            return Say(result.get("error", "I am sorry, that did not work."))
        if tool in ("lookup_candidate", "verify_email_code"):
            if result.get("identified"):
                return Call("get_next_question")
            return Say(prompts.CODE_SENT_MESSAGE if result.get("code_sent") else ASK_PROFILE)
        if tool in ("create_candidate", "record_answer", "skip_question"):
            return Call("get_next_question")
        if tool == "previous_question":
            return Say(result["question"])
        if tool == "get_next_question":
            if result.get("done"):
                return Call("end_interview")
            question = result["question"]
            if not conversation.assistant_messages():
                return Say(f"{prompts.WELCOME_MESSAGE} {question}")
            return Say(f"{ACKNOWLEDGE} {question}")
        if tool == "end_interview":
            return Say(result.get("closing", ""))
        if tool == "give_hint":
            hint = result.get("hint")
            return Say(HINT_SAID.format(hint=hint) if hint else NO_HINT_LEFT)
        if tool == "add_interview_question":
            return Say(result.get("question", ""))
        return Say(ACKNOWLEDGE)

    def _instead_of_answer(self, conversation: Conversation, request: Any) -> Action:
        question = _open_question(conversation)
        if request in ("skip", "dont_know"):
            return Call("skip_question")
        if request == "go_back":
            return Call("previous_question")
        if request == "stop":
            return Say(CONFIRM_STOP)
        if request == "clarify":
            return Say(f"{CLARIFY} {question}")
        return Say(f"{REPEAT} {question}")


def _asked_last(conversation: Conversation) -> str:
    said = conversation.assistant_messages()
    return said[-1] if said else ""


def _open_question(conversation: Conversation) -> str:
    """The question asked last (a question the candidate went back to counts)."""
    for item in reversed(conversation.items):
        if isinstance(item, ToolResult) and item.name in ("get_next_question", "previous_question"):
            result = item.parsed()
            if isinstance(result, dict) and result.get("question"):
                return result["question"]
    return ""


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
