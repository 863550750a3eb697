"""The interviewer's tools for questions and answers: the next question, skip, go back,
record an answer, add a follow-up.

No tool scores or activates questions (a follow-up is stored inactive, for a recruiter),
and every argument is checked and capped before it reaches the database.
"""

import json
from typing import Any

from livekit.agents import AgentSession, function_tool

from agent_worker.tools.answer_requests import refusal_if_request
from agent_worker.tools.calls import ok, refuse
from agent_worker.understanding import without_finished_tail
from interviews.errors import ErrorCode
from interviews.models import Interview, InterviewQuestion
from interviews.selectors.positions import active_position_aliases, active_position_titles
from interviews.services import questions

MAX_ANSWER_ARGUMENT = questions.MAX_ANSWER_LENGTH
MAX_QUESTION_ARGUMENT = questions.MAX_QUESTION_LENGTH


class QuestionTools:
    """get_next_question, skip_question, previous_question, record_answer and
    add_interview_question, for the Interviewer."""

    # Set by the interviewer that composes these tools.
    hears_speech: bool
    awaiting_answer: bool
    _resuming: bool
    _asked_this_session: bool
    _plan_complete: bool
    _interview_pk: int

    # Provided by the interviewer that composes these tools.
    session: AgentSession  # the Agent's

    def _interview(self) -> Interview:
        raise NotImplementedError

    async def _run(self, tool: str, work: Any) -> str:
        raise NotImplementedError

    # The coding exercise's part (agent_worker.tools.coding.CodingTools).
    def _coding_output(self, asked: InterviewQuestion | None) -> dict[str, Any]:
        raise NotImplementedError

    def coding_closed(self) -> None:
        raise NotImplementedError

    def refusal_before_submission(self) -> str | None:
        raise NotImplementedError

    def refusal_to_go_back(self) -> str | None:
        raise NotImplementedError

    def _next_question_output(self, picked: questions.NextQuestion) -> dict[str, Any]:
        """get_next_question's output for the question picked, and the state it sets."""
        self.awaiting_answer = picked.question is not None
        if picked.question is None:
            self.coding_closed()
            self._plan_complete = True
            return {
                "ok": True,
                "done": True,
                "hears_speech": self.hears_speech,
                "instruction": "Every question is asked. Thank the candidate and call "
                "end_interview.",
            }
        resumed = self._resuming and not self._asked_this_session
        self._asked_this_session = True
        return {
            "ok": True,
            "done": False,
            "number": picked.number,
            "stage": picked.question.stage,
            "question": picked.question.text,
            "resumed": resumed,
            "hears_speech": self.hears_speech,
            **self._coding_output(picked.question),
        }

    @function_tool
    async def get_next_question(self) -> str:
        """Get the question to ask now. Ask it exactly once; when the answer is in, call
        record_answer, then call this again. It says when the interview plan is done."""

        def work() -> str:
            interview = self._interview()
            if interview.candidate_id is None:
                # The position is known from the link: the candidate is never asked it.
                return refuse(
                    "The candidate is not identified yet; ask for their email first.",
                    code=ErrorCode.CANDIDATE_UNKNOWN,
                    position=interview.position.title,
                    positions=active_position_titles(),
                    aliases=active_position_aliases(),
                    hears_speech=self.hears_speech,
                )
            picked = questions.interview_next_question_numbered(interview=interview)
            return json.dumps(self._next_question_output(picked))

        return await self._run("get_next_question", work)

    @function_tool
    async def skip_question(self) -> str:
        """Skip the question being asked, when the candidate asks to skip it or says they
        do not know. It is recorded as skipped for the recruiter; then call
        get_next_question."""

        def work() -> str:
            questions.interview_skip_question(interview=self._interview())
            self.awaiting_answer = False
            self.coding_closed()
            return ok(
                skipped=True,
                instruction="Tell the candidate it is fine to skip, then call get_next_question.",
            )

        return await self._run("skip_question", work)

    @function_tool
    async def previous_question(self) -> str:
        """Go back to the previous question when the candidate asks to. It is re-opened:
        ask it again, and record_answer replaces the answer given before."""
        if (no_going_back := self.refusal_to_go_back()) is not None:
            return no_going_back

        def work() -> str:
            asked, number = questions.interview_previous_question(interview=self._interview())
            self.awaiting_answer = True
            output = {
                "number": number,
                "stage": asked.stage,
                "question": asked.text,
                "instruction": "Ask this question again, then call record_answer with the "
                "candidate's answer.",
            }
            return ok(**(output | self._coding_output(asked)))

        return await self._run("previous_question", work)

    @function_tool
    async def record_answer(self, answer: str) -> str:
        """Record the candidate's answer to the question you asked last.

        Args:
            answer: What the candidate answered, faithfully, in their words.
        """
        # A coding exercise's answer is the explanation after its submission.
        if (not_yet := self.refusal_before_submission()) is not None:
            return not_yet
        # "Could you repeat that?" is a request, never filed as the answer.
        if (not_an_answer := refusal_if_request(answer)) is not None:
            return not_an_answer
        if isinstance(answer, str):
            # "... and that's it" ends the answer; it is not part of it.
            answer = without_finished_tail(answer)
        # An empty answer is refused by the service, with the same message.
        if isinstance(answer, str) and answer.strip() and len(answer) > MAX_ANSWER_ARGUMENT:
            return refuse(
                "That answer is too long to store; record a faithful summary instead.",
                code=ErrorCode.ANSWER_TOO_LONG,
            )

        if self._takes_next_question_with_answer():
            return await self._run("record_answer", lambda: self._answer_and_next(answer))

        def work() -> str:
            questions.interview_record_answer(interview=self._interview(), answer=answer)
            self.awaiting_answer = False
            self.coding_closed()
            return ok(
                recorded=True,
                instruction="Acknowledge briefly and neutrally, then call get_next_question.",
            )

        return await self._run("record_answer", work)

    def _takes_next_question_with_answer(self) -> bool:
        """Whether the session's model (the structured interviewer) always asks for the
        next question right after an answer: record_answer then returns it too."""
        try:
            model = self.session.llm
        except RuntimeError:  # not running in a session
            return False
        return bool(getattr(model, "takes_next_question_with_answer", False))

    def _answer_and_next(self, answer: str) -> str:
        """record_answer and get_next_question in one transaction; the next question's
        output (get_next_question's) is under "next"."""
        done = questions.interview_answer_and_next_question(
            interview=Interview(pk=self._interview_pk), answer=answer
        )
        return ok(
            recorded=True,
            instruction="Acknowledge briefly and neutrally, then ask the next question.",
            next=self._next_question_output(done.next),
        )

    @function_tool
    async def add_interview_question(self, question: str, rubric: str = "") -> str:
        """Ask a follow-up question of your own about the last answer. It is saved for a
        recruiter to review. Ask it right after this call, then record_answer.

        Args:
            question: The follow-up question, one sentence.
            rubric: What a good answer would cover (never said to the candidate).
        """
        if not isinstance(rubric, str):
            rubric = ""
        # An empty question is refused by the service, with the same message.
        given = isinstance(question, str) and question.strip()
        if given and max(len(question), len(rubric)) > MAX_QUESTION_ARGUMENT:
            return refuse(
                "Keep the follow-up and its rubric short (one or two sentences each).",
                code=ErrorCode.QUESTION_TOO_LONG,
            )

        def work() -> str:
            asked = questions.interview_add_follow_up(
                interview=self._interview(), text=question, rubric=rubric
            )
            return ok(
                question=asked.text,
                instruction="Ask this follow-up now, then call record_answer with the answer.",
            )

        return await self._run("add_interview_question", work)
