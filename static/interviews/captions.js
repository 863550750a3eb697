/* Captions, shared by the candidate's join page and the recruiters' watch page: one line
   per LiveKit text stream (lk.transcription or lk.chat), filled in as the stream arrives.
   A line is <p class="caption"><strong class="speaker">Who:</strong> <span class="text">.
   Exposes window.InterviewCaptions. */
(function () {
  "use strict";

  function line(log, segmentId, speaker) {
    var empty = log.querySelector(".caption-empty");
    if (empty) empty.remove();
    var existing = segmentId && log.querySelector('[data-segment="' + CSS.escape(segmentId) + '"]');
    if (existing) return existing;
    var caption = document.createElement("p");
    caption.className = "caption";
    if (segmentId) caption.setAttribute("data-segment", segmentId);
    var who = document.createElement("strong");
    who.className = "speaker";
    who.textContent = speaker + ":";
    var text = document.createElement("span");
    text.className = "text";
    caption.appendChild(who);
    caption.appendChild(document.createTextNode(" "));
    caption.appendChild(text);
    log.appendChild(caption);
    return caption;
  }

  function show(log, caption, text, final) {
    caption.querySelector(".text").textContent = text;
    caption.classList.toggle("interim", !final);
    log.scrollTop = log.scrollHeight;
  }

  /* Show a text stream in `log` under `speaker`: interim while it arrives (unless LiveKit
     marks the transcription final), final once it ends. */
  function follow(log, reader, speaker) {
    var attributes = (reader.info && reader.info.attributes) || {};
    var segmentId = attributes["lk.segment_id"] || reader.info.id;
    var caption = line(log, segmentId, speaker);
    var final = attributes["lk.transcription_final"] === "true";
    var text = "";
    (async function () {
      for await (var chunk of reader) {
        text += chunk;
        show(log, caption, text, final);
      }
      show(log, caption, text, true);
    })().catch(function () {
      show(log, caption, text, true);
    });
  }

  window.InterviewCaptions = { line: line, show: show, follow: follow };
})();
