// Reviews: the running total of the scoring form and the comment requirement below the threshold.
// Loaded as a file (the Content-Security-Policy forbids inline scripts).
(function () {
  "use strict";
  function toTenths(value) {
    var n = parseFloat(String(value).replace(",", "."));
    return isFinite(n) ? Math.round(n * 10) : 0;  // whole tenths: no floating-point drift in the sum
  }
  function update(form) {
    var tenths = 0;
    var started = false;
    form.querySelectorAll(".js-score-input").forEach(function (input) {
      tenths += toTenths(input.value);
      if (input.value !== "") { started = true; }
      var max = parseFloat(input.getAttribute("max"));
      var value = parseFloat(input.value);
      input.classList.toggle("is-invalid", input.value !== "" && (!(value >= 0) || value > max));
    });
    var total = form.querySelector(".js-total");
    if (total) { total.textContent = (tenths / 10).toFixed(2); }  // totals: two places everywhere
    var comment = form.querySelector(".js-comment");
    if (comment) {
      var threshold = toTenths(comment.getAttribute("data-threshold"));
      var below = tenths < threshold;
      var warn = form.querySelector(".js-comment-warning");
      var mark = form.querySelector(".js-comment-mark");
      var needs = started && below && comment.value.trim() === "";
      if (warn) { warn.classList.toggle("d-none", !needs); }
      if (mark) { mark.classList.toggle("d-none", !below); }
      comment.required = below;
    }
  }
  document.querySelectorAll(".js-score-form").forEach(function (form) {
    form.addEventListener("input", function () { update(form); });
    update(form);
  });
})();
