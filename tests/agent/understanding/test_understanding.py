"""What one candidate message contains: fields, requests, questions and noise."""

from importlib import import_module

import pytest

from agent_worker.understanding import (
    Asking,
    Context,
    Request,
    find_request,
    is_question,
    looks_unfinished,
    match_position,
    says_finished,
    understand,
    without_finished_tail,
)

TITLES = ("Software Engineer", "Data Scientist", "Product Manager")
# The default positions' aliases, as migration 0012 gives them (recruiters edit them).
ALIASES = {
    title: [alias.strip() for alias in words.split(",")]
    for title, words in zip(
        TITLES,
        import_module("interviews.migrations.0015_position_aliases").DEFAULT_ALIASES.values(),
        strict=True,
    )
}


def test_one_message_can_carry_the_name_the_email_and_the_experience():
    understood = understand(
        "it's Priya Natarajan, priya.n@example.com, five years", asking=Asking.EMAIL
    )

    assert (understood.name, understood.email, understood.experience) == (
        "Priya Natarajan",
        "priya.n@example.com",
        5,
    )
    assert understood.request is None


@pytest.mark.parametrize(
    ("message", "asking", "name"),
    [
        ("I'm Priya Natarajan", Asking.EMAIL, "Priya Natarajan"),
        ("Priya Natarajan", Asking.NAME, "Priya Natarajan"),
        ("Priya Natarajan", Asking.EMAIL, "Priya Natarajan"),
        ("priya natarajan", Asking.NAME, "Priya Natarajan"),
        ("priya natarajan", Asking.EMAIL, None),
        ("my name's Priya", Asking.EXPERIENCE, "Priya"),
        ("My name is Will Smith", Asking.NAME, "Will Smith"),
        ("priya.n@example.com", Asking.NAME, None),
        ("software engineer", Asking.NAME, None),
        ("Software Engineer", Asking.EMAIL, None),
        ("What do you mean?", Asking.NAME, None),
        ("Why do you need my name?", Asking.NAME, None),
        ("I'm not sure", Asking.NAME, None),
        ("I'm applying for the backend role", Asking.NAME, None),
        ("I'm ready", Asking.NAME, None),
        ("Pass", Asking.NAME, None),
    ],
)
def test_a_name_is_read_only_where_it_is_clearly_a_name(message, asking, name):
    assert understand(message, asking=asking, titles=TITLES).name == name


def test_a_title_is_never_a_name():
    assert understand("Data Scientist", asking=Asking.NAME, titles=TITLES).name is None


def test_a_name_is_not_read_from_an_answer():
    assert understand("I'm Priya and I used Redis", asking=Asking.ANSWER).name is None


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Sorry, could you repeat the question please?", Request.REPEAT),
        ("pardon?", Request.REPEAT),
        ("what do you mean?", Request.CLARIFY),
        ("Can we skip it?", Request.SKIP),
        ("I don't know", Request.DONT_KNOW),
        ("no idea", Request.DONT_KNOW),
        ("Hmm, I don't know. Can we skip this one?", Request.DONT_KNOW),
        ("Can I go back to it?", Request.GO_BACK),
        ("give me a minute", Request.PAUSE),
        ("ok I'm ready", Request.GREETING),
        ("let's stop here", Request.STOP),
        ("I'd like to stop here, please end the interview", Request.STOP),
        ("I'd like to end the interview", Request.STOP),
        ("that's it", Request.FINISHED),
        ("that's all", Request.FINISHED),
        ("done", Request.FINISHED),
        ("yes", None),  # at a question, "yes" and "no" answer it
        ("no", None),
        ("hello?", Request.GREETING),
        ("hello, can you hear me?", Request.GREETING),
        ("I don't know, but I would start with the logs", None),
        ("I would repeat the test until it passes", None),
        ("We stopped the deploy and rolled back", None),
        ("Next, I would add an index", None),
        ("", None),
    ],
)
def test_a_request_is_a_request_only_when_the_whole_message_is_one(message, expected):
    assert find_request(message) == expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("yes", Request.YES),
        ("yeah sure", Request.YES),
        ("no", Request.NO),
        ("No, let's continue", Request.NO),
    ],
)
def test_yes_and_no_are_read_where_yes_or_no_was_asked(message, expected):
    assert find_request(message, context=Context.CONFIRM) == expected


