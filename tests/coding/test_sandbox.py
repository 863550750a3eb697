"""The server's sandbox end to end: Pyodide under Node.js, confined. Code that tries to
reach the host gets a clear result and changes nothing; correct code passes, wrong code
fails with the assertion's message. Each run starts a real process (a few seconds)."""

import json
import signal
import socket
import subprocess
import sys
import threading

import pytest

from interviews.coding import sandbox, snapshot
from interviews.coding.sandbox import sandbox_run
from interviews.models import CodeRun
from tests.coding.conftest import NEARLY, SOLUTION

Outcome = CodeRun.Outcome
VISIBLE = (
    "def test_two_words():\n"
    "    assert reverse_words('hello world') == 'world hello'\n"
    "\n"
    "def test_one_word():\n"
    "    assert reverse_words('hello') == 'hello'\n"
)
HIDDEN = "def test_extra_spaces():\n    assert reverse_words('  a  b ') == 'b a'\n"
ANY_TEST = "def test_anything():\n    pass\n"


def run(code: str, tests: str = ANY_TEST, **options) -> sandbox.SandboxResult:
    return sandbox_run(code=code, tests=tests, **options)


def everything_said(result: sandbox.SandboxResult) -> str:
    return json.dumps([result.output, result.error, result.tests])


def test_correct_code_passes_the_visible_and_hidden_tests():
    result = run(SOLUTION, VISIBLE, hidden_tests=HIDDEN)
    assert result.outcome == Outcome.PASSED
    assert [(t["name"], t["passed"]) for t in result.visible] == [
        ("test_two_words", True),
        ("test_one_word", True),
    ]
    assert result.hidden == [
        {"name": "test_extra_spaces", "passed": True, "message": "", "hidden": True}
    ]
    assert result.error == ""


def test_failing_code_fails_with_the_assertions_message():
    result = run(NEARLY, VISIBLE, hidden_tests=HIDDEN)
    assert result.outcome == Outcome.FAILED
    assert [t["passed"] for t in result.visible] == [True, True]
    assert result.hidden[0]["passed"] is False
    assert result.hidden[0]["message"] == (
        "AssertionError: assert reverse_words('  a  b ') == 'b a' (left: ' b  a  ', right: 'b a')"
    )


def test_a_syntax_error_is_an_error_and_what_was_printed_is_kept():
    result = run("print('before')\ndef reverse_words(s:\n", VISIBLE)
    assert result.outcome == Outcome.ERROR
    assert result.error == "SyntaxError: '(' was never closed (line 2)"
    assert [t["passed"] for t in result.tests] == [False, False]
    printed = run("print('before')\nraise ValueError('stop')\n")
    assert printed.outcome == Outcome.ERROR
    assert printed.output == "before\n"
    assert printed.error == "ValueError: stop (line 2)"


