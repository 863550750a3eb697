"""The audit's figures over counted candidates (the counting itself, by the database, is
tested in test_bias_audit_counts.py)."""

from fractions import Fraction

import pytest

from interviews.selectors.bias_audit import UNKNOWN, AnswerGroup, AuditCounts, bias_audit


def group(sex, race, *, count, advanced, high, scored=True, undecided=0):
    """`count` candidates: the first `advanced` advanced, the last `undecided` without a
    decision; the first `high` scored above the median, the others below it."""
    return AnswerGroup(
        sex=sex,
        race_ethnicity=race,
        count=count,
        decided=count - undecided,
        selected=min(advanced, count - undecided),
        scored=count if scored else 0,
        above_median=high if scored else 0,
    )


@pytest.fixture
def audit():
    groups = [
        group("female", "asian", count=20, advanced=6, high=4),
        group("female", "white", count=20, advanced=14, high=8),
        group("male", "asian", count=25, advanced=10, high=5),
        group("male", "white", count=25, advanced=20, high=10),
        group("nonbinary", "white", count=1, advanced=1, high=0, scored=False),
        group("prefer_not_to_say", "prefer_not_to_say", count=9, advanced=3, high=3, undecided=1),
    ]
    assert sum(g.count for g in groups) == 100
    return bias_audit(AuditCounts(groups=groups, median_score=2.0))


def by_key(audit, dimension):
    return {result.key: result for result in audit.tables[dimension]}


def exactly(value):
    return pytest.approx(float(value), abs=1e-12)


def test_the_totals_and_the_median_score(audit):
    assert (audit.total, audit.decided, audit.selected, audit.scored) == (100, 99, 54, 99)
    assert audit.median_score == 2.0
    assert "1 candidate(s) awaiting a decision" in " ".join(audit.notes)


def test_answers_given_only_in_part_are_unknown_where_they_were_not_given():
    groups = [
        group("female", "asian", count=10, advanced=5, high=5),
        group("female", "prefer_not_to_say", count=10, advanced=2, high=2),
        group(UNKNOWN, "asian", count=10, advanced=4, high=4),
    ]

    audit = bias_audit(AuditCounts(groups=groups, median_score=3.0))

    assert [(r.key, r.count) for r in audit.tables["sex"]] == [("female", 20), (UNKNOWN, 10)]
    assert [(r.key, r.count) for r in audit.tables["race_ethnicity"]] == [
        ("asian", 20),
        (UNKNOWN, 10),
    ]
    assert [(r.key, r.count) for r in audit.tables["intersection"]] == [
        ("female/asian", 10),
        (UNKNOWN, 20),
    ]
    assert by_key(audit, "intersection")[UNKNOWN].selected == 6


def test_a_category_no_one_advanced_has_an_impact_ratio_of_zero_and_is_flagged():
    groups = [
        group("female", "asian", count=10, advanced=0, high=0),
        group("male", "asian", count=10, advanced=5, high=5),
    ]

    female = by_key(bias_audit(AuditCounts(groups=groups, median_score=3.0)), "sex")["female"]

    assert female.selection_rate == 0 and female.selection_impact_ratio == 0
    assert female.scoring_impact_ratio == 0 and female.flagged


def test_a_category_no_one_decided_on_has_no_selection_rate():
    groups = [
        group("female", "asian", count=10, advanced=0, high=5, undecided=10),
        group("male", "asian", count=10, advanced=5, high=5),
    ]

    audit = bias_audit(AuditCounts(groups=groups, median_score=3.0))

    female = by_key(audit, "sex")["female"]
    assert female.decided == 0 and female.selection_rate is None
    assert female.selection_impact_ratio is None and not female.flagged
    assert by_key(audit, "sex")["male"].selection_impact_ratio == exactly(1)
    assert "10 candidate(s) awaiting a decision" in " ".join(audit.notes)


def test_small_categories_are_left_out_with_a_note_and_not_compared_with():
    groups = [
        group("female", "asian", count=4, advanced=4, high=4),
        group("male", "asian", count=10, advanced=5, high=5),
        group("male", "white", count=10, advanced=2, high=2),
    ]

    audit = bias_audit(AuditCounts(groups=groups, median_score=3.0), min_cell=5)

    assert [r.key for r in audit.tables["sex"]] == ["male"]
    assert [r.key for r in audit.tables["intersection"]] == ["male/white", "male/asian"]
    assert by_key(audit, "intersection")["male/asian"].selection_impact_ratio == exactly(1)
    assert by_key(audit, "race_ethnicity")["asian"].count == 14
    assert "fewer than 5 candidates are not shown" in " ".join(audit.notes)


