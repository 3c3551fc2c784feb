// The network page's tools around the picture drawn by netview.js: find a node (centre + highlight),
// expand a node's neighbours on click or from the keyboard list (fetched as JSON and added, GraphDB-style),
// and a live message naming the selected node with a link to its page.
(function () {
  "use strict";
  var el = document.getElementById("net");
  var cy = window.kgNetwork;
  if (!el || !cy) { return; }
  var found = document.getElementById("net-found"), selected = document.getElementById("net-selected");

  function fill(tpl, values) {
    return tpl.replace(/\{(\w+)\}/g, function (m, k) { return values[k] !== undefined ? String(values[k]) : m; });
  }

  function focusNode(node) {
    cy.nodes().removeClass("kg-hit");
    node.addClass("kg-hit");
    cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 250 });
  }

  function say(node, n) {
    selected.textContent = "";
    var p = document.createElement("p");
    p.textContent = fill(selected.getAttribute("data-selected"), { name: node.data("label"), n: n }) + " ";
    if (node.data("href")) {
      var a = document.createElement("a");
      a.href = node.data("href"); a.textContent = selected.getAttribute("data-open");
      p.appendChild(a);
    }
    selected.appendChild(p);
  }

  function expand(node) {
    focusNode(node);
    var url = el.getAttribute("data-expand") + "?node=" + encodeURIComponent(node.id());
    fetch(url, { headers: { "Accept": "application/json" } }).then(function (r) {
      if (!r.ok) { throw new Error(String(r.status)); }
      return r.json();
    }).then(function (data) {
      var pos = node.position(), added = cy.collection();
      data.nodes.forEach(function (n, i) {
        if (cy.getElementById(n.id).length) { return; }
        var angle = 2 * Math.PI * i / Math.max(1, data.nodes.length);
        added = added.union(cy.add({ group: "nodes", data: { id: n.id, label: n.label, href: n.href, size: n.size || 1,
          kind: n.family === "Kooperation" ? "koop" : "other", center: 0, state: "" },
          position: { x: pos.x + 120 * Math.cos(angle), y: pos.y + 120 * Math.sin(angle) } }));
      });
      var have = {};
      cy.edges().forEach(function (e) { have[e.data("source") + "|" + e.data("target")] = true; });
      data.edges.forEach(function (e) {
        if (have[e.source + "|" + e.target]) { return; }
        cy.add({ group: "edges", data: { id: "x:" + e.source + "|" + e.target, source: e.source, target: e.target, label: "" } });
      });
      node.data("center", 1);
      el.setAttribute("data-nodes", String(cy.nodes().length));
      el.setAttribute("data-expanded", node.id());
      say(node, node.neighborhood("node").length);
    }).catch(function () {
      selected.textContent = selected.getAttribute("data-failed");
    });
  }

  cy.on("tap", "node", function (ev) { expand(ev.target); });

  var form = document.getElementById("net-search"), input = document.getElementById("net-q");
  if (form && input) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var q = input.value.trim().toLowerCase();
      if (!q) { return; }
      var exact = cy.nodes().filter(function (n) { return String(n.data("label")).toLowerCase() === q; });
      var hit = exact.length ? exact : cy.nodes().filter(function (n) { return String(n.data("label")).toLowerCase().indexOf(q) >= 0; });
      if (!hit.length) { found.textContent = found.getAttribute("data-notfound"); el.removeAttribute("data-found"); return; }
      var node = hit[0];
      focusNode(node);
      el.setAttribute("data-found", node.id());
      found.textContent = fill(found.getAttribute("data-found"), { name: node.data("label") });
    });
  }

  var list = document.getElementById("net-list");
  if (list) {
    list.addEventListener("click", function (ev) {
      var b = ev.target.closest("button[data-node]");
      if (!b) { return; }
      var node = cy.getElementById(b.getAttribute("data-node"));
      if (node.length) { expand(node); el.scrollIntoView({ block: "nearest" }); }
    });
  }
})();
