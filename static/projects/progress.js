// The project progress grid: as 本年累计 is typed, the row's 本月完成 (this month's own
// completed investment: 本年累计 less last month's) is worked out again. Numbers only
// reach the page as text.
(function () {
  "use strict";

  function parse(text) {
    var cleaned = String(text || "").replace(/[,，\s]/g, "");
    if (!/^\d+(\.\d+)?$/.test(cleaned)) { return null; }
    return Number(cleaned);
  }

  function format(value) {
    return value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  function update(row) {
    var input = row.querySelector(".progress-input--completed");
    var own = row.querySelector(".progress-own");
    if (!input || !own) { return; }
    var completed = parse(input.value);
    var previous = row.dataset.previous === "" ? null : Number(row.dataset.previous);
    var value = null;
    if (completed !== null) {
      if (row.dataset.first === "1") { value = completed; }
      else if (previous !== null) { value = completed - previous; }
    }
    own.textContent = value === null ? "—" : format(value);
    own.classList.toggle("progress-own--negative", value !== null && value < 0);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("progress-form");
    if (!form || !form.dataset.editable) { return; }
    form.addEventListener("input", function (event) {
      var row = event.target.closest(".progress-row");
      if (row && event.target.classList.contains("progress-input--completed")) { update(row); }
    });
  });
})();
