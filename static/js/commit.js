// The commit step: picking a suggested forecast writes its words into the statement
// beside it (still editable), unless the user has written their own words there. Without
// this script the server takes the suggestion's words for an empty statement.
(function () {
  "use strict";

  function statementFor(select) {
    return document.querySelector(
      'input[data-forecast-statement="' + select.dataset.forecastTemplate + '"]'
    );
  }

  function textOf(select, value) {
    var option = Array.prototype.find.call(select.options, function (o) {
      return o.value === value;
    });
    return option && option.value ? option.text : "";
  }

  document.querySelectorAll("select[data-forecast-template]").forEach(function (select) {
    var previous = select.value;
    select.addEventListener("change", function () {
      var input = statementFor(select);
      if (input && (input.value === "" || input.value === textOf(select, previous))) {
        input.value = textOf(select, select.value);
        input.dispatchEvent(new Event("input", { bubbles: true }));
      }
      previous = select.value;
    });
  });
})();
