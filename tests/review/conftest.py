import json
from datetime import timedelta

import pytest
from django.utils import timezone

from interviews.models import Interview, Stage
from interviews.services.lifecycle import interview_finish, interview_start
from interviews.services.questions import (
    interview_add_follow_up,
    interview_next_question,
    interview_record_answer,
)
from interviews.services.transcript import transcript_append
from tests.factories import CandidateFactory, InterviewFactory, PositionFactory, QuestionFactory

NAME = "Zelda Quistorp"
EMAIL = "zelda.quistorp@example.com"
TECHNICAL_ANSWER = (
    "I write unit tests for the handlers and integration tests against a real database, "
    "and I run them in CI on every merge request."
)
BEHAVIORAL_ANSWER = (
    "My manager said {first_name}, you own the release. I disagreed with a colleague about the "
    "schema, so we wrote both options down and picked the simpler one together."
)


class ScriptedModel:
    """An evaluation model that replies from a script: a dict (sent as JSON), a string, or
    an exception to raise. It keeps what it was sent."""

    name = "scripted-evaluator"

    def __init__(self, *replies: object) -> None:
        self.replies = list(replies)
        self.calls: list[dict] = []

    def complete(self, *, system: str, user: str) -> str:
        self.calls.append({"system": system, "user": user})
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply if isinstance(reply, str) else json.dumps(reply)


DEFAULT_SCORES = {
    "q1": {"score": 4, "evidence": ["integration tests against a real database"]},
    "q2": {"score": 3, "evidence": ["we run them in parallel"]},
    "q3": {"score": 4, "evidence": ["we wrote both options down and picked the simpler one"]},
}


def model_reply(*, next_step: str = "advance", **changes: dict) -> dict:
    """A well-formed reply for completed_interview() (q1 technical, q2 its follow-up,
    q3 behavioral); `q1={"evidence": [...]}` changes one question's entry."""
    return {
        "questions": [
            {"id": qid, "rationale": f"Rationale for {qid}.", **entry, **changes.get(qid, {})}
            for qid, entry in DEFAULT_SCORES.items()
        ],
        "summary": "Solid testing practice and a collaborative approach.",
        "strengths": ["Testing discipline"],
        "concerns": ["Little detail on monitoring"],
        "next_step": next_step,
    }


def completed_interview(*, name: str = NAME, email: str = EMAIL, ai_mode: str = "realtime"):
    """A finished interview with two answered questions, a transcript that opens with the
    candidate identifying themselves, and a follow-up the interviewer suggested."""
    position = PositionFactory(technical_questions=1, behavioral_questions=1)
    QuestionFactory(
        position=position,
        text="How do you test a web service?",
        rubric="Mentions unit and integration tests and automation.",
    )
    QuestionFactory(
        position=position,
        stage=Stage.BEHAVIORAL,
        text="Tell me about a disagreement with a colleague.",
        rubric="Owns their part and resolves it constructively.",
    )
    candidate = CandidateFactory(position=position, name=name, email=email)
    interview = InterviewFactory(position=position, candidate=candidate)
    earlier = timezone.now() - timedelta(minutes=5)
    interview_start(interview=interview, ai_mode=ai_mode, at=earlier)
    say = transcript_append
    say(interview=interview, speaker="agent", text="Welcome! What is your email?", at=earlier)
    say(interview=interview, speaker="candidate", text=f"It is {email}, I am {name}.", at=earlier)
    behavioral_answer = BEHAVIORAL_ANSWER.format(first_name=name.split()[0])
    for answer in (TECHNICAL_ANSWER, behavioral_answer):
        question = interview_next_question(interview=interview)
        say(interview=interview, speaker="agent", text=question.text)
        say(interview=interview, speaker="candidate", text=answer)
        interview_record_answer(interview=interview, answer=answer)
        if question.stage == Stage.TECHNICAL:
            interview_add_follow_up(interview=interview, text="How do you keep the tests fast?")
            say(interview=interview, speaker="agent", text="How do you keep the tests fast?")
            say(interview=interview, speaker="candidate", text="We run them in parallel.")
            interview_record_answer(interview=interview, answer="We run them in parallel.")
    interview_finish(interview=interview)
    return Interview.objects.get(pk=interview.pk)


@pytest.fixture
def interview():
    return completed_interview()


@pytest.fixture
def recruiter(django_user_model):
    return django_user_model.objects.create_superuser("recruiter", "r@example.com", "pw")


@pytest.fixture
def recruiter_client(client, recruiter):
    client.force_login(recruiter)
    return client


@pytest.fixture
def outsider_client(client, django_user_model):
    """Signed in, but not on the hiring team's staff."""
    user = django_user_model.objects.create_user("outsider", "o@example.com", "pw")
    client.force_login(user)
    return client
