// Ontology page: draws the class-neighbourhood diagrams (<pre class="kg-diagram">) with mermaid — the first
// at once, the others when their <details> opens — and makes every class box a link to its section (#Name).
(function () {
  "use strict";
  if (typeof mermaid === "undefined") { return; }
  mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "neutral" });

  function link(pre) {
    pre.querySelectorAll("g.node[id*='classId-']").forEach(function (g) {
      var m = /classId-([A-Za-z_][A-Za-z0-9_]*)-\d+$/.exec(g.id);  // mermaid 11: "<svg id>-classId-<Name>-<n>"
      if (!m || !document.getElementById(m[1])) { return; }
      g.setAttribute("role", "link"); g.setAttribute("tabindex", "0");
      g.setAttribute("aria-label", m[1]); g.style.cursor = "pointer";
      g.setAttribute("data-target", "#" + m[1]);
      var go = function () { window.location.hash = m[1]; };
      g.addEventListener("click", go);
      g.addEventListener("keydown", function (ev) { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); go(); } });
    });
    pre.setAttribute("data-linked", "1");
  }

  function draw(pre) {
    if (pre.getAttribute("data-drawn")) { return; }
    pre.setAttribute("data-drawn", "1");
    mermaid.run({ nodes: [pre] }).then(function () { link(pre); });
  }

  document.querySelectorAll("pre.kg-diagram[data-render='now']").forEach(draw);
  document.querySelectorAll("details.diagram").forEach(function (d) {
    d.addEventListener("toggle", function () { if (d.open) { draw(d.querySelector("pre.kg-diagram")); } });
  });
  // opening #Class from a diagram link: show that class's own diagram too
  window.addEventListener("hashchange", function () {
    var target = document.getElementById(window.location.hash.slice(1));
    var d = target && target.querySelector("details.diagram");
    if (d) { d.open = true; }
  });
})();
