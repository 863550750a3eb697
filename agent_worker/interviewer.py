"""The interviewer: an Agent whose tools read and write the interview through services.

Authorization lives here and in the services, not in the prompt: the tools only ever touch
this job's interview; a personal invite's candidate cannot be switched; no tool writes
scores or activates questions (a follow-up is stored inactive, for a recruiter); and
every argument is checked and capped before it reaches the database.
"""

import logging
from typing import Any

from django.utils import timezone
from livekit.agents import Agent, RunContext, function_tool

from agent_worker import prompts
from agent_worker.answer_requests import refusal_if_request
from agent_worker.email_codes import parse_code
from agent_worker.tool_calls import ok, refuse, run_tool_work
from agent_worker.understanding import without_finished_tail
from agent_worker.understanding.emails import parse_spoken_email
from agent_worker.understanding.experience import parse_experience_years
from interviews.models import Interview
from interviews.selectors.positions import active_position_titles, position_by_name
from interviews.services import candidates, flags, identity, lifecycle, questions

logger = logging.getLogger(__name__)

MAX_EMAIL_ARGUMENT = 320
MAX_NAME_ARGUMENT = candidates.MAX_NAME_LENGTH
MAX_POSITION_ARGUMENT = 200
MAX_EXPERIENCE_ARGUMENT = 100
MAX_ANSWER_ARGUMENT = questions.MAX_ANSWER_LENGTH
MAX_QUESTION_ARGUMENT = questions.MAX_QUESTION_LENGTH
FLAG_EXPERIENCE_UNKNOWN = "Years of experience not given; questions were chosen from every level."
FLAG_NAME_UNCONFIRMED = (
    "Name not understood twice; taken as the candidate gave it. Check it with them."
)
FLAG_POSITION_UNCONFIRMED = (
    "Position not confirmed by the candidate; the interview's position was kept."
)
UNCONFIRMED_FLAGS = {"name": FLAG_NAME_UNCONFIRMED, "position": FLAG_POSITION_UNCONFIRMED}


