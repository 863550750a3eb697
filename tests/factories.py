import factory
from factory.django import DjangoModelFactory

from interviews.models import Candidate, Interview, Position, Question, Stage


class PositionFactory(DjangoModelFactory):
    class Meta:
        model = Position

    title = factory.Sequence(lambda n: f"Role {n}")
    slug = factory.Sequence(lambda n: f"role-{n}")
    description = "A role for tests."
    technical_questions = 2
    behavioral_questions = 1


class CandidateFactory(DjangoModelFactory):
    class Meta:
        model = Candidate

    email = factory.Sequence(lambda n: f"candidate{n}@example.com")
    name = factory.Faker("name")
    position = factory.SubFactory(PositionFactory)
    experience_years = 3


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question

    position = factory.SubFactory(PositionFactory)
    stage = Stage.TECHNICAL
    text = factory.Sequence(lambda n: f"Question number {n}?")
    rubric = "Covers the main points."
    order = factory.Sequence(lambda n: n)


class InterviewFactory(DjangoModelFactory):
    """A personal interview without an invite secret; use services.interview_create for one."""

    class Meta:
        model = Interview

    position = factory.SubFactory(PositionFactory)
    candidate = factory.SubFactory(CandidateFactory, position=factory.SelfAttribute("..position"))
