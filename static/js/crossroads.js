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
      clearBadNumber(number);
      setUnscored(row, false);
      describeSlider(target);
    } else if (row && target.matches("[data-score-number]")) {
      var range = row.querySelector("[data-score-range]");
      if (target.validity.badInput) {
        // Letters typed over a score: the browser reports them as an empty value, which
        // would save as "not scored". Nothing is sent; the saved score stands.
        window.clearTimeout(row.scoreTimer);
        flagBadNumber(target);
        return;
      }
      clearBadNumber(target);
      var value = target.value === "" ? NaN : Number(target.value);
      if (Number.isInteger(value) && value >= 0 && value <= 10) {
        range.value = String(value);
        setUnscored(row, false);
      } else if (target.value === "") {
        setUnscored(row, true);
        dropRange(row);  // a range is about a score: it goes with it (the row says so)
      }
      describeSlider(range);
    } else if (row && target.matches("[data-range-low], [data-range-high]")) {
      confirmRange(row);
    }
    if (row && target.matches("[data-score-range], [data-score-number]")) {
      proposeRange(row);
      stretchRange(row);
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
    var low = row.querySelector("[data-range-low]");
    var high = row.querySelector("[data-range-high]");
    var range = !low || row.dataset.rangeDraft ? "" : low.value + "-" + high.value;
    return row.querySelector("[data-score-number]").value + "\u0000" + (note ? note.value : "") + "\u0000" + range;
  }

  // "I'm unsure": a low and a high around the score. Opening the toggle proposes the
  // score ± 2 but saves nothing: the proposal is left out of the row's request (its
  // hx-params) until a box is changed or "Keep this range" is pressed. "No range", or
  // clearing the score, removes it.
  function rangeParts(row) {
    return {
      toggle: row.querySelector("[data-range-toggle]"),
      boxes: row.querySelector("[data-range]"),
      low: row.querySelector("[data-range-low]"),
      high: row.querySelector("[data-range-high]"),
      keep: row.querySelector("[data-range-keep]")
    };
  }

  function setRangeOpen(row, open) {
    var parts = rangeParts(row);
    if (!parts.toggle) return;
    parts.toggle.setAttribute("aria-expanded", open ? "true" : "false");
    parts.boxes.classList.toggle("is-closed", !open);
  }

  function setRangeDraft(row, draft) {
    var parts = rangeParts(row);
    if (!parts.low) return;
    if (draft && !row.dataset.rangeDraft) {
      row.dataset.fullParams = row.getAttribute("hx-params");
      row.setAttribute("hx-params", row.getAttribute("data-range-params"));
      row.dataset.rangeDraft = "1";
    } else if (!draft && row.dataset.rangeDraft) {
      row.setAttribute("hx-params", row.dataset.fullParams);
      delete row.dataset.rangeDraft;
    }
    if (parts.keep) parts.keep.hidden = !draft;
  }

  function proposeRange(row, force) {
    var parts = rangeParts(row);
    if (!parts.low || !(force || row.dataset.rangeDraft)) return;
    var score = row.querySelector("[data-score-number]").value;
    var value = score === "" ? NaN : Number(score);
    if (!Number.isInteger(value)) return;
    parts.low.value = String(Math.max(0, value - 2));
    parts.high.value = String(Math.min(10, value + 2));
  }

  // A score moved past its range takes that end with it: the range still holds it.
  function stretchRange(row) {
    var parts = rangeParts(row);
    if (!parts.low || row.dataset.rangeDraft || parts.low.value === "" || parts.high.value === "") return;
    var score = row.querySelector("[data-score-number]").value;
    var value = score === "" ? NaN : Number(score);
    if (!Number.isInteger(value) || value < 0 || value > 10) return;
    if (Number(parts.low.value) > value) parts.low.value = String(value);
    if (Number(parts.high.value) < value) parts.high.value = String(value);
  }

  function confirmRange(row) {
    setRangeDraft(row, false);
  }

  function dropRange(row) {
    var parts = rangeParts(row);
    if (!parts.low) return;
    parts.low.value = "";
    parts.high.value = "";
    clearBadNumber(parts.low);
    clearBadNumber(parts.high);
    setRangeDraft(row, false);
    setRangeOpen(row, false);
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-range-toggle]");
    var keep = event.target.closest("[data-range-keep]");
    var none = event.target.closest("[data-range-clear]");
    var row = (toggle || keep || none) && event.target.closest(".score-row");
    if (!row) return;
    var parts = rangeParts(row);
    if (toggle) {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      if (open) {
        setRangeOpen(row, true);
        if (parts.low.value === "" && parts.high.value === "") {
          setRangeDraft(row, true);
          proposeRange(row, true);
        }
        parts.low.focus();
      } else {
        if (row.dataset.rangeDraft) dropRange(row);
        setRangeOpen(row, false);
      }
    } else if (keep) {
      confirmRange(row);
      scheduleSave(row, 0);
      parts.low.focus();
    } else if (none) {
      var had = parts.low.value !== "" || parts.high.value !== "";
      var draft = row.dataset.rangeDraft;
      dropRange(row);
      parts.toggle.focus();
      if (had && !draft) scheduleSave(row, 0);
    }
  });

  // Without a save of its own, the plain form would send a proposed range as if chosen.
  document.addEventListener("submit", function (event) {
    event.target.querySelectorAll(".score-row[data-range-draft]").forEach(dropRange);
  }, true);

  function scheduleSave(row, delay) {
    window.clearTimeout(row.scoreTimer);
    row.scoreTimer = window.setTimeout(function () {
      var number = row.querySelector("[data-score-number]");
      if (number.validity.badInput) {
        flagBadNumber(number);
        return;
      }
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

  // A row with no score shows it: the slider's thumb is hidden (a thumb resting at 5
  // would read as a 5) and the row says "not scored".
  function setUnscored(row, unscored) {
    row.classList.toggle("is-unscored", unscored);
    row.querySelector("[data-score-range]").classList.toggle("is-unscored", unscored);
  }

  // Number and date boxes everywhere: a browser reports what it cannot read ("abc",
  // "7,5" in some locales, a date typed halfway) as an empty value, so a form sent as it
  // is would clear the field. Such a box is marked and said to be wrong, and nothing is
  // sent until it is corrected; the value saved before stays.
  var BAD_DATE = "That is not a whole date: pick one from the calendar or finish typing it. Nothing was saved from this box.";
  var BAD_NUMBER = "That is not a number: type it in digits (for example 7). Nothing was saved from this box.";

  function notTyped(input, key) {
    return "“" + key + "” is not a number, so it was not typed. " + (
      input.matches("[data-score-number]")
        ? "A score is a whole number from 0 to 10; the score stays as it was."
        : "Type the figure in digits; the box keeps what it had."
    );
  }

  function feedbackFor(input) {
    var id = (input.id || input.name) + "-bad-number";
    var slot = document.getElementById(id);
    if (!slot) {
      slot = document.createElement("div");
      slot.id = id;
      slot.className = "invalid-feedback d-block bad-number";
      slot.setAttribute("role", "alert");
      var anchor = input.closest(".input-group") || input;
      if (input.matches("[data-score-number]")) anchor = input.closest(".score-row").querySelector(".meanings") || anchor;
      anchor.insertAdjacentElement("afterend", slot);
      var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (described.indexOf(id) === -1) described.push(id);
      input.setAttribute("aria-describedby", described.join(" "));
    }
    return slot;
  }

  function flagBadNumber(input, message) {
    message = message || (input.type === "date" ? BAD_DATE : BAD_NUMBER);
    input.classList.add("is-invalid");
    input.setAttribute("aria-invalid", "true");
    var slot = feedbackFor(input);
    if (slot.textContent !== message) slot.textContent = message;
  }

  function clearBadNumber(input) {
    var slot = document.getElementById((input.id || input.name) + "-bad-number");
    if (!slot) return;
    slot.remove();
    input.classList.remove("is-invalid");
    input.removeAttribute("aria-invalid");
  }

  function badNumbers(scope) {
    return Array.prototype.filter.call(scope.querySelectorAll("input[type=number], input[type=date]"), function (input) {
      return input.validity.badInput;
    });
  }

  // Chromium drops a letter typed into a number box but still deletes the selection it
  // was typed over, so "abc" over a 7 leaves an empty box that reads as "not scored".
  // Letters are stopped before they reach the box, and said to be refused.
  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=number]")) return;
    if (event.ctrlKey || event.metaKey || event.altKey || event.key.length !== 1) return;
    var allowed = input.matches("[data-score-number], [data-range-low], [data-range-high]") ? /[0-9]/ : /[0-9.,+\-eE]/;
    if (allowed.test(event.key)) return;
    event.preventDefault();
    flagBadNumber(input, notTyped(input, event.key));
  });
  document.addEventListener("paste", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=number]") || !event.clipboardData) return;
    var text = event.clipboardData.getData("text").trim();
    if (text === "" || Number.isFinite(Number(text))) return;
    event.preventDefault();
    flagBadNumber(input, notTyped(input, text.slice(0, 20)));
  });

  // Any number box: checked as it changes, and before any form or htmx request leaves.
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=number], input[type=date]") || input.matches("[data-score-number]")) return;
    if (input.validity.badInput) flagBadNumber(input);
    else clearBadNumber(input);
  });
  document.addEventListener("submit", function (event) {
    var bad = badNumbers(event.target);
    if (!bad.length) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    bad.forEach(flagBadNumber);
    bad[0].focus();
  }, true);
  document.addEventListener("htmx:confirm", function (event) {
    var elt = event.detail.elt;
    var scope = elt.matches("form, .score-row") ? elt : elt.closest("form") || elt;
    var bad = badNumbers(scope);
    if (elt.matches("input[type=number], input[type=date]") && elt.validity.badInput) bad = [elt];
    if (!bad.length) return;
    event.preventDefault();
    bad.forEach(flagBadNumber);
  });

  // Text with a length limit (data-maxlength, set by the form renderer): a counter shows
  // how much is left once it gets close, and says by how much it is over. Nothing is cut;
  // the form refuses over-long text and keeps it, so it can be shortened.
  function countChars(input) {
    var limit = Number(input.getAttribute("data-maxlength"));
    if (!limit) return;
    var id = (input.id || input.name) + "-count";
    var counter = document.getElementById(id);
    if (!counter) {
      counter = document.createElement("div");
      counter.id = id;
      counter.className = "form-text char-count";
      input.insertAdjacentElement("afterend", counter);
      var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (described.indexOf(id) === -1) described.push(id);
      input.setAttribute("aria-describedby", described.join(" "));
    }
    var length = input.value.length;
    var over = length - limit;
    counter.hidden = length < limit * 0.8;
    counter.classList.toggle("text-danger", over > 0);
    counter.textContent = over > 0
      ? length + " / " + limit + " characters: " + over + " too many. Shorten it to save; nothing is cut."
      : length + " / " + limit + " characters";
    if (over > 0) input.setAttribute("aria-invalid", "true");
    else if (!input.classList.contains("is-invalid")) input.removeAttribute("aria-invalid");
  }

  function countAll() {
    document.querySelectorAll("[data-maxlength]").forEach(countChars);
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-maxlength]")) countChars(event.target);
  });

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
    countAll();
    scheduleToasts();
  });
  document.addEventListener("htmx:afterSettle", function () {
    describeSliders();
    countAll();
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
      clearBadNumber(number);
      setUnscored(row, true);
      dropRange(row);
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