class Interviewer(Agent):
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

    # --- Identifying the candidate ------------------------------------------------------

    @function_tool
    async def lookup_candidate(self, email: str) -> str:
        """Send a one-time code to the email address the candidate gave, to prove it is
        theirs. Call it once the candidate has told you their email. It says nothing about
        whether the address has a profile: that is known only after verify_email_code.

        Args:
            email: The email address written normally, e.g. jane.doe@example.com.
        """
        address = _email_argument(email)
        if address is None:
            return _bad_email_result(email)

        def work() -> str:
            interview = self._interview()
            if interview.candidate_id is not None:
                if interview.candidate.email == address:
                    return ok(
                        identified=True,
                        instruction="The candidate is already identified; continue with "
                        "get_next_question.",
                    )
                # Never reveal whether another address has a profile.
                return refuse(
                    "This interview belongs to another email address and cannot be switched. "
                    "Tell the candidate the address does not match this invitation.",
                    code="candidate_fixed",
                )
            identity.email_code_send(interview=interview, email=address)
            return ok(
                code_sent=True,
                instruction=f"Say: {prompts.CODE_SENT_MESSAGE} Then call verify_email_code "
                "with the digits they give.",
            )

        return await self._run("lookup_candidate", work)

    @function_tool
    async def verify_email_code(self, code: str) -> str:
        """Check the six-digit code the candidate read from the email lookup_candidate sent.

        Args:
            code: The six digits as the candidate gave them, e.g. 481203 or "four eight one
                two zero three".
        """
        digits = parse_code(code) if isinstance(code, str | int) else None
        if digits is None:
            return refuse(
                "That is not a six-digit code. Ask the candidate to read the six digits from "
                "the email again.",
                code="code_invalid",
            )

        def work() -> str:
            verified = identity.email_code_verify(interview=self._interview(), code=digits)
            if verified.candidate is not None:
                return ok(
                    verified=True,
                    identified=True,
                    name=verified.candidate.name,
                    instruction="Greet the candidate by name, then call get_next_question.",
                )
            return ok(
                verified=True,
                identified=False,
                email=verified.email,
                instruction="There is no profile for this address yet. Ask in turn for the "
                "candidate's full name and their years of experience (not the position: it is "
                "this interview's), then call create_candidate with this email.",
            )

        return await self._run("verify_email_code", work)

    @function_tool
    async def create_candidate(
        self,
        name: str,
        email: str,
        position: str,
        experience: int | str,
        unconfirmed: str = "",
    ) -> str:
        """Create a profile for a new candidate and identify them for this interview: only
        after verify_email_code proved the address and found no profile.

        Args:
            name: The candidate's full name.
            email: Their email address, written normally.
            position: The position they apply for, as they said it; empty for this
                interview's position.
            experience: Their years of professional experience, e.g. 5 or "five years".
            unconfirmed: The fields you could not understand or confirm with the candidate
                and took as given, comma-separated: "name", "position" (e.g. "name");
                empty when all were clear. They are flagged for the recruiter.
        """
        if not isinstance(name, str) or not name.strip():
            return refuse("Ask the candidate for their full name.", code="name_missing")
        if len(name) > MAX_NAME_ARGUMENT:
            return refuse("That name is too long; ask for the name only.", code="name_too_long")
        address = _email_argument(email)
        if address is None:
            return _bad_email_result(email)
        if not isinstance(position, str) or len(position) > MAX_POSITION_ARGUMENT:
            return refuse("Ask which position the candidate applies for.", code="position_unknown")
        if isinstance(experience, str) and len(experience) > MAX_EXPERIENCE_ARGUMENT:
            experience = experience[:MAX_EXPERIENCE_ARGUMENT]
        # "" when the candidate did not say: stored as unknown, flagged for the recruiter.
        experience_unknown = isinstance(experience, str) and not experience.strip()
        years = None if experience_unknown else parse_experience_years(experience)
        if years is None and not experience_unknown:
            return refuse(
                "Ask how many whole years of professional experience the candidate has "
                "(a number from 0 to 60).",
                code="experience_invalid",
            )

        def work() -> str:
            interview = self._interview()
            if interview.candidate_id is not None:
                return refuse(
                    "The candidate is already identified; continue with the interview.",
                    code="candidate_fixed",
                )
            chosen = position_by_name(name=position) if position.strip() else interview.position
            if chosen is None:
                return refuse(
                    f"There is no open position by that name. This interview is for "
                    f"{interview.position.title}; confirm the position with the candidate.",
                    code="position_unknown",
                    position=interview.position.title,
                )
            identity.interview_register_verified_candidate(
                interview=interview,
                email=address,
                name=name,
                position=chosen,
                experience_years=years,
            )
            if experience_unknown:
                flags.interview_flag(interview=interview, text=FLAG_EXPERIENCE_UNKNOWN)
            for text in _unconfirmed_flags(unconfirmed):
                flags.interview_flag(interview=interview, text=text)
            return ok(created=True, name=" ".join(name.split()))

        return await self._run("create_candidate", work)

    # --- Questions and answers ----------------------------------------------------------

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
                    code="candidate_unknown",
                    position=interview.position.title,
                    positions=active_position_titles(),
                    hears_speech=self.hears_speech,
                )
            asked = questions.interview_next_question(interview=interview)
            self.awaiting_answer = asked is not None
            if asked is None:
                self._plan_complete = True
                return ok(
                    done=True,
                    hears_speech=self.hears_speech,
                    instruction="Every question is asked. Thank the candidate and call "
                    "end_interview.",
                )
            answered = interview.asked.filter(
                follow_up_to__isnull=True, answered_at__isnull=False
            ).count()
            resumed = self._resuming and not self._asked_this_session
            self._asked_this_session = True
            return ok(
                done=False,
                number=answered + 1,
                stage=asked.stage,
                question=asked.text,
                resumed=resumed,
                hears_speech=self.hears_speech,
            )

        return await self._run("get_next_question", work)

    @function_tool
    async def skip_question(self) -> str:
        """Skip the question being asked, when the candidate asks to skip it or says they
        do not know. It is recorded as skipped for the recruiter; then call
        get_next_question."""

        def work() -> str:
            questions.interview_skip_question(interview=self._interview())
            self.awaiting_answer = False
            return ok(
                skipped=True,
                instruction="Tell the candidate it is fine to skip, then call get_next_question.",
            )

        return await self._run("skip_question", work)

    @function_tool
    async def previous_question(self) -> str:
        """Go back to the previous question when the candidate asks to. It is re-opened:
        ask it again, and record_answer adds the new answer to the one given before."""

        def work() -> str:
            asked, number = questions.interview_previous_question(interview=self._interview())
            self.awaiting_answer = True
            return ok(
                number=number,
                stage=asked.stage,
                question=asked.text,
                instruction="Ask this question again, then call record_answer with the "
                "candidate's answer.",
            )

        return await self._run("previous_question", work)

    @function_tool
    async def record_answer(self, answer: str) -> str:
        """Record the candidate's answer to the question you asked last.

        Args:
            answer: What the candidate answered, faithfully, in their words.
        """
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
                code="answer_too_long",
            )

        def work() -> str:
            questions.interview_record_answer(interview=self._interview(), answer=answer)
            self.awaiting_answer = False
            return ok(
                recorded=True,
                instruction="Acknowledge briefly and neutrally, then call get_next_question.",
            )

        return await self._run("record_answer", work)

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
                code="question_too_long",
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


def _unconfirmed_flags(unconfirmed: object) -> list[str]:
    """The recruiter's flags for the fields named in create_candidate's `unconfirmed`."""
    if not isinstance(unconfirmed, str):
        return []
    named = {part.strip().lower() for part in unconfirmed[:MAX_POSITION_ARGUMENT].split(",")}
    return [text for field_name, text in UNCONFIRMED_FLAGS.items() if field_name in named]


def _email_argument(email: object) -> str | None:
    if not isinstance(email, str) or len(email) > MAX_EMAIL_ARGUMENT:
        return None
    return parse_spoken_email(email)


def _bad_email_result(email: object) -> str:
    text = email if isinstance(email, str) else ""
    if not text.strip():
        return refuse("Ask the candidate for their email address.", code="email_missing")
    if "@" not in text and " at " not in f" {text.lower()} ":
        return refuse(candidates.EMAIL_WITHOUT_AT_SIGN, code="email_invalid")
    return refuse(candidates.EMAIL_NOT_VALID, code="email_invalid")
