"""The interviewer's tools that identify the candidate: an emailed code proves the
address, then the profile is found or created.

A personal invite's candidate cannot be switched, and every argument is checked and
capped before it reaches the database.
"""

from typing import Any

from livekit.agents import function_tool

from agent_worker import prompts
from agent_worker.tools.calls import ok, refuse
from agent_worker.understanding.codes import parse_code
from agent_worker.understanding.emails import parse_spoken_email
from agent_worker.understanding.experience import parse_experience_years
from interviews.errors import ErrorCode
from interviews.models import Interview
from interviews.selectors.positions import position_by_name
from interviews.services import candidates, flags, identity

MAX_EMAIL_ARGUMENT = 320
MAX_NAME_ARGUMENT = candidates.MAX_NAME_LENGTH
MAX_POSITION_ARGUMENT = 200
MAX_EXPERIENCE_ARGUMENT = 100
FLAG_EXPERIENCE_UNKNOWN = "Years of experience not given; questions were chosen from every level."
FLAG_NAME_UNCONFIRMED = (
    "Name not understood twice; taken as the candidate gave it. Check it with them."
)
FLAG_POSITION_UNCONFIRMED = (
    "Position not confirmed by the candidate; the interview's position was kept."
)
UNCONFIRMED_FLAGS = {"name": FLAG_NAME_UNCONFIRMED, "position": FLAG_POSITION_UNCONFIRMED}


class IdentificationTools:
    """lookup_candidate, verify_email_code and create_candidate, for the Interviewer."""

    # Provided by the interviewer that composes these tools.
    def _interview(self) -> Interview:
        raise NotImplementedError

    async def _run(self, tool: str, work: Any) -> str:
        raise NotImplementedError

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
            if interview.candidate is not None:
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
                    code=ErrorCode.CANDIDATE_FIXED,
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
                code=ErrorCode.CODE_INVALID,
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
            return refuse("Ask the candidate for their full name.", code=ErrorCode.NAME_MISSING)
        if len(name) > MAX_NAME_ARGUMENT:
            return refuse(
                "That name is too long; ask for the name only.", code=ErrorCode.NAME_TOO_LONG
            )
        address = _email_argument(email)
        if address is None:
            return _bad_email_result(email)
        if not isinstance(position, str) or len(position) > MAX_POSITION_ARGUMENT:
            return refuse(
                "Ask which position the candidate applies for.", code=ErrorCode.POSITION_UNKNOWN
            )
        if isinstance(experience, str) and len(experience) > MAX_EXPERIENCE_ARGUMENT:
            experience = experience[:MAX_EXPERIENCE_ARGUMENT]
        # "" when the candidate did not say: stored as unknown, flagged for the recruiter.
        experience_unknown = isinstance(experience, str) and not experience.strip()
        years = None if experience_unknown else parse_experience_years(experience)
        if years is None and not experience_unknown:
            return refuse(
                "Ask how many whole years of professional experience the candidate has "
                "(a number from 0 to 60).",
                code=ErrorCode.EXPERIENCE_INVALID,
            )

        def work() -> str:
            interview = self._interview()
            candidates.refuse_if_identified(interview)
            chosen = position_by_name(name=position) if position.strip() else interview.position
            if chosen is None:
                return refuse(
                    f"There is no open position by that name. This interview is for "
                    f"{interview.position.title}; confirm the position with the candidate.",
                    code=ErrorCode.POSITION_UNKNOWN,
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
        return refuse("Ask the candidate for their email address.", code=ErrorCode.EMAIL_MISSING)
    if "@" not in text and " at " not in f" {text.lower()} ":
        return refuse(candidates.EMAIL_WITHOUT_AT_SIGN, code=ErrorCode.EMAIL_INVALID)
    return refuse(candidates.EMAIL_NOT_VALID, code=ErrorCode.EMAIL_INVALID)
