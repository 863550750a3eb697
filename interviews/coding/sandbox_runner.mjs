/* The server's sandbox process for the coding round: Pyodide (CPython in WebAssembly)
   under Node.js runs the test harness (static/interviews/coding/harness.py, the file the
   browser runs too) on the candidate's code and the exercise's tests.

   Started only by interviews/coding/sandbox.py, which confines it: Node's permission
   model (reads only Pyodide, the harness and the snapshot; no writes, no child processes,
   no workers, no native addons), then interviews/coding/confine.py's limits (CPU time,
   memory, no sockets, no new processes, no signals to other processes). Nothing here is a
   security boundary on its own: the candidate's Python can reach JavaScript (`import js`).

   Arguments: --pyodide=<dir/> --harness=<file> [--snapshot=<file>] | --make-snapshot
   stdin:  {"code", "tests", "hidden_tests", "output_limit"} as JSON
   stdout: "ready" once Python is loaded (the run's time limit counts from there), then,
           as the last line, the harness's JSON result.
   --make-snapshot writes Pyodide's memory right after its start instead (what a later
   run loads in about a quarter of the time a cold start takes). */

import { constants, readFileSync, writeSync } from "node:fs";

const options = Object.fromEntries(
  process.argv.slice(2).map((argument) => {
    const [name, ...value] = argument.replace(/^--/, "").split("=");
    return [name, value.join("=") || true];
  })
);

// Under the permission model process.binding() is refused; Pyodide's start asks it for
// the file-system constants only.
const refusedBinding = process.binding;
process.binding = (name) => (name === "constants" ? { fs: constants } : refusedBinding(name));

const pause = new Int32Array(new SharedArrayBuffer(4));

/* Synchronous, so that nothing the candidate's code scheduled runs in between; stdout is
   a non-blocking pipe: when it is full, wait a millisecond for the reader. */
function write(text) {
  const bytes = Buffer.from(text);
  for (let offset = 0; offset < bytes.length; ) {
    try {
      offset += writeSync(1, bytes, offset);
    } catch (error) {
      if (error.code !== "EAGAIN") throw error;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}

function finish(code) {
  // Exit at once: nothing the candidate's code scheduled in JavaScript runs after the
  // result, nor any "exit" listener it added.
  (process.reallyExit || process.exit)(code);
}

async function readInput() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

const HARNESS_MODULES = "import ast, builtins, io, json, sys, traceback";

async function main() {
  const { loadPyodide } = await import(options.pyodide + "pyodide.mjs");
  const quiet = { batched: () => {} };
  if (options["make-snapshot"]) {
    const pyodide = await loadPyodide({ indexURL: options.pyodide, _makeSnapshot: true });
    pyodide.runPython(HARNESS_MODULES);
    write(pyodide.makeMemorySnapshot());
    return finish(0);
  }
  const input = await readInput();
  const pyodide = await loadPyodide({
    indexURL: options.pyodide,
    ...(options.snapshot ? { _loadSnapshot: readFileSync(options.snapshot) } : {}),
  });
  // Printing goes to the harness's capture; what bypasses it is dropped.
  pyodide.setStdout(quiet);
  pyodide.setStderr(quiet);
  pyodide.setStdin({ error: true });
  const namespace = pyodide.globals.get("dict")();
  namespace.set("__name__", "harness");
  pyodide.runPython(readFileSync(options.harness, "utf8"), {
    globals: namespace,
    filename: "harness.py",
  });
  const runTests = namespace.get("run_tests");
  write("ready\n");
  const result = runTests(input.code, input.tests, input.output_limit, input.hidden_tests || "");
  write("\n" + result + "\n");
  return finish(0);
}

main().catch((error) => {
  process.stderr.write(String((error && error.stack) || error) + "\n");
  finish(70);
});