def test_reading_a_host_file_finds_nothing(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the-host-secret")
    for code in (
        f"print(open({str(secret)!r}).read())\n",
        "print(open('/etc/passwd').read())\n",
        "import js\n"
        f"print(js.process.getBuiltinModule('fs').readFileSync({str(secret)!r}, 'utf8'))\n",
    ):
        result = run(code)
        assert result.outcome == Outcome.ERROR
        said = everything_said(result)
        assert "the-host-secret" not in said and "root:" not in said
    assert "No such file or directory" in run(f"open({str(secret)!r})\n").error
    escaped = run(f"import js\njs.process.getBuiltinModule('fs').readFileSync({str(secret)!r})\n")
    assert "Access to this API has been restricted" in escaped.error


def test_writing_a_host_file_leaves_the_host_as_it_was(tmp_path):
    marker = tmp_path / "marker.txt"
    in_python = run(
        "import os\n"
        f"os.makedirs({str(tmp_path)!r})\n"
        f"open({str(marker)!r}, 'w').write('x')\n"
        f"print(open({str(marker)!r}).read())\n"
    )
    # Python writes into Pyodide's own in-memory files, never the host's.
    assert (in_python.outcome, in_python.output) == (Outcome.PASSED, "x\n")
    in_js = run(
        f"import js\njs.process.getBuiltinModule('fs').writeFileSync({str(marker)!r}, 'x')\n"
    )
    assert in_js.outcome == Outcome.ERROR
    assert "Access to this API has been restricted" in in_js.error
    assert not marker.exists()


def test_no_process_can_be_started_from_python_or_javascript(tmp_path):
    marker = tmp_path / "started"
    from_subprocess = run(f"import subprocess\nsubprocess.run(['touch', {str(marker)!r}])\n")
    assert from_subprocess.outcome == Outcome.ERROR
    assert "does not support processes" in from_subprocess.error
    from_system = run(f"import os\nos.system('touch {marker}')\n")
    assert from_system.outcome == Outcome.ERROR
    assert from_system.error == sandbox.DENIED["ChildProcess"]
    from_js = run(
        f"import js\njs.process.getBuiltinModule('child_process').execSync('touch {marker}')\n"
    )
    assert from_js.outcome == Outcome.ERROR
    assert "Access to this API has been restricted" in from_js.error
    assert not marker.exists()


def test_no_connection_leaves_the_sandbox():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    try:
        in_python = run(f"import socket\nsocket.create_connection(('127.0.0.1', {port}), 2)\n")
        assert in_python.outcome == Outcome.ERROR
        assert in_python.error.startswith("OSError")
        in_js = run(
            "import js\n"
            f"js.process.getBuiltinModule('net').connect({port}, '127.0.0.1')\n"
            "print('asked')\n"
        )
        assert in_js.output == "asked\n"
        with pytest.raises(BlockingIOError):
            listener.accept()  # both processes have ended: a connection would be here
    finally:
        listener.close()


def test_no_signal_reaches_the_host_s_processes():
    bystander = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    try:
        code = f"import js\njs.process.kill({bystander.pid}, 'SIGKILL')\n"
        result = run(code)
        assert result.outcome == Outcome.ERROR
        assert "EPERM" in result.error
        parent = run("import js\njs.process.kill(js.process.ppid, 'SIGTERM')\n")
        assert "EPERM" in parent.error
        assert bystander.poll() is None  # still running
    finally:
        bystander.kill()
        bystander.wait()


def test_an_endless_loop_is_stopped_at_the_time_limit():
    result = run("while True:\n    pass\n", time_limit_seconds=2)
    assert result.outcome == Outcome.TIMEOUT
    assert result.error == ("The code ran longer than the time limit of 2 seconds; it was stopped.")
    assert result.tests[0]["message"].startswith("Not run")


@pytest.mark.parametrize(
    "code",
    [
        "data = bytearray(10 * 1024**3)\n",
        "chunks = [bytearray(1024**3) for _ in range(10)]\n",
        "import js\nmemory = js.ArrayBuffer.new(10 * 1024**3)\n",
    ],
    ids=["at-once", "in-chunks", "in-javascript"],
)
def test_ten_gigabytes_are_refused_as_memory(code, settings):
    result = run(code)
    assert result.outcome == Outcome.MEMORY, result.error
    assert result.error == (
        f"The code used more memory than the limit of {settings.CODING_MEMORY_LIMIT_MB} MB; "
        "it was stopped."
    )


def test_printing_100_mb_stops_at_the_output_limit():
    result = run("print('x' * 100_000_000)\n")
    assert result.outcome == Outcome.OUTPUT
    assert result.output == "x" * sandbox.OUTPUT_LIMIT_CHARS
    assert result.error == "The code printed more than 10,000 characters; it was stopped."


def test_writing_past_python_to_the_process_output_is_stopped_too():
    code = (
        "import js\n"
        "fs = js.process.getBuiltinModule('fs')\n"
        "while True:\n"
        "    try:\n"
        "        fs.writeSync(1, 'y' * 65536)\n"
        "    except Exception:\n"
        "        pass\n"
    )
    result = run(code)
    assert result.outcome == Outcome.OUTPUT
    assert result.error == "The code wrote too much output; it was stopped."


def test_ending_the_process_early_gives_no_result_but_an_error():
    result = run("import js\njs.process.exit(0)\n", VISIBLE)
    assert result.outcome == Outcome.ERROR
    assert result.error == "The code ended the run before the tests finished (exit 0)."
    assert [t["passed"] for t in result.tests] == [False, False]


def test_a_forged_result_on_the_output_is_not_taken(monkeypatch):
    forged = json.dumps(
        {"outcome": "passed", "tests": [], "output": "", "error": "", "output_exceeded": False}
    )
    code = (
        f"import js\njs.process.getBuiltinModule('fs').writeSync(1, '\\n' + {forged!r} + '\\n')\n"
    )
    code += "js.process.exit(0)\n"
    result = run(code, VISIBLE)
    assert result.outcome == Outcome.ERROR  # the tests it names are not the exercise's


def test_the_sandbox_runs_normally_after_every_attack():
    assert run("while True:\n    pass\n", time_limit_seconds=1).outcome == Outcome.TIMEOUT
    assert run("import os\nos.system('true')\n").outcome == Outcome.ERROR
    assert run(SOLUTION, VISIBLE).outcome == Outcome.PASSED


def test_no_free_slot_is_unavailable_and_the_slot_frees(settings, monkeypatch):
    settings.CODING_SANDBOX_MAX_CONCURRENT = 1
    monkeypatch.setattr(sandbox, "SLOT_WAIT_SECONDS", 0)
    slot = sandbox._slots_of(1)
    assert slot.acquire(0)
    try:
        busy = run(SOLUTION, VISIBLE)
    finally:
        slot.release()
    assert busy.outcome == Outcome.UNAVAILABLE
    assert busy.error.startswith("The server is busy")
    assert [t["name"] for t in busy.tests] == ["test_two_words", "test_one_word"]
    assert run(SOLUTION, VISIBLE).outcome == Outcome.PASSED


def test_runs_waiting_for_a_slot_get_it_in_arrival_order():
    slots = sandbox._Slots(1)
    assert slots.acquire(0)
    order: list[str] = []

    def wait(name: str) -> None:
        if slots.acquire(60):
            order.append(name)
            slots.release()

    waiters = [threading.Thread(target=wait, args=(name,)) for name in ("first", "second")]
    for count, waiter in enumerate(waiters, start=1):
        waiter.start()
        with slots.changed:
            assert slots.changed.wait_for(lambda count=count: len(slots.queue) == count, 60)
    slots.release()
    for waiter in waiters:
        waiter.join()
    assert order == ["first", "second"]
    assert slots.running == 0


def test_no_node_is_unavailable(monkeypatch):
    def missing(**_):
        raise sandbox.SandboxUnavailable("node is not installed")

    monkeypatch.setattr(sandbox, "confined_command", missing)
    result = run(SOLUTION, VISIBLE)
    assert result.outcome == Outcome.UNAVAILABLE
    assert "your code is saved" in result.error


def test_it_runs_from_a_fresh_snapshot_and_from_a_cold_start(tmp_path, monkeypatch):
    monkeypatch.setattr(snapshot, "_cache_dir", lambda: tmp_path)
    monkeypatch.setattr(snapshot, "_failed_at", None)
    made = snapshot.snapshot_path()
    assert made is not None and made.parent == tmp_path
    assert made.stat().st_size > snapshot.MIN_SNAPSHOT_BYTES
    assert run(SOLUTION, VISIBLE).outcome == Outcome.PASSED
    monkeypatch.setattr(snapshot, "snapshot_path", lambda: None)
    assert run(SOLUTION, VISIBLE).outcome == Outcome.PASSED


def test_a_process_killed_by_its_cpu_limit_is_a_timeout():
    exchange = sandbox._Exchange(ready_at=1.0, ended_at=2.0, returncode=-signal.SIGXCPU)
    result = sandbox._result(exchange, 10, sandbox._test_names(VISIBLE, hidden=False))
    assert result.outcome == Outcome.TIMEOUT
