"""The understanding targets of issue 21, on the held-out messages (README.md here):
a request or remark filed as an answer in at most 2 % of cases, an answer taken for a
request in at most 3 %, and at least 50 names stored exactly as given."""

import pytest

from bench.understanding import DEFAULT_FILES, HELD_OUT, evaluate, read_rows


@pytest.fixture(scope="module")
def figures() -> dict:
    paths = [HELD_OUT / name for name in DEFAULT_FILES]
    missing = [path.name for path in paths if not path.exists()]
    assert not missing, f"held-out files missing: {missing}"
    return evaluate(read_rows(paths))


def test_the_held_out_sets_are_big_enough(figures):
    assert figures["labelled"] >= 300
    assert figures["names"] >= 100


@pytest.mark.xfail(
    strict=True,
    reason="Not met on phrasings nobody had seen: the fifth set's first look (2026-12-08) "
    "filed 8 of its 154 requests as answers, 19 of 730 (2.6 %) over the five sets. "
    "Strict: this fails the day the target is met, to be made a plain test again.",
)
def test_a_request_or_remark_is_filed_as_an_answer_in_at_most_2_percent(figures):
    # 11 of 576 (1.9 %) over the first four sets on 2026-12-08, after examples from a
    # writer who saw none of them; each set's first measurement, before the examples that
    # followed it, is in docs/benchmarks.md (the fourth alone: 6 of 150, the fifth 8 of
    # 154).
    assert figures["request_filed_as_answer"]["share"] <= 0.02


def test_an_answer_is_taken_for_a_request_in_at_most_3_percent(figures):
    assert figures["answer_taken_for_request"]["share"] <= 0.03


def test_at_least_50_names_are_stored_exactly_as_given(figures):
    assert figures["names_exact"] >= 50
