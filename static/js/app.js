// Platform behaviour. Loaded as a file: the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.classList && el.classList.contains("js-autosubmit") && el.form) {
      el.form.submit();
    }
  });
  // Confirmation prompts for destructive actions: <button data-confirm="...">
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  // Select-all checkboxes: <input type=checkbox data-select-all="name">
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.dataset && el.dataset.selectAll) {
      document.querySelectorAll('input[type=checkbox][name="' + el.dataset.selectAll + '"]').forEach(function (box) {
        box.checked = el.checked;
      });
    }
  });
  // A table that scrolls inside its box must be reachable by keyboard (WCAG 2.1.1): make each scrolling
  // wrapper a focusable, named region; wrappers that fit get no extra tab stop.
  function keyboardScrollable() {
    var title = (document.querySelector("main h1") || {}).textContent || document.title;
    document.querySelectorAll(".table-wrap, .table-responsive").forEach(function (box) {
      var scrolls = box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-label")) {
          box.setAttribute("aria-label", title.trim());
        }
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", keyboardScrollable);
  } else {
    keyboardScrollable();
  }
  window.addEventListener("resize", keyboardScrollable);
})();
