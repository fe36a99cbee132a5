// Kiềng: small progressive enhancements. Every page works without this file.
"use strict";
document.addEventListener("submit", function (ev) {
  var form = ev.target;
  var msg = form.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) { ev.preventDefault(); }
});
// Selects marked data-autosubmit apply a filter as soon as they change.
document.addEventListener("change", function (ev) {
  var el = ev.target;
  if (el.matches && el.matches("select[data-autosubmit]") && el.form) { el.form.requestSubmit(); }
});
// On a narrow screen the menu folds behind a button (without this file it
// stays open above the page).
(function () {
  var btn = document.querySelector(".menu-toggle");
  var side = document.getElementById("side");
  if (!btn || !side) { return; }
  btn.hidden = false;
  document.documentElement.classList.add("js");
  btn.addEventListener("click", function () {
    var open = side.classList.toggle("open");
    btn.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
