// Keyboard entry for the assessment grid, as fast as a spreadsheet: a typed score fills the cell and moves
// to the next one as soon as no further digit could make a valid score, from a row's last cell to the next
// row's first (a paper sheet is typed row after row); arrow keys and Enter move around, Shift+Enter moves
// up, skipping the rows that cannot be typed in (sent, confirmed, another unit's, waiting for the
// secretary). In the comment boxes Enter moves to the next row's comment: it never sends the grid.
(function () {
  "use strict";
  const grid = document.querySelector("#assessment-grid table");
  if (!grid) return;
  const COMMENT = -1; // the column of the comment boxes, beside the scores' 0, 1, …
  const rows = Array.from(grid.querySelectorAll("tbody tr")).map(function (tr) {
    return {
      cells: Array.from(tr.querySelectorAll("input.score-input")),
      // The row's one text box that is not a score (none in a row shown as text).
      comment: tr.querySelector("input:not(.score-input):not([type=hidden])"),
    };
  });
  const form = document.getElementById("assessment-grid");

  function editable(input) {
    return Boolean(input) && !input.disabled && !input.readOnly;
  }

  // The cell after (r, c) in reading order that can be typed in: the rest of the row, then the following
  // rows (a confirmed or another unit's row is skipped), or null after the grid's last cell.
  function nextCell(r, c) {
    for (let row = r, col = c + 1; row < rows.length; row++, col = 0) {
      for (; col < rows[row].cells.length; col++) {
        if (editable(rows[row].cells[col])) return rows[row].cells[col];
      }
    }
    return null;
  }

  // Row and column of a score cell or a comment box (column COMMENT), or null.
  function position(input) {
    for (let r = 0; r < rows.length; r++) {
      if (input === rows[r].comment) return [r, COMMENT];
      const c = rows[r].cells.indexOf(input);
      if (c !== -1) return [r, c];
    }
    return null;
  }

  function cellAt(r, c) {
    const cell = c === COMMENT ? rows[r].comment : rows[r].cells[c];
    return editable(cell) ? cell : null;
  }

  // Up (-1) or down (1) from row r: the same column in the nearest row that can be typed in, or null.
  function vertical(r, dr, c) {
    for (let row = r + dr; row >= 0 && row < rows.length; row += dr) {
      const cell = cellAt(row, c);
      if (cell) return cell;
    }
    return null;
  }

  function go(cell) {
    cell.focus();
    if (cell.classList.contains("score-input")) {
      cell.select(); // a score is replaced by what is typed next
    } else {
      cell.setSelectionRange(cell.value.length, cell.value.length); // a comment is added to, never lost
    }
  }

  // Whether a cell holds a whole score already: a digit more would go past its maximum ("9" of 10 moves
  // on, "1" waits for a possible "10"; on a 1–5 scale every digit), it has as many digits as the maximum,
  // or it is a 0 (no score is written with a leading 0: "07" would be a 7 typed in the wrong cell). Only
  // digits: "7," or "-" wait, kept as typed and refused in words when saved (scores are whole numbers).
  function complete(input) {
    if (!/^[0-9]+$/.test(input.value)) return false;
    const max = Number(input.dataset.max);
    const digits = Number(input.dataset.digits) || String(max).length;
    const value = Number(input.value);
    return value * 10 > max || input.value.length >= digits || value === 0;
  }

  // The cell the cursor last moved on from by itself, and the cell it moved to: a comma or dot typed just
  // after ("7,5") goes back to the number it follows, which the server then refuses as a whole, where it
  // would start the next cell and leave a silent 7.
  let movedFrom = null;
  let movedTo = null;

  (form || grid).addEventListener("keydown", function (event) {
    if (event.isComposing) return; // Enter ends a word being composed (Vietnamese input methods)
    const input = event.target;
    const from = movedFrom;
    const pullBack = input === movedTo && (event.key === "," || event.key === ".");
    movedFrom = movedTo = null;
    if (pullBack) {
      event.preventDefault();
      from.focus();
      from.setRangeText(event.key, from.value.length, from.value.length, "end");
      from.dispatchEvent(new Event("input", { bubbles: true }));
      return;
    }
    const at = position(input);
    if (!at) return;
    const [r, c] = at;
    let target = null;
    if (event.key === "Enter" || event.key === "ArrowUp" || event.key === "ArrowDown") {
      // Enter never sends the grid from a cell or a comment; in the last row it stays where it is.
      event.preventDefault();
      const up = event.key === "ArrowUp" || (event.key === "Enter" && event.shiftKey);
      target = vertical(r, up ? -1 : 1, c);
    } else if (c !== COMMENT && (event.key === "ArrowLeft" || event.key === "ArrowRight")) {
      // In a comment the left and right arrows move in its text.
      event.preventDefault();
      target = cellAt(r, c + (event.key === "ArrowLeft" ? -1 : 1));
    }
    if (target) go(target);
  });

  grid.addEventListener("input", function (event) {
    const input = event.target;
    if (!input.classList.contains("score-input")) return;
    input.classList.remove("is-invalid");
    if (!complete(input)) return;
    const at = position(input);
    if (!at) return;
    // After the grid's last cell the cursor leaves the cells, so a further digit overwrites nothing.
    const next = nextCell(at[0], at[1]) || (form && form.querySelector("button[type=submit]"));
    if (!next) {
      input.blur();
      return;
    }
    if (next.classList.contains("score-input")) go(next);
    else next.focus();
    movedFrom = input;
    movedTo = next;
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
      if (event.target !== movedTo) movedFrom = movedTo = null; // clicked elsewhere since it moved on
      if (event.target.classList && event.target.classList.contains("score-input")) event.target.select();
    });
  });
})();
