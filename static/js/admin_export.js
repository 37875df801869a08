// django-import-export's export page: "Select all" ticks every field. The package wires it with an
// onchange attribute, which the Content-Security-Policy blocks; its handler (export_selectable_fields.js)
// is attached here instead.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  document.querySelectorAll("input.select-toggle").forEach(function (toggle) {
    toggle.addEventListener("change", onSelectToggleChange);
  });
});
