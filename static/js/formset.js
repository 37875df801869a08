// "Add a row" for Django formsets: <button data-formset-add="P"> clones <template data-formset-empty="P">
// into [data-formset-rows="P"], numbering it from P-TOTAL_FORMS. A new theme gets the next number.
(function () {
  "use strict";
  document.querySelectorAll("[data-formset-add]").forEach(function (button) {
    const prefix = button.dataset.formsetAdd;
    const form = button.closest("form");
    const total = form.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    const template = form.querySelector('template[data-formset-empty="' + prefix + '"]');
    const rows = form.querySelector('[data-formset-rows="' + prefix + '"]');
    button.addEventListener("click", function () {
      const index = Number(total.value);
      const html = template.innerHTML.replace(/__prefix__/g, String(index));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      const row = rows.lastElementChild;
      const order = row.querySelector('input[name$="-ORDER"]');
      if (order) order.value = String(rows.children.length);
      const first = row.querySelector("input:not([type=hidden]), textarea, select");
      if (first) first.focus();
    });
  });
})();
