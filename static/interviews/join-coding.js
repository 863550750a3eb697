/* The join page's coding panel: while the interview has a coding question open, the
   statement, the editor, the visible tests, the time left and the hints, beside the
   conversation. Run checks the visible tests in the browser at once (Pyodide) and on the
   server; Submit sends the code for good; the code is saved as it is typed. The contract
   with the server is docs/coding-round.md. A module, run after the page's classic scripts;
   uses window.JoinPage and window.InterviewCaptions. */
import { createAutosave } from "./coding/autosave.js";
import { createBrowserRunner } from "./coding/browser-runner.js";
import { watchCall } from "./coding/call-events.js";
import { loadEditor } from "./coding/editor-loader.js";
import { problemText } from "./coding/problems.js";
import { note, render, summary } from "./coding/results.js";

const Join = window.JoinPage;
const Captions = window.InterviewCaptions;
const $ = Join.$;
const panel = $("coding");
const urls = panel.dataset;

const OUTPUT_LIMIT = 10000; // characters of printed output shown from a browser run
const LANGUAGES = { python: "Python" };

let work = null; // the open exercise as GET /interview/coding gave it
let editor = null;
let clockTimer = 0;
let clockOffset = 0; // the server's clock minus this browser's, in ms
let busy = false; // a run or the submission is on its way

const runner = createBrowserRunner({
  workerUrl: urls.worker,
  indexURL: urls.pyodide,
  harnessUrl: urls.harness,
  outputLimit: OUTPUT_LIMIT,
});

// --- Talking to the server ---------------------------------------------------------------

function post(url, body, options) {
  return fetch(url, {
    method: "POST",
    credentials: "same-origin",
    keepalive: Boolean(options && options.keepalive),
    headers: {
      "Content-Type": "application/json",
      Accept: "application/json",
      "X-CSRFToken": Join.config.csrfToken,
    },
    body: JSON.stringify(body),
  }).then((response) =>
    response
      .json()
      .catch(() => null)
      .then((data) => ({ status: response.status, data }))
  );
}

let problemOf = ""; // what the problem shown is about: "save", "run" or "ask"

function showProblem(text, about) {
  problemOf = text ? about : "";
  $("coding-problem").textContent = text;
  $("coding-problem").hidden = !text;
}

function refused(result, about) {
  showProblem(problemText(result), about);
  const code = result.data && result.data.error && result.data.error.code;
  if (code === "already_submitted") lock();
  if (code === "coding_closed" || code === "work_unknown") refresh();
}

/* Results are announced one after another: the browser's, then the server's. */
function say(text) {
  const log = $("coding-announcer");
  const line = document.createElement("p");
  line.textContent = text;
  log.appendChild(line);
  while (log.children.length > 4) log.firstElementChild.remove();
}

// --- Saving as the candidate types ------------------------------------------------------

const SAVED_WORDS = {
  saving: "Saving…",
  saved: "Saved",
  retrying: "Not saved, retrying",
  refused: "Not saved",
  submitted: "Submitted",
};

function setSaved(name) {
  const element = $("coding-saved");
  if (element.dataset.state !== name && name === "retrying") say("Your code is not saved yet; retrying.");
  element.dataset.state = name;
  element.textContent = SAVED_WORDS[name];
}

const autosave = createAutosave({
  post: (body, options) => post(urls.saveUrl, body, options),
  onState(name, result) {
    setSaved(name);
    if (name === "refused") refused(result, "save");
    else if (name === "saved" && problemOf === "save") showProblem("");
  },
});

window.addEventListener("pagehide", () => autosave.flush());
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "hidden") autosave.flush();
});

// --- Opening, updating and closing the panel -------------------------------------------

function showHints(hints) {
  const list = $("coding-hints");
  list.replaceChildren(
    ...hints.map((hint) => {
      const item = document.createElement("li");
      item.textContent = hint.text;
      return item;
    })
  );
  $("coding-hints-box").hidden = hints.length === 0;
}

