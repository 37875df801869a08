// Autocomplete for <select data-autocomplete-url>: the server searches within the user's scope,
// ignoring diacritics, ranks the matches and answers {"results": [{"value", "text"}]}. The browser
// shows exactly what the server sent for the latest query: no filtering or caching of its own.
(function () {
  "use strict";
  const vietnamese = document.documentElement.lang === "vi";

  function formValue(form, name) {
    const field = form && form.elements.namedItem(name);
    return field ? field.value : "";
  }

  document.querySelectorAll("select[data-autocomplete-url]").forEach(function (select) {
    const url = select.dataset.autocompleteUrl;
    const forward = (select.dataset.autocompleteForward || "").split(",").filter(Boolean);
    let latest = 0;
    const tom = new TomSelect(select, {
      valueField: "value",
      labelField: "text",
      searchField: [],
      score: function () {
        return function () {
          return 1;
        };
      },
      sortField: [{ field: "$order" }],
      maxOptions: 50,
      preload: "focus",
      allowEmptyOption: false,
      // Several choices: an × on each, and Backspace in the empty box removes nobody (no_backspace_delete:
      // only a chosen person first selected with the mouse or the arrow keys); one optional choice: a button
      // to clear it. Titles in the page's language (Tom Select's own are English).
      plugins: select.multiple
        ? {
            remove_button: { title: vietnamese ? "Bỏ người/mục này" : "Remove" },
            no_backspace_delete: {},
          }
        : select.required
          ? {}
          : { clear_button: { title: vietnamese ? "Xóa lựa chọn" : "Clear" } },
      // The typed text goes once a choice is made, so the next name starts from an empty box.
      clearAfterSelect: true,
      loadThrottle: 250,
      // Every query goes to the server, also one typed before (its answer may have changed).
      shouldLoad: function () {
        this.loadedSearches = {};
        return true;
      },
      load: function (query, callback) {
        const self = this;
        const ticket = ++latest;
        const params = new URLSearchParams(select.dataset.autocompleteParams || "");
        params.set("q", query);
        forward.forEach(function (name) {
          const value = formValue(select.form, name);
          if (value) params.set(name, value);
        });
        fetch(url + "?" + params.toString(), { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (response) { return response.json(); })
          .then(function (data) {
            if (ticket !== latest) return callback();  // a newer query is on its way
            self.clearOptions();
            callback(data.results);
          })
          .catch(function () { callback(); });
      },
      render: {
        no_results: function () {
          return '<div class="no-results">' + (vietnamese ? "Không tìm thấy" : "No match") + "</div>";
        },
        loading: function () {
          return '<div class="spinner-border spinner-border-sm m-2" role="status"></div>';
        },
      },
    });
    // When a field this one depends on changes, forget the options loaded for the old value.
    forward.forEach(function (name) {
      const other = select.form && select.form.elements.namedItem(name);
      if (!other) return;
      other.addEventListener("change", function () {
        tom.clear();
        tom.clearOptions();
        tom.wrapper.classList.remove("preloaded");
      });
    });
  });
})();

// A button whose step cannot be undone (submitting an assessment, applying a correction) asks first:
// <button data-confirm="…">, a question in the page's language; no inline handler (the CSP allows none).
// With data-confirm-complete="selector", it asks only once every such field of its form is filled: with one
// left empty the step will be refused anyway, and the page says which (an assessment's missing scores).
// With data-confirm-count="rows" (and data-confirm-filled="fields"), "{count}" in the question is the number
// of those rows of its form with a field typed in (the grid's "Save and submit"). With data-confirm-ticked=
// "boxes", it asks only when one of those boxes of its form is ticked, "{count}" being how many (a seminar's
// themes and proposals ticked for removal; a review table's rows, whose boxes join the form by form="…").
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-confirm]");
  if (!button) {
    return;
  }
  const needed = button.dataset.confirmComplete;
  if (needed && button.form) {
    const empty = Array.from(button.form.querySelectorAll(needed)).some(function (field) {
      return !field.disabled && field.value.trim() === "";
    });
    if (empty) {
      return;
    }
  }
  let question = button.dataset.confirm;
  const counted = button.dataset.confirmCount;
  if (counted && button.form) {
    // The rows the step takes: those of `counted` with a field of `data-confirm-filled` typed in (the grid's
    // rows with a score); none, and there is nothing to ask (the page says nothing was saved).
    const filled = button.dataset.confirmFilled || "input";
    const rows = Array.from(button.form.querySelectorAll(counted)).filter(function (row) {
      return Array.from(row.querySelectorAll(filled)).some(function (field) {
        return !field.disabled && !field.readOnly && field.value.trim() !== "";
      });
    }).length;
    if (rows === 0) {
      return;
    }
    question = question.replace("{count}", String(rows));
  }
  const ticked = button.dataset.confirmTicked;
  if (ticked && button.form) {
    // Only when something is ticked to go (a formset's "Remove" boxes): "{count}" is how many.
    // The form's elements, not its descendants: a box may sit outside it, joined by its form attribute.
    const count = Array.from(button.form.elements).filter(function (box) {
      return box.matches(ticked) && box.checked;
    }).length;
    if (count === 0) {
      return;
    }
    question = question.replace("{count}", String(count));
  }
  if (!window.confirm(question)) {
    event.preventDefault();
  }
});