def test_empty_groups_count_for_nothing():
    groups = [
        group("female", "asian", count=10, advanced=5, high=5),
        AnswerGroup(sex="male", race_ethnicity="white", count=0),
    ]

    audit = bias_audit(AuditCounts(groups=groups, median_score=3.0), min_cell=5)

    assert [r.key for r in audit.tables["sex"]] == ["female"]
    assert not any("not shown" in note for note in audit.notes)


def test_selection_and_scoring_rates_and_impact_ratios_by_sex(audit):
    sex = by_key(audit, "sex")

    assert list(sex) == ["female", "male", "nonbinary", UNKNOWN]
    female, male = sex["female"], sex["male"]
    assert (female.count, female.selected, female.decided) == (40, 20, 40)
    assert female.selection_rate == exactly(Fraction(1, 2))
    assert male.selection_rate == exactly(Fraction(3, 5))
    assert male.selection_impact_ratio == exactly(1)
    assert female.selection_impact_ratio == exactly(Fraction(5, 6))
    assert female.scoring_rate == exactly(Fraction(3, 10))
    assert male.scoring_rate == exactly(Fraction(3, 10))
    assert female.scoring_impact_ratio == exactly(1) and male.scoring_impact_ratio == exactly(1)
    assert not female.flagged and not male.flagged


def test_a_category_under_two_percent_is_counted_but_not_compared(audit):
    nonbinary = by_key(audit, "sex")["nonbinary"]

    assert nonbinary.count == 1 and nonbinary.share == exactly(Fraction(1, 100))
    assert nonbinary.excluded
    assert nonbinary.selection_impact_ratio is None and nonbinary.scoring_impact_ratio is None
    assert "Under 2%" in nonbinary.note
    assert "Non-binary or another sex" in " ".join(audit.notes)


def test_prefer_not_to_say_is_reported_as_unknown_and_never_compared(audit):
    unknown = by_key(audit, "sex")[UNKNOWN]

    assert (unknown.count, unknown.decided, unknown.selected) == (9, 8, 3)
    assert unknown.selection_rate == exactly(Fraction(3, 8))
    assert unknown.selection_impact_ratio is None and not unknown.excluded
    assert by_key(audit, "race_ethnicity")[UNKNOWN].count == 9
    assert by_key(audit, "intersection")[UNKNOWN].count == 9


def test_rates_and_ratios_by_race_ethnicity(audit):
    race = by_key(audit, "race_ethnicity")

    asian, white = race["asian"], race["white"]
    assert (asian.count, asian.selected, white.count, white.selected) == (45, 16, 46, 35)
    assert asian.selection_rate == exactly(Fraction(16, 45))
    assert white.selection_rate == exactly(Fraction(35, 46))
    assert asian.selection_impact_ratio == exactly(Fraction(16, 45) / Fraction(35, 46))
    assert (asian.scored, asian.above_median, white.scored, white.above_median) == (45, 9, 45, 18)
    assert asian.scoring_impact_ratio == exactly(Fraction(1, 2))
    assert asian.flagged and not white.flagged


def test_rates_and_ratios_for_the_intersections(audit):
    both = by_key(audit, "intersection")

    expected_selection = {
        "female/asian": Fraction(3, 8),
        "female/white": Fraction(7, 8),
        "male/asian": Fraction(1, 2),
        "male/white": Fraction(1),
    }
    for key, ratio in expected_selection.items():
        assert both[key].selection_impact_ratio == exactly(ratio), key
    assert both["female/asian"].scoring_impact_ratio == exactly(Fraction(1, 2))
    assert both["female/white"].scoring_impact_ratio == exactly(1)
    assert both["nonbinary/white"].excluded
    assert [r.key for r in audit.flagged if r.dimension == "intersection"] == [
        "female/asian",
        "male/asian",
    ]
    assert both["female/asian"].label == "Female, Asian"


def test_without_scores_only_selection_rates_are_reported():
    groups = [
        AnswerGroup("female", "asian", count=1, decided=1, selected=1),
        AnswerGroup("male", "asian", count=1, decided=1, selected=0),
    ]

    audit = bias_audit(AuditCounts(groups=groups, median_score=None))

    female = by_key(audit, "sex")["female"]
    assert audit.median_score is None and female.scoring_rate is None
    assert female.scoring_impact_ratio is None
    assert by_key(audit, "sex")["male"].selection_impact_ratio == exactly(0)
    assert "No scores" in " ".join(audit.notes)


def test_an_empty_period_has_empty_tables():
    audit = bias_audit(AuditCounts(groups=[]))

    assert audit.total == 0
    assert all(table == [] for table in audit.tables.values())
