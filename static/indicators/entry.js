// The monthly entry grid: Enter moves down a column, a column pasted from Excel
// fills the cells below, and leaving with unsaved figures asks first.
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  if (!form) { return; }
  var table = form.querySelector(".entry-table");
  var dirty = false;

  function inputAt(row, column) {
    var rows = table.tBodies[0].rows;
    if (row < 0 || row >= rows.length) { return null; }
    var cell = rows[row].querySelector('td[data-column="' + column + '"]');
    return cell ? cell.querySelector(".entry-input") : null;
  }

  function position(input) {
    var cell = input.closest("td");
    return { row: cell.parentElement.sectionRowIndex, column: Number(cell.dataset.column) };
  }

  table.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.key !== "Enter" || input.tagName !== "INPUT") { return; }
    event.preventDefault();  // Enter moves on; it does not send the form
    if (!input.classList.contains("entry-input")) {  // an explanation: on to the next field
      var fields = Array.prototype.slice.call(form.querySelectorAll("input[type=text]:not([readonly])"));
      var following = fields[fields.indexOf(input) + 1];
      if (following) { following.focus(); }
      return;
    }
    var at = position(input);
    var next = inputAt(at.row + (event.shiftKey ? -1 : 1), at.column);
    if (next) { next.focus(); next.select(); }
  });

  table.addEventListener("paste", function (event) {
    var input = event.target;
    if (!input.classList.contains("entry-input") || input.readOnly) { return; }
    var text = (event.clipboardData || window.clipboardData).getData("text");
    var lines = text.replace(/\r/g, "").replace(/\n+$/, "").split("\n");
    if (lines.length < 2 && lines[0].indexOf("\t") < 0) { return; }  // one value: paste as usual
    event.preventDefault();
    var at = position(input);
    lines.forEach(function (line, down) {
      line.split("\t").forEach(function (value, across) {
        var target = inputAt(at.row + down, at.column + across);
        if (target && !target.readOnly) {
          target.value = value.trim();
          target.classList.add("entry-input--pasted");
        }
      });
    });
    dirty = true;
  });

  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
})();
