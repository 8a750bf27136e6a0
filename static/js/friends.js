// The friend's page: each slider drives its number box (the field that is sent; empty
// means not rated), and nothing is saved until the one "Send" at the bottom. Without
// JavaScript the sliders and "Clear" buttons are hidden and the number boxes do the work.
(function () {
  "use strict";

  function rowOf(element) {
    return element.closest("[data-friend-row]");
  }

  // Sliders say their value as a person would, or that nothing is rated yet: an unset
  // slider still rests at 5, with its thumb hidden.
  function describe(row) {
    var range = row.querySelector("[data-friend-range]");
    range.setAttribute(
      "aria-valuetext",
      row.classList.contains("is-unscored") ? "not rated" : range.value + " of 10"
    );
  }

  function setRated(row, rated) {
    row.classList.toggle("is-unscored", !rated);
    row.querySelector("[data-friend-range]").classList.toggle("is-unscored", !rated);
    describe(row);
  }

  // A rating and "I can't say" exclude each other: giving one takes the other back.
  function untickCantSay(row) {
    var box = row.querySelector("[data-friend-cant-say]");
    if (box) box.checked = false;
  }

  document.addEventListener("input", function (event) {
    var target = event.target;
    var row = rowOf(target);
    if (!row) return;
    if (target.matches("[data-friend-range]")) {
      row.querySelector("[data-friend-number]").value = target.value;
      untickCantSay(row);
      setRated(row, true);
    } else if (target.matches("[data-friend-number]")) {
      if (target.validity.badInput) return; // crossroads.js says what is wrong
      var value = target.value === "" ? NaN : Number(target.value);
      if (Number.isInteger(value) && value >= 0 && value <= 10) {
        row.querySelector("[data-friend-range]").value = String(value);
        untickCantSay(row);
        setRated(row, true);
      } else if (target.value === "") {
        setRated(row, false);
      }
    }
  });

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-friend-cant-say]") || !box.checked) return;
    var row = rowOf(box);
    row.querySelector("[data-friend-number]").value = "";
    setRated(row, false);
  });

  document.addEventListener("click", function (event) {
    var clear = event.target.closest("[data-friend-clear]");
    if (!clear) return;
    var row = rowOf(clear);
    row.querySelector("[data-friend-number]").value = "";
    setRated(row, false);
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-friend-row]").forEach(describe);
    // After a send with errors, the summary of them takes the focus (autofocus does the
    // same without JavaScript, but not after the browser restores the scroll position).
    var summary = document.getElementById("error-summary") || document.querySelector("#thanks[autofocus]");
    if (summary && document.activeElement !== summary) summary.focus();
  });
})();
