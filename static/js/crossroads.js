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
      describeSlider(target);
    } else if (row && target.matches("[data-score-number]")) {
      var range = row.querySelector("[data-score-range]");
      var value = target.value === "" ? NaN : Number(target.value);
      if (Number.isInteger(value) && value >= 0 && value <= 10) {
        range.value = String(value);
        range.classList.remove("is-unscored");
      } else if (target.value === "") {
        range.classList.add("is-unscored");
      }
      describeSlider(range);
    }
    if (row) scheduleSave(row, target.matches("[data-score-range], [data-score-number]") ? 250 : 600);
    if (target.matches(".weight-range")) {
      var output = target.form && target.form.querySelector("[data-weight-output]");
      if (output) output.textContent = target.value;
      target.setAttribute("aria-valuetext", "weight " + target.value + " of 10");
    }
  });

  // When a score is saved. A key press, a click or letting go of a slider fires "change",
  // and that saves at once; while a slider is dragged (or a number or note typed) a save
  // goes out when it rests. The row posts on "scoreSave" (hx-trigger), its requests queue
  // on the form so they arrive in order, and the same values are never sent twice running.
  document.addEventListener("change", function (event) {
    var row = event.target.closest(".score-row");
    if (row) scheduleSave(row, 0);
  });

  function rowState(row) {
    var note = row.querySelector("[data-score-note]");
    return row.querySelector("[data-score-number]").value + "\u0000" + (note ? note.value : "");
  }

  function scheduleSave(row, delay) {
    window.clearTimeout(row.scoreTimer);
    row.scoreTimer = window.setTimeout(function () {
      var state = rowState(row);
      if (row.dataset.sentState === state) return;
      row.dataset.sentState = state;
      window.htmx.trigger(row, "scoreSave");
    }, delay);
  }

  function rememberScores() {
    document.querySelectorAll(".score-row").forEach(function (row) {
      row.dataset.sentState = rowState(row);
    });
  }

  // Sliders say their value as a person would ("7 of 10"), or that nothing is scored yet,
  // which a bare number cannot: an unscored slider still rests at 5.
  function describeSlider(range) {
    range.setAttribute(
      "aria-valuetext",
      range.classList.contains("is-unscored") ? "not scored" : range.value + " of 10"
    );
  }

  function describeSliders() {
    document.querySelectorAll("[data-score-range]").forEach(describeSlider);
    document.querySelectorAll(".weight-range").forEach(function (range) {
      range.setAttribute("aria-valuetext", "weight " + range.value + " of 10");
    });
  }

  // Score changes are read out from one live region that is never swapped (a region that
  // is itself replaced is not reliably announced): the new summary carries the sentence.
  function announceScore() {
    var summary = document.querySelector("#score-summary [data-announce]");
    var announcer = document.getElementById("score-announcer");
    if (summary && announcer && announcer.textContent !== summary.textContent) {
      announcer.textContent = summary.textContent;
    }
  }

  // Toasts: confirmations fade after a few seconds; errors and warnings stay until dismissed.
  function scheduleToasts() {
    document.querySelectorAll("#toasts .alert:not([data-scheduled])").forEach(function (toast) {
      toast.setAttribute("data-scheduled", "");
      if (toast.matches(".alert-danger, .alert-warning")) return;
      window.setTimeout(function () {
        if (!document.body.contains(toast)) return;
        if (toast.contains(document.activeElement) || toast.matches(":hover")) {
          toast.removeAttribute("data-scheduled");
          window.setTimeout(scheduleToasts, 2000);
          return;
        }
        toast.remove();
      }, 6000);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    rememberScores();
    describeSliders();
    scheduleToasts();
  });
  document.addEventListener("htmx:afterSettle", function () {
    describeSliders();
    scheduleToasts();
  });
  // Sent by the server (HX-Trigger) when a score was saved, once the new summary settled.
  document.body.addEventListener("scoreChanged", announceScore);

  // Plain forms: a second click while the page is on its way would submit twice, so the
  // button is disabled (and says why) until the browser leaves; coming back through the
  // back/forward cache re-enables it. htmx forms use hx-disabled-elt instead.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || form.hasAttribute("hx-post") || form.hasAttribute("hx-get")) return;
    if (form.method.toLowerCase() !== "post") return;
    var button = event.submitter;
    // After this tick, so the clicked button's name and value are still submitted.
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit]:not([disabled]), button:not([type]):not([disabled])").forEach(function (b) {
        b.disabled = true;
        b.setAttribute("data-submitting", "");
      });
      if (button) button.setAttribute("aria-busy", "true");
    }, 0);
  });
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("button[data-submitting]").forEach(function (b) {
      b.disabled = false;
      b.removeAttribute("data-submitting");
      b.removeAttribute("aria-busy");
    });
  });

  document.addEventListener("click", function (event) {
    var clear = event.target.closest("[data-score-clear]");
    if (clear) {
      var row = clear.closest(".score-row");
      var number = row.querySelector("[data-score-number]");
      number.value = "";
      row.querySelector("[data-score-range]").classList.add("is-unscored");
      describeSlider(row.querySelector("[data-score-range]"));
      scheduleSave(row, 0);
    }
    if (event.target.closest(".js-retry")) {
      retryFailed();
    }
    if (event.target.closest("[data-print]")) {
      window.print();
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
      if (element.matches(".score-row")) {
        delete element.dataset.sentState;
        window.htmx.trigger(element, "scoreSave");
      } else {
        window.htmx.trigger(element, "input");
      }
    }
  }

  document.addEventListener("htmx:sendError", function (event) {
    delete event.detail.elt.dataset.sentState;  // not saved: the same value may go again
    showFailure(event.detail.elt, "Could not reach Crossroads. Your change is still on this page but was not saved.");
  });
  document.addEventListener("htmx:responseError", function (event) {
    delete event.detail.elt.dataset.sentState;
    showFailure(event.detail.elt, "Crossroads could not save your last change (error " + event.detail.xhr.status + "). It is still on this page.");
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful && failed === null) {
      var box = banner();
      if (box) box.hidden = true;
    }
  });

  // A thin bar under the navigation while any htmx request takes longer than a moment:
  // quick ones (most slider saves) finish before it would flicker into view.
  var inFlight = 0;
  var progressTimer = null;
  function progress() { return document.getElementById("request-progress"); }
  document.addEventListener("htmx:beforeRequest", function () {
    inFlight += 1;
    if (progressTimer === null) {
      progressTimer = window.setTimeout(function () {
        var bar = progress();
        if (bar && inFlight > 0) bar.hidden = false;
      }, 300);
    }
  });
  document.addEventListener("htmx:afterRequest", function () {
    inFlight = Math.max(0, inFlight - 1);
    if (inFlight === 0) {
      window.clearTimeout(progressTimer);
      progressTimer = null;
      var bar = progress();
      if (bar) bar.hidden = true;
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
