// The swing weighting page: the move buttons reorder the swings in place (without
// JavaScript they submit the form and the page comes back reordered). The first swing is
// the reference, rated 100. After a move the form fires "swingMoved", which asks the
// server for the results (hx-trigger on the form). Loaded with the CSP nonce.
(function () {
  "use strict";

  function refresh(list) {
    var items = list.querySelectorAll("[data-swing-item]");
    items.forEach(function (item, index) {
      var rating = item.querySelector("[data-swing-rating]");
      var first = index === 0;
      if (first) rating.value = "100";
      rating.readOnly = first;
      item.querySelector("[data-swing-reference]").hidden = !first;
      item.querySelector('[data-swing-move="up"]').disabled = first;
      item.querySelector('[data-swing-move="down"]').disabled = index === items.length - 1;
    });
    return items.length;
  }

  function move(button) {
    var item = button.closest("[data-swing-item]");
    var list = item.parentElement;
    var direction = button.getAttribute("data-swing-move");
    var neighbour = direction === "up" ? item.previousElementSibling : item.nextElementSibling;
    if (!neighbour) return;
    list.insertBefore(item, direction === "up" ? neighbour : neighbour.nextElementSibling);
    var count = refresh(list);
    // Moving the row took focus away: give it back, to the twin button at either end.
    var same = item.querySelector('[data-swing-move="' + direction + '"]');
    var other = item.querySelector('[data-swing-move="' + (direction === "up" ? "down" : "up") + '"]');
    (same.disabled ? other : same).focus();
    var form = list.closest("form");
    var announce = form.querySelector("[data-swing-announce]");
    if (announce) {
      var place = Array.prototype.indexOf.call(list.children, item) + 1;
      announce.textContent = item.getAttribute("data-swing-name") + ": place " + place + " of " + count + ".";
    }
    if (window.htmx) {
      window.htmx.trigger(form, "swingMoved");
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-swing-move]");
    if (button && window.htmx) {
      event.preventDefault();
      move(button);
    }
  });

  // A rating's problem arrives beside it (out of band): mark the input to match.
  document.addEventListener("htmx:afterSettle", function () {
    document.querySelectorAll("[data-swing-item]").forEach(function (item) {
      var error = item.querySelector("[data-swing-error]");
      var rating = item.querySelector("[data-swing-rating]");
      var wrong = Boolean(error && error.textContent.trim());
      rating.classList.toggle("is-invalid", wrong);
      if (wrong) {
        rating.setAttribute("aria-invalid", "true");
      } else {
        rating.removeAttribute("aria-invalid");
      }
    });
  });
})();
