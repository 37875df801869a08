// Autocomplete for <select data-autocomplete-url>: the server searches within the user's scope,
// ignoring diacritics, and answers {"results": [{"value", "text"}]}.
(function () {
  "use strict";
  function formValue(form, name) {
    const field = form && form.elements.namedItem(name);
    return field ? field.value : "";
  }
  document.querySelectorAll("select[data-autocomplete-url]").forEach(function (select) {
    const url = select.dataset.autocompleteUrl;
    const forward = (select.dataset.autocompleteForward || "").split(",").filter(Boolean);
    const tom = new TomSelect(select, {
      valueField: "value",
      labelField: "text",
      searchField: [],
      maxOptions: 50,
      preload: "focus",
      allowEmptyOption: true,
      loadThrottle: 250,
      load: function (query, callback) {
        const params = new URLSearchParams({ q: query });
        forward.forEach(function (name) {
          const value = formValue(select.form, name);
          if (value) params.set(name, value);
        });
        fetch(url + "?" + params.toString(), { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (response) { return response.json(); })
          .then(function (data) { callback(data.results); })
          .catch(function () { callback(); });
      },
      render: {
        no_results: function () { return '<div class="no-results">' + (document.documentElement.lang === "vi" ? "Không tìm thấy" : "No match") + "</div>"; },
      },
    });
    // When a field this one depends on changes, forget the options loaded for the old value.
    forward.forEach(function (name) {
      const other = select.form && select.form.elements.namedItem(name);
      if (!other) return;
      other.addEventListener("change", function () {
        tom.clear();
        tom.clearOptions();
        tom.loadedSearches = {};
        tom.preloaded = false;
        tom.wrapper.classList.remove("preloaded");
      });
    });
  });
})();
