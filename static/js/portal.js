// Small progressive enhancements; every page works without them (no inline scripts: CSP).
// A checkbox with data-check-all="NAME" ticks or unticks every checkbox named NAME.
document.addEventListener("change", function (event) {
  var name = event.target.getAttribute && event.target.getAttribute("data-check-all");
  if (!name) return;
  document.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (box) {
    box.checked = event.target.checked;
  });
});
