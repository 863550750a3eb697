"""docs/benchmarks.md's section on how well the structured interviewer understands
candidates (bench/understanding.py)."""

from bench.report_format import failed, table


def _percent(share: dict) -> str:
    if share.get("share") is None:
        return "n/a"
    return f"{100 * share['share']:.1f} % ({share['count']} of {share['of']})"


def understanding_section(results: dict) -> list[str]:
    figure = results.get("understanding")
    lines = [
        "## 8. Understanding candidates (structured interviewer)",
        "",
        "Candidate messages written apart from the examples the intent model learns from "
        "(non-native phrasing, filler words, speech-to-text noise; "
        "tests/agent/understanding/README.md), each read as the interviewer reads it: the "
        "intent model and the rule readers, then the dialogue's confidence policy "
        "(agent_worker/structured/states.py). Targets: a request or remark filed as an "
        "answer in at most 2 % of cases; an answer taken for a request in at most 3 % (it "
        "then costs one confirmation, never data); at least 50 names stored exactly as "
        'given. "Asked about" is the interviewer asking before anything is filed.',
        "",
    ]
    if figure is None or failed(figure):
        return lines + failed(figure)
    lines += table(
        ["figure", "measured"],
        [
            ["request or remark filed as an answer", _percent(figure["request_filed_as_answer"])],
            ["answer taken for a request", _percent(figure["answer_taken_for_request"])],
            ["answer asked about first", _percent(figure["answer_asked_about"])],
            ["request asked about first", _percent(figure["request_asked_about"])],
            ["names stored exactly as given", f"{figure['names_exact']} of {figure['names']}"],
            ["time per message", f"{figure['ms_per_message']} ms"],
        ],
    )
    lines += ["", "Per intent (the model's first reading, before the dialogue asks):", ""]
    lines += table(
        ["intent", "messages", "precision", "recall"],
        [
            [intent, row["messages"], row["precision"], row["recall"]]
            for intent, row in figure["per_intent"].items()
        ],
    )
    fields = ", ".join(f"{k} {v['right']}/{v['of']}" for k, v in figure["fields"].items())
    lines += ["", f"Fields read right: {fields}. Measured on {', '.join(figure['files'])}.", ""]
    return lines