function startClock(coding) {
  clearInterval(clockTimer);
  const deadline = Date.parse(coding.started_at) + coding.time_limit_minutes * 60000;
  $("coding-clock").hidden = !deadline; // an exercise without a time limit
  if (!deadline) return;
  let wasUp = deadline <= Date.now() + clockOffset;
  function tick() {
    const left = Math.max(0, deadline - (Date.now() + clockOffset));
    const seconds = Math.ceil(left / 1000);
    const rest = seconds % 60;
    $("coding-time").textContent = left
      ? Math.floor(seconds / 60) + ":" + (rest < 10 ? "0" : "") + rest
      : "Time is up";
    if (!left) {
      clearInterval(clockTimer);
      if (!wasUp && !work.submitted) say("The time for the coding exercise is up. Submit what you have.");
      wasUp = true;
    }
  }
  tick();
  clockTimer = setInterval(tick, 1000);
}

function setBusy(value) {
  busy = value;
  const locked = Boolean(work && work.submitted);
  // aria-disabled, not disabled: the button keeps the keyboard focus while it waits.
  $("coding-run").setAttribute("aria-disabled", String(busy || locked || !editor));
  $("coding-submit").setAttribute("aria-disabled", String(busy || locked || !editor));
  $("coding-hint").setAttribute("aria-disabled", String(locked));
}

function lock() {
  if (!work) return;
  work.submitted = true;
  panel.setAttribute("data-submitted", "true");
  autosave.stop();
  clearInterval(clockTimer); // the time no longer counts
  $("coding-clock").hidden = true;
  if (editor) editor.setReadOnly(true);
  setSaved("submitted");
  setBusy(busy);
}

function showServerRun(run) {
  $("coding-results").hidden = false;
  $("coding-server-box").hidden = false;
  $("coding-server-title").textContent =
    run.kind === "submit" ? "Your submission, checked by the server" : "Checked by the server";
  render($("coding-server-result"), run);
}

async function open(coding) {
  close();
  work = coding;
  panel.hidden = false;
  document.body.setAttribute("data-coding", "open");
  $("coding-statement").textContent = coding.statement;
  $("coding-tests").textContent = coding.visible_tests;
  $("coding-language").textContent = LANGUAGES[coding.language] || coding.language;
  showHints(coding.hints);
  startClock(coding);
  const last = coding.runs[coding.runs.length - 1];
  if (last) showServerRun(last);
  setSaved(coding.submitted ? "submitted" : "saved");
  setBusy(false);
  say("A coding exercise is open: its task, the tests and your code editor.");

  const createEditor = await loadEditor(urls.editor);
  if (work !== coding) return; // closed or replaced while the editor loaded
  editor = createEditor({
    parent: $("coding-editor"),
    doc: coding.code,
    label: $("coding-editor-label").textContent,
    description: $("coding-editor-help").textContent,
    onChange: () => autosave.changed(coding.work, editor.getCode),
  });
  if (coding.submitted) lock();
  else runner.warm();
  setBusy(false);
  panel.setAttribute("data-editor", "ready");
}

function update(coding) {
  showHints(coding.hints);
  if (coding.submitted && !work.submitted) lock();
}

function close() {
  if (!work) return;
  autosave.flush();
  autosave.stop();
  runner.stop();
  clearInterval(clockTimer);
  if (editor) editor.destroy();
  editor = null;
  work = null;
  panel.hidden = true;
  panel.removeAttribute("data-editor");
  panel.removeAttribute("data-submitted");
  document.body.removeAttribute("data-coding");
  for (const id of ["coding-results", "coding-browser-box", "coding-server-box"]) $(id).hidden = true;
  showProblem("");
}

// --- Asking the server whether a coding question is open --------------------------------

let asking = false;
let askAgain = false;

