/* Runs the candidate's code against the visible tests in their own browser, for instant
   feedback: Pyodide (WebAssembly Python) from our static files, in a Web Worker so an
   endless loop never freezes the page (the page ends the worker instead). Loaded as a
   module worker by join-coding.js; Pyodide is loaded once, on the first message.

   Message in:  {id, code, tests, outputLimit, indexURL, harnessUrl}; without code, it
                only loads Python ahead of the first run.
   Messages out: {id, started: true} once Python is ready and the code starts;
                 {id, result} with the harness's result (docs/coding-round.md);
                 {id, failure: "load" | "run", message} when Python could not run it. */

async function load(indexURL, harnessUrl) {
  const [{ loadPyodide }, harness] = await Promise.all([
    import(indexURL + "pyodide.mjs"),
    fetch(harnessUrl, { credentials: "same-origin" }).then((response) => {
      if (!response.ok) throw new Error("The test harness did not load.");
      return response.text();
    }),
  ]);
  // What the code prints is captured by the harness; nothing goes to the console.
  const pyodide = await loadPyodide({ indexURL, stdout: () => {}, stderr: () => {} });
  const namespace = pyodide.globals.get("dict")();
  namespace.set("__name__", "harness");
  pyodide.runPython(harness, { globals: namespace });
  return namespace.get("run_tests");
}

let loading = null; // resolves with the harness's run_tests

self.onmessage = async (event) => {
  const { id, code, tests, outputLimit, indexURL, harnessUrl } = event.data;
  let runTests;
  try {
    loading = loading || load(indexURL, harnessUrl);
    runTests = await loading;
  } catch (error) {
    self.postMessage({ id, failure: "load", message: String(error && error.message) });
    return;
  }
  if (code === undefined) return;
  self.postMessage({ id, started: true });
  try {
    self.postMessage({ id, result: JSON.parse(runTests(code, tests, outputLimit)) });
  } catch (error) {
    self.postMessage({ id, failure: "run", message: String(error && error.message) });
  }
};
