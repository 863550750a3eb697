/* The browser half of Run: hands the code and the visible tests to the Pyodide worker and
   waits for its answer. Python cannot be interrupted inside a worker without
   cross-origin isolation, so code that runs too long is stopped by ending the worker; the
   next run starts a fresh one. */

const LOAD_SECONDS = 90; // Pyodide's first load on a slow machine
const RUN_SECONDS = 10; // the visible tests are small: longer means an endless loop

export function createBrowserRunner({ workerUrl, indexURL, harnessUrl, outputLimit }) {
  let worker = null;
  let unavailable = false; // Pyodide failed to load once: the server's result is enough
  let nextId = 0;
  let cancel = null; // ends the run in progress, if any

  function start() {
    worker = new Worker(workerUrl, { type: "module" });
    worker.postMessage({ id: 0, indexURL, harnessUrl }); // load Python now
    return worker;
  }

  // Load Pyodide ahead of the first Run, so that Run answers at once.
  function warm() {
    if (!worker && !unavailable) start();
  }

  /* Resolves with {result}, {timeout: true}, {failure: "load" | "run", message} or
     {stopped: true}; never rejects. */
  function run(code, tests) {
    if (unavailable) return Promise.resolve({ failure: "load", message: "" });
    const current = worker || start();
    const id = ++nextId;
    return new Promise((resolve) => {
      let timer = setTimeout(() => finish({ failure: "load", message: "timeout" }), LOAD_SECONDS * 1000);
      function finish(answer) {
        cancel = null;
        clearTimeout(timer);
        current.removeEventListener("message", onMessage);
        current.removeEventListener("error", onError);
        if (answer.timeout || answer.failure === "load") {
          current.terminate();
          if (worker === current) worker = null;
        }
        if (answer.failure === "load") unavailable = true;
        resolve(answer);
      }
      function onMessage(event) {
        const data = event.data;
        if (data.id !== id) return;
        if (data.started) {
          clearTimeout(timer);
          timer = setTimeout(() => finish({ timeout: true }), RUN_SECONDS * 1000);
        } else {
          finish(data);
        }
      }
      function onError(event) {
        event.preventDefault();
        finish({ failure: "load", message: event.message || "" });
      }
      cancel = () => finish({ stopped: true });
      current.addEventListener("message", onMessage);
      current.addEventListener("error", onError);
      current.postMessage({ id, code, tests, outputLimit, indexURL, harnessUrl });
    });
  }

  // Python holds a lot of memory: give it back once the exercise is closed.
  function stop() {
    if (cancel) cancel();
    if (worker) worker.terminate();
    worker = null;
  }

  return { warm, run, stop, runSeconds: RUN_SECONDS };
}
