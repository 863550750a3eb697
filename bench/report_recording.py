"""docs/benchmarks.md's section on recording interviews (bench/recording.py)."""

from bench.report_format import failed, table


def recording_section(results: dict) -> list[str]:
    figure = results.get("recording")
    lines = [
        "## 10. Recording an interview",
        "",
        "`python -m bench.recording` (figure `recording` of bench/run.py): LiveKit's "
        "RecorderIO, as the interviewer's worker runs it for each recorded interview, fed a "
        "simulated conversation (the candidate and the interviewer in turns of 20 s, "
        "espeak-ng's voice at 48 kHz) as fast as it takes it: it places both voices on their "
        "channels and encodes them to Ogg/Opus on a thread of its own. Then the part is "
        "joined to another, as a resumed interview's parts are (packets copied, not "
        "re-encoded).",
        "",
    ]
    if figure is None or failed(figure):
        return lines + failed(figure)
    lines += table(
        ["measure", "value"],
        [
            ["CPU per interview-minute", f"{figure['cpu_s_per_interview_minute']} s"],
            ["CPU per 30-minute interview", f"{figure['cpu_s_per_30_minute_interview']} s"],
            ["file size per interview-minute", f"{figure['mb_per_interview_minute']} MB"],
            [
                "joining a part, CPU per interview-minute",
                f"{figure['join_cpu_s_per_interview_minute']} s",
            ],
            [
                "simulated minutes (load average)",
                f"{figure['simulated_minutes']} ({figure['load_average'][0]})",
            ],
        ],
    )
    return lines
