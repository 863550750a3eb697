"""Figure 9: the coding round's sandbox (interviews/coding/sandbox.py) on this machine.

- Start: a run of a small correct solution, from the call to its result: a new confined
  process, Pyodide's start, the harness, the tests. Cold (Python started from nothing)
  and from Pyodide's memory snapshot (what the product does once the snapshot is made),
  one run at a time; "start" is that time less the code's own (duration_ms).
- The snapshot: made once (the first run on a machine pays it).
- Submissions per second: submissions of the reverse-words exercise (visible and hidden
  tests) sent by twice as many threads as the product runs at once
  (CODING_SANDBOX_MAX_CONCURRENT, its default unless set), so that the bound, not the
  senders, sets the pace.

    python -m bench.coding_sandbox --out coding.json [--starts 10] [--submissions 30]
"""

import argparse
import contextlib
import resource
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from unittest import mock

from bench.common import load_average, percentile, setup_django, write_json

SOLUTION = "def reverse_words(sentence):\n    return ' '.join(sentence.split()[::-1])\n"
VISIBLE = (
    "def test_two_words():\n    assert reverse_words('hello world') == 'world hello'\n"
    "def test_one_word():\n    assert reverse_words('hello') == 'hello'\n"
)
HIDDEN = (
    "def test_empty():\n    assert reverse_words('') == ''\n"
    "def test_three_words():\n    assert reverse_words('a b c') == 'c b a'\n"
    "def test_extra_spaces():\n    assert reverse_words('  a  b ') == 'b a'\n"
)


def _ms(values: list[float]) -> dict:
    return {
        "n": len(values),
        "median_ms": round(statistics.median(values)) if values else None,
        "p95_ms": round(percentile(values, 95) or 0) if values else None,
    }


def _starts(count: int, *, cold: bool) -> dict:
    from interviews.coding import sandbox, snapshot

    totals, starts, outcomes = [], [], []
    cold_start = mock.patch.object(snapshot, "snapshot_path", lambda: None)
    with cold_start if cold else contextlib.nullcontext():
        for _ in range(count):
            began = time.monotonic()
            result = sandbox.sandbox_run(code=SOLUTION, tests=VISIBLE)
            total = (time.monotonic() - began) * 1000
            totals.append(total)
            starts.append(total - result.duration_ms)
            outcomes.append(result.outcome)
    return {"run": _ms(totals), "start": _ms(starts), "passed": outcomes.count("passed")}


def _snapshot_made() -> dict:
    """The snapshot made once, in a directory of its own; then the product's own cache."""
    from interviews.coding import snapshot

    with tempfile.TemporaryDirectory() as directory:
        with mock.patch.object(snapshot, "_cache_dir", lambda: Path(directory)):
            began = time.monotonic()
            path = snapshot.snapshot_path()
            seconds = time.monotonic() - began
            size = path.stat().st_size if path else None
    snapshot.snapshot_path()  # the product's cache, for the runs after
    return {"seconds": round(seconds, 1), "bytes": size}


def _throughput(submissions: int) -> dict:
    from django.conf import settings

    from interviews.coding import sandbox

    concurrent = settings.CODING_SANDBOX_MAX_CONCURRENT

    def submit(_: int) -> tuple[float, str]:
        began = time.monotonic()
        result = sandbox.sandbox_run(code=SOLUTION, tests=VISIBLE, hidden_tests=HIDDEN)
        return (time.monotonic() - began) * 1000, result.outcome

    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=2 * concurrent) as pool:
        done = list(pool.map(submit, range(submissions)))
    elapsed = time.monotonic() - began
    outcomes = [outcome for _ms_, outcome in done]
    return {
        "concurrent": concurrent,
        "submissions": submissions,
        "seconds": round(elapsed, 1),
        "per_second": round(submissions / elapsed, 2),
        "passed": outcomes.count("passed"),
        "unavailable": outcomes.count("unavailable"),
        "latency": _ms([ms for ms, _outcome in done]),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--starts", type=int, default=10)
    parser.add_argument("--submissions", type=int, default=30)
    args = parser.parse_args()
    setup_django()
    from django.conf import settings

    results: dict[str, object] = {"load": load_average()}
    results["snapshot"] = _snapshot_made()
    results["cold"] = _starts(args.starts, cold=True)
    results["from_snapshot"] = _starts(args.starts, cold=False)
    results["throughput"] = _throughput(args.submissions)
    results["limits"] = {
        "time_limit_s": settings.CODING_RUN_TIME_LIMIT_SECONDS,
        "memory_mb": settings.CODING_MEMORY_LIMIT_MB,
    }
    # The largest resident set of any run's process (Linux reports kilobytes).
    results["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    results["load_end"] = load_average()
    write_json(args.out, results)


if __name__ == "__main__":
    main()
