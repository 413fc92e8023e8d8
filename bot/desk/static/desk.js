// Keyboard shortcuts for the common path. Single keys act only when no field has focus,
// so typing a reply never triggers one; Ctrl+S and Ctrl+Enter work inside the editor.
(function () {
  "use strict";

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function click(id) {
    var el = document.getElementById(id);
    if (el && !el.disabled) { el.click(); return true; }
    return false;
  }

  function focus(id) {
    var el = document.getElementById(id);
    if (el) { el.focus(); if (el.select && el.tagName === "INPUT") { el.select(); } return true; }
    return false;
  }

  // The queue: j/k move, Enter or o opens.
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-href]"));
  var current = rows.length ? 0 : -1;
  function select(i) {
    if (!rows.length) { return; }
    current = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach(function (row, n) { row.classList.toggle("selected", n === current); });
    rows[current].scrollIntoView({ block: "nearest" });
  }
  if (rows.length) { select(0); }

  document.addEventListener("keydown", function (event) {
    var key = event.key;
    if ((event.ctrlKey || event.metaKey) && key === "Enter") {
      if (click("approve")) { event.preventDefault(); }
      return;
    }
    if ((event.ctrlKey || event.metaKey) && (key === "s" || key === "S")) {
      if (click("save")) { event.preventDefault(); }
      return;
    }
    if (key === "Escape" && typing(event.target)) { event.target.blur(); return; }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var handled = true;
    if (key === "j") { select(current + 1); }
    else if (key === "k") { select(current - 1); }
    else if ((key === "Enter" || key === "o") && rows.length && current >= 0) { window.location = rows[current].dataset.href; }
    else if (key === "/") { handled = focus("search-query"); if (!handled) { window.location = "/search"; handled = true; } }
    else if (key === "e") { handled = focus("body"); }
    else if (key === "r") { handled = focus("reason"); }
    else if (key === "m") { handled = focus("rematch-reference"); }
    else if (key === "q") { window.location = "/queue"; }
    else if (key === "?") { var help = document.getElementById("keys"); if (help) { help.hidden = !help.hidden; } }
    else { handled = false; }
    if (handled) { event.preventDefault(); }
  });

  // Rows in lists open on click anywhere in the row, as well as on the link in it.
  rows.forEach(function (row) {
    row.addEventListener("click", function (event) {
      if (event.target.closest("a, button, input")) { return; }
      window.location = row.dataset.href;
    });
  });

  // A page with a draft editor warns before leaving with unsaved changes.
  var editor = document.getElementById("body");
  if (editor) {
    var saved = editor.value;
    document.body.addEventListener("htmx:afterSwap", function () {
      editor = document.getElementById("body");
      saved = editor ? editor.value : "";
    });
    document.querySelectorAll("form").forEach(function (form) {
      form.addEventListener("submit", function () { saved = null; });
    });
    window.addEventListener("beforeunload", function (event) {
      var now = document.getElementById("body");
      if (saved !== null && now && now.value !== saved) { event.preventDefault(); event.returnValue = ""; }
    });
  }
})();
