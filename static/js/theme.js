// Follow the system's light or dark setting (loaded early to avoid a flash).
(function () {
  "use strict";
  var query = window.matchMedia("(prefers-color-scheme: dark)");
  function apply() {
    document.documentElement.setAttribute("data-bs-theme", query.matches ? "dark" : "light");
  }
  apply();
  query.addEventListener("change", apply);
  document.documentElement.classList.add("js");
})();
