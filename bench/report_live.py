"""The live figures besides interviews per machine: join to greeting, the join storm
and the speech-to-text cost (figures 3, 6 and 7)."""

from bench.report_format import candidate_errors, failed, table, verdict


def join_section(results: dict) -> list[str]:
    figure = results.get("join")
    lines = [
        "## 3. Join to greeting",
        "",
        "Ten candidates one after another (after one warm-up join), each with a warm worker "
        "(process executor, idle processes ready): from sending the token request to the "
        "first caption of the greeting, and to the first frame of the interviewer's audio "
        "track at the candidate (any frame, and the first audible one). Target: the first "
        "audible audio within 0.6 s median, the first question said in full within 8 s.",
        "",
    ]
    if figure is None or failed(figure):
        return lines + failed(figure)
    rows = []
    for key, label in (
        ("token_request", "token request"),
        ("first_caption", "first caption"),
        ("first_audio_frame", "first audio frame"),
        ("first_audible_frame", "first audible audio frame (target 0.6 s)"),
        ("first_question", "first question said in full (target 8 s)"),
    ):
        if key not in figure:
            continue  # measured since a later version
        s = figure[key]
        # Only these two have targets; the others show where the time goes.
        target_ms = {"first_question": 8000, "first_audible_frame": 600}.get(key)
        met = s["median_ms"] is not None and target_ms and s["median_ms"] <= target_ms
        mark = verdict(bool(met)) if target_ms else ""
        rows.append([label, s["n"], s["median_ms"], s["p95_ms"], mark])
    lines += table(["from the token request to", "joins", "median ms", "p95 ms", "target"], rows)
    if figure.get("failed"):
        lines += [f"Failed joins: {len(figure['failed'])}: `{figure['failed'][0]}`", ""]
    return lines + [f"Load average at the start: {figure['load_average']}.", ""]


def join_storm_section(results: dict) -> list[str]:
    figure = results.get("join_storm")
    lines = [
        "## 6. Join storm",
        "",
        "Twenty candidates (LiveKit Python SDK, one process) open their personal invites, "
        "consent and ask for a token within the same second (0.9 s from the first to the "
        "last), then each holds the whole structured interview; one livekit-server and one "
        "`runagent start` worker, in three configurations of its job executor. Starts are "
        "paced (AGENT_STARTS_AT_ONCE, 4 per worker): the others are told their place in "
        "line and ask every 3 s, as the join page does, until their turn. Greeted: from "
        "the candidate's turn (the token request, for those admitted at once) to the "
        "greeting's first caption. Target: all 20 completed, none lost, all greeted within "
        "5 s of their turn. Runs measured before the line (2026-12-07 and earlier) had no "
        "pacing: greeted then counts from the token request.",
        "",
    ]
    if figure is None or failed(figure):
        return lines + failed(figure)
    rows = []
    for run in figure["runs"]:
        s = run["first_caption"]
        wait = run.get("line_wait") or {}
        rows.append(
            [
                run["label"],
                f"{run['greeted_within_target']}/{run['candidates']}",
                f"{run['completed_in_db']}/{run['candidates']}",
                run.get("lost", run["candidates"] - run["completed_in_db"]),
                run.get("queued", "—"),
                wait.get("median_ms", "—"),
                wait.get("p95_ms", "—"),
                s["median_ms"],
                s["p95_ms"],
                run["first_caption_max_ms"],
                run["worker_processes_before"],
                run["warm_up_s"],
                run["worker_cpu_s"],
                verdict(run["met"]),
                run["load_average"],
            ]
        )
    lines += table(
        [
            "worker",
            "greeted within 5 s",
            "completed",
            "lost",
            "queued",
            "wait in line median ms",
            "wait in line p95 ms",
            "greeted median ms",
            "greeted p95 ms",
            "greeted max ms",
            "worker processes before",
            "warm-up s",
            "worker CPU s",
            "target",
            "load",
        ],
        rows,
    )
    lines += candidate_errors(figure["runs"], most=6)
    return lines + [f"Measured {figure.get('measured_at', results['date'])}.", ""]


def speech_to_text_section(results: dict) -> list[str]:
    figure = results.get("speech_to_text")
    lines = [
        "## 7. Speech-to-text cost",
        "",
        "The structured interviewer's offline speech-to-text (moonshine tiny-en, on the CPU, "
        "no provider) transcribing spoken answers (espeak-ng, at the room's 48 kHz), one "
        "utterance at a time as a job process does behind voice activity detection. CPU "
        "counts every thread of the process. Target: well under 1 CPU second per second of "
        "speech, so one core serves several candidates speaking at once.",
        "",
    ]
    if figure is None or failed(figure):
        return lines + failed(figure)
    lines += table(
        [
            "model",
            "utterances",
            "speech s",
            "CPU s per speech s",
            "wall s per speech s",
            "words recognised",
            "model load s",
        ],
        [
            [
                figure["model"],
                figure["utterances"],
                figure["speech_s"],
                figure["cpu_s_per_speech_s"],
                figure["wall_s_per_speech_s"],
                figure["words_recognised_share"],
                figure["model_load_s"],
            ]
        ],
    )
    return lines + [f"Load average at the start: {figure['load_average']}.", ""]
