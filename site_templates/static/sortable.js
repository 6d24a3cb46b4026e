/* Tarikh: sortable lists (the tables of /events/, /actors/, /places/, /sources/, /claims/).
 *
 * Without this script a list reads in name order (events in time order). With it, each column heading of a
 * table.sortable becomes a button: the first press sorts by that column (ascending), the next
 * reverses it, and the heading's aria-sort says which. A heading with data-sort-type="number"
 * sorts its cells by their data-sort values (plain numbers written by builder/views/lists.py,
 * whatever digits the page shows; a date's value is its rank in time order). The name column,
 * data-sort-type="rank", sorts by each name's rank in the order the server wrote the rows in (the
 * page language's collation, builder/collation.py), so sorting by name gives back the page's own
 * order whatever collation this browser has. Other columns sort by their text in the page
 * language's collation (Intl.Collator). Empty cells go last either way; ties keep the page's
 * order. Plain JavaScript, no framework.
 */
(function () {
  "use strict";

  var lang = document.documentElement.lang || undefined;
  var collator = new Intl.Collator(lang, { numeric: true, sensitivity: "base" });

  function cellValue(row, index, numeric) {
    var cell = row.cells[index];
    if (!cell) return null;
    if (numeric) {
      var raw = cell.getAttribute("data-sort");
      if (raw === null || raw === "") return null;
      var n = parseFloat(raw);
      return isNaN(n) ? null : n;
    }
    var text = cell.textContent.replace(/\s+/g, " ").trim();
    return text === "" ? null : text;
  }

  function sortBy(table, index, descending) {
    var head = table.tHead.rows[0].cells[index];
    var type = head.getAttribute("data-sort-type");
    var numeric = type === "number" || type === "rank";
    var body = table.tBodies[0];
    var rows = Array.prototype.map.call(body.rows, function (row) {
      return { row: row, value: cellValue(row, index, numeric), order: Number(row.getAttribute("data-order")) };
    });
    rows.sort(function (a, b) {
      if (a.value === null || b.value === null) {
        if (a.value === b.value) return a.order - b.order;
        return a.value === null ? 1 : -1; // empty cells last, in either direction
      }
      var c = numeric ? a.value - b.value : collator.compare(a.value, b.value);
      if (descending) c = -c;
      return c || a.order - b.order;
    });
    var fragment = document.createDocumentFragment();
    rows.forEach(function (r) { fragment.appendChild(r.row); });
    body.appendChild(fragment);
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      if (i === index) th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      else th.removeAttribute("aria-sort");
    });
  }

  function enhance(table) {
    if (!table.tHead || !table.tBodies.length) return;
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row, i) {
      row.setAttribute("data-order", String(i)); // the name order the page was written in
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        sortBy(table, index, th.getAttribute("aria-sort") === "ascending");
      });
    });
    var hint = document.getElementById("list-sort-hint");
    if (hint) {
      hint.hidden = false;
      table.setAttribute("aria-describedby", hint.id);
    }
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), enhance);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