@pytest.mark.parametrize(
    ("message", "asking"),
    [
        ("software engineer", Asking.EXPERIENCE),
        ("5", Asking.NAME),
        ("Software Engineer", Asking.NAME),
    ],
)
def test_a_message_that_is_not_experience_is_not_read_as_experience(message, asking):
    assert understand(message, asking=asking, titles=TITLES).experience is None


@pytest.mark.parametrize(
    ("said", "title"),
    [
        ("Software Engineer", "Software Engineer"),
        ("I'm applying for the backend role", "Software Engineer"),
        ("Oh, sorry, I'm applying for the Software Engineer position.", "Software Engineer"),
        ("the frontend developer job", "Software Engineer"),
        ("machine learning", "Data Scientist"),
        ("the analytics one", "Data Scientist"),
        ("product", "Product Manager"),
        ("data engineer", None),  # data -> Data Scientist, engineer -> Software Engineer
        ("a marketing role", None),
        ("", None),
    ],
)
def test_a_position_is_matched_loosely_and_ambiguity_matches_nothing(said, title):
    assert match_position(said, TITLES, ALIASES) == title


def test_an_alias_counts_only_for_an_open_title():
    assert match_position("the backend role", ("Product Manager",), ALIASES) is None
    assert (
        match_position("the backend role", ("Software Engineer",), ALIASES) == "Software Engineer"
    )


def test_aliases_come_from_the_position_not_from_code():
    assert match_position("the backend role", ("Software Engineer",)) is None
    assert match_position("the dba role", TITLES, {"Data Scientist": ["dba"]}) == "Data Scientist"


def test_a_position_given_in_the_candidate_s_words_is_kept_when_asked():
    understood = understand("I'm applying for the backend role", asking=Asking.POSITION)

    assert understood.position_said == "backend"


@pytest.mark.parametrize(
    ("message", "question"),
    [
        ("Should I talk about a specific project?", True),
        ("can you hear me", True),
        ("What I did was refactor the module.", False),
        ("It uses buckets.", False),
    ],
)
def test_a_question_to_the_interviewer_is_recognised(message, question):
    assert is_question(message) == question


@pytest.mark.parametrize("message", ["", "  ", "um", "hmm...", "...", "👍", "uh, er"])
def test_noise_is_recognised(message):
    assert understand(message, asking=Asking.ANSWER).noise


def test_an_answer_is_not_noise():
    assert not understand("Buckets.", asking=Asking.ANSWER).noise


@pytest.mark.parametrize(
    ("message", "unfinished"),
    [("First, I would...", True), ("I would check the logs and", True), ("Done.", False)],
)
def test_a_message_that_stops_mid_sentence_looks_unfinished(message, unfinished):
    assert looks_unfinished(message) == unfinished


def test_an_answer_ending_with_that_s_it_says_it_is_finished():
    assert says_finished("I would use a queue. That's it.")
    assert not says_finished("That's it, I think it is a queue problem")


@pytest.mark.parametrize(
    ("given", "name"),
    [
        ("Priya Natarajan Kumari Devi Lakshmi Rao", "Priya Natarajan Kumari Devi Lakshmi Rao"),
        ("it's priya n", "Priya N"),
        ("priya@example.com", None),
        ("why?", None),
        ("software engineer", None),
        ("skip", None),
    ],
)
def test_a_name_as_given_is_only_what_could_be_a_name(given, name):
    assert understand(given, asking=Asking.NAME, titles=TITLES).name == name


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("I'd check the logs and that's it", "I'd check the logs"),
        ("Logs.\nThat's it.", "Logs."),
        ("Logs and metrics. That's it, that's all.", "Logs and metrics."),
        ("I hand it over to the on-call engineer.", "I hand it over to the on-call engineer."),
        ("It is finished when the tests pass", "It is finished when the tests pass"),
        ("That's it", "That's it"),
    ],
)
def test_the_words_that_end_an_answer_are_cut_from_it(said, kept):
    assert without_finished_tail(said) == kept
