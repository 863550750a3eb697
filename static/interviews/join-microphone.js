/* The join page's microphone: the check before the interview (the level meter and "We
   can hear you."), what the page says when no microphone can be used, and the microphone
   pickers of the check and of the interview. Needs join-page.js; adds to window.JoinPage. */
(function (Join) {
  "use strict";

  var state = Join.state;
  var $ = Join.$;
  var showAlert = Join.showAlert;

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

  Join.stopMicCheck = stopMicCheck;
  Join.startMicCheck = startMicCheck;
  Join.micUnavailable = micUnavailable;
  Join.micReason = micReason;
  Join.listDevices = listDevices;
})(window.JoinPage);
