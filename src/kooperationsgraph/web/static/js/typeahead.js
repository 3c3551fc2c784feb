// Type-ahead for every input[data-typeahead]: fetches JSON hits, arrow keys move, Enter opens, Esc closes.
(function () {
  "use strict";
  document.querySelectorAll("input[data-typeahead]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var url = input.getAttribute("data-typeahead");
    var timer = null, active = -1, seq = 0;
    function close() { list.hidden = true; list.innerHTML = ""; active = -1; input.setAttribute("aria-expanded", "false"); }
    function mark(i) {
      var items = list.querySelectorAll("li");
      items.forEach(function (li, j) { li.setAttribute("aria-selected", j === i ? "true" : "false"); });
      active = i;
      if (items[i]) { items[i].querySelector("a").focus(); }
    }
    function render(hits) {
      list.innerHTML = "";
      hits.forEach(function (h, i) {
        var li = document.createElement("li"), a = document.createElement("a"), small = document.createElement("small");
        li.setAttribute("role", "option"); li.id = list.id + "-" + i;
        a.href = h.href; a.textContent = h.label + " "; small.textContent = h.description || h.type || "";
        a.appendChild(small);
        a.addEventListener("keydown", keys);
        li.appendChild(a); list.appendChild(li);
      });
      list.hidden = hits.length === 0;
      input.setAttribute("aria-expanded", hits.length ? "true" : "false");
    }
    function keys(ev) {
      var n = list.querySelectorAll("li").length;
      if (ev.key === "ArrowDown" && n) { ev.preventDefault(); mark(Math.min(active + 1, n - 1)); }
      else if (ev.key === "ArrowUp" && n) { ev.preventDefault(); if (active <= 0) { active = -1; input.focus(); } else { mark(active - 1); } }
      else if (ev.key === "Escape") { close(); input.focus(); }
    }
    input.addEventListener("keydown", keys);
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      timer = setTimeout(function () {
        var mine = ++seq;
        fetch(url + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { hits: [] }; })
          .then(function (d) { if (mine === seq) { render(d.hits || []); } })
          .catch(function () { close(); });
      }, 150);
    });
    document.addEventListener("click", function (ev) { if (!list.contains(ev.target) && ev.target !== input) { close(); } });
  });
})();
