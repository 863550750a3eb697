"""Figure 2, interviews per machine: its table, where the product and the candidates
ran, the cores 50 interviews need, and the plot beside the page."""

from pathlib import Path

from bench.report_format import candidate_errors, failed, fmt, table

CONCURRENCY_HEADER = [
    "executor",
    "N",
    "completed",
    "stalled",
    "reply median ms",
    "reply p95 ms",
    "join to first caption median ms",
    "worker CPU %",
    "worker CPU % per interview",
    "interviews per core",
    "candidates CPU % per candidate",
    "worker processes",
    "PSS / interview MB",
    "PSS added / interview MB",
    "load",
]


def concurrency_section(results: dict, *, plot: Path) -> list[str]:
    figure = results.get("concurrency")
    lines = [
        "## 2. Interviews per machine",
        "",
        "N candidates at once (LiveKit Python SDK, one process), each joining through the "
        "invite link, consent and the token endpoint (uvicorn), publishing a microphone "
        "track (an espeak-ng sentence, then silence), typing three answers on `lk.chat` "
        "after the interviewer finishes speaking, and reading captions from "
        "`lk.transcription`; one livekit-server and one worker. On a machine with two CPUs "
        "or more the candidates are pinned to the last CPU and the product (livekit-server, "
        "the web app, the worker and its job processes) to the others, so that the "
        "candidates' cost does not land on the product's cores and is reported on its own. "
        "Reply latency: answer sent to the first caption of the reply. CPU: the worker's "
        "process tree (100% = one core), its mean past the join burst; per interview, that "
        "mean divided by N, and the interviews one core would hold at that share (shown "
        "only where every interview completed: elsewhere the core was saturated). PSS: "
        "resident memory with shared pages split between the processes that share them, at "
        "its peak, divided by N. Target: 50 interviews, p95 reply under 1.5 s, at most "
        "100 MB per interview, none failed. Executors: `process` (LiveKit's default, one "
        "process per interview) and `thread` (all interviews in the worker process); "
        "`--executors thread-novad` adds a tuning experiment (the thread executor without "
        "voice detection), left out of the default run because the structured interviewer "
        "needs voice detection to hear spoken answers. Higher N is skipped once most "
        "interviews fail at a lower one.",
        "",
    ]
    if figure is None or failed(figure):
        return lines + failed(figure)
    runs = figure["runs"]
    lines += [_pinning(runs, results["machine"]["cores"]), ""]
    rows = []
    for run in runs:
        if "skipped" in run:
            rows.append(
                [run["executor"], run["n"], f"skipped ({run['skipped']})"]
                + [None] * (len(CONCURRENCY_HEADER) - 3)
            )
            continue
        rows.append(
            [
                run["executor"],
                run["n"],
                f"{run['ok']}/{run['n']}",
                run["stalled"],
                run["reply"]["median_ms"],
                run["reply"]["p95_ms"],
                run["first_caption"]["median_ms"],
                run["worker_cpu_percent_mean"],
                # A level that lost interviews had its core saturated: its mean divided
                # by N is no interview's cost.
                _cpu_per_interview(run) if run["ok"] == run["n"] else None,
                run.get("interviews_per_core") if run["ok"] == run["n"] else None,
                run.get("candidates_cpu_percent_per_candidate"),
                run["worker_processes_peak"],
                run["pss_per_interview_mb"],
                run["added_pss_per_interview_mb"],
                str(run["load_average"]),
            ]
        )
    lines += table(CONCURRENCY_HEADER, rows)
    lines += [_cores_for_50(runs), ""]
    busy_candidates = [
        r
        for r in runs
        if (r.get("candidates_cpu_percent_mean") or 0) >= 90 * len(r.get("candidates_cpus") or [1])
    ]
    if busy_candidates:
        levels = ", ".join(f"{r['executor']} N={r['n']}" for r in busy_candidates)
        lines += [
            f"At {levels} the candidates used nearly all of their CPU: there, the "
            "candidates may bound the level as much as the product does.",
            "",
        ]
    lines += candidate_errors(runs)
    if _plot(runs, plot):
        lines += [
            f"![Reply latency and memory per interview]({plot.name})",
            "",
            "The plot leaves out levels where most interviews failed.",
            "",
        ]
    return lines


