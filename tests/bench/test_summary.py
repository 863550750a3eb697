"""The benchmark summary: each figure against its target, in the README too."""

from bench.summary import MARK_END, MARK_START, summary_table, write_into_readme

RESULTS = {
    "turns_sqlite": {"added_p95_ms": 2.5, "queries_per_real_turn": 6, "commits_per_real_turn": 1},
    "turns_postgresql": {"added_p95_ms": 7.0, "queries_per_real_turn": 6},
    "concurrency": {
        "runs": [
            {"executor": "thread", "n": 10, "ok": 10, "reply": {"p95_ms": 900.0},
             "pss_per_interview_mb": 40.0},
            {"executor": "thread", "n": 25, "ok": 21, "reply": {"p95_ms": 2900.0},
             "pss_per_interview_mb": 30.0},
            {"executor": "thread", "n": 50, "skipped": "lower N failed"},
        ]
    },
    "token_endpoint": {"ratio": 0.72, "token": {"p99_ms": 41.0}, "connections": 16},
}  # fmt: skip


def rows(results: dict) -> dict[str, list[str]]:
    table = summary_table(results)[2:]
    cells = [[cell.strip() for cell in line.strip("|").split("|")] for line in table]
    return {cell[0]: cell[1:] for cell in cells}


def test_each_measured_figure_is_shown_against_its_target():
    table = rows(RESULTS)

    assert table["Per candidate turn, p95 added (SQLite)"][1:] == [
        "+2.5 ms; 6 queries, 1 commits",
        "met",
    ]
    assert table["Per candidate turn, p95 added (PostgreSQL)"][2] == "**missed**"
    # The largest level that held every interview, not the largest tried.
    assert table["Structured interviews per machine"][1].startswith("10 (thread executor)")
    assert table["Structured interviews per machine"][2] == "**missed**"
    assert table["Token endpoint vs a trivial view"][2] == "met"
    # Figures not measured are left out rather than shown as met.
    assert not any(name.startswith("Admin") for name in table)


def test_the_readme_table_is_replaced_between_its_markers_only(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n\nBefore.\n\n{MARK_START}\nold table\n{MARK_END}\n\nAfter.\n")

    assert write_into_readme(readme, summary_table(RESULTS))

    text = readme.read_text()
    assert "old table" not in text
    assert text.startswith("# Title\n\nBefore.\n\n" + MARK_START + "\n| figure |")
    assert text.endswith(MARK_END + "\n\nAfter.\n")


def test_a_readme_without_markers_is_left_alone(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Title\n")

    assert not write_into_readme(readme, summary_table(RESULTS))
    assert readme.read_text() == "# Title\n"


def test_without_a_level_meeting_every_target_it_says_what_held_and_what_50_would_need():
    runs = [
        {"executor": "process", "n": 1, "ok": 1, "reply": {"p95_ms": 530.0},
         "pss_per_interview_mb": 1280.0, "added_pss_per_interview_mb": 240.0,
         "worker_cpu_percent_mean": 20.0, "worker_cpu_percent_per_interview": 20.0,
         "product_cpus": [0]},
        {"executor": "thread", "n": 5, "ok": 5, "reply": {"p95_ms": 1950.0},
         "pss_per_interview_mb": 159.0, "added_pss_per_interview_mb": 21.0,
         "worker_cpu_percent_mean": 90.0, "worker_cpu_percent_per_interview": 18.0,
         "product_cpus": [0]},
    ]  # fmt: skip

    measured, verdict = rows({"concurrency": {"runs": runs}})["Structured interviews per machine"][
        1:
    ]

    assert measured.startswith("1 held on the product's 1 core(s) (process executor")
    assert "20 % of a core per interview, so about 10 cores for 50" in measured
    assert "21 MB PSS added per interview (thread executor, N=5)" in measured
    assert verdict == "**missed**"
