/* The candidate's join page, part shared by its other scripts (join-*.js, loaded after
   this one): the page's config and state, its steps, alerts and announcements, and the
   calls to the server. Plain JavaScript; exposes window.JoinPage. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("join-config").textContent);

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
    slowAlert: false, // "the interviewer is taking longer than usual" is shown
    queuePlace: null, // the place in line last announced, while every interviewer is busy
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
    state.slowAlert = false;
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

  $("retry").addEventListener("click", function () {
    if (state.retry) state.retry();
  });

  window.JoinPage = {
    config: config,
    state: state,
    $: $,
    show: show,
    announce: announce,
    showAlert: showAlert,
    clearAlert: clearAlert,
    postJSON: postJSON,
    handleRefusal: handleRefusal,
    unreachable: unreachable,
  };
})();
