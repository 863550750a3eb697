/* Watching an interview live: a hidden, subscribe-only LiveKit participant that plays the
   room's audio and shows its captions (lk.transcription) and typed messages (lk.chat). */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("watch-config").textContent);
  var LK = window.LivekitClient;
  var Captions = window.InterviewCaptions;
  var state = { room: null, status: null, finished: false };

  function $(id) {
    return document.getElementById(id);
  }

  function setState(name, text) {
    var node = $("watch-state");
    node.dataset.state = name;
    node.textContent = text;
  }

  function speaker(identity) {
    return identity && identity.indexOf("candidate-") === 0 ? "Candidate" : "Interviewer";
  }

  function wire(room) {
    var E = LK.RoomEvent;
    room.registerTextStreamHandler("lk.transcription", function (reader, participantInfo) {
      Captions.follow($("captions"), reader, speaker(participantInfo.identity));
    });
    room.registerTextStreamHandler("lk.chat", function (reader, participantInfo) {
      Captions.follow($("captions"), reader, speaker(participantInfo.identity) + " (typed)");
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
      $("watch-audio").hidden = room.canPlaybackAudio;
    });
    // A room closes a few seconds after its last visible participant leaves, and the
    // candidate's next join then brings a fresh interviewer: never hold it open alone.
    room.on(E.ParticipantDisconnected, function (participant) {
      if (speaker(participant.identity) !== "Candidate" || state.room !== room) return;
      leave(room, "The candidate left the interview; stopped watching.");
      followStatus();
    });
    room.on(E.Disconnected, function () {
      if (state.room !== room) return;
      stopped("The interview ended or the connection closed.");
      followStatus();
    });
  }

  function leave(room, text) {
    stopped(text);
    room.disconnect();
  }

  function someoneIsThere(room) {
    return room.remoteParticipants.size > 0;
  }

  function stopped(text) {
    state.room = null;
    $("watch-start").hidden = false;
    $("watch-start").disabled = state.finished || state.status !== "in_progress";
    $("watch-stop").hidden = true;
    $("watch-audio").hidden = true;
    setState("idle", text);
  }

  function start() {
    $("watch-start").disabled = true;
    setState("connecting", "Connecting\u2026");
    fetch(config.tokenUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": config.csrfToken, Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (data) {
          return { status: response.status, data: data };
        });
      })
      .then(function (result) {
        if (result.status !== 201) {
          var message = result.data && result.data.error ? result.data.error.message : "Refused.";
          return stopped(message);
        }
        var room = new LK.Room({ adaptiveStream: false, dynacast: false });
        state.room = room;
        wire(room);
        return room.connect(result.data.server_url, result.data.participant_token, { autoSubscribe: true }).then(
          function () {
            if (!someoneIsThere(room)) {
              return leave(room, "Nobody is in the interview room now; try again once the candidate is back.");
            }
            $("watch-start").hidden = true;
            $("watch-stop").hidden = false;
            setState("connected", "Watching. The candidate does not see you.");
            room.startAudio().catch(function () {});
          }
        );
      })
      .catch(function () {
        if (state.room) state.room.disconnect();
        stopped("Could not reach the media server. Try again in a moment.");
      });
  }

  // --- Following the interview to its end ---------------------------------------------

  function showStatus(data) {
    var changed = data.status !== state.status;
    state.status = data.status;
    state.finished = data.finished;
    $("interview-status").textContent = data.status_label;
    $("interview-status").dataset.status = data.status;
    if (!changed) return;
    if (data.finished) {
      var room = state.room;
      stopped("The interview is " + data.status_label.toLowerCase() + ": read its report for the transcript.");
      if (room) room.disconnect();
      $("watch-report").hidden = false;
    } else if (!state.room) {
      $("watch-start").disabled = !data.in_progress;
      setState(
        "idle",
        data.in_progress ? "Ready." : "This interview is " + data.status_label.toLowerCase() + ": there is nothing to watch now."
      );
    }
  }

  function followStatus() {
    return fetch(config.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data) showStatus(data);
      })
      .catch(function () {});
  }

  state.status = $("interview-status").dataset.status;
  var poll = setInterval(function () {
    if (state.finished) return clearInterval(poll);
    followStatus();
  }, Math.max(1, config.pollSeconds) * 1000);

  $("watch-start").addEventListener("click", function () {
    if (!LK) return setState("error", "Part of this page did not load. Reload it.");
    start();
  });
  $("watch-stop").addEventListener("click", function () {
    var room = state.room;
    stopped("Stopped watching.");
    if (room) room.disconnect();
  });
  $("watch-audio").addEventListener("click", function () {
    if (state.room) state.room.startAudio();
  });
  document.body.dataset.ready = "true";
})();