function refresh() {
  if (asking) {
    askAgain = true;
    return;
  }
  asking = true;
  fetch(urls.url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
    .then((response) => {
      const date = Date.parse(response.headers.get("Date") || "");
      if (date) clockOffset = date - Date.now();
      return response.ok ? response.json() : null;
    })
    .then((data) => {
      if (!data) return;
      if (!data.coding) close();
      else if (!work || work.work !== data.coding.work) open(data.coding);
      else update(data.coding);
    })
    .catch(() => {}) // asked again at the next news of the call (coding/call-events.js)
    .finally(() => {
      asking = false;
      if (askAgain) {
        askAgain = false;
        refresh();
      }
    });
}

watchCall({ captions: $("captions"), onNews: refresh, onLeave: () => autosave.flush() });

// --- Run and Submit ----------------------------------------------------------------------

function showBrowserAnswer(answer) {
  const box = $("coding-browser-result");
  if (answer.result) {
    render(box, answer.result);
    say("In your browser: " + summary(answer.result));
  } else if (answer.timeout) {
    note(
      box,
      "Your code was still running after " +
        runner.runSeconds +
        " seconds, so your browser stopped it. Is there an endless loop? The server's result follows."
    );
    say("In your browser: your code was stopped after " + runner.runSeconds + " seconds.");
  } else if (answer.failure === "load") {
    note(box, "Your browser could not run Python, so only the server checks your code.");
  } else {
    note(box, "Your browser could not run the tests (" + answer.message + "). The server's result follows.");
  }
}

function run() {
  if (busy || !editor || work.submitted) return;
  const current = work;
  const code = editor.getCode();
  setBusy(true);
  showProblem("");
  $("coding-results").hidden = false;
  $("coding-browser-box").hidden = false;
  $("coding-server-box").hidden = false;
  $("coding-server-title").textContent = "Checked by the server";
  note($("coding-browser-result"), "Running the visible tests in your browser…");
  note($("coding-server-result"), "Waiting for the server…");
  say("Running the visible tests.");

  const inBrowser = runner.run(code, current.visible_tests).then((answer) => {
    if (work === current && !answer.stopped) showBrowserAnswer(answer);
  });
  const onServer = post(urls.runUrl, { work: current.work, code }).then(
    (result) => {
      if (work !== current) return;
      if (result.status === 200) {
        showServerRun(result.data.run);
        say("Checked by the server: " + summary(result.data.run));
      } else {
        note($("coding-server-result"), "The server did not check this run.");
        refused(result, "run");
      }
    },
    () => {
      if (work !== current) return;
      note($("coding-server-result"), "The server did not check this run.");
      showProblem("We could not reach the server. Check your internet connection, then run again.", "run");
    }
  );
  Promise.all([inBrowser, onServer]).then(() => setBusy(false));
}

function submit() {
  const current = work;
  const code = editor.getCode();
  // The submission carries the code; a save arriving after it would only be refused.
  autosave.stop();
  const resumeSaving = () => autosave.changed(current.work, editor.getCode);
  setBusy(true);
  showProblem("");
  $("coding-results").hidden = false;
  $("coding-browser-box").hidden = true; // an earlier browser run would only confuse
  $("coding-server-box").hidden = false;
  note($("coding-server-result"), "Submitting your code…");
  post(urls.submitUrl, { work: current.work, code })
    .then(
      (result) => {
        if (work !== current) return;
        if (result.status === 200) {
          lock();
          showServerRun(result.data.run);
          say("Submitted. " + summary(result.data.run));
        } else {
          note($("coding-server-result"), "Your code was not submitted.");
          refused(result, "run");
          if (!current.submitted) resumeSaving();
        }
      },
      () => {
        if (work !== current) return;
        resumeSaving();
        note($("coding-server-result"), "Your code was not submitted.");
        showProblem("We could not reach the server. Check your internet connection, then submit again.", "run");
      }
    )
    .finally(() => setBusy(false));
}

$("coding-run").addEventListener("click", run);
$("coding-submit").addEventListener("click", () => {
  if (busy || !editor || work.submitted) return;
  $("coding-submit-dialog").showModal();
});
$("coding-submit-cancel").addEventListener("click", () => $("coding-submit-dialog").close());
$("coding-submit-confirm").addEventListener("click", () => {
  $("coding-submit-dialog").close();
  if (work && editor && !work.submitted) submit();
});

// --- Asking the interviewer -------------------------------------------------------------

/* Sent as the message box sends (join-chat.js): on lk.chat, shown in the captions as
   typed. Not through the box itself, so a message being written there stays. */
function ask(text) {
  const room = Join.state.room;
  if (!room || room.state !== "connected") {
    showProblem("You can ask the interviewer once the interview is connected.", "ask");
    return;
  }
  showProblem("");
  room.localParticipant.sendText(text, { topic: "lk.chat" }).then(
    () => {
      const log = $("captions");
      Captions.show(log, Captions.line(log, "", "You (typed)"), text, true);
    },
    () => showProblem("Your message could not be sent. Please try again.", "ask")
  );
}

$("coding-hint").addEventListener("click", () => {
  if (!work || work.submitted) return;
  ask("Could I have a hint?");
});
$("coding-repeat").addEventListener("click", () => ask("Could you repeat the task?"));
