// Draws a network from <script type="application/json" id="net-data"> into #net with Cytoscape.js.
// Nodes: {id,label,href,family,center,size}; edges: {source,target,label}. A click opens a node's page, unless
// #net has data-expand (the network page: network-page.js expands the node instead). Default wheel zoom.
(function () {
  "use strict";
  var el = document.getElementById("net"), src = document.getElementById("net-data");
  if (!el || !src || typeof cytoscape === "undefined") { return; }
  window.kgDrawNetwork = function (data) {
    var ids = {};
    var elements = data.nodes.map(function (n) {
      ids[n.id] = true;
      return { data: { id: n.id, label: n.label, href: n.href, size: n.size || 1,
                       kind: n.family === "Kooperation" ? "koop" : n.family === "Gebiet" ? "area" : "other",
                       center: n.center ? 1 : 0, state: n.state || "" } };
    });
    data.edges.forEach(function (e, i) {
      if (ids[e.source] && ids[e.target]) {
        elements.push({ data: { id: "e" + i, source: e.source, target: e.target, label: e.label } });
      }
    });
    var cy = cytoscape({
      container: el, elements: elements,
      style: [
        { selector: "node", style: { "label": "data(label)", "font-size": 9, "min-zoomed-font-size": 7, "text-wrap": "ellipsis", "text-max-width": 120,
          "text-background-color": "#ffffff", "text-background-opacity": 0.7, "text-background-padding": 1,
          "background-color": "#4a7fb5", "width": "mapData(size, 1, 20, 12, 48)", "height": "mapData(size, 1, 20, 12, 48)", "color": "#1b1f24" } },
        // the larger nodes keep their labels at the overview zoom
        { selector: "node[size >= 4], node[center = 1]", style: { "font-size": 14, "min-zoomed-font-size": 0, "font-weight": "bold", "z-index": 10 } },
        { selector: "node.kg-hit", style: { "border-width": 5, "border-color": "#facc15", "font-size": 16, "min-zoomed-font-size": 0, "z-index": 20 } },
        { selector: "node[kind = 'koop']", style: { "shape": "diamond", "background-color": "#c2571a" } },
        { selector: "node[kind = 'area']", style: { "shape": "round-rectangle", "background-color": "#7a8794" } },
        { selector: "node[center = 1]", style: { "border-width": 3, "border-color": "#1b1f24" } },
        // what-if pictures (resilience page): failed, cut off, at risk on a backup, cooperation losing members
        { selector: "node[state = 'failed']", style: { "background-color": "#b91c1c", "border-width": 4, "border-color": "#1b1f24" } },
        { selector: "node[state = 'cut']", style: { "background-color": "#f97316", "border-width": 2, "border-color": "#7c2d12" } },
        { selector: "node[state = 'risk']", style: { "background-color": "#facc15", "border-width": 2, "border-color": "#854d0e" } },
        { selector: "node[state = 'hit']", style: { "border-width": 3, "border-color": "#b91c1c", "border-style": "dashed" } },
        { selector: "edge", style: { "width": 1, "line-color": "#9aa5b1", "curve-style": "bezier" } }
      ],
      layout: { name: data.nodes.length > 400 ? "grid" : "cose", animate: false, nodeRepulsion: function () { return 8000; }, idealEdgeLength: function () { return 60; } }
    });
    if (!el.hasAttribute("data-expand")) {
      cy.on("tap", "node", function (ev) { var h = ev.target.data("href"); if (h) { window.location.href = h; } });
    }
    el.setAttribute("data-nodes", String(cy.nodes().length));
    el.setAttribute("data-failed", String(cy.nodes("[state = 'failed']").length));
    window.kgNetwork = cy;
    return cy;
  };
  window.kgDrawNetwork(JSON.parse(src.textContent));
})();