// A "Print" button (<button data-print>) on any page, with or without charts.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();

// "Tick all" (<input type="checkbox" data-check-all="name">) ticks every row checkbox of that name.
(function () {
  "use strict";
  document.querySelectorAll("[data-check-all]").forEach(function (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll('input[name="' + all.dataset.checkAll + '"]').forEach(function (box) {
        box.checked = all.checked;
      });
    });
  });
})();

// A new campaign's offered title follows its year (<input data-follows-year="… {year}">) while it is left as
// offered: typed over, it is the officer's own. The server does the same on save (CampaignForm.clean).
(function () {
  "use strict";
  document.querySelectorAll("input[data-follows-year]").forEach(function (title) {
    const year = title.form && title.form.elements.namedItem("year");
    if (!year) return;
    const pattern = title.dataset.followsYear;
    let shown = year.value;
    year.addEventListener("input", function () {
      if (title.value === pattern.replace("{year}", shown)) title.value = pattern.replace("{year}", year.value);
      shown = year.value;
    });
  });
})();

// A choice that reloads the page at once (<select data-autosubmit>): its form is sent on change.
// Without JavaScript the form's own button (in <noscript>) does the same.
// With data-confirm-unsaved="question", while a form of the page that asks on leaving (data-warn-unsaved,
// below) holds what was typed, it asks first; saying no puts the choice back as it was, which the browser's
// own leave-page prompt would not.
(function () {
  "use strict";
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    const chosen = select.value;
    select.addEventListener("change", function () {
      const unsaved = Array.from(document.querySelectorAll("form[data-warn-unsaved][data-typed]"));
      if (unsaved.length > 0 && select.dataset.confirmUnsaved) {
        if (!window.confirm(select.dataset.confirmUnsaved)) {
          select.value = chosen;
          return;
        }
        unsaved.forEach(function (form) { delete form.dataset.typed; });  // asked once, not again on leaving
      }
      select.form.submit();
    });
  });
})();

// After a refused save, the first field to correct is brought into view and given the focus: the page comes
// back at its top, and on a phone the message beside a field lower down would not be seen. The assessment
// grid does the same for its cells (assessment_grid.js).
(function () {
  "use strict";
  const field = Array.from(document.querySelectorAll("main form .is-invalid")).find(function (element) {
    return element.getClientRects().length > 0 && !element.matches("#assessment-grid *, .ts-hidden-accessible");
  });
  if (!field) return;
  field.scrollIntoView({ block: "center", inline: "nearest" });
  // A searchable select's box is only shown: focused, it would open its list over the message.
  if (field.matches("input, select, textarea")) field.focus({ preventScroll: true });
})();

// Typing in a form is activity: a session ends after 30 minutes without a request, and someone filling a
// long form (a self-assessment on a phone) would lose what they typed. While they type, the page tells the
// server so, at most every five minutes (<body data-keepalive-url>, logged-in pages only).
(function () {
  "use strict";
  const url = document.body.dataset.keepaliveUrl;
  if (!url) {
    return;
  }
  const every = 5 * 60 * 1000;
  let last = Date.now();  // the page's own request counted
  document.addEventListener("input", function (event) {
    if (!event.target.closest("form") || Date.now() - last < every) {
      return;
    }
    last = Date.now();
    fetch(url, { credentials: "same-origin", cache: "no-store" });
  });
})();

