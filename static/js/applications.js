// Applications pages. Loaded as a file (the CSP forbids inline scripts).
(function () {
  "use strict";
  // Show the chosen file's name and size next to its slot before saving.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-slot]")) { return; }
    var out = document.getElementById(input.dataset.slot + "-chosen");
    if (!out) { return; }
    var file = input.files && input.files[0];
    if (!file) { out.textContent = ""; return; }
    var limit = parseInt(input.dataset.maxBytes || "0", 10);
    var size = file.size >= 1048576 ? (file.size / 1048576).toFixed(1) + " MB" : Math.max(file.size / 1024, 0.1).toFixed(1) + " KB";
    out.textContent = file.name + " (" + size + ")";
    out.classList.toggle("text-danger", limit > 0 && file.size > limit);
    if (limit > 0 && file.size > limit) { out.textContent += " — " + (input.dataset.tooBig || ""); }
  });
  // Warn before leaving an edited form without saving.
  var dirty = false;
  var form = document.querySelector("form[data-warn-unsaved]");
  if (form) {
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
  }
  // Ticking a batch row enables its rank field.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.name === "selected") {
      var rank = document.getElementById("rank-" + box.value);
      if (rank) { rank.required = box.checked; }
    }
  });
})();
