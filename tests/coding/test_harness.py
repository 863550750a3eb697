"""The harness the browser and the server both run (static/interviews/coding/harness.py),
here in this process's CPython; tests/coding/test_sandbox.py runs it in Pyodide."""

import json
import sys

TESTS = (
    "def test_doubles():\n"
    "    assert double(2) == 4\n"
    "\n"
    "def test_doubles_negative():\n"
    "    assert double(-3) == -6\n"
)


def run(harness, code, tests=TESTS, output_limit=1000, hidden=""):
    return json.loads(harness.run_tests(code, tests, output_limit, hidden))


def test_correct_code_passes_every_test(harness):
    result = run(harness, "def double(x):\n    return 2 * x\n")
    assert result == {
        "outcome": "passed",
        "tests": [
            {"name": "test_doubles", "passed": True, "message": ""},
            {"name": "test_doubles_negative", "passed": True, "message": ""},
        ],
        "output": "",
        "error": "",
        "output_exceeded": False,
    }


def test_a_failed_comparison_says_both_sides(harness):
    result = run(harness, "def double(x):\n    return x + 2\n")
    assert result["outcome"] == "failed"
    assert result["tests"][0]["passed"] is True  # 2 + 2 == 4
    assert result["tests"][1] == {
        "name": "test_doubles_negative",
        "passed": False,
        "message": "AssertionError: assert double(-3) == -6 (left: -1, right: -6)",
    }


def test_a_comparison_inside_a_helper_class_is_explained_too(harness):
    tests = (
        "class Check:\n"
        "    def __init__(self, value):\n"
        "        assert double(value) == 0\n"
        "def test_in_a_class():\n"
        "    Check(3)\n"
    )
    result = run(harness, "def double(x):\n    return 2 * x\n", tests)
    assert result["tests"][0]["message"] == (
        "AssertionError: assert double(value) == 0 (left: 6, right: 0)"
    )


def test_an_assertion_message_and_a_bare_assert_are_reported(harness):
    tests = (
        "def test_with_message():\n    assert double(1) == 3, 'one doubled is two'\n"
        "def test_bare():\n    assert double(0)\n"
    )
    result = run(harness, "def double(x):\n    return 2 * x\n", tests)
    messages = [test["message"] for test in result["tests"]]
    assert messages == ["AssertionError: one doubled is two", "AssertionError: assert double(0)"]


def test_an_exception_in_the_code_names_its_line(harness):
    code = "def double(x):\n    return x / 0\n"
    result = run(harness, code)
    assert result["outcome"] == "failed"
    assert result["tests"][0]["message"] == "ZeroDivisionError: division by zero (line 2)"


def test_a_syntax_error_is_an_error_and_no_test_runs(harness):
    result = run(harness, "def double(x:\n    return 2 * x\n")
    assert result["outcome"] == "error"
    assert result["error"] == "SyntaxError: '(' was never closed (line 1)"
    assert [test["passed"] for test in result["tests"]] == [False, False]
    assert result["tests"][0]["message"].startswith("Not run")


def test_code_that_raises_when_loaded_is_an_error_with_the_last_line(harness):
    result = run(harness, "import no_such_module\n")
    assert result["outcome"] == "error"
    assert result["error"] == "ModuleNotFoundError: No module named 'no_such_module' (line 1)"


def test_printing_is_captured_and_cut_at_the_limit(harness):
    code = "print('hello')\ndef double(x):\n    return 2 * x\n"
    assert run(harness, code)["output"] == "hello\n"
    flood = run(harness, "while True:\n    print('x' * 1000)\n", output_limit=50)
    assert flood["outcome"] == "error"
    assert flood["output_exceeded"] is True
    assert flood["output"] == "x" * 50
    assert flood["error"].startswith("OutputLimitReached")


def test_catching_every_exception_does_not_escape_the_output_limit(harness):
    code = "while True:\n    try:\n        print('x' * 100)\n    except Exception:\n        pass\n"
    result = run(harness, code, output_limit=50)
    assert result["output_exceeded"] is True
    assert len(result["output"]) == 50


def test_hidden_tests_are_marked_hidden(harness):
    hidden = "def test_hidden_zero():\n    assert double(0) == 1\n"
    result = run(harness, "def double(x):\n    return 2 * x\n", hidden=hidden)
    assert result["tests"][-1] == {
        "name": "test_hidden_zero",
        "passed": False,
        "message": "AssertionError: assert double(0) == 1 (left: 0, right: 1)",
        "hidden": True,
    }
    assert result["outcome"] == "failed"


def test_only_the_tests_files_top_level_test_functions_run_in_order(harness):
    code = "def double(x):\n    return 2 * x\ndef test_in_the_code():\n    assert False\n"
    tests = (
        "def helper():\n    assert False\n"
        "def test_b():\n    assert True\n"
        "async def test_async():\n    assert False\n"
        "def test_a():\n    assert double(1) == 2\n"
    )
    result = run(harness, code, tests)
    assert [test["name"] for test in result["tests"]] == ["test_b", "test_a"]
    assert result["outcome"] == "passed"


def test_input_reads_nothing_and_a_main_block_does_not_run(harness):
    code = "if __name__ == '__main__':\n    input()\ndef double(x):\n    return 2 * x\n"
    assert run(harness, code)["outcome"] == "passed"
    tests = "def test_reads():\n    input()\n"
    assert run(harness, code, tests)["tests"][0]["message"] == "EOFError: EOF when reading a line"


def test_the_interpreter_is_left_as_it_was(harness):
    before = sys.stdout, sys.stderr, sys.stdin
    run(harness, "import sys\nsys.stdout = None\nprint('gone')\n")
    assert (sys.stdout, sys.stderr, sys.stdin) == before


def test_a_tests_file_that_does_not_compile_is_an_error(harness):
    result = run(harness, "x = 1\n", "def test_a(:\n    pass\n")
    assert result["outcome"] == "error"
    assert result["error"] == "tests.py: SyntaxError: invalid syntax (line 1)"
