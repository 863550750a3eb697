"""The coding round's test harness: runs a candidate's code, then each test against it.

The very same file runs in the candidate's browser (the Pyodide Web Worker fetches it as a
static file) and on the server (interviews/coding/sandbox_runner.mjs, under Node.js), so
the two can never disagree on what a test is or when it passes. It uses the standard
library only and keeps no state between calls: one interpreter can run it many times.

Entry point:

    run_tests(code: str, tests: str, output_limit: int, hidden_tests: str = "") -> str

returns the result as JSON (docs/coding-round.md):

    {"outcome": "passed" | "failed" | "error",
     "tests": [{"name", "passed", "message"}, ...],
     "output": "what the code printed, cut at output_limit characters",
     "error": "the last line of the traceback when the code itself (or the tests' file)
               could not load, else empty",
     "output_exceeded": true when the code printed more than output_limit characters
                        (the run is stopped there: printing more would only cost time)}

A test is a top-level `def test_...()` of `tests`, run with the candidate's names in scope
(as if written in the same module) in the order written; it passes when it returns
without raising. A failed bare `assert a == b` says both sides' values. The server passes
the hidden tests apart, so that their results (marked "hidden": true) can be counted
without being shown; the browser never has them.

The candidate's code runs as a module named "solution", so an `if __name__ ==
"__main__":` block (often a manual test reading input()) does not run; input() reads an
empty stream.
"""

import ast
import builtins
import io
import json
import sys
import traceback

SOLUTION_FILE = "solution.py"
MESSAGE_LIMIT = 1000  # characters of one test's message
VALUE_LIMIT = 200  # characters of one value's repr in an assertion's message
# Dunder names: never mangled, even in an assert inside a test's helper class.
_EXPLAIN = "__harness_explain__"
_LEFT = "__harness_left__"
_RIGHT = "__harness_right__"


class OutputLimitReached(BaseException):
    """Raised into the candidate's code at the print that goes past the limit. A
    BaseException, so that an `except Exception` in the code does not hide it."""


class _CappedOutput(io.TextIOBase):
    def __init__(self, limit: int) -> None:
        self.limit = max(0, limit)
        self.parts: list[str] = []
        self.size = 0
        self.exceeded = False

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        text = str(text)
        room = self.limit - self.size
        if len(text) > room:
            self.parts.append(text[: max(0, room)])
            self.size = self.limit
            self.exceeded = True
            raise OutputLimitReached(f"The code printed more than {self.limit} characters.")
        self.parts.append(text)
        self.size += len(text)
        return len(text)

    def text(self) -> str:
        return "".join(self.parts)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _last_line(error: BaseException) -> str:
    """The traceback's last line ("ValueError: ..."), with the line of the candidate's code
    where it was raised."""
    if isinstance(error, SyntaxError):
        where = f" (line {error.lineno})" if error.lineno else ""
        return f"{type(error).__name__}: {error.msg}{where}"
    line = traceback.format_exception_only(type(error), error)[-1].strip()
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == SOLUTION_FILE]
    return f"{line} (line {frames[-1].lineno})" if frames else line


def _explain(left: object, op: str, right: object, source: str) -> str:
    def shown(value: object) -> str:
        try:
            return _cut(repr(value), VALUE_LIMIT)
        except Exception:  # a repr that raises says nothing useful
            return f"<{type(value).__name__}>"

    return f"assert {source} (left: {shown(left)}, right: {shown(right)})"


_OPERATORS = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
}


class _ExplainAsserts(ast.NodeTransformer):
    """`assert a == b` becomes: evaluate a and b once, compare them, and on failure say
    both values (what pytest's assertion rewriting does, for one comparison)."""

    def __init__(self, source: str) -> None:
        self.source = source

    def visit_Assert(self, node: ast.Assert) -> ast.AST | list[ast.stmt]:
        test = node.test
        if node.msg is not None or not isinstance(test, ast.Compare) or len(test.ops) != 1:
            return node
        operator = _OPERATORS.get(type(test.ops[0]))
        if operator is None:
            return node
        source = ast.get_source_segment(self.source, test) or ast.unparse(test)
        store = [
            ast.Assign(targets=[ast.Name(_LEFT, ast.Store())], value=test.left),
            ast.Assign(targets=[ast.Name(_RIGHT, ast.Store())], value=test.comparators[0]),
        ]
        compared = ast.Compare(
            left=ast.Name(_LEFT, ast.Load()),
            ops=test.ops,
            comparators=[ast.Name(_RIGHT, ast.Load())],
        )
        message = ast.Call(
            func=ast.Name(_EXPLAIN, ast.Load()),
            args=[
                ast.Name(_LEFT, ast.Load()),
                ast.Constant(operator),
                ast.Name(_RIGHT, ast.Load()),
                ast.Constant(source),
            ],
            keywords=[],
        )
        rewritten = [*store, ast.Assert(test=compared, msg=message)]
        for statement in rewritten:
            ast.copy_location(statement, node)
        return [ast.fix_missing_locations(statement) for statement in rewritten]


