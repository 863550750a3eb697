/* The join page's interview room: the LiveKit connection and its state, the elapsed time,
   captions, waiting for the interviewer and reconnecting when it or the connection is
   lost, publishing the microphone, and ending the interview. livekit-client's UMD build
   provides the global LivekitClient. Needs join-page.js, join-microphone.js and
   join-interviewer.js; adds to window.JoinPage. */
(function (Join) {
  "use strict";

  var config = Join.config;
  var state = Join.state;
  var $ = Join.$;
  var LK = window.LivekitClient;
  var Captions = window.InterviewCaptions;
  var show = Join.show;
  var announce = Join.announce;
  var showAlert = Join.showAlert;
  var clearAlert = Join.clearAlert;
  var postJSON = Join.postJSON;
  var handleRefusal = Join.handleRefusal;
  var unreachable = Join.unreachable;
  var stopMicCheck = Join.stopMicCheck;
  var micUnavailable = Join.micUnavailable;
  var micReason = Join.micReason;
  var listDevices = Join.listDevices;
  var setAgentState = Join.setAgentState;
  var agentIn = Join.agentIn;
  var agentArrived = Join.agentArrived;
  var showHowToAnswer = Join.showHowToAnswer;

  var CONNECTION_LABELS = {
    idle: "Not connected",
    connecting: "Connecting…",
    connected: "Connected",
    reconnecting: "Reconnecting…",
    signalReconnecting: "Reconnecting…",
    disconnected: "Disconnected",
  };

  function setConnection(name) {
    var element = $("connection-state");
    element.setAttribute("data-state", name);
    element.textContent = CONNECTION_LABELS[name] || name;
    document.body.setAttribute("data-connection", name);
    if (name === "reconnecting" || name === "connected") announce("Connection: " + element.textContent);
  }

  function startElapsed() {
    if (state.elapsedTimer) return;
    state.startedAt = Date.now();
    state.elapsedTimer = setInterval(function () {
      var seconds = Math.floor((Date.now() - state.startedAt) / 1000);
      var minutes = Math.floor(seconds / 60);
      var rest = seconds % 60;
      $("elapsed").textContent = minutes + ":" + (rest < 10 ? "0" : "") + rest;
    }, 1000);
  }

  function stopTimers() {
    clearInterval(state.elapsedTimer);
    clearTimeout(state.agentTimer);
    state.elapsedTimer = 0;
    state.agentTimer = 0;
  }

  function onTranscription(reader, participantInfo) {
    var mine = state.room && participantInfo.identity === state.room.localParticipant.identity;
    Captions.follow($("captions"), reader, mine ? "You" : "Interviewer");
  }

  // While the candidate waits for the interviewer, the page asks the server every few
  // seconds; the server looks at the room and sends the interviewer again when it was lost
  // on the way (a worker restarting). The candidate is told what is happening, and after a
  // while may also start again: what they agreed to and said so far is kept.
  function waitForAgent(room, queue) {
    var agent = agentIn(room);
    if (agent) return agentArrived(agent);
    var queued = Boolean(queue);
    state.queuePlace = null;
    if (queued) {
      Join.showQueue(queue);
    } else {
      setAgentState("connecting");
      announce("Connecting you to the interviewer…");
    }
    var since = Date.now();
    var toldSlow = false;

    function stillWaiting() {
      return !state.agentSeen && state.room === room && !state.finished;
    }

    function askAgain() {
      if (stillWaiting()) state.agentTimer = setTimeout(ask, config.askInterviewerEverySeconds * 1000);
    }

    function heard(result) {
      if (!stillWaiting()) return;
      var answer = result.status === 200 && result.data ? result.data.interviewer : "";
      if (answer === "finished") return finish("The interview is over.");
      if (answer === "queued") {
        // Waiting in line is not slowness: the clock starts when the turn comes.
        queued = true;
        since = Date.now();
        return Join.showQueue(result.data.queue);
      }
      if (queued && answer) {
        queued = false;
        since = Date.now();
        setAgentState("connecting");
        announce("It is your turn: connecting you to the interviewer…");
      }
      if (!toldSlow && Date.now() - since >= config.agentJoinTimeoutSeconds * 1000) {
        toldSlow = true;
        state.slowAlert = true;
        showAlert(
          "The interviewer is taking longer than usual to join. We keep trying: stay on this page, or start again.",
          function () {
            leaveRoom().then(startInterview);
          }
        );
      }
    }

    function ask() {
      if (!stillWaiting()) return;
      postJSON(config.interviewerUrl, {})
        .then(heard, function () {})
        .then(askAgain);
    }

    state.agentTimer = setTimeout(ask, config.askInterviewerEverySeconds * 1000);
  }

  // The interviewer leaves when it has closed the interview, and also when it crashed or
  // was restarted. The server knows which; after a crash the candidate reconnects and a
  // new interviewer continues at the next unanswered question.
  function interviewerLeft() {
    setAgentState("left");
    fetch(config.statusUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return response.json();
      })
      .then(function (data) {
        if (data.status === "completed") return finish("The interviewer has closed the interview.");
        return lostInterviewer();
      })
      .catch(lostInterviewer);
  }

  // A new interviewer is sent only to a new room: wait until the old one has closed.
  function lostInterviewer() {
    leaveRoom().then(function () {
      setConnection("disconnected");
      showAlert("The interviewer lost its connection. What you said so far is kept. Getting ready to reconnect…");
      setTimeout(function () {
        if (state.room || state.finished) return;
        showAlert(
          "The interviewer lost its connection. What you said so far is kept: reconnect to continue where you left off.",
          function () {
            clearAlert();
            startInterview();
          }
        );
      }, (config.roomClosesAfterSeconds + 1) * 1000);
    });
  }

  function finish(reason) {
    if (state.finished) return;
    state.finished = true;
    stopTimers();
    clearAlert();
    $("done-reason").textContent = reason;
    setConnection("disconnected");
    show("done");
    var room = state.room;
    state.room = null;
    if (room) room.disconnect();
  }

  function leaveRoom() {
    stopTimers();
    var room = state.room;
    state.room = null;
    state.agentSeen = false;
    setAgentState("absent");
    return room ? room.disconnect().catch(function () {}) : Promise.resolve();
  }

  function wireRoom(room) {
    var E = LK.RoomEvent;
    room.on(E.ConnectionStateChanged, function (name) {
      if (state.room === room) setConnection(name);
    });
    room.on(E.ParticipantConnected, function (participant) {
      if (participant.isAgent) agentArrived(participant);
    });
    room.on(E.ParticipantAttributesChanged, function (changed, participant) {
      if (participant.isAgent && changed["lk.agent.state"]) setAgentState(changed["lk.agent.state"]);
      if (participant.isAgent && changed["interview.hears_speech"]) {
        showHowToAnswer(changed["interview.hears_speech"]);
      }
    });
    room.on(E.ParticipantDisconnected, function (participant) {
      if (participant.isAgent && state.agentSeen && state.room === room) interviewerLeft();
    });
    room.on(E.TrackSubscribed, function (track) {
      if (track.kind === "audio") $("audio-sink").appendChild(track.attach());
    });
    room.on(E.TrackUnsubscribed, function (track) {
      track.detach().forEach(function (element) {
        element.remove();
      });
    });
    room.on(E.AudioPlaybackStatusChanged, function () {
      $("enable-audio").hidden = room.canPlaybackAudio;
    });
    room.on(E.Disconnected, function () {
      // A failed first connection is reported by connect() itself.
      if (state.room !== room || state.finished || !state.connected) return;
      if (state.ending) return finish("You ended the interview.");
      stopTimers();
      state.room = null;
      state.connected = false;
      setConnection("disconnected");
      showAlert("The connection to the interview was lost. What you said so far is kept.", function () {
        clearAlert();
        startInterview();
      });
    });
    room.registerTextStreamHandler("lk.transcription", onTranscription);
  }

  function publishMicrophone(room) {
    if (state.micAvailable === false) return Promise.resolve();
    var options = state.deviceId ? { deviceId: state.deviceId } : undefined;
    return room.localParticipant.setMicrophoneEnabled(true, options).then(
      function () {
        state.micAvailable = true;
        $("call-mic").hidden = false;
        return listDevices();
      },
      function (error) {
        micUnavailable(micReason(error));
      }
    );
  }

  function startInterview() {
    clearAlert();
    stopMicCheck();
    state.connected = false;
    state.finished = false;
    state.ending = false;
    show("call");
    setConnection("connecting");
    $("start").disabled = true;
    var retry = function () {
      clearAlert();
      startInterview();
    };
    return postJSON(config.tokenUrl, {})
      .then(
        function (result) {
          if (result.status !== 201) {
            setConnection("idle");
            return handleRefusal(result, retry);
          }
          return connect(result.data, retry);
        },
        function () {
          setConnection("idle");
          unreachable(retry);
        }
      )
      .finally(function () {
        $("start").disabled = false;
      });
  }

  function connect(details, retry) {
    var room = new LK.Room({ adaptiveStream: false, dynacast: false });
    state.room = room;
    wireRoom(room);
    return room
      .connect(details.server_url, details.participant_token, { autoSubscribe: true })
      .then(function () {
        if (state.room !== room) return;
        state.connected = true;
        setConnection("connected");
        startElapsed();
        waitForAgent(room, details.queue);
        room.startAudio().catch(function () {});
        return publishMicrophone(room);
      })
      .catch(function () {
        if (state.room !== room) return;
        state.room = null;
        room.disconnect();
        setConnection("disconnected");
        unreachable(retry);
      });
  }

  $("start").addEventListener("click", function () {
    if (!LK) {
      showAlert("Part of this page did not load. Reload the page to try again.");
      return;
    }
    startInterview();
  });

  $("enable-audio").addEventListener("click", function () {
    if (state.room) state.room.startAudio();
  });

  // --- Ending -------------------------------------------------------------------------

  $("end").addEventListener("click", function () {
    $("end-dialog").showModal();
  });
  $("end-cancel").addEventListener("click", function () {
    $("end-dialog").close();
  });
  $("end-confirm").addEventListener("click", function () {
    $("end-dialog").close();
    state.ending = true;
    finish("You ended the interview.");
  });

  window.addEventListener("pagehide", function () {
    if (state.room) state.room.disconnect();
  });
})(window.JoinPage);
