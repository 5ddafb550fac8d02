// The monthly entry grid, worked like a spreadsheet: arrow keys, Tab and Enter move
// between cells; a block copied from Excel or WPS (rows of tab-separated values) pastes
// from the focused cell on; the focused cell's context shows in the bar at the bottom;
// what was typed is kept in this browser until it is saved, and offered back after a
// closed tab or a lost session; on a phone the enterprises are cards, one at a time.
// Text from the data reaches the page through textContent only.
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  if (!form) { return; }
  var table = form.querySelector(".entry-table");
  var body = table.tBodies[0];
  var editable = form.dataset.editable === "1";
  var dirty = false;

  // ---------------------------------------------------------------- moving between cells

  function rows() {
    return Array.prototype.filter.call(body.rows, function (row) {
      return row.classList.contains("entry-row");
    });
  }

  function inputAt(row, column) {
    var all = rows();
    if (row < 0 || row >= all.length) { return null; }
    var cell = all[row].querySelector('td[data-column="' + column + '"]');
    return cell ? cell.querySelector(".entry-input") : null;
  }

  function position(input) {
    var cell = input.closest("td");
    return { row: rows().indexOf(cell.parentElement), column: Number(cell.dataset.column) };
  }

  function columns() {
    return table.tHead.rows[0].cells.length - 1;
  }

  function moveTo(input) {
    if (!input) { return false; }
    showCardOf(input);
    input.focus();
    input.select();
    keepInView(input);
    return true;
  }

  function caretAtStart(input) {
    return input.selectionStart === 0 && (input.selectionEnd === 0 || input.selectionEnd === input.value.length);
  }

  function caretAtEnd(input) {
    var end = input.value.length;
    return input.selectionEnd === end && (input.selectionStart === end || input.selectionStart === 0);
  }

  // Keep a focused cell clear of the sticky header row, the enterprise column and the
  // bottom bar, whichever box scrolls.
  function keepInView(input) {
    var box = input.getBoundingClientRect();
    var head = table.tHead.getBoundingClientRect();
    var bar = form.querySelector(".entry-bar").getBoundingClientRect();
    var scroller = document.getElementById("entry-scroll");
    var name = body.rows[0] && body.rows[0].cells[0].getBoundingClientRect();
    if (!cardMode() && name && box.left < name.right && scroller.scrollWidth > scroller.clientWidth) {
      scroller.scrollLeft -= name.right - box.left;
    }
    var top = Math.max(head.bottom, 0);
    if (!cardMode() && box.top < top) { window.scrollBy(0, box.top - top - 4); }
    if (box.bottom > bar.top) { window.scrollBy(0, box.bottom - bar.top + 4); }
  }

  table.addEventListener("keydown", function (event) {
    var input = event.target;
    if (input.tagName !== "INPUT" || event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (!input.classList.contains("entry-input")) {
      if (event.key === "Enter") {  // an explanation: Enter goes on to the next field, not the form
        event.preventDefault();
        var fields = Array.prototype.slice.call(form.querySelectorAll(".entry-input, .entry-note"));
        moveTo(fields[fields.indexOf(input) + 1]);
      }
      return;
    }
    var at = position(input);
    var target = null;
    var cards = cardMode();
    switch (event.key) {
      case "Enter":
        if (cards) {
          target = inputAt(at.row, at.column + (event.shiftKey ? -1 : 1)) ||
            (event.shiftKey ? inputAt(at.row - 1, columns()) : inputAt(at.row + 1, 1));
        } else {
          target = inputAt(at.row + (event.shiftKey ? -1 : 1), at.column);
        }
        event.preventDefault();  // Enter moves on; it does not send the form
        moveTo(target);
        return;
      case "ArrowDown":
        target = cards ? inputAt(at.row, at.column + 1) : inputAt(at.row + 1, at.column);
        break;
      case "ArrowUp":
        target = cards ? inputAt(at.row, at.column - 1) : inputAt(at.row - 1, at.column);
        break;
      case "ArrowLeft":
        if (!cards && caretAtStart(input)) { target = inputAt(at.row, at.column - 1); }
        break;
      case "ArrowRight":
        if (!cards && caretAtEnd(input)) { target = inputAt(at.row, at.column + 1); }
        break;
      default:
        return;
    }
    if (target) {
      event.preventDefault();
      moveTo(target);
    }
  });

  // ---------------------------------------------------------------- pasting a block

  table.addEventListener("paste", function (event) {
    var input = event.target;
    if (!input.classList.contains("entry-input") || input.readOnly) { return; }
    var text = (event.clipboardData || window.clipboardData).getData("text/plain") || "";
    var lines = text.replace(/\r\n?/g, "\n").replace(/\n+$/, "").split("\n");
    if (lines.length < 2 && lines[0].indexOf("\t") < 0) { return; }  // one value: paste as usual
    event.preventDefault();
    var at = position(input);
    var filled = 0;
    lines.forEach(function (line, down) {
      line.split("\t").forEach(function (value, across) {
        var target = inputAt(at.row + down, at.column + across);
        if (target && !target.readOnly) {
          target.value = value.trim();
          target.classList.add("entry-input--pasted");
          filled += 1;
        }
      });
    });
    changed();
    say("已粘贴 " + filled + " 个格子（" + lines.length + " 行），保存后生效。");
  });

  // ---------------------------------------------------------------- the focused cell's context

  var context = document.getElementById("entry-context");
  function field(name) { return context.querySelector('[data-field="' + name + '"]'); }

  function say(text) {
    field("hint").textContent = text;
    field("hint").hidden = false;
  }

  var cellContext = JSON.parse(document.getElementById("entry-context-data").textContent);

  // [last month's figure, own value, last year's, growth, latest change] by input name
  function showContext(cell) {
    var input = cell.querySelector(".entry-input");
    var data = cellContext[input.name];
    if (!data) { return; }
    var heading = table.tHead.rows[0].cells[Number(cell.dataset.column)];
    field("enterprise").textContent = cell.parentElement.cells[0].textContent.trim();
    field("indicator").textContent = heading.textContent.trim();
    // The month's own value and the growth are those of the saved figure: a figure typed
    // and not saved yet has them once it is saved (the server computes them, in Decimal).
    var typed = input.value.trim() !== input.defaultValue.trim();
    field("previous").textContent = data[0];
    field("own").textContent = typed ? "保存后计算" : data[1];
    field("lastYear").textContent = data[2];
    field("growth").textContent = typed ? "保存后计算" : data[3];
    field("changed").textContent = data[4];
    var messages = cell.querySelector(".entry-messages");
    var text = messages ? Array.prototype.map.call(
      messages.querySelectorAll(".entry-message"), function (m) { return m.textContent; }
    ).join("；") : "";
    if (text && cell.classList.contains("entry-cell--warning")) { text += "（请在格内填写说明）"; }
    field("messages").textContent = text;
    field("messages").hidden = !text;
    field("messages").classList.toggle("is-error", cell.classList.contains("entry-cell--error"));
    field("hint").hidden = true;
    context.querySelector(".entry-context__cell").hidden = false;
    context.querySelector(".entry-context__figures").hidden = false;
  }

  table.addEventListener("focusin", function (event) {
    var cell = event.target.closest("td.entry-cell");
    if (cell) { showContext(cell); }
    var row = event.target.closest("tr.entry-row");
    if (row && cardMode()) { showCard(rows().indexOf(row)); }
  });

  // ---------------------------------------------------------------- the list of cells to fix

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-focus]");
    if (link) {
      var target = document.getElementById(link.dataset.focus);
      if (target) { event.preventDefault(); moveTo(target); }
      return;
    }
    var copy = event.target.closest("button.entry-copy-note");
    if (copy) {
      var left = copy.previousElementSibling;
      var text = noteOnTheLeft(left);
      if (text) { left.value = text; changed(); }
      left.focus();
      return;
    }
    var reuse = event.target.closest("button.entry-reuse");
    if (reuse) {
      var note = document.getElementById(reuse.dataset.note);
      note.value = reuse.parentElement.querySelector(".entry-stale__text").textContent;
      changed();
      note.focus();
    }
  });

  // One cause often moves several figures of an enterprise (a new line: revenue, output
  // and tax alike): a warned cell's 说明 can be copied from the one on its left (同左).
  if (editable) {
    rows().forEach(function (row) {
      var notes = row.querySelectorAll("input.entry-note:not([readonly])");
      Array.prototype.slice.call(notes, 1).forEach(function (note) {
        var copy = document.createElement("button");
        copy.type = "button";
        copy.className = "entry-copy-note";
        copy.textContent = "同左";
        copy.title = "复制左侧格子的说明";
        note.insertAdjacentElement("afterend", copy);
      });
    });
  }

  function noteOnTheLeft(note) {
    var all = Array.prototype.slice.call(note.closest("tr").querySelectorAll("input.entry-note"));
    for (var i = all.indexOf(note) - 1; i >= 0; i -= 1) {
      if (all[i].value.trim()) { return all[i].value; }
    }
    return "";
  }

  // ---------------------------------------------------------------- what was typed, kept until saved

  var draftKey = form.dataset.draftKey;
  var keyNow = draftKey + ".v" + form.dataset.version;
  var banner = document.getElementById("entry-draft");

  function storage() {
    try { return window.localStorage; } catch (error) { return null; }
  }

  function typedFields() {
    return form.querySelectorAll("input.entry-input, input.entry-note");
  }

  function keepDraft() {
    var store = storage();
    if (!store || !editable) { return; }
    var values = {};
    var count = 0;
    Array.prototype.forEach.call(typedFields(), function (input) {
      if (input.value !== input.defaultValue) { values[input.name] = input.value; count += 1; }
    });
    try {
      if (count) {
        store.setItem(keyNow, JSON.stringify({ at: new Date().toISOString(), values: values }));
      } else {
        store.removeItem(keyNow);
      }
    } catch (error) { /* storage full or refused: the page still works */ }
  }

  function changed() {
    dirty = true;
    keepDraft();
  }

  function stamp(iso) {
    var at = new Date(iso);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return (at.getMonth() + 1) + "月" + at.getDate() + "日 " + two(at.getHours()) + ":" + two(at.getMinutes());
  }

  function button(text, handler) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "btn btn--secondary";
    b.textContent = text;
    b.addEventListener("click", handler);
    return b;
  }

  // Drafts of any month left for more than 30 days are dropped: the month has moved on.
  function dropOldDrafts(store) {
    var limit = Date.now() - 30 * 24 * 3600 * 1000;
    var keys = [];
    for (var i = 0; i < store.length; i += 1) { keys.push(store.key(i)); }
    keys.forEach(function (key) {
      if (!key || key.indexOf("parkportal.entry.") !== 0) { return; }
      var draft;
      try { draft = JSON.parse(store.getItem(key)); } catch (error) { draft = null; }
      if (!draft || !draft.at || Date.parse(draft.at) < limit) { store.removeItem(key); }
    });
  }

  // A draft whose every value is what the page shows now was saved (or given up): it
  // is dropped. Otherwise it is offered back, once, with what restoring it does.
  function offerDrafts() {
    var store = storage();
    if (!store) { return; }
    dropOldDrafts(store);
    if (!editable || !banner) { return; }
    var keys = [];
    for (var i = 0; i < store.length; i += 1) {
      var key = store.key(i);
      if (key && key.indexOf(draftKey + ".v") === 0) { keys.push(key); }
    }
    keys.forEach(function (key) {
      var draft;
      try { draft = JSON.parse(store.getItem(key)); } catch (error) { draft = null; }
      if (!draft || !draft.values) { store.removeItem(key); return; }
      var differing = [];
      var elsewhere = false;
      Object.keys(draft.values).forEach(function (name) {
        var input = form.elements.namedItem(name);
        if (!input || input.type === "hidden") { elsewhere = true; return; }
        if (input.value !== draft.values[name]) { differing.push(name); }
      });
      if (!differing.length) {
        if (!elsewhere) { store.removeItem(key); }
        return;
      }
      if (!banner.hidden) { return; }  // one offer at a time
      var older = key !== keyNow;
      banner.textContent = "本浏览器中保留着您" + stamp(draft.at) + "在本月输入但尚未保存的 " +
        differing.length + " 个数据" + (older ? "（其后本月数据已被保存过，恢复前请核对）" : "") + "。";
      banner.appendChild(button("恢复未保存的输入", function () {
        differing.forEach(function (name) {
          var input = form.elements.namedItem(name);
          input.value = draft.values[name];
          input.classList.add("entry-input--restored");
        });
        store.removeItem(key);
        banner.hidden = true;
        changed();
        say("已恢复 " + differing.length + " 个未保存的输入（浅黄色），请核对后保存。");
        moveTo(form.elements.namedItem(differing[0]));
      }));
      banner.appendChild(button("放弃", function () {
        store.removeItem(key);
        banner.hidden = true;
      }));
      banner.hidden = false;
    });
  }

  form.addEventListener("input", function (event) {
    changed();
    var cell = event.target.closest("td.entry-cell");
    if (cell) { showContext(cell); }
  });
  form.addEventListener("submit", function () { keepDraft(); dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });

  // ---------------------------------------------------------------- one card at a time on a phone

  var phone = window.matchMedia("(max-width: 600px)");
  var cardsNav = document.getElementById("entry-cards-nav");
  var cardCount = document.getElementById("entry-card-count");
  var current = 0;

  function cardMode() { return form.classList.contains("entry-form--cards"); }

  function showCard(index) {
    var all = rows();
    if (!all.length) { return; }
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach(function (row, i) { row.classList.toggle("is-current", i === current); });
    cardCount.textContent = "第 " + (current + 1) + " / " + all.length + " 家";
    cardsNav.querySelector('[data-card="-1"]').disabled = current === 0;
    cardsNav.querySelector('[data-card="1"]').disabled = current === all.length - 1;
  }

  function showCardOf(input) {
    if (cardMode()) { showCard(rows().indexOf(input.closest("tr"))); }
  }

  function layout() {
    var cards = phone.matches && rows().length > 0;
    form.classList.toggle("entry-form--cards", cards);
    cardsNav.hidden = !cards;
    if (cards) { showCard(current); }
  }

  cardsNav.addEventListener("click", function (event) {
    var step = event.target.closest("[data-card]");
    if (!step) { return; }
    showCard(current + Number(step.dataset.card));
    window.scrollTo(0, table.getBoundingClientRect().top + window.scrollY - 8);
  });
  if (phone.addEventListener) { phone.addEventListener("change", layout); }

  layout();
  offerDrafts();
  // A cell focused before this script ran (a quick click while the page loads)
  var focused = document.activeElement && document.activeElement.closest("td.entry-cell");
  if (focused && table.contains(focused)) { showContext(focused); }
})();
