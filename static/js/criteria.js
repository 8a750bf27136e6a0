// The criteria page: "How is it scored?" shows the number's boxes (unit, the number that
// scores 0 and the one that scores 10) only while "as a number" is chosen. Without
// JavaScript they are always shown, and ignored for a criterion scored by hand.
(function () {
  "use strict";

  function sync(group) {
    var chosen = group.querySelector("[data-scored-as]:checked");
    var fields = group.querySelector("[data-number-fields]");
    if (fields) fields.hidden = !chosen || chosen.value !== "number";
  }

  document.addEventListener("change", function (event) {
    var group = event.target.closest && event.target.closest("[data-scored-as-group]");
    if (group && event.target.matches("[data-scored-as]")) sync(group);
  });
  document.querySelectorAll("[data-scored-as-group]").forEach(sync);
  // A card's edit fields arrive by htmx as its details open.
  document.addEventListener("htmx:load", function (event) {
    event.target.querySelectorAll("[data-scored-as-group]").forEach(sync);
  });
})();
