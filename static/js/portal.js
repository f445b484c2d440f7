// Small progressive enhancements; every page works without them (no inline scripts: CSP).
// A checkbox with data-check-all="NAME" ticks or unticks every checkbox named NAME.
document.addEventListener("change", function (event) {
  var name = event.target.getAttribute && event.target.getAttribute("data-check-all");
  if (!name) return;
  document.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (box) {
    box.checked = event.target.checked;
  });
});

// After a failed save, the error summary (data-focus-on-load) takes the focus, so a screen reader
// reads it and a keyboard user starts from it; its links lead to each field to correct.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) summary.focus();
});
