/* The coding endpoints' refusals (docs/coding-round.md, interviews/web/coding.py) in
   plain words for the candidate; what they typed always stays in the editor. */

const SESSION_ENDED = "Your session has ended. Open the link from your invitation again.";
const PROBLEMS = {
  coding_closed: "This coding exercise is closed, so your code can no longer change.",
  work_unknown: "This coding exercise is no longer open in your interview.",
  already_submitted: "Your code is already submitted, so it can no longer change.",
  interview_finished: "The interview has ended, so your code can no longer change.",
  too_many_runs: "You have run this exercise's code as many times as allowed. You can still submit it.",
  rate_limited: "You ran your code many times in a short while. Wait a minute, then try again.",
  no_interview: SESSION_ENDED,
  csrf_failed: SESSION_ENDED,
};

export function problemText(result) {
  const error = (result.data && result.data.error) || {};
  if (error.code === "code_too_long") {
    return error.message + " Shorten it; what you typed is still in the editor.";
  }
  return PROBLEMS[error.code] || "Something went wrong on our side. Please try again in a moment.";
}
