/* The join page's message box: what the candidate types is sent to the interviewer on
   lk.chat and shown in the captions as "You (typed)". Needs join-page.js and captions.js. */
(function (Join) {
  "use strict";

  var state = Join.state;
  var $ = Join.$;
  var Captions = window.InterviewCaptions;
  var showAlert = Join.showAlert;

  $("chat-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = $("chat-input");
    var text = input.value.trim();
    if (!text) return;
    var room = state.room;
    if (!room || room.state !== "connected") {
      showAlert("You can send messages once the interview is connected.");
      return;
    }
    room.localParticipant
      .sendText(text, { topic: "lk.chat" })
      .then(function () {
        var log = $("captions");
        Captions.show(log, Captions.line(log, "", "You (typed)"), text, true);
        input.value = "";
      })
      .catch(function () {
        showAlert("Your message could not be sent. Please try again.");
      });
  });
})(window.JoinPage);
