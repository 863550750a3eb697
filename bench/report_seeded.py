"""The figures measured on the seeded database: its size, the per-turn cost of our code,
the token endpoint and the admin at scale (figures 1, 4 and 5)."""

from bench.report_format import failed, table, verdict


def seed_section(results: dict) -> list[str]:
    rows = []
    for vendor in ("sqlite", "postgresql"):
        seed = results.get(f"seed_{vendor}") or {}
        totals = seed.get("totals", {})
        rows.append(
            [
                vendor,
                totals.get("candidates"),
                totals.get("questions"),
                totals.get("interviews"),
                totals.get("transcript_segments"),
                seed.get("asked_questions"),
                totals.get("self_identifications"),
                totals.get("evaluations"),
                totals.get("decisions"),
                seed.get("seconds"),
            ]
        )
    return [
        "## The seeded database",
        "",
        *table(
            [
                "database",
                "candidates",
                "questions",
                "interviews",
                "transcript segments",
                "asked questions",
                "self-identifications",
                "evaluations",
                "decisions",
                "seeding (s)",
            ],
            rows,
        ),
    ]


def turns_section(results: dict) -> list[str]:
    lines = [
        "## 1. Per-turn cost of our code",
        "",
        "A candidate's typed answer through `AgentSession.run()` in text mode with the "
        "structured interviewer: `record_answer`, `get_next_question` and the next question "
        "as the reply, with the transcript recorder storing both messages — against the same "
        "session whose tools return constants (and no transcript), and the real tools without "
        "the transcript recorder (to split the cost). Turns of the three interleave. "
        "Target: at most 1.05x and at most 3 ms added at p95.",
        "",
    ]
    rows = []
    for vendor in ("sqlite", "postgresql"):
        turns = results.get(f"turns_{vendor}")
        if not turns or "error" in turns:
            lines += [f"{vendor}:", *failed(turns)]
            continue
        met = turns["ratio_p95"] <= 1.05 and turns["added_p95_ms"] <= 3
        rows.append(
            [
                vendor,
                turns["turns_per_variant"],
                turns["real"]["median_ms"],
                turns["real"]["p95_ms"],
                turns.get("tools_only", {}).get("p95_ms"),
                turns["constant"]["median_ms"],
                turns["constant"]["p95_ms"],
                f"{turns['ratio_median']:.2f}x / {turns['ratio_p95']:.2f}x",
                turns["added_p95_ms"],
                turns["queries_per_real_turn"],
                turns.get("commits_per_real_turn", "-"),
                verdict(met),
                str(turns["load_average"]),
            ]
        )
    return lines + table(
        [
            "database",
            "turns",
            "real median ms",
            "real p95 ms",
            "tools without transcript p95 ms",
            "constant median ms",
            "constant p95 ms",
            "ratio median / p95",
            "added p95 ms",
            "queries per turn",
            "commits per turn",
            "target",
            "load",
        ],
        rows,
    )


def _token_setup(figure: dict | None) -> str:
    default = (
        "1 worker, DEBUG off, test secrets, PostgreSQL with durable commits and a pool of 8 "
        "connections, the rate limits counted in their own table"
    )
    return (figure or {}).get("setup", default)


def token_section(results: dict) -> list[str]:
    figure = results.get("token_endpoint")
    lines = [
        "## 4. Token endpoint",
        "",
        f"`POST /interview/token` under uvicorn ({_token_setup(figure)}) against "
        "a trivial view served by the same server and middleware, in alternating 6 s rounds "
        "(the best round of each is shown), loaded by `wrk` (one thread, 16 connections, "
        "`bench/wrk/post_token.lua`) on the same machine. Requests come from 3,000 consented "
        "interviews' sessions and 20,000 client addresses (X-Forwarded-For, trusted from "
        "loopback as from a proxy), so the real limits stay on and are not reached. Target: "
        "at least 0.6x the trivial view, p99 under 50 ms. The `_light` rows are a round "
        "with one connection per worker: latency without a queue in front of the server.",
        "",
    ]
    if figure is None or failed(figure):
        return lines + failed(figure)
    rows = []
    for name in ("trivial", "token", "trivial_light", "token_light"):
        if name not in figure:
            continue
        f = figure[name]
        statuses = " ".join(
            f"{k}: {sum(r.get(k, 0) for r in f['rounds'])}"
            for k in ("ok", "refused", "other", "socket_errors")
        )
        rows.append([name, f["ok_per_second"], f["median_ms"], f["p99_ms"], statuses])
    lines += table(["view", "requests/s", "median ms", "p99 ms", "responses"], rows)
    met = figure["ratio"] >= 0.6 and figure["token"]["p99_ms"] <= 50
    return lines + [
        f"Ratio token/trivial: {figure['ratio']:.2f}x; target {verdict(met)}. "
        + (
            f"Web process CPU per request: trivial "
            f"{figure['trivial']['server_cpu_ms_per_request']} ms, token "
            f"{figure['token']['server_cpu_ms_per_request']} ms "
            f"({figure['cpu_ratio']:.2f}x). "
            if figure.get("cpu_ratio")
            else ""
        )
        + f"Load average at the start: {figure['load_average']}, after: "
        f"{figure.get('load_average_after')}.",
        "",
    ]


def admin_section(results: dict) -> list[str]:
    lines = [
        "## 5. Admin at scale",
        "",
        "Every registered admin's changelist, change page and extra page (reports, exports, "
        "the invite form, the live dashboard), the bias audit of the seeded year and its CSV, "
        "and the development outbox (one message per seeded candidate) as "
        "a logged-in superuser through Django's test client, on the seeded database: "
        "queries and time (median of three after a warm-up). Target: at most 12 queries "
        "and 300 ms for any page.",
        "",
    ]
    figures = {v: results.get(f"admin_{v}") for v in ("sqlite", "postgresql")}
    for vendor, figure in figures.items():
        if failed(figure):
            lines += [f"{vendor}:", *failed(figure)]
    names = []
    for figure in figures.values():
        for name in (figure or {}).get("pages", {}):
            if name not in names:
                names.append(name)
    rows = []
    for name in names:
        row = [name]
        met = True
        for figure in figures.values():
            page = (figure or {}).get("pages", {}).get(name)
            if page:
                row += [page["queries"], page["median_ms"]]
                met = met and page["queries"] <= 12 and page["median_ms"] <= 300
                met = met and page["status"] == 200
            else:
                row += [None, None]
        rows.append([*row, verdict(met)])
    return lines + table(
        ["page", "SQLite queries", "SQLite ms", "PostgreSQL queries", "PostgreSQL ms", "target"],
        rows,
    )