def _cpu_per_interview(run: dict) -> float | None:
    # Results from before the figure recorded it: the same quotient.
    if "worker_cpu_percent_per_interview" in run:
        return run["worker_cpu_percent_per_interview"]
    return round(run["worker_cpu_percent_mean"] / run["n"], 2) if run.get("n") else None


def _cpus(cpus: list[int]) -> str:
    return ("CPU " if len(cpus) == 1 else "CPUs ") + ", ".join(map(str, cpus))


def _pinning(runs: list[dict], cores: int) -> str:
    placements = {
        (tuple(r["product_cpus"]), tuple(r["candidates_cpus"]))
        for r in runs
        if r.get("product_cpus") and r.get("candidates_cpus")
    }
    if not placements:
        return "In this run the product and the candidates shared every CPU (not pinned)."
    parts = [
        f"the product on {_cpus(list(p))}, the candidates on {_cpus(list(c))}"
        for p, c in sorted(placements)
    ]
    product = min(len(p) for p, _c in placements)
    return (
        f"In this run: {'; '.join(parts)}. The product therefore had {product} of the "
        f"machine's {cores} cores"
        + (
            ": on this machine one core serves livekit-server, the web app and the worker "
            "together, so the levels below hold fewer interviews than the whole machine "
            "would."
            if product == 1
            else "."
        )
    )


def _cores_for_50(runs: list[dict]) -> str:
    """What bounds 50 interviews per machine, projected from the largest level that held;
    without one, from the largest level where every interview completed, said as such."""
    measured = [r for r in runs if "reply" in r and _cpu_per_interview(r)]
    held = [r for r in measured if r.get("held")]
    completed = [r for r in measured if r["ok"] == r["n"]]
    if held:
        best = max(held, key=lambda r: (r["n"], -(_cpu_per_interview(r) or 0.0)))
        source = "From the largest level that held"
        caveat = ""
    elif completed:
        best = max(completed, key=lambda r: (r["n"], -(_cpu_per_interview(r) or 0.0)))
        source = "No level held. From the largest level where every interview completed"
        caveat = (
            f" Its reply p95 ({fmt(best['reply']['p95_ms'])} ms) missed the target: the "
            "product was short of CPU there, so the share may be a lower bound."
        )
    else:
        return "No level completed every interview: there is no per-interview CPU to project."
    share = _cpu_per_interview(best) or 0.0  # measured: never None here
    livekit = best.get("livekit_cpu_percent_mean")
    return (
        f"{source} ({best['executor']} executor, N={best['n']}): at {fmt(share)} % of "
        f"a core per interview, 50 interviews need {50 * share / 100:.1f} cores for the "
        "worker alone"
        + (f" (livekit-server took {fmt(livekit)} % of a core at that level)" if livekit else "")
        + ". The projection is linear in N; it leaves out what a larger N adds per "
        "interview, such as contention." + caveat
    )


def _plot(runs: list[dict], path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    # Only levels where most interviews completed: a failed level has no latency to show
    # and its memory per interview divides by interviews that never ran.
    measured = [r for r in runs if "reply" in r and r["ok"] >= r["n"] / 2]
    if not measured:
        return False
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for executor in sorted({r["executor"] for r in measured}):
        mine = [r for r in measured if r["executor"] == executor]
        ns = [r["n"] for r in mine]
        left.plot(ns, [(r["reply"]["p95_ms"] or 0) / 1000 for r in mine], "o-", label=executor)
        right.plot(ns, [r["pss_per_interview_mb"] for r in mine], "o-", label=executor)
    left.axhline(1.5, color="grey", linestyle="--", label="target")
    right.axhline(100, color="grey", linestyle="--", label="target")
    left.set(xlabel="concurrent interviews", ylabel="reply p95 (s)", title="Reply latency")
    right.set(xlabel="concurrent interviews", ylabel="PSS per interview (MB)", title="Memory")
    for axis in (left, right):
        axis.legend()
        axis.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=80)
    plt.close(figure)
    return True
