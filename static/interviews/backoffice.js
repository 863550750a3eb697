/* The back office: copy buttons on link boxes, and suggestions of existing candidates in
   the invite form's email field. */
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var done = document.execCommand("copy");
    area.remove();
    return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) return;
    var source = document.getElementById(button.dataset.copyTarget);
    if (!source) return;
    var shown = button.querySelector(".copy-label") || button;
    var label = button.dataset.label || shown.textContent;
    button.dataset.label = label;
    copyText(source.textContent.trim()).then(
      function () {
        shown.textContent = "Copied";
        button.dataset.copied = "true";
      },
      function () {
        shown.textContent = "Select and copy";
        var range = document.createRange();
        range.selectNodeContents(source);
        window.getSelection().removeAllRanges();
        window.getSelection().addRange(range);
      }
    );
    setTimeout(function () {
      shown.textContent = label;
      delete button.dataset.copied;
    }, 2500);
  });

  function inviteForm() {
    var form = document.getElementById("invite-form");
    if (!form) return;
    var email = form.querySelector("#id_email");
    var list = document.getElementById("candidate-emails");
    var found = document.getElementById("candidate-found");
    var known = {};
    var timer = null;

    function fill(candidate) {
      var name = form.querySelector("#id_name");
      var experience = form.querySelector("#id_experience_years");
      var position = form.querySelector("#id_position");
      if (!name.value) name.value = candidate.name;
      if (experience.value === "") experience.value = candidate.experience_years;
      if (!position.value && position.querySelector('option[value="' + candidate.position + '"]')) {
        position.value = String(candidate.position);
      }
      found.textContent = "Already in the system: " + candidate.name + ". Their profile is used as it is.";
    }

    function suggest() {
      var typed = email.value.trim();
      var exact = known[typed.toLowerCase()];
      if (exact) return fill(exact);
      found.textContent = "";
      if (typed.length < 2) return;
      var url = form.dataset.suggestionsUrl + "?q=" + encodeURIComponent(typed);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { candidates: [] };
        })
        .then(function (data) {
          list.replaceChildren();
          data.candidates.forEach(function (candidate) {
            known[candidate.email] = candidate;
            var option = document.createElement("option");
            option.value = candidate.email;
            option.label = candidate.name;
            list.appendChild(option);
          });
          if (known[email.value.trim().toLowerCase()]) fill(known[email.value.trim().toLowerCase()]);
        })
        .catch(function () {});
    }

    email.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(suggest, 200);
    });
    email.addEventListener("change", suggest);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", inviteForm);
  else inviteForm();
})();
