// Validation report: the problems table sorts (click a column heading), filters (text, severity) and pages
// (50 rows) in the browser; without JavaScript it stays a plain, complete table.
(function () {
  "use strict";
  var table = document.getElementById("problems-table");
  if (!table) { return; }
  var texts = JSON.parse(document.getElementById("problems-texts").textContent);
  var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
  var size = Number(table.getAttribute("data-page-size")) || 50, page = 0, shown = rows;
  var text = document.getElementById("pf-text"), sev = document.getElementById("pf-sev");
  var count = document.getElementById("pf-count"), pager = document.getElementById("problems-pager");
  var where = document.getElementById("pp-where"), prev = document.getElementById("pp-prev"), next = document.getElementById("pp-next");
  document.getElementById("problems-tools").hidden = false;
  function fill(t, v) { Object.keys(v).forEach(function (k) { t = t.split("{" + k + "}").join(String(v[k])); }); return t; }
  function norm(s) { return s.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, ""); }
  function render() {
    var pages = Math.max(1, Math.ceil(shown.length / size));
    page = Math.min(page, pages - 1);
    rows.forEach(function (r) { r.hidden = true; });
    shown.forEach(function (r, i) { r.hidden = i < page * size || i >= (page + 1) * size; });
    shown.forEach(function (r) { body.appendChild(r); });
    count.textContent = fill(texts.count, { n: shown.length, total: rows.length });
    pager.hidden = pages < 2; where.textContent = fill(texts.page, { page: page + 1, pages: pages });
    prev.disabled = page === 0; next.disabled = page >= pages - 1;
  }
  function apply() {
    var q = norm(text.value.trim()), s = sev.value;
    shown = rows.filter(function (r) {
      return (!s || r.getAttribute("data-severity") === s) && (!q || norm(r.textContent).indexOf(q) >= 0);
    });
    var th = table.querySelector("th[aria-sort]");
    if (th) { sortBy(th, th.getAttribute("aria-sort") === "descending", true); }
    page = 0; render();
  }
  function key(r, i) { var c = r.cells[i]; return c.hasAttribute("data-sort") ? c.getAttribute("data-sort") : c.textContent.trim(); }
  function sortBy(th, desc, quiet) {
    var i = th.cellIndex, numeric = shown.every(function (r) { var k = key(r, i); return k === "" || isFinite(Number(k)); });
    shown.sort(function (a, b) {
      var x = key(a, i), y = key(b, i);
      var c = numeric ? Number(x) - Number(y) : x.localeCompare(y, document.documentElement.lang || "de", { numeric: true });
      return desc ? -c : c;
    });
    if (!quiet) { page = 0; render(); }
  }
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    var label = th.textContent, b = document.createElement("button");
    b.type = "button"; b.className = "linklike sort"; b.textContent = label; th.textContent = ""; th.appendChild(b);
    b.addEventListener("click", function () {
      var desc = th.getAttribute("aria-sort") === "ascending";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (o) { o.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", desc ? "descending" : "ascending");
      sortBy(th, desc);
    });
  });
  text.addEventListener("input", apply); sev.addEventListener("change", apply);
  prev.addEventListener("click", function () { page -= 1; render(); });
  next.addEventListener("click", function () { page += 1; render(); });
  render();
})();
