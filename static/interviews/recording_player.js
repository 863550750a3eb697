/* The report's recording beside its transcript: a click on a line (or on a question's
   button) plays the audio from where that line was said, and the line playing is
   highlighted. Each line's place in the audio is its data-at, in seconds, computed on
   the server from the transcript's times and the recording's parts. */
(function () {
  "use strict";

  var audio = document.getElementById("recording");
  if (!audio) return;
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-at]"));
  var starts = rows.map(function (row) {
    return parseFloat(row.getAttribute("data-at"));
  });
  var current = null;

  function playFrom(seconds) {
    audio.currentTime = seconds;
    var playing = audio.play();
    if (playing && playing.catch) playing.catch(function () {}); // the user can press play
    highlight();
  }

  function highlight() {
    var at = audio.currentTime;
    var found = null;
    for (var i = 0; i < rows.length; i++) {
      if (starts[i] <= at + 0.05) found = rows[i];
    }
    if (found === current) return;
    if (current) {
      current.classList.remove("playing");
      current.removeAttribute("aria-current");
    }
    current = found;
    if (current) {
      current.classList.add("playing");
      current.setAttribute("aria-current", "true");
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-at]");
    if (!target || !document.querySelector(".report").contains(target)) return;
    if (event.target.closest("a")) return; // a link in a line keeps its meaning
    event.preventDefault();
    playFrom(parseFloat(target.getAttribute("data-at")));
  });
  audio.addEventListener("timeupdate", highlight);
  audio.addEventListener("seeked", highlight);
})();
