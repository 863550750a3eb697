"""The bias audit (New York City Local Law 144's figures): per category of sex,
race/ethnicity and their intersections, how many candidates were assessed, the selection
rate (the share a person advanced), the scoring rate (the share scored above the median,
where scores exist) and each rate's impact ratio against the category with the highest
rate. "Unknown" (no answer, or "prefer not to say") is counted but never compared;
categories under 2% of the candidates are left out of the comparison, with a note; impact
ratios under 0.8 are flagged.

`bias_audit` is pure computation over counts (`bias_audit_counts.audit_counts` has the
database count the candidates of a position and a period, grouped by their answers);
`bias_audit_csv` writes the result as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from interviews.csv_cells import safe_cell
from interviews.models import (
    SelfIdentification,
)

UNKNOWN = "unknown"
MIN_SHARE = 0.02
# Published audits (the page, the CSV, the command) leave out categories of fewer people
# than this: a one-day audit of one position would show one person's self-identification.
MIN_CELL = 5
FLAG_BELOW = 0.8
SEX_LABELS = {
    value: label
    for value, label in SelfIdentification.Sex.choices
    if value != SelfIdentification.PREFER_NOT_TO_SAY
}
RACE_LABELS = {
    value: label
    for value, label in SelfIdentification.RaceEthnicity.choices
    if value != SelfIdentification.PREFER_NOT_TO_SAY
}
DIMENSIONS = ("sex", "race_ethnicity", "intersection")
DIMENSION_TITLES = {
    "sex": "Sex",
    "race_ethnicity": "Race/ethnicity",
    "intersection": "Sex and race/ethnicity",
}


@dataclass(frozen=True)
class AnswerGroup:
    """The assessed candidates who gave the same answers ("unknown" when none), counted:
    all of them, those a person has decided on, those advanced, those scored and those
    scored above the median score of every candidate audited."""

    sex: str
    race_ethnicity: str
    count: int
    decided: int = 0
    selected: int = 0
    scored: int = 0
    above_median: int = 0


@dataclass(frozen=True)
class AuditCounts:
    """What the audit is computed from: the answer groups and the median score (None when
    no one was scored)."""

    groups: Sequence[AnswerGroup]
    median_score: float | None = None


@dataclass(frozen=True)
class CategoryResult:
    dimension: str
    key: str
    label: str
    count: int
    share: float
    decided: int
    selected: int
    selection_rate: float | None
    selection_impact_ratio: float | None
    scored: int
    above_median: int
    scoring_rate: float | None
    scoring_impact_ratio: float | None
    excluded: bool  # under 2%: counted, left out of the comparison

    @property
    def is_unknown(self) -> bool:
        return self.key == UNKNOWN

    @property
    def flagged(self) -> bool:
        ratios = (self.selection_impact_ratio, self.scoring_impact_ratio)
        return any(ratio is not None and ratio < FLAG_BELOW for ratio in ratios)

    @property
    def note(self) -> str:
        if self.is_unknown:
            return "Unknown: counted, not compared."
        if self.excluded:
            return f"Under {MIN_SHARE:.0%} of the candidates: left out of the impact ratios."
        if self.flagged:
            return f"Impact ratio under {FLAG_BELOW}."
        return ""


@dataclass(frozen=True)
class BiasAuditResult:
    total: int
    decided: int
    selected: int
    scored: int
    median_score: float | None
    tables: dict[str, list[CategoryResult]]
    notes: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> list[CategoryResult]:
        return [result for table in self.tables.values() for result in table if result.flagged]


def _key(group: AnswerGroup, dimension: str) -> str:
    if dimension == "sex":
        return group.sex if group.sex in SEX_LABELS else UNKNOWN
    if dimension == "race_ethnicity":
        return group.race_ethnicity if group.race_ethnicity in RACE_LABELS else UNKNOWN
    sex, race = _key(group, "sex"), _key(group, "race_ethnicity")
    return UNKNOWN if UNKNOWN in (sex, race) else f"{sex}/{race}"


def _label(dimension: str, key: str) -> str:
    if key == UNKNOWN:
        return "Unknown"
    if dimension == "sex":
        return SEX_LABELS[key]
    if dimension == "race_ethnicity":
        return RACE_LABELS[key]
    sex, race = key.split("/")
    return f"{SEX_LABELS[sex]}, {RACE_LABELS[race]}"


def _order(dimension: str) -> list[str]:
    if dimension == "sex":
        keys = list(SEX_LABELS)
    elif dimension == "race_ethnicity":
        keys = list(RACE_LABELS)
    else:
        keys = [f"{sex}/{race}" for sex in SEX_LABELS for race in RACE_LABELS]
    return [*keys, UNKNOWN]


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


COUNTED = ("count", "decided", "selected", "scored", "above_median")


def _table(
    groups: Sequence[AnswerGroup], dimension: str, total: int, min_cell: int = 0
) -> list[CategoryResult]:
    figures: dict[str, dict[str, Any]] = {}
    for group in groups:
        values = figures.setdefault(_key(group, dimension), dict.fromkeys(COUNTED, 0))
        for name in COUNTED:
            values[name] += getattr(group, name)
    for values in figures.values():
        values["selection_rate"] = _rate(values["selected"], values["decided"])
        values["scoring_rate"] = _rate(values["above_median"], values["scored"])
        values["share"] = values["count"] / total
    # Categories too small to publish are neither shown nor compared with (a ratio to
    # their rate would tell it).
    figures = {key: values for key, values in figures.items() if values["count"] >= min_cell}
    compared = {
        key: values
        for key, values in figures.items()
        if key != UNKNOWN and values["share"] >= MIN_SHARE
    }

    def ratios(rate_name: str) -> dict[str, float | None]:
        rates = [v[rate_name] for v in compared.values() if v[rate_name] is not None]
        highest = max(rates, default=None)
        return {
            key: (v[rate_name] / highest if highest and v[rate_name] is not None else None)
            for key, v in compared.items()
        }

    selection_ratios, scoring_ratios = ratios("selection_rate"), ratios("scoring_rate")
    return [
        CategoryResult(
            dimension=dimension,
            key=key,
            label=_label(dimension, key),
            selection_impact_ratio=selection_ratios.get(key),
            scoring_impact_ratio=scoring_ratios.get(key),
            excluded=key != UNKNOWN and key not in compared,
            **figures[key],
        )
        for key in _order(dimension)
        if key in figures
    ]


def bias_audit(counts: AuditCounts, *, min_cell: int = 0) -> BiasAuditResult:
    """The audit's figures over these candidates. `min_cell`: categories of fewer
    candidates are left out of the tables and the comparisons (MIN_CELL when published)."""
    groups = [group for group in counts.groups if group.count]
    total = sum(group.count for group in groups)
    decided = sum(group.decided for group in groups)
    scored = sum(group.scored for group in groups)
    tables = {
        dimension: _table(groups, dimension, total, min_cell) if total else []
        for dimension in DIMENSIONS
    }
    notes = []
    suppressed = sum(
        len({_key(group, dimension) for group in groups}) - len(tables[dimension])
        for dimension in DIMENSIONS
    )
    if suppressed:
        notes.append(
            f"Categories of fewer than {min_cell} candidates are not shown, so that no one's "
            "self-identification can be read from the audit."
        )
    excluded = [r.label for table in tables.values() for r in table if r.excluded]
    if excluded:
        notes.append(
            f"Left out of the impact ratios for being under {MIN_SHARE:.0%} of the candidates "
            f"(still counted): {'; '.join(excluded)}."
        )
    if not scored:
        notes.append("No scores in this period: scoring rates are not reported.")
    if total - decided:
        notes.append(
            f"{total - decided} candidate(s) awaiting a decision: not in the selection rates."
        )
    return BiasAuditResult(
        total=total,
        decided=decided,
        selected=sum(group.selected for group in groups),
        scored=scored,
        median_score=counts.median_score if scored else None,
        tables=tables,
        notes=notes,
    )


# --- CSV ----------------------------------------------------------------------------------

CSV_COLUMNS = [
    "dimension",
    "category",
    "count",
    "share",
    "decided",
    "selected",
    "selection_rate",
    "selection_impact_ratio",
    "scored",
    "above_median",
    "scoring_rate",
    "scoring_impact_ratio",
    "flagged",
    "note",
]


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def bias_audit_csv(result: BiasAuditResult, *, scope: str) -> str:
    """The audit as CSV: a summary row ("all"), then one row per category."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    rows = [
        [
            "all",
            scope,
            result.total,
            _number(1.0 if result.total else None),
            result.decided,
            result.selected,
            _number(_rate(result.selected, result.decided)),
            "",
            result.scored,
            "",
            "",
            "",
            "",
            f"median score {_number(result.median_score) or 'none'}. " + " ".join(result.notes),
        ]
    ]
    for dimension in DIMENSIONS:
        for r in result.tables[dimension]:
            rows.append(
                [
                    dimension,
                    r.label,
                    r.count,
                    _number(r.share),
                    r.decided,
                    r.selected,
                    _number(r.selection_rate),
                    _number(r.selection_impact_ratio),
                    r.scored,
                    r.above_median,
                    _number(r.scoring_rate),
                    _number(r.scoring_impact_ratio),
                    "yes" if r.flagged else "",
                    r.note,
                ]
            )
    # Labels and notes are free text (a position's title, a category): never a formula.
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return out.getvalue()
