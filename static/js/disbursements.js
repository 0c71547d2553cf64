// Disbursements pages. Loaded as a file (the CSP forbids inline scripts).
(function () {
  "use strict";
  // A form with a .js-once button is submitted once: the button is disabled right after the submit
  // (the server's idempotency keys make a second submit harmless anyway).
  document.addEventListener("submit", function (event) {
    var button = event.submitter || event.target.querySelector(".js-once");
    if (button && button.classList.contains("js-once")) {
      window.setTimeout(function () { button.disabled = true; }, 0);
    }
  });

  // Building a batch: show how many items and how much money are selected (exact, in fen).
  function cents(text) {
    var parts = String(text || "0").split(".");
    var whole = parseInt(parts[0], 10) || 0;
    var frac = parseInt(((parts[1] || "") + "00").slice(0, 2), 10) || 0;
    return whole * 100 + (whole < 0 ? -frac : frac);
  }
  function format(total) {
    var whole = Math.floor(total / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return whole + "." + ("0" + (total % 100)).slice(-2);
  }
  function refresh() {
    var count = document.getElementById("selected-count");
    var sum = document.getElementById("selected-total");
    if (!count || !sum) { return; }
    var total = 0, n = 0;
    document.querySelectorAll("input.js-amount:checked").forEach(function (box) {
      total += cents(box.dataset.amount);
      n += 1;
    });
    count.textContent = String(n);
    sum.textContent = format(total);
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("input.js-amount")) {
      refresh();  // at once: the box is already (un)checked when "change" fires
    } else if (event.target.dataset && event.target.dataset.selectAll) {
      window.setTimeout(refresh, 0);  // after the select-all handler has set the boxes
    }
  });
  refresh();
})();
