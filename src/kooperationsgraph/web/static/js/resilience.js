// Resilience page: the search field suggests what can fail (/resilience/suggest); picking a hit adds it to the
// list of failures as a hidden remove=<IRI> field (several allowed), × drops one. Without JavaScript the field
// itself is sent as remove=<label> and the server resolves it.
(function () {
  "use strict";
  var input = document.getElementById("rz-q"), list = document.getElementById("rz-list");
  var picked = document.getElementById("rz-picked");
  if (!input || !list || !picked) { return; }
  var url = input.getAttribute("data-suggest"), timer = null, active = -1, seq = 0;

  function close() { list.hidden = true; list.innerHTML = ""; active = -1; input.setAttribute("aria-expanded", "false"); }
  function has(iri) {
    return Array.prototype.some.call(picked.querySelectorAll("input[name=remove]"), function (x) { return x.value === iri; });
  }
  function dropButton(li, name) {
    var b = document.createElement("button");
    b.type = "button"; b.className = "rz-drop"; b.textContent = "×"; b.setAttribute("aria-label", "× " + name);
    li.appendChild(b);
  }
  function pick(hit) {
    if (!has(hit.iri)) {
      var li = document.createElement("li"), hidden = document.createElement("input"), a = document.createElement("a");
      var small = document.createElement("small");
      li.setAttribute("data-iri", hit.iri);
      hidden.type = "hidden"; hidden.name = "remove"; hidden.value = hit.iri;
      a.href = hit.href || "#"; a.textContent = hit.label;
      small.textContent = " " + (hit.type || "") + " ";
      li.appendChild(hidden); li.appendChild(a); li.appendChild(small); dropButton(li, hit.label);
      picked.appendChild(li);
    }
    input.value = ""; close(); input.focus();
  }
  function mark(i) {
    var items = list.querySelectorAll("li");
    items.forEach(function (li, j) { li.setAttribute("aria-selected", j === i ? "true" : "false"); });
    active = i;
    if (items[i]) { input.setAttribute("aria-activedescendant", items[i].id); }
  }
  function render(hits) {
    list.innerHTML = "";
    hits.forEach(function (h, i) {
      var li = document.createElement("li"), a = document.createElement("a"), small = document.createElement("small");
      li.setAttribute("role", "option"); li.id = "rz-list-" + i; li.setAttribute("data-iri", h.iri);
      a.href = "#"; a.textContent = h.label + " "; small.textContent = h.type || "";
      a.appendChild(small);
      a.addEventListener("click", function (ev) { ev.preventDefault(); pick(h); });
      li.hit = h;
      li.appendChild(a); list.appendChild(li);
    });
    list.hidden = hits.length === 0;
    input.setAttribute("aria-expanded", hits.length ? "true" : "false");
  }
  input.addEventListener("keydown", function (ev) {
    var items = list.querySelectorAll("li"), n = items.length;
    if (ev.key === "ArrowDown" && n) { ev.preventDefault(); mark(Math.min(active + 1, n - 1)); }
    else if (ev.key === "ArrowUp" && n) { ev.preventDefault(); mark(Math.max(active - 1, 0)); }
    else if (ev.key === "Enter" && n && !list.hidden) { ev.preventDefault(); pick(items[active >= 0 ? active : 0].hit); }
    else if (ev.key === "Escape") { close(); }
  });
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
  picked.addEventListener("click", function (ev) {
    var b = ev.target.closest ? ev.target.closest(".rz-drop") : null;
    if (b) { b.parentNode.parentNode.removeChild(b.parentNode); input.focus(); }
  });
  document.addEventListener("click", function (ev) { if (!list.contains(ev.target) && ev.target !== input) { close(); } });
  if (input.form) {  // an empty search field adds nothing to the permalink
    input.form.addEventListener("submit", function () { if (!input.value.trim()) { input.disabled = true; } });
    window.addEventListener("pageshow", function () { input.disabled = false; });
  }
})();
