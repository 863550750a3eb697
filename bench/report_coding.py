"""docs/benchmarks.md's section on the coding round's sandbox (bench/coding_sandbox.py)."""

from bench.report_format import failed, table


def _ms(value: int) -> str:
    return f"{value:,} ms"


def coding_sandbox_section(results: dict) -> list[str]:
    figure = results.get("coding_sandbox")
    lines = [
        "## 9. The coding round's sandbox",
        "",
        "`python -m bench.coding_sandbox` (figure `coding_sandbox` of bench/run.py): each run "
        "of a candidate's code on the server is a new Node.js process running Pyodide under "
        "Node's permission model and interviews/coding/confine.py's limits "
        "(docs/coding-round.md). Start: a small correct solution and two visible tests, one "
        "run at a time, from the call to the result (start = that time less the code's own "
        "`duration_ms`), cold and from Pyodide's memory snapshot, which the product makes "
        "once per machine and starts every run from. Submissions per second: an exercise of "
        "2 visible and 3 hidden tests sent by 4 threads against the default "
        "CODING_SANDBOX_MAX_CONCURRENT, so that bound sets the pace; latency includes the "
        "wait for a slot.",
        "",
    ]
    if figure is None or failed(figure):
        return lines + failed(figure)
    cold, warm, throughput = figure["cold"], figure["from_snapshot"], figure["throughput"]
    lines += table(
        ["measure", "median", "p95"],
        [
            [
                f"run from a cold start (n={cold['run']['n']})",
                _ms(cold["run"]["median_ms"]),
                _ms(cold["run"]["p95_ms"]),
            ],
            ["of which start", _ms(cold["start"]["median_ms"]), _ms(cold["start"]["p95_ms"])],
            [
                f"run from the snapshot, the product's path (n={warm['run']['n']})",
                _ms(warm["run"]["median_ms"]),
                _ms(warm["run"]["p95_ms"]),
            ],
            ["of which start", _ms(warm["start"]["median_ms"]), _ms(warm["start"]["p95_ms"])],
            [
                f"a submission at {throughput['concurrent']} at once, with its wait for a "
                f"slot (n={throughput['latency']['n']})",
                _ms(throughput["latency"]["median_ms"]),
                _ms(throughput["latency"]["p95_ms"]),
            ],
        ],
    )
    snapshot, limits = figure["snapshot"], figure["limits"]
    lines += table(
        ["figure", "value"],
        [
            [
                f"submissions per second, {throughput['concurrent']} at once "
                f"({throughput['submissions']} in {throughput['seconds']} s)",
                f"{throughput['per_second']}, {throughput['passed']} of "
                f"{throughput['submissions']} passed, {throughput['unavailable']} unavailable",
            ],
            [
                "making the snapshot (once per machine)",
                f"{snapshot['seconds']} s, {snapshot['bytes'] / 1e6:.1f} MB",
            ],
            ["largest resident memory of a run's process", f"{figure['max_rss_mb']} MB"],
            [
                "limits in force",
                f"{limits['time_limit_s']} s of the code's own time, "
                f"{limits['memory_mb']} MB of memory",
            ],
        ],
    )
    load = ", ".join(str(value) for value in figure["load"])
    return lines + [f"Measured {figure['measured_at']}, load average {load} at the start.", ""]
