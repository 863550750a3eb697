"""The interviewer: an Agent whose tools read and write the interview through services.

Its tools come from IdentificationTools, QuestionTools and CodingTools (give_hint);
ending the interview is its own. Authorization lives in the tools and the services, not
in the prompt: the tools only ever touch this job's interview; a personal invite's
candidate cannot be switched; no tool writes scores or activates questions (a follow-up
is stored inactive, for a recruiter); a coding exercise's answer waits for its
submission; and every argument is checked and capped before it reaches the database.
"""

import logging
from typing import Any

from django.utils import timezone
from livekit.agents import Agent, RunContext, function_tool

from agent_worker import prompts
from agent_worker.tools.calls import ok, run_tool_work
from agent_worker.tools.coding import CodingTools
from agent_worker.tools.identification import IdentificationTools
from agent_worker.tools.questions import QuestionTools
from interviews.models import Interview
from interviews.services import lifecycle

logger = logging.getLogger(__name__)


# CodingTools first: QuestionTools declares its methods as stubs, which it must override.
class Interviewer(CodingTools, IdentificationTools, QuestionTools, Agent):
    def __init__(
        self,
        *,
        interview: Interview,
        context: prompts.InterviewContext,
        hears_speech: bool = False,
        greet_on_enter: bool = True,
        **agent_options: Any,
    ) -> None:
        super().__init__(instructions=prompts.instructions_for(context), **agent_options)
        # Whether the candidate's speech reaches this interviewer (told to the script).
        self.hears_speech = hears_speech
        # False when the job greets once the room is connected and the candidate linked
        # (a greeting said earlier would reach no one).
        self._greet_on_enter = greet_on_enter
        # A question is open: the candidate's next messages are (part of) its answer.
        self.awaiting_answer = False
        # The open question is a coding exercise; one not submitted yet (CodingTools).
        self.coding_question_open = False
        self.awaiting_submission = False
        self._interview_pk = interview.pk
        self._interview_ref = str(interview.public_id)
        self._resuming = context.resuming
        self._asked_this_session = False
        self._plan_complete = False
        # "completed" or "interrupted" once end_interview has run.
        self.outcome: str | None = None

    @property
    def interview_ref(self) -> str:
        return self._interview_ref

    async def on_enter(self) -> None:
        if self._greet_on_enter:
            self.greet()

    def greet(self) -> None:
        self.session.generate_reply(
            instructions="Greet the candidate now and begin the interview as instructed."
        )

    def _interview(self) -> Interview:
        return Interview.objects.select_related("position", "candidate").get(pk=self._interview_pk)

    async def _run(self, tool: str, work: Any) -> str:
        return await run_tool_work(work, tool=tool, interview_id=self._interview_ref)

    # --- Ending -------------------------------------------------------------------------

    @function_tool
    async def end_interview(self, context: RunContext) -> str:
        """End the interview: after the last question, or when the candidate asks to stop
        (confirm first). Then say the closing remarks it returns; the session ends after."""

        def work() -> str:
            interview = self._interview()
            now = timezone.now()
            if self._plan_complete:
                lifecycle.interview_finish(interview=interview, at=now)
                self.outcome = "completed"
                closing = prompts.CLOSING_REMARKS
            else:
                # Stopping early keeps the interview resumable from the next question.
                lifecycle.interview_interrupt(interview=interview, at=now)
                self.outcome = "interrupted"
                closing = prompts.EARLY_CLOSING_REMARKS
            return ok(
                status=self.outcome,
                closing=closing,
                instruction=f"Say these closing remarks now, then stop: {closing}",
            )

        result = await self._run("end_interview", work)
        if self.outcome is not None:
            # The closing remarks are the reply to this tool, spoken in this same speech;
            # the session ends once they have been said.
            context.speech_handle.add_done_callback(lambda _: self.session.shutdown())
        return result
