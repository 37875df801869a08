// Keyboard entry for the assessment grid, as fast as a spreadsheet: a typed digit fills the cell and
// moves to the next one, from a row's last cell to the next row's first (a paper sheet is typed row after
// row); arrow keys and Enter move around; Shift+Enter moves up.
(function () {
  "use strict";
  const grid = document.querySelector("#assessment-grid table");
  if (!grid) return;
  const rows = Array.from(grid.querySelectorAll("tbody tr")).map(function (tr) {
    return Array.from(tr.querySelectorAll("input.score-input"));
  });
  const form = document.getElementById("assessment-grid");

  function editable(input) {
    return !input.disabled && !input.readOnly;
  }

  // The cell after (r, c) in reading order that can be typed in: the rest of the row, then the following
  // rows (a confirmed or another unit's row is skipped), or null after the grid's last cell.
  function nextCell(r, c) {
    for (let row = r, col = c + 1; row < rows.length; row++, col = 0) {
      for (; col < rows[row].length; col++) {
        if (editable(rows[row][col])) return rows[row][col];
      }
    }
    return null;
  }

  function position(input) {
    for (let r = 0; r < rows.length; r++) {
      const c = rows[r].indexOf(input);
      if (c !== -1) return [r, c];
    }
    return null;
  }

  function focusAt(r, c) {
    if (r < 0 || r >= rows.length) return;
    const row = rows[r];
    const cell = row[Math.max(0, Math.min(c, row.length - 1))];
    if (cell) {
      cell.focus();
      cell.select();
    }
  }

  grid.addEventListener("keydown", function (event) {
    const input = event.target;
    if (!input.classList || !input.classList.contains("score-input")) return;
    const at = position(input);
    if (!at) return;
    const [r, c] = at;
    const moves = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
    if (event.key in moves) {
      event.preventDefault();
      focusAt(r + moves[event.key][0], c + moves[event.key][1]);
    } else if (event.key === "Enter") {
      event.preventDefault();
      focusAt(r + (event.shiftKey ? -1 : 1), c);
    }
  });

  grid.addEventListener("input", function (event) {
    const input = event.target;
    if (!input.classList.contains("score-input")) return;
    input.classList.remove("is-invalid");
    // One digit is a whole score on a 1–5 (or 1–9) scale: move on at once. Points out of 100 (a criterion
    // worth 10 or more) move on once the cell holds as many digits as its maximum has.
    const digits = Number(input.dataset.digits) || 1;
    if (/^[0-9]+$/.test(input.value) && input.value.length >= digits) {
      const at = position(input);
      if (!at) return;
      const next = nextCell(at[0], at[1]);
      if (next) {
        next.focus();
        next.select();
      } else {
        // After the grid's last cell the cursor leaves the cells, so a further digit overwrites nothing.
        const save = form && form.querySelector("button[type=submit]");
        if (save) save.focus();
        else input.blur();
      }
    }
  });

  // After a refused save, go to the first cell to correct.
  const firstInvalid = grid.querySelector("input.is-invalid");
  if (firstInvalid) {
    firstInvalid.focus();
    firstInvalid.scrollIntoView({ block: "center", inline: "nearest" });
  }

  // Like a spreadsheet cell, a clicked or entered cell is replaced by what is typed next.
  ["focusin", "click"].forEach(function (type) {
    grid.addEventListener(type, function (event) {
      if (event.target.classList && event.target.classList.contains("score-input")) event.target.select();
    });
  });
})();
