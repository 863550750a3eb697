// The candidate's join page: consent, microphone check, then the interview room.
// Plain JavaScript; livekit-client's UMD build provides the global LivekitClient.
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("join-config").textContent);
  var LK = window.LivekitClient;
  var Captions = window.InterviewCaptions;

  var CONNECTION_LABELS = {
    idle: "Not connected",
    connecting: "Connecting…",
    connected: "Connected",
    reconnecting: "Reconnecting…",
    signalReconnecting: "Reconnecting…",
    disconnected: "Disconnected",
  };
  var AGENT_LABELS = {
    absent: "Not here yet",
    initializing: "Getting ready",
    idle: "Waiting",
    listening: "Listening",
    thinking: "Thinking",
    speaking: "Speaking",
    left: "Has left",
  };
  var LINK_PROBLEMS = ["interview_expired", "interview_revoked", "interview_completed", "interview_closed"];

  var state = {
    room: null,
    micStream: null,
    micCheck: 0, // which opening of the microphone check is current
    audioContext: null,
    meterTimer: 0,
    deviceId: "",
    micAvailable: null, // null: not tested yet
    elapsedTimer: 0,
    startedAt: 0,
    agentTimer: 0,
    agentSeen: false,
    connected: false,
    ending: false,
    finished: false,
    retry: null,
  };

  function $(id) {
    return document.getElementById(id);
  }

  // --- Steps, alerts and announcements --------------------------------------------------

  function show(step) {
    document.querySelectorAll("section[data-step]").forEach(function (section) {
      section.hidden = section.getAttribute("data-step") !== step;
    });
    var heading = document.querySelector('[data-step="' + step + '"] h1');
    if (heading) heading.focus();
    document.body.setAttribute("data-view", step);
  }

  function announce(text) {
    $("announcer").textContent = text;
  }

  function showAlert(message, retry) {
    $("alert-message").textContent = message;
    state.retry = retry || null;
    $("retry").hidden = !retry;
    $("alert").hidden = false;
    document.body.setAttribute("data-alert", "shown");
    if (retry) $("retry").focus();
  }

  function clearAlert() {
    $("alert").hidden = true;
    $("alert-message").textContent = "";
    state.retry = null;
    document.body.removeAttribute("data-alert");
  }

  function showLinkProblem(message) {
    show("none");
    showAlert(message + " Ask the recruiter who sent your invitation if you need a new link.");
  }

  // --- Server calls -----------------------------------------------------------------------

  function postJSON(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": config.csrfToken,
      },
      body: JSON.stringify(body || {}),
    }).then(function (response) {
      return response
        .json()
        .catch(function () {
          return null;
        })
        .then(function (data) {
          return { status: response.status, data: data };
        });
    });
  }

  function errorOf(result) {
    var error = (result.data && result.data.error) || {};
    return { code: error.code || "unknown", message: error.message || "" };
  }

  function handleRefusal(result, retry) {
    var error = errorOf(result);
    if (LINK_PROBLEMS.indexOf(error.code) !== -1) {
      showLinkProblem(error.message);
    } else if (error.code === "consent_required") {
      show("intro");
      showAlert("Please read how the interview works and agree before you start.");
    } else if (error.code === "rate_limited") {
      showAlert("Too many attempts in a short time. Wait a minute, then try again.", retry);
    } else if (error.code === "no_interview" || error.code === "csrf_failed") {
      showAlert("Your session has ended. Open the link from your invitation again.");
    } else {
      showAlert("Something went wrong on our side. Please try again in a moment.", retry);
    }
  }

  function unreachable(retry) {
    showAlert(
      "We could not reach the interview server. Check your internet connection, then try again.",
      retry
    );
  }

  // --- Consent and accommodation ------------------------------------------------------

  $("consent-form").addEventListener("submit", function (event) {
    event.preventDefault();
    clearAlert();
    var box = $("consent");
    if (!box.checked) {
      $("consent-error").hidden = false;
      box.setAttribute("aria-invalid", "true");
      box.focus();
      return;
    }
    $("consent-error").hidden = true;
    box.removeAttribute("aria-invalid");
    var submit = $("consent-submit");
    submit.disabled = true;
    var body = { choice: "consent", consent: true, notice_version: config.noticeVersion };
    postJSON(config.consentUrl, body)
      .then(function (result) {
        submit.disabled = false;
        if (result.status !== 200) return handleRefusal(result, null);
        config.consented = true;
        show("check");
        startMicCheck("");
      })
      .catch(function () {
        submit.disabled = false;
        unreachable(function () {
          clearAlert();
          $("consent-submit").click();
        });
      });
  });

  $("accommodation-form").addEventListener("submit", function (event) {
    event.preventDefault();
    clearAlert();
    postJSON(config.consentUrl, { choice: "accommodation", note: $("accommodation-note").value })
      .then(function (result) {
        if (result.status !== 200) return handleRefusal(result, null);
        $("accommodation").open = false;
        $("accommodation-status").hidden = false;
        announce("Your request was sent. A recruiter will follow up with you.");
      })
      .catch(function () {
        unreachable(null);
      });
  });

  // --- Microphone check -----------------------------------------------------------------

  function stopMicCheck() {
    state.micCheck += 1;
    if (state.meterTimer) clearInterval(state.meterTimer);
    state.meterTimer = 0;
    if (state.micStream) {
      state.micStream.getTracks().forEach(function (track) {
        track.stop();
      });
    }
    state.micStream = null;
    $("mic-level").value = 0;
  }

  function micUnavailable(reason) {
    state.micAvailable = false;
    $("mic-problem-reason").textContent = reason;
    $("mic-problem").hidden = false;
    $("mic-test").textContent = "Try the microphone again";
    $("start").textContent = "Start the interview by typing";
    $("typing-note").hidden = false;
    $("call-mic").hidden = true;
    document.body.setAttribute("data-mic", "unavailable");
  }

  function micReason(error) {
    var name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError") {
      return "Microphone access was not allowed in this browser.";
    }
    if (name === "NotFoundError" || name === "OverconstrainedError") {
      return "No microphone was found.";
    }
    if (name === "NotReadableError") {
      return "The microphone is in use by another program.";
    }
    return "The microphone could not be started.";
  }

  // The microphone check's picker, and the one shown during the interview.
  function listDevices() {
    return navigator.mediaDevices.enumerateDevices().then(function (devices) {
      var inputs = devices.filter(function (device) {
        return device.kind === "audioinput";
      });
      [$("mic-select"), $("call-mic-select")].forEach(function (select) {
        select.textContent = "";
        inputs.forEach(function (device, index) {
          var option = document.createElement("option");
          option.value = device.deviceId;
          option.textContent = device.label || "Microphone " + (index + 1);
          option.selected = device.deviceId === state.deviceId;
          select.appendChild(option);
        });
        select.disabled = inputs.length === 0;
      });
    });
  }

  function startMeter(stream) {
    var AudioContextClass = window.AudioContext || window.webkitAudioContext;
    if (!AudioContextClass) return;
    state.audioContext = state.audioContext || new AudioContextClass();
    state.audioContext.resume();
    var source = state.audioContext.createMediaStreamSource(stream);
    var analyser = state.audioContext.createAnalyser();
    analyser.fftSize = 1024;
    source.connect(analyser);
    var samples = new Float32Array(analyser.fftSize);
    var meter = $("mic-level");
    var heard = false;
    state.meterTimer = setInterval(function () {
      analyser.getFloatTimeDomainData(samples);
      var sum = 0;
      for (var i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
      var level = Math.min(1, Math.sqrt(sum / samples.length) * 4);
      meter.value = level;
      if (!heard && level > 0.05) {
        heard = true;
        $("mic-heard").textContent = "We can hear you.";
      }
    }, 100);
  }

  function startMicCheck(deviceId) {
    stopMicCheck();
    $("mic-heard").textContent = "";
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      micUnavailable("This browser cannot use a microphone on this page.");
      return Promise.resolve();
    }
    var constraints = { audio: deviceId ? { deviceId: { exact: deviceId } } : true };
    var check = state.micCheck;
    return navigator.mediaDevices
      .getUserMedia(constraints)
      .then(function (stream) {
        if (check !== state.micCheck) {
          // The interview started (or another microphone was chosen) while this one
          // opened: release it, or the device stays open behind the interview's own.
          stream.getTracks().forEach(function (track) {
            track.stop();
          });
          return;
        }
        state.micStream = stream;
        state.micAvailable = true;
        var track = stream.getAudioTracks()[0];
        state.deviceId = (track && track.getSettings().deviceId) || deviceId || "";
        $("mic-problem").hidden = true;
        $("typing-note").hidden = true;
        $("mic-test").textContent = "Test my microphone again";
        $("start").textContent = "Start the interview";
        document.body.setAttribute("data-mic", "ready");
        startMeter(stream);
        return listDevices();
      })
      .catch(function (error) {
        if (check === state.micCheck) micUnavailable(micReason(error));
      });
  }

  $("mic-test").addEventListener("click", function () {
    startMicCheck(state.deviceId);
  });

  // During the interview the room reopens the published microphone on the chosen device.
  function chooseMicrophone(deviceId) {
    state.deviceId = deviceId;
    $("mic-select").value = deviceId;
    $("call-mic-select").value = deviceId;
    if (state.room) {
      state.room.switchActiveDevice("audioinput", deviceId).catch(function () {
        showAlert("That microphone could not be used. Choose another one.");
      });
    } else {
      startMicCheck(deviceId);
    }
  }

  $("mic-select").addEventListener("change", function () {
    chooseMicrophone($("mic-select").value);
  });
  $("call-mic-select").addEventListener("change", function () {
    chooseMicrophone($("call-mic-select").value);
  });

  // --- The interview room -----------------------------------------------------------------

  function setConnection(name) {
    var element = $("connection-state");
    element.setAttribute("data-state", name);
    element.textContent = CONNECTION_LABELS[name] || name;
    document.body.setAttribute("data-connection", name);
    if (name === "reconnecting" || name === "connected") announce("Connection: " + element.textContent);
  }

  function setAgentState(name) {
    var element = $("agent-state");
    element.setAttribute("data-state", name);
    element.textContent = AGENT_LABELS[name] || name;
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
    showHowToAnswer(participant.attributes["interview.hears_speech"]);
    setAgentState(participant.attributes["lk.agent.state"] || "initializing");
    announce("The interviewer has joined.");
  }

  function waitForAgent(room) {
    var agent = agentIn(room);
    if (agent) return agentArrived(agent);
    state.agentTimer = setTimeout(function () {
      if (state.agentSeen || state.room !== room) return;
      showAlert(
        "The interviewer did not join. The service may be busy: please try again in a moment.",
        function () {
          leaveRoom().then(startInterview);
        }
      );
    }, config.agentJoinTimeoutSeconds * 1000);
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
        waitForAgent(room);
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

  $("retry").addEventListener("click", function () {
    if (state.retry) state.retry();
  });

  // --- Chat ---------------------------------------------------------------------------

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

  // --- Start --------------------------------------------------------------------------

  if (config.consented) {
    show("check");
  } else {
    show("intro");
  }
  document.body.setAttribute("data-ready", "true");
})();
