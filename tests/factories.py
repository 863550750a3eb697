import factory
from factory.django import DjangoModelFactory

from interviews.models import Candidate, CodingExercise, Interview, Position, Question, Stage


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


class CodingExerciseFactory(DjangoModelFactory):
    """A coding question of the bank with its exercise: reverse the words of a sentence."""

    class Meta:
        model = CodingExercise

    question = factory.SubFactory(
        QuestionFactory,
        stage=Stage.CODING,
        text="Write reverse_words(sentence): the sentence's words in reverse order.",
        rubric="Correct on empty and one-word sentences; explains the cost.",
    )
    starter_code = "def reverse_words(sentence):\n    pass\n"
    visible_tests = (
        "def test_two_words():\n"
        '    assert reverse_words("hello world") == "world hello"\n'
        "\n"
        "def test_one_word():\n"
        '    assert reverse_words("hello") == "hello"\n'
    )
    hidden_tests = (
        "def test_empty():\n"
        '    assert reverse_words("") == ""\n'
        "\n"
        "def test_three_words():\n"
        '    assert reverse_words("a b c") == "c b a"\n'
        "\n"
        "def test_extra_spaces():\n"
        '    assert reverse_words("  a  b ") == "b a"\n'
    )
    hint_1 = "Split the sentence into its words first."
    hint_2 = "A list can be reversed with a slice."
    hint_3 = "Join the reversed words with one space."