def _test_names(tree: ast.Module) -> list[str]:
    names: list[str] = []
    for node in tree.body:
        # An `async def` would only return a coroutine: it is not a test here.
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
            if node.name in names:
                names.remove(node.name)  # redefined: the last definition runs, once
            names.append(node.name)
    return names


def _failure_message(error: BaseException, source: str, filename: str) -> str:
    if isinstance(error, AssertionError):
        detail = str(error)
        if not detail:  # a bare assert: its line of the tests says what was expected
            lines = source.splitlines()
            frames = [
                f for f in traceback.extract_tb(error.__traceback__) if f.filename == filename
            ]
            if frames and frames[-1].lineno and frames[-1].lineno <= len(lines):
                detail = lines[frames[-1].lineno - 1].strip()
        return _cut(f"AssertionError: {detail}" if detail else "AssertionError", MESSAGE_LIMIT)
    return _cut(_last_line(error), MESSAGE_LIMIT)


def _run_suite(
    results: list[dict], source: str, filename: str, namespace: dict, *, hidden: bool
) -> str:
    """Run one file of tests against a copy of the candidate's namespace, adding each
    test's result to `results`; the error that kept the file from loading, if any."""
    try:
        tree = ast.parse(source, filename)
        compiled = compile(_ExplainAsserts(source).visit(tree), filename, "exec")
    except SyntaxError as error:
        return f"{filename}: {_last_line(error)}"
    scope = dict(namespace)
    scope[_EXPLAIN] = _explain
    try:
        exec(compiled, scope)  # noqa: S102 - running the tests is the point
    except OutputLimitReached:
        raise
    except BaseException as error:  # noqa: BLE001 - every failure is reported, none escapes
        return f"{filename}: {_last_line(error)}"
    for name in _test_names(tree):
        result = {"name": name, "passed": True, "message": ""}
        if hidden:
            result["hidden"] = True
        try:
            scope[name]()
        except OutputLimitReached:
            result.update(passed=False, message="Stopped: the code printed too much.")
            results.append(result)
            raise
        except BaseException as error:  # noqa: BLE001 - a test fails on anything it raises
            result.update(passed=False, message=_failure_message(error, source, filename))
        results.append(result)
    return ""


def _not_run(results: list[dict], source: str, *, hidden: bool, message: str) -> None:
    """List the tests that did not run as failed (the code did not load, or printed too
    much), so that the counts stay the exercise's."""
    try:
        names = _test_names(ast.parse(source))
    except SyntaxError:
        return
    seen = {result["name"] for result in results if result.get("hidden", False) == hidden}
    for name in names:
        if name not in seen:
            result = {"name": name, "passed": False, "message": message}
            if hidden:
                result["hidden"] = True
            results.append(result)


def run_tests(code: str, tests: str, output_limit: int, hidden_tests: str = "") -> str:
    """Run `code` as a fresh module, then each test of `tests` (and of `hidden_tests`);
    the result as JSON (this module's docstring)."""
    output = _CappedOutput(output_limit)
    saved = sys.stdout, sys.stderr, sys.stdin
    sys.stdout = sys.stderr = output
    sys.stdin = io.StringIO("")
    suites = [(tests, "tests.py", False)]
    if hidden_tests.strip():
        suites.append((hidden_tests, "hidden_tests.py", True))
    results: list[dict] = []
    error = ""
    not_run = "Not run: the code raised an error when it was loaded."
    try:
        namespace = {"__name__": "solution", "__builtins__": builtins}
        try:
            exec(compile(code, SOLUTION_FILE, "exec"), namespace)  # noqa: S102
        except OutputLimitReached:
            raise
        except BaseException as raised:  # noqa: BLE001 - the code's failure is the result
            error = _last_line(raised)
        else:
            for source, filename, hidden in suites:
                suite_error = _run_suite(results, source, filename, namespace, hidden=hidden)
                error = error or suite_error
    except OutputLimitReached as stopped:
        error = f"OutputLimitReached: {stopped}"
        not_run = "Not run: the code printed too much."
    finally:
        sys.stdout, sys.stderr, sys.stdin = saved
    for source, _filename, hidden in suites:
        _not_run(results, source, hidden=hidden, message=not_run)
    if error:
        outcome = "error"
    elif all(result["passed"] for result in results):
        outcome = "passed"
    else:
        outcome = "failed"
    return json.dumps(
        {
            "outcome": outcome,
            "tests": results,
            "output": output.text(),
            "error": _cut(error, MESSAGE_LIMIT),
            "output_exceeded": output.exceeded,
        }
    )
