// A link shown once (asking friends): "Copy" puts it on the clipboard. Without JavaScript
// the button is hidden and the read-only field's text can be selected and copied by hand.
(function () {
  "use strict";

  function say(text) {
    var status = document.querySelector("[data-copy-status]");
    if (status) status.textContent = text;
  }

  function copyBySelection(field) {
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) return;
    field.select();
    var copied = function () {
      button.textContent = "Copied";
      say("Copied to the clipboard.");
    };
    var failed = function () {
      if (copyBySelection(field)) {
        copied();
      } else {
        say("Could not copy: the link is selected, copy it by hand.");
      }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(copied, failed);
    } else {
      failed();
    }
  });

  // Focusing the field selects the whole link, ready to copy.
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) {
      event.target.select();
    }
  });
})();
