/* The join page's view of the interviewer (the LiveKit agent in the room): its state in
   the status bar, and how to answer, from what it says it can hear. Needs join-page.js;
   adds to window.JoinPage. */
(function (Join) {
  "use strict";

  var state = Join.state;
  var $ = Join.$;
  var announce = Join.announce;

  var AGENT_LABELS = {
    absent: "Not here yet",
    connecting: "Connecting you to the interviewer…",
    queued: "Waiting in line",
    initializing: "Getting ready",
    idle: "Waiting",
    listening: "Listening",
    thinking: "Thinking",
    speaking: "Speaking",
    left: "Has left",
  };

  function setAgentState(name) {
    var element = $("agent-state");
    element.setAttribute("data-state", name);
    element.textContent = AGENT_LABELS[name] || name;
  }

  function agentIn(room) {
    var found = null;
    room.remoteParticipants.forEach(function (participant) {
      if (participant.isAgent) found = participant;
    });
    return found;
  }

  // How to answer, as the interviewer says it can: its interview.hears_speech attribute.
  function showHowToAnswer(hearsSpeech) {
    if (hearsSpeech !== "true" && hearsSpeech !== "false") return;
    var how = $("answer-how");
    how.dataset.hearsSpeech = hearsSpeech;
    how.textContent =
      hearsSpeech === "true"
        ? "Answer out loud or type; the interviewer waits until you pause or say \u201cthat\u2019s it\u201d."
        : "This interviewer cannot hear speech: please type your answers in the message box. " +
          "It waits until you pause or write \u201cthat\u2019s it\u201d.";
  }

  function agentArrived(participant) {
    state.agentSeen = true;
    clearTimeout(state.agentTimer);
    if (state.slowAlert) {
      // "Taking longer than usual" is over.
      state.slowAlert = false;
      Join.clearAlert();
    }
    showHowToAnswer(participant.attributes["interview.hears_speech"]);
    setAgentState(participant.attributes["lk.agent.state"] || "initializing");
    announce("The interviewer has joined.");
  }

  function waitText(seconds) {
    if (!seconds || seconds < 60) return "less than a minute";
    var minutes = Math.ceil(seconds / 60);
    return "about " + minutes + (minutes === 1 ? " minute" : " minutes");
  }

  // Every interviewer is busy: the candidate waits in line, told their place and an
  // honest estimate (the server's), in the status bar and to screen readers when it moves.
  function showQueue(queue) {
    var text =
      "Every interviewer is busy. You are number " + queue.place + " in line; " + waitText(queue.estimate_seconds) + ".";
    var element = $("agent-state");
    element.setAttribute("data-state", "queued");
    element.dataset.place = String(queue.place);
    element.textContent = text;
    if (state.queuePlace !== queue.place) {
      state.queuePlace = queue.place;
      announce(text + " Stay on this page: the interviewer joins when it is your turn.");
    }
  }

  Join.setAgentState = setAgentState;
  Join.showQueue = showQueue;
  Join.agentIn = agentIn;
  Join.agentArrived = agentArrived;
  Join.showHowToAnswer = showHowToAnswer;
})(window.JoinPage);
