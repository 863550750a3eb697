"""The understanding targets of issue 21, on the held-out messages (README.md here):
a request or remark filed as an answer in at most 2 % of cases, an answer taken for a
request in at most 3 %, and at least 50 names stored exactly as given."""

from pathlib import Path

import pytest

from bench.understanding import evaluate, read_rows

HERE = Path(__file__).parent
HELD_OUT = HERE / "heldout_test.jsonl"


@pytest.fixture(scope="module")
def figures() -> dict:
    assert HELD_OUT.exists(), "the held-out set is missing"
    return evaluate(read_rows([HELD_OUT]))


def test_the_held_out_set_is_big_enough(figures):
    assert figures["labelled"] >= 300


@pytest.mark.xfail(
    strict=True,
    reason="missed (2026-12-07): 4 of 135, 3.0 %; docs/benchmarks.md, figure 8",
)
def test_a_request_or_remark_is_filed_as_an_answer_in_at_most_2_percent(figures):
    assert figures["request_filed_as_answer"]["share"] <= 0.02


def test_an_answer_is_taken_for_a_request_in_at_most_3_percent(figures):
    assert figures["answer_taken_for_request"]["share"] <= 0.03


@pytest.mark.xfail(
    strict=True,
    reason="missed: the held-out set holds 43 names, 40 of them stored exactly as given "
    "(2026-12-07); docs/benchmarks.md, figure 8",
)
def test_at_least_50_names_are_stored_exactly_as_given(figures):
    assert figures["names_exact"] >= 50
