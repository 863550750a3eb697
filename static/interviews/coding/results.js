/* Shows a result of the candidate's code: the harness's result from their browser, or a
   run the server recorded (docs/coding-round.md). Words, not only colours: each test says
   "Passed" or "Failed". */

const OUTCOME_WORDS = {
  timeout: "Your code ran for too long and was stopped. Is there an endless loop?",
  memory: "Your code used too much memory and was stopped.",
  output: "Your code printed too much and was stopped.",
  unavailable: "The server could not run your code just now. Try again in a moment.",
};

function count(passed, total, what) {
  return passed + " of " + total + " " + what + (total === 1 ? "" : "s") + " passed";
}

/* One sentence, also what the page announces. A browser result has no counts of its own. */
export function summary(result) {
  if (OUTCOME_WORDS[result.outcome]) return OUTCOME_WORDS[result.outcome];
  if (result.output_exceeded) return OUTCOME_WORDS.output; // the harness in the browser
  if (result.outcome === "error" && result.error) {
    return "Your code raised an error: " + result.error;
  }
  if (result.kind === "submit") {
    return (
      count(result.visible_passed, result.visible_total, "visible test") +
      "; " +
      count(result.hidden_passed, result.hidden_total, "hidden test") +
      "."
    );
  }
  const tests = result.results || result.tests || [];
  const passed = tests.filter((test) => test.passed).length;
  return count(passed, tests.length, "visible test") + ".";
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/* Replace `box`'s content with the result. */
export function render(box, result) {
  box.replaceChildren();
  box.appendChild(element("p", "coding-summary", summary(result))).dataset.outcome = result.outcome;
  const tests = result.results || result.tests || [];
  if (tests.length) {
    const list = box.appendChild(element("ul", "coding-test-results"));
    tests.forEach((test) => {
      const item = list.appendChild(element("li"));
      item.dataset.passed = String(Boolean(test.passed));
      item.appendChild(element("strong", "", test.passed ? "Passed" : "Failed"));
      item.appendChild(document.createTextNode(" " + test.name));
      if (!test.passed && test.message) item.appendChild(element("span", "coding-message", test.message));
    });
  }
  if (result.output) {
    box.appendChild(element("p", "coding-output-label", "What your code printed:"));
    box.appendChild(element("pre", "coding-output", result.output)).tabIndex = 0;
  }
}

/* A message in place of a result (still running, or could not run). */
export function note(box, text) {
  box.replaceChildren(element("p", "coding-note", text));
}
