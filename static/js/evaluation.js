// Evaluation pages. Loaded as a file: the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";
  // Live total of the weights on the weights page: <output class="js-weight-total" data-fields="selector">
  function updateTotals() {
    document.querySelectorAll(".js-weight-total").forEach(function (out) {
      var total = 0;
      document.querySelectorAll(out.dataset.fields).forEach(function (input) {
        var value = parseFloat(input.value);
        if (!isNaN(value)) { total += Math.round(value * 100); }
      });
      out.textContent = (total / 100).toFixed(2);
      out.classList.toggle("text-danger", total !== 10000);
      out.classList.toggle("text-success", total === 10000);
    });
  }
  document.addEventListener("input", updateTotals);
  document.addEventListener("DOMContentLoaded", updateTotals);
})();
