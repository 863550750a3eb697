"""Rows for the back-office tests: interviews that went the whole way."""

from interviews.models import Interview
from interviews.services.lifecycle import interview_finish, interview_start
from interviews.services.questions import interview_next_question, interview_record_answer
from interviews.services.transcript import transcript_append
from tests.factories import InterviewFactory, PositionFactory, QuestionFactory

MODELS = ["position", "question", "candidate", "interview"]


def filled_interview(n: int = 0) -> Interview:
    """A completed interview with one answered question and one transcript line."""
    position = PositionFactory()
    QuestionFactory(position=position)
    interview = InterviewFactory(position=position, candidate__name=f"Person {n}")
    interview_start(interview=interview, ai_mode="structured")
    interview_next_question(interview=interview)
    interview_record_answer(interview=interview, answer="An answer.")
    transcript_append(interview=interview, speaker="agent", text="Hello.")
    interview_finish(interview=interview)
    return interview


def make_rows(count: int) -> None:
    for n in range(count):
        filled_interview(n)
