/* Saves the candidate's code as they type (a second after they stop), so a reload or a
   reconnect loses nothing. A save that fails on the way or on the server's side is tried
   again, less and less often; a refusal (4xx) is reported and not retried. */

const SAVE_AFTER_MS = 1000;
const RETRY_FIRST_MS = 2000;
const RETRY_MOST_MS = 30000;

/* post(body, {keepalive}) resolves with {status, data} or rejects when the server was
   not reached; a keepalive request outlives the page.
   onState("saving" | "saved" | "retrying" | "refused", result) shows the state. */
export function createAutosave({ post, onState }) {
  let source = null; // {work, getCode} of the open exercise
  let timer = 0;
  let saving = false;
  let dirty = false;
  let retryMs = 0;

  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(save, ms);
  }

  function save() {
    clearTimeout(timer);
    timer = 0;
    if (!source || saving || !dirty) return;
    const current = source;
    saving = true;
    dirty = false;
    onState("saving");
    post({ work: current.work, code: current.getCode() }, {})
      .then(
        (result) => {
          if (source !== current) return;
          if (result.status === 200) {
            retryMs = 0;
            if (!dirty) onState("saved");
          } else if (result.status >= 500 || result.status === 429) {
            retryLater();
          } else {
            onState("refused", result);
          }
        },
        retryLater
      )
      .finally(() => {
        saving = false;
        // Typed while this save was on its way: save that too.
        if (source === current && dirty && !timer) schedule(retryMs || SAVE_AFTER_MS);
      });
  }

  function retryLater() {
    dirty = true;
    retryMs = Math.min(RETRY_MOST_MS, retryMs ? retryMs * 2 : RETRY_FIRST_MS);
    onState("retrying");
  }

  return {
    /* The code of `work` changed. */
    changed(work, getCode) {
      if (!source || source.work !== work) source = { work, getCode };
      dirty = true;
      onState("saving");
      if (!saving) schedule(retryMs || SAVE_AFTER_MS);
    },
    /* Send what is not saved yet now, as the page is hidden or closed. */
    flush() {
      if (!source || !dirty) return;
      const current = source;
      clearTimeout(timer);
      timer = 0;
      dirty = false;
      const body = { work: current.work, code: current.getCode() };
      post(body, { keepalive: true })
        .then((result) => result.status === 200)
        .catch(() => false)
        .then((saved) => {
          // Only hidden, not closed: keep trying as after any failed save.
          if (!saved && source === current) {
            retryLater();
            schedule(retryMs);
          }
        });
    },
    /* Nothing more to save: the exercise was submitted or closed. */
    stop() {
      clearTimeout(timer);
      timer = 0;
      source = null;
      dirty = false;
    },
  };
}
