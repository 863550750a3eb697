/* The join page's first step and the page's start: consent to the notice (then the
   microphone check), the request for an alternative or an accommodation, and the step
   shown when the page opens. Loaded last of the join page's scripts: it marks the page
   ready (body[data-ready]) once every control is wired. Needs join-page.js and
   join-microphone.js. */
(function (Join) {
  "use strict";

  var config = Join.config;
  var $ = Join.$;
  var show = Join.show;
  var announce = Join.announce;
  var clearAlert = Join.clearAlert;
  var postJSON = Join.postJSON;
  var handleRefusal = Join.handleRefusal;
  var unreachable = Join.unreachable;
  var startMicCheck = Join.startMicCheck;

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
    var noRecording = $("accommodation-no-recording");
    postJSON(config.consentUrl, {
      choice: "accommodation",
      note: $("accommodation-note").value,
      no_recording: Boolean(noRecording && noRecording.checked),
    })
      .then(function (result) {
        if (result.status !== 200) return handleRefusal(result, null);
        $("accommodation").open = false;
        $("accommodation-status").hidden = false;
        if (result.data && result.data.can_go_on === false) {
          // This position records every interview: the candidate waits for the recruiter.
          $("accommodation-status").textContent = result.data.message;
          $("consent-form").hidden = true;
        }
        announce(
          result.data && result.data.message
            ? result.data.message
            : "Your request was sent. A recruiter will follow up with you."
        );
      })
      .catch(function () {
        unreachable(null);
      });
  });

  // --- Start --------------------------------------------------------------------------

  if (config.consented) {
    show("check");
  } else {
    show("intro");
  }
  document.body.setAttribute("data-ready", "true");
})(window.JoinPage);