// A form of many fields (<form data-warn-unsaved>: an assessment's scores) asks before the page is left
// with what was typed in it and not saved; saving it does not ask.
(function () {
  "use strict";
  // Whether it holds what was typed is kept on the form (data-typed), for the choices that reload the page
  // (data-autosubmit, above) to ask first.
  document.querySelectorAll("form[data-warn-unsaved]").forEach(function (form) {
    // A form sent back with its errors holds what was typed and not saved.
    if (form.querySelector(".is-invalid, .invalid-feedback, .alert-danger") !== null) {
      form.dataset.typed = "";
    }
    form.addEventListener("input", function () { form.dataset.typed = ""; });
    form.addEventListener("submit", function () { delete form.dataset.typed; });
    window.addEventListener("beforeunload", function (event) {
      if (form.hasAttribute("data-typed")) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  });
})();

// The language switch reloads the page: what was typed in one of its forms and not saved (or sent back with
// its errors) would be lost, so it asks first (<form class="lang-switch" data-confirm-typed="…">). A search
// or filter (a GET form) is not asked for; nor a form that asks on leaving the page itself
// (data-warn-unsaved, above).
(function () {
  "use strict";
  const switches = Array.from(document.querySelectorAll("form[data-confirm-typed]"));
  if (switches.length === 0) {
    return;
  }
  function asks(form) {
    return form.method === "post" && !switches.includes(form) && !form.hasAttribute("data-warn-unsaved");
  }
  // A form sent back with its errors holds what was typed and not saved, as one typed in.
  let typed = Array.from(document.forms).some(function (form) {
    return asks(form) && form.querySelector(".is-invalid, .invalid-feedback, .alert-danger") !== null;
  });
  document.addEventListener("input", function (event) {
    const form = event.target.closest("form");
    if (form && asks(form)) {
      typed = true;
    }
  });
  document.addEventListener("submit", function (event) {
    if (switches.includes(event.target)) {
      if (typed && !window.confirm(event.target.dataset.confirmTyped)) {
        event.preventDefault();
      }
    } else {
      typed = false;
    }
  });
})();

// What the scores typed in an assessment add up to (<p data-score-tally>, assessments.forms.ScoreTally): of
// its part ("part": the fieldset it closes) or of the whole form, as each score is typed. A value that is not
// a whole number within the criterion's range (data-min, data-max) is not counted and its field is marked
// at once; the server says why when the form is saved.
(function () {
  "use strict";
  const number = new Intl.NumberFormat(document.documentElement.lang || "vi");
  function scoreIsValid(input) {
    const text = input.value.trim();
    const value = Number(text);
    return /^\d+$/.test(text) && value >= Number(input.dataset.min) && value <= Number(input.dataset.max);
  }
  document.querySelectorAll("[data-score-tally]").forEach(function (line) {
    const area = line.closest(line.dataset.scoreTally === "part" ? "fieldset" : "form");
    if (!area) {
      return;
    }
    const inputs = Array.from(area.querySelectorAll("input.score-input"));
    function show() {
      let sum = 0;
      let count = 0;
      inputs.forEach(function (input) {
        const text = input.value.trim();
        const value = Number(text);
        if (scoreIsValid(input)) {
          sum += value;
          count += 1;
        }
      });
      line.textContent = line.dataset.text
        .replace("{sum}", number.format(sum))
        .replace("{max}", number.format(Number(line.dataset.max || 0)))
        .replace("{count}", number.format(count))
        .replace("{of}", number.format(inputs.length));
      line.hidden = false;
    }
    area.addEventListener("input", function (event) {
      // The score being typed is marked at once when out of its range (its label says the range); the
      // server's own message comes on saving. Marks the server put on the page stay until typed over.
      const input = event.target;
      if (input.matches("input.score-input")) {
        input.classList.toggle("is-invalid", input.value.trim() !== "" && !scoreIsValid(input));
      }
      show();
    });
    show();
  });
})();
