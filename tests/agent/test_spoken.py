"""Reading email addresses and experience the way candidates say or type them."""

import pytest

from agent_worker.spoken import parse_experience_years, parse_spoken_email


@pytest.mark.parametrize(
    ("said", "email"),
    [
        ("jane dot doe at example dot com", "jane.doe@example.com"),
        ("My email is Jane.Doe@Example.com.", "jane.doe@example.com"),
        ("j a n e at example dot com", "jane@example.com"),
        ("jane underscore doe at mail dot example dot org", "jane_doe@mail.example.org"),
        ("it's bob at test dot io", "bob@test.io"),
        ("hello there", None),
        ("at at dot", None),
        ("jane at example", None),
        ("", None),
    ],
)
def test_it_reads_an_email_address_as_people_say_it(said, email):
    assert parse_spoken_email(said) == email


@pytest.mark.parametrize(
    ("said", "years"),
    [
        (5, 5),
        ("5", 5),
        ("5 years", 5),
        ("five", 5),
        ("twenty five years", 25),
        ("two and a half years", 2),
        ("a year", 1),
        ("half a year", 0),
        ("no experience", 0),
        ("I have 12 years", 12),
        ("-3", None),
        ("seventy", None),
        (61, None),
        ("quite a lot", None),
        (True, None),
        (None, None),
    ],
)
def test_it_reads_whole_years_of_experience(said, years):
    assert parse_experience_years(said) == years
