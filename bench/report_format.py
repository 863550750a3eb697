"""Markdown helpers shared by the sections of docs/benchmarks.md: a value as the page
shows it, a table, a target's verdict, what a missing or failed figure says and the
errors simulated candidates saw."""


def fmt(value, suffix: str = "") -> str:  # noqa: ANN001
    if value is None:
        return "-"
    if isinstance(value, float):
        value = f"{value:,.1f}" if abs(value) >= 10 else f"{value:.2f}"
    return f"{value}{suffix}"


def table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(fmt(cell) for cell in row) + " |" for row in rows]
    return lines + [""]


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def failed(figure: dict | None) -> list[str]:
    if not figure:
        return ["Not measured in this run.", ""]
    if "error" in figure:
        return ["This figure failed in this run:", "", "```", figure["error"], "```", ""]
    return []


def candidate_errors(runs: list[dict], most: int | None = None) -> list[str]:
    """The distinct errors the simulated candidates of `runs` saw (the first `most`)."""
    errors = sorted({e for run in runs for e in run.get("errors", [])})[:most]
    if not errors:
        return []
    return ["Errors seen by candidates:", ""] + [f"- `{e}`" for e in errors] + [""]
