"""The interviewer's tool for the coding exercise, give_hint, and what the other tools know
of it: whether the open question is a coding exercise still waiting for its submission.

The exercise's answer is the candidate's explanation after the submission: until the
server has recorded the submission (the job tells the interviewer, see
agent_worker.session.coding_news), record_answer refuses to file anything as the answer.
Hints come from the exercise's ladder, in order, each recorded by the service.
"""

from typing import Any

from livekit.agents import function_tool

from agent_worker import prompts
from agent_worker.coding_round import NO_GOING_BACK, NOT_SUBMITTED
from agent_worker.tools.calls import ok, refuse
from interviews.errors import ErrorCode
from interviews.models import Interview, InterviewQuestion, Stage
from interviews.services import coding

NOT_SUBMITTED_ERROR = (
    "Nothing was recorded: the coding exercise is not submitted yet. Its answer is the "
    "candidate's explanation after they press Submit. Let them work; call skip_question "
    "only if they ask to skip the exercise."
)
# Going back withdraws the question being asked, and a coding question's work with it.
NO_GOING_BACK_ERROR = (
    "The candidate cannot go back from the coding exercise: their work on it would be "
    "lost. Tell them they can correct earlier answers at the end of the interview."
)


class CodingTools:
    """give_hint, and the coding exercise's state, for the Interviewer."""

    # Set by the interviewer that composes these tools.
    _interview_pk: int
    # The open question is a coding exercise; one the candidate has not submitted yet.
    coding_question_open: bool = False
    awaiting_submission: bool = False

    # Provided by the interviewer that composes these tools.
    def _interview(self) -> Interview:
        raise NotImplementedError

    async def _run(self, tool: str, work: Any) -> str:
        raise NotImplementedError

    def _coding_output(self, asked: InterviewQuestion | None) -> dict[str, Any]:
        """What get_next_question (or previous_question) adds for the question asked, and
        the state it sets. Runs in the tool's database work."""
        if asked is None or asked.stage != Stage.CODING:
            self.coding_closed()
            return {}
        work = coding.coding_work_open(interview=self._interview())
        submitted = work is not None and work.submitted_at is not None
        self.coding_question_open = True
        self.awaiting_submission = work is not None and not submitted
        instruction = (
            prompts.CODING_SUBMITTED_QUESTION_INSTRUCTION
            if submitted
            else prompts.CODING_QUESTION_INSTRUCTION
        )
        return {"coding": {"submitted": submitted}, "instruction": instruction}

    def coding_submitted(self) -> None:
        """The server recorded the submission: the explanation can be recorded now."""
        self.awaiting_submission = False

    def coding_closed(self) -> None:
        """The open question is answered or skipped, or is not a coding exercise."""
        self.coding_question_open = self.awaiting_submission = False

    def refusal_before_submission(self) -> str | None:
        """record_answer's refusal while the exercise waits for its submission."""
        if not self.awaiting_submission:
            return None
        return refuse(NOT_SUBMITTED_ERROR, code=NOT_SUBMITTED)

    def refusal_to_go_back(self) -> str | None:
        """previous_question's refusal while a coding exercise is open."""
        if not self.coding_question_open:
            return None
        return refuse(NO_GOING_BACK_ERROR, code=NO_GOING_BACK)

    @function_tool
    async def give_hint(self) -> str:
        """Give the next hint of the coding exercise: call it when the candidate asks for a
        hint, or when they seem stuck and accept the hint you offered. Say the hint it
        returns, in its words, and nothing more: never reveal the answer or write code for
        them. It says when no hint is left."""

        def work() -> str:
            exercise_work = coding.coding_work_open(interview=self._interview())
            if exercise_work is None:
                return refuse(
                    "There is no coding exercise open, and other questions have no hints. "
                    "Ask the candidate to answer in their own words.",
                    code=ErrorCode.NO_CODING_QUESTION,
                )
            if exercise_work.submitted_at is not None:
                return refuse(
                    "The exercise is submitted; hints are over. Ask the candidate to walk "
                    "you through their approach and its time and space cost.",
                    code=ErrorCode.ALREADY_SUBMITTED,
                )
            hint = coding.coding_hint_give(work=exercise_work)
            if hint is None:
                return ok(
                    hint=None,
                    instruction="Every hint has been given. Tell the candidate there are no "
                    "more hints, and encourage them to carry on their own way.",
                )
            return ok(
                hint=hint.text,
                level=hint.level,
                instruction="Say: Here is a hint, then the hint in its words. Add nothing.",
            )

        return await self._run("give_hint", work)
