// Small behaviours for Crossroads. No inline scripts: this file is loaded with the CSP nonce.
(function () {
  "use strict";

  // Scoring panel: keep each slider and its number input in step. The number input
  // is the field that is submitted (empty means "not scored"); the slider drives it.
  document.addEventListener("input", function (event) {
    var target = event.target;
    var row = target.closest(".score-row");
    if (row && target.matches("[data-score-range]")) {
      var number = row.querySelector("[data-score-number]");
      number.value = target.value;
      target.classList.remove("is-unscored");
    } else if (row && target.matches("[data-score-number]")) {
      var range = row.querySelector("[data-score-range]");
      var value = target.value === "" ? NaN : Number(target.value);
      if (Number.isInteger(value) && value >= 0 && value <= 10) {
        range.value = String(value);
        range.classList.remove("is-unscored");
      } else if (target.value === "") {
        range.classList.add("is-unscored");
      }
    }
    if (target.matches(".weight-range")) {
      var output = target.form && target.form.querySelector("[data-weight-output]");
      if (output) output.textContent = target.value;
    }
  });

  document.addEventListener("click", function (event) {
    var clear = event.target.closest("[data-score-clear]");
    if (clear) {
      var row = clear.closest(".score-row");
      var number = row.querySelector("[data-score-number]");
      number.value = "";
      row.querySelector("[data-score-range]").classList.add("is-unscored");
      number.dispatchEvent(new Event("input", { bubbles: true }));
    }
    if (event.target.closest(".js-retry")) {
      retryFailed();
    }
  });

  // Never lose a change silently: when a request fails, say so and offer a retry.
  var failed = null;
  var banner = function () { return document.getElementById("connection-error"); };

  function showFailure(element, message) {
    failed = element;
    var box = banner();
    if (!box) return;
    box.querySelector(".connection-error-text").textContent = message;
    box.hidden = false;
  }

  function retryFailed() {
    var box = banner();
    if (box) box.hidden = true;
    if (failed && document.body.contains(failed)) {
      var element = failed;
      failed = null;
      window.htmx.trigger(element, "input");
    }
  }

  document.addEventListener("htmx:sendError", function (event) {
    showFailure(event.detail.elt, "Could not reach Crossroads. Your change is still on this page but was not saved.");
  });
  document.addEventListener("htmx:responseError", function (event) {
    showFailure(event.detail.elt, "Crossroads could not save your last change (error " + event.detail.xhr.status + "). It is still on this page.");
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful && failed === null) {
      var box = banner();
      if (box) box.hidden = true;
    }
  });

  // Forms checked as you type (the pay form): once htmx has swapped in the fields'
  // messages, mark each input invalid or valid to match, for the eye and screen readers.
  document.addEventListener("htmx:afterSettle", function () {
    document.querySelectorAll("[data-error-for]").forEach(function (slot) {
      var input = document.getElementById(slot.getAttribute("data-error-for"));
      if (!input) return;
      if (slot.textContent.trim()) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    });
  });
})();
