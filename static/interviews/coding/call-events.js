/* When the coding panel asks the server whether a coding question is open: the call
   starts or resumes, the room connects again, or the interviewer finishes a sentence (it
   opens the exercise, gives a hint or closes it while speaking). The join page's other
   scripts show these on <body> (data-view, data-connection) and in the captions log;
   watching them keeps the room's code free of the coding round, and needs no timer. */

const INTERVIEWER = "Interviewer:"; // the speaker join-room.js gives the agent's captions

/* onNews() at each of those moments; onLeave() when the call's step is left. */
export function watchCall({ captions, onNews, onLeave }) {
  const body = document.body;
  let lastView = body.dataset.view;
  let lastConnection = body.dataset.connection;
  new MutationObserver(() => {
    const view = body.dataset.view;
    const connection = body.dataset.connection;
    const reconnected = connection === "connected" && lastConnection !== connection;
    if (view === "call" && (lastView !== "call" || reconnected)) onNews();
    if (view !== "call" && lastView === "call") onLeave();
    lastView = view;
    lastConnection = connection;
  }).observe(body, { attributes: true, attributeFilter: ["data-view", "data-connection"] });

  // A caption is a line filled in as its text arrives (captions.js); it counts once, when
  // it is final (no longer "interim").
  const heard = new WeakSet();
  new MutationObserver((records) => {
    for (const record of records) {
      const target = record.target.nodeType === Node.ELEMENT_NODE ? record.target : record.target.parentElement;
      const lines = [target && target.closest(".caption"), ...record.addedNodes].filter(
        (node) => node && node.nodeType === Node.ELEMENT_NODE && node.matches(".caption")
      );
      for (const line of lines) {
        const speaker = line.querySelector(".speaker");
        if (heard.has(line) || line.classList.contains("interim")) continue;
        if (!speaker || speaker.textContent !== INTERVIEWER) continue;
        heard.add(line);
        onNews();
      }
    }
  }).observe(captions, { childList: true, subtree: true, attributes: true, attributeFilter: ["class"] });

  if (body.dataset.view === "call") onNews();
}
