"""Reading email addresses and experience the way candidates say or type them."""

import pytest

from agent_worker.understanding.emails import find_email, parse_spoken_email
from agent_worker.understanding.experience import parse_experience_years, read_experience


@pytest.mark.parametrize(
    ("said", "email"),
    [
        ("jane dot doe at example dot com", "jane.doe@example.com"),
        ("My email is Jane.Doe@Example.com.", "jane.doe@example.com"),
        ("j a n e at example dot com", "jane@example.com"),
        ("jane underscore doe at mail dot example dot org", "jane_doe@mail.example.org"),
        ("it's bob at test dot io", "bob@test.io"),
        ("priya dot n at example dot com", "priya.n@example.com"),
        ("p r i y a dot n at example dot com", "priya.n@example.com"),
        ("my email is priya underscore n at gmail dot com", "priya_n@gmail.com"),
        ("priya at the rate gmail dot com", "priya@gmail.com"),
        ("priya.n at example.com", "priya.n@example.com"),
        ("joe 42 at g mail dot com", "joe42@gmail.com"),
        ("Hi, I'm Priya, and my email is priya dot n at example dot com", "priya.n@example.com"),
        ("hello there", None),
        ("at at dot", None),
        ("jane at example", None),
        ("I worked at google for five years", None),
        ("", None),
    ],
)
def test_it_reads_an_email_address_as_people_say_it(said, email):
    assert parse_spoken_email(said) == email


def test_it_finds_where_the_address_is_in_a_message():
    message = "it's Priya Natarajan, priya dot n at example dot com, five years"

    found = find_email(message)

    assert found is not None
    assert found.address == "priya.n@example.com"
    assert message[found.start : found.end] == "priya dot n at example dot com"


@pytest.mark.parametrize(
    ("said", "years"),
    [
        (5, 5),
        ("5", 5),
        ("5 years", 5),
        ("five", 5),
        ("twenty five years", 25),
        ("two and a half years", 3),
        ("a year", 1),
        ("half a year", 1),
        (2.5, 3),
        (2.4, 2),
        ("no experience", 0),
        ("I have 12 years", 12),
        ("-3", None),
        ("seventy", None),
        (61, None),
        ("quite a lot", None),
        (True, None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_it_reads_whole_years_of_experience(said, years):
    assert parse_experience_years(said) == years


@pytest.mark.parametrize(
    ("said", "years"),
    [
        ("about five", 5),
        ("3 to 4 years", 3),
        ("between three and four years", 3),
        ("a decade", 10),
        ("a decade and a half", 15),
        ("fresh graduate", 0),
        ("five-ish years", 5),
        ("nearly 7 years", 6),
        ("almost a year", 0),
        ("less than two years", 1),
        ("over 10 years", 10),
        ("10+ years", 10),
        ("a couple of years", 2),
        ("18 months", 2),
        ("eight months", 1),
        ("two years at Infosys and then three at a startup", 5),
        ("5 years, 2 of them in Python", 5),
        ("none", 0),
        ("software engineer", None),
        ("I'm 25 years old", None),
        ("I graduated in 2019", None),
    ],
)
def test_it_reads_ranges_and_approximations_when_experience_was_asked(said, years):
    assert read_experience(said, asked=True) == years


@pytest.mark.parametrize(
    ("said", "years"),
    [("five years", 5), ("about five", None), ("5", None), ("none", None), ("fresher", 0)],
)
def test_a_number_without_a_unit_is_experience_only_when_asked(said, years):
    assert read_experience(said, asked=False) == years
