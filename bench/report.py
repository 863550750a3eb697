"""Render docs/benchmarks.md (and docs/benchmarks-concurrency.png) from
bench/results.json; bench/notes.md, written by a person after a run, is appended.

The page is assembled here; its figures' sections live in bench/report_seeded.py,
bench/report_concurrency.py and bench/report_live.py."""

import json

from bench.common import ROOT
from bench.report_coding import coding_sandbox_section
from bench.report_concurrency import concurrency_section
from bench.report_format import fmt
from bench.report_live import join_section, join_storm_section, speech_to_text_section
from bench.report_recording import recording_section
from bench.report_seeded import admin_section, seed_section, token_section, turns_section
from bench.report_understanding import understanding_section
from bench.summary import summary_table, write_into_readme

RESULTS = ROOT / "bench" / "results.json"
NOTES = ROOT / "bench" / "notes.md"
DOC = ROOT / "docs" / "benchmarks.md"
README = ROOT / "README.md"
PLOT = ROOT / "docs" / "benchmarks-concurrency.png"


def machine_section(results: dict) -> list[str]:
    m = results["machine"]
    packages = ", ".join(f"{k} {v}" for k, v in m["packages"].items())
    return [
        f"Run of {results['date']} on {m['cpu']} ({m['cores']} cores, {m['memory_gib']} GiB), "
        f"{m['os']}; Python {m['python']}; {packages}; SQLite {m['sqlite']}; PostgreSQL "
        f"{m['postgresql']}; {m['livekit_server']}; {m['espeak_ng']}. The whole run took "
        f"{fmt(results.get('total_minutes'))} minutes. The machine was shared with other "
        "engineers' test runs: each figure notes the load average (1, 5, 15 minutes) when it "
        "started.",
        "",
    ]


def main() -> None:
    results = json.loads(RESULTS.read_text())
    lines = [
        "# Benchmarks",
        "",
        "Measured by `make bench` (bench/run.py); the numbers are in "
        "[bench/results.json](../bench/results.json). They measure: no test asserts a timing.",
        "",
        "## Each figure against its target",
        "",
        *summary_table(results),
        "",
        *machine_section(results),
        *seed_section(results),
        *turns_section(results),
        *concurrency_section(results, plot=PLOT),
        *join_section(results),
        *speech_to_text_section(results),
        *understanding_section(results),
        *token_section(results),
        *admin_section(results),
        *join_storm_section(results),
        *coding_sandbox_section(results),
        *recording_section(results),
    ]
    if NOTES.exists():
        lines += [NOTES.read_text().strip(), ""]
    DOC.write_text("\n".join(lines))
    write_into_readme(README, summary_table(results))


if __name__ == "__main__":
    main()
