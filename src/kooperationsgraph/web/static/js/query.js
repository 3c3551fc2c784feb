// Query page: YASGUI against /sparql with project prefixes, local autocomplete of our ontology terms,
// bar-chart, map (mapview.js) and network result views, labels for result IRIs, downloads in every format and a permalink (#query=…&view=…).
(function () {
  "use strict";
  var el = document.getElementById("yasgui");
  var cfgEl = document.getElementById("query-config");
  if (!el || !cfgEl || typeof Yasgui === "undefined") { return; }
  var cfg = JSON.parse(cfgEl.textContent);
  var endpoint = new URL(cfg.endpoint, window.location.href).href;
  var MSG = cfg.messages || {};
  function msg(key, values) {
    var text = MSG[key] || key;
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(String(values[k])); });
    return text;
  }

  // ---- autocomplete from our own ontology (no external service such as LOV)
  var termsPromise = null;
  function terms() {
    if (!termsPromise) { termsPromise = fetch(cfg.terms).then(function (r) { return r.json(); }); }
    return termsPromise;
  }
  ["class", "property"].forEach(function (name) {
    var base = Yasgui.Yasqe.Autocompleters && Yasgui.Yasqe.Autocompleters[name];
    if (!base) { return; }
    var mine = Object.assign({}, base, {
      name: name, bulk: true, persistenceId: undefined,
      get: function () { return terms().then(function (d) { return name === "class" ? d.classes : d.properties; }); }
    });
    var own = mine.isValidCompletionPosition;
    mine.isValidCompletionPosition = function (yq) { return !projectToken(yq) && own(yq); };
    Yasgui.Yasqe.Autocompleters[name] = mine;
  });
  // project names in any position (classes, properties and entities: kg:Koop → kg:Kooperation,
  // akteur:stadtwerke-l… → the actors), completed by the server from the label index
  function projectToken(yq) {
    var t = yq.getCompleteToken();
    if (!t || !t.string || t.string[0] === "?" || t.string[0] === "$") { return null; }
    var s = t.string.trim(), i = s.indexOf(":");
    if (s[0] === "<") { return s.indexOf(PROJECT) === 1 ? s : null; }
    if (i < 1 || !cfg.prefixes[s.slice(0, i)] || cfg.prefixes[s.slice(0, i)].indexOf(PROJECT) !== 0) { return null; }
    var line = yq.getDoc().getLine(yq.getDoc().getCursor().line);
    return /^\s*PREFIX\b/i.test(line) ? null : s;
  }
  var PROJECT = "https://w3id.org/kooperationsgraph/";
  if (Yasgui.Yasqe.registerAutocompleter) {
    Yasgui.Yasqe.registerAutocompleter({
      name: "kgnames", bulk: false, autoShow: true, persistenceId: null,
      isValidCompletionPosition: function (yq) { return !!projectToken(yq); },
      preProcessToken: function (yq, token) {
        var s = token.string.trim(), i = s.indexOf(":");
        if (s[0] === "<") { token.autocompletionString = s.replace(/^</, "").replace(/>$/, ""); return token; }
        token.tokenPrefix = s.slice(0, i + 1); token.tokenPrefixUri = cfg.prefixes[s.slice(0, i)];
        token.autocompletionString = token.tokenPrefixUri + s.slice(i + 1);
        return token;
      },
      postProcessSuggestion: function (_yq, token, suggestion) {
        return token.tokenPrefix && suggestion.indexOf(token.tokenPrefixUri) === 0
          ? token.tokenPrefix + suggestion.slice(token.tokenPrefixUri.length) : "<" + suggestion + ">";
      },
      get: function (_yq, token) {
        var q = token && (token.autocompletionString || token.string);
        if (!q) { return Promise.resolve([]); }
        return fetch(cfg.complete + "?prefix=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { completions: [] }; })
          .then(function (d) { return d.completions.map(function (c) { return c.iri; }); });
      }
    });
  }

  // ---- result views: bar chart and network
  function cellText(b) { return b ? b.value : ""; }
  function shortIri(v) { for (var p in cfg.prefixes) { if (v.indexOf(cfg.prefixes[p]) === 0) { return p + ":" + v.slice(cfg.prefixes[p].length); } } return v; }
  function BarChart(yasr) { this.yasr = yasr; this.priority = 4; this.label = msg("query.view.barchart"); }
  BarChart.prototype.canHandleResults = function () {
    var r = this.yasr.results;
    if (!r || (r.hasError && r.hasError()) || !r.getVariables || !r.getBindings) { return false; }
    var vars = r.getVariables(), rows = r.getBindings();
    return !!(vars && vars.length >= 2 && rows && rows.length);
  };
  BarChart.prototype.getIcon = function () { var s = document.createElement("span"); s.textContent = "▇"; return s; };
  BarChart.prototype.draw = function () {
    var r = this.yasr.results, vars = r.getVariables(), rows = r.getBindings();
    var NUM = /#(integer|decimal|double|float|int|long|short|byte|nonNegativeInteger|positiveInteger|unsignedInt)$/;
    function numeric(v, typedOnly) {
      return rows.every(function (b) {
        return !b[v] || (b[v].type !== "uri" && (NUM.test(b[v].datatype || "") || (!typedOnly && b[v].value !== "" && isFinite(Number(b[v].value)))));
      }) && rows.some(function (b) { return b[v]; });
    }
    // a typed number (a COUNT) wins over a number written as text (a year from STR()); the last such column wins,
    // since label columns come first in a SELECT
    var typed = vars.filter(function (v) { return numeric(v, true); });
    var loose = vars.filter(function (v) { return numeric(v, false); });
    var numVar = typed.length ? typed[typed.length - 1] : (loose.length ? loose[loose.length - 1] : undefined);
    var labVar = vars.find(function (v) { return v !== numVar && rows.some(function (b) { return b[v] && b[v].type === "literal"; }); })
      || vars.find(function (v) { return v !== numVar; });
    var box = document.createElement("div");
    if (!numVar) { box.textContent = msg("query.view.nonumber"); this.yasr.resultsEl.appendChild(box); return; }
    var data = rows.slice(0, 50).map(function (b) {
      var lab = b.label || b[labVar]; return { label: lab ? (lab.type === "uri" ? shortIri(lab.value) : lab.value) : "", value: parseFloat(cellText(b[numVar])) || 0 };
    });
    var max = Math.max.apply(null, data.map(function (d) { return d.value; }).concat([1]));
    var ns = "http://www.w3.org/2000/svg", rowH = 22, w = 640, lw = 260;
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 " + w + " " + (data.length * rowH + 10)); svg.setAttribute("width", String(w));
    svg.style.maxWidth = "100%"; svg.style.height = "auto";
    svg.setAttribute("role", "img"); svg.setAttribute("aria-label", msg("query.view.barchart") + ": " + numVar);
    data.forEach(function (d, i) {
      var y = i * rowH + 5;
      var t = document.createElementNS(ns, "text"); t.setAttribute("x", lw - 6); t.setAttribute("y", y + 14); t.setAttribute("text-anchor", "end"); t.setAttribute("font-size", "12");
      t.textContent = d.label.length > 34 ? d.label.slice(0, 33) + "…" : d.label; svg.appendChild(t);
      var rect = document.createElementNS(ns, "rect"); rect.setAttribute("x", lw); rect.setAttribute("y", y + 2);
      rect.setAttribute("height", rowH - 6); rect.setAttribute("width", Math.max(1, (w - lw - 50) * d.value / max)); rect.setAttribute("fill", "#0b5cad");
      svg.appendChild(rect);
      var v = document.createElementNS(ns, "text"); v.setAttribute("x", lw + 4 + (w - lw - 50) * d.value / max); v.setAttribute("y", y + 14); v.setAttribute("font-size", "12");
      v.textContent = String(d.value); svg.appendChild(v);
    });
    box.appendChild(svg);
    if (rows.length > 50) { var note = document.createElement("p"); note.textContent = msg("query.view.first50", { n: rows.length }); box.appendChild(note); }
    this.yasr.resultsEl.appendChild(box);
  };
  function Network(yasr) { this.yasr = yasr; this.priority = 3; this.label = msg("query.view.network"); }
  Network.prototype.canHandleResults = function () {
    var r = this.yasr.results;
    if (!r || (r.hasError && r.hasError()) || !r.getBindings || typeof cytoscape === "undefined") { return false; }
    var vars = r.getVariables(), rows = r.getBindings();
    return !!(vars && rows) && rows.length > 0 && vars.filter(function (v) { return rows.some(function (b) { return b[v] && b[v].type === "uri"; }); }).length >= 2;
  };
  Network.prototype.getIcon = function () { var s = document.createElement("span"); s.textContent = "⋈"; return s; };
  Network.prototype.draw = function () {
    var r = this.yasr.results, rows = r.getBindings().slice(0, 500);
    var vars = r.getVariables().filter(function (v) { return rows.some(function (b) { return b[v] && b[v].type === "uri"; }); });
    var nodes = {}, edges = [];
    rows.forEach(function (b, i) {
      var a = b[vars[0]], c = b[vars[1]];
      if (!a || !c || a.type !== "uri" || c.type !== "uri") { return; }
      [a.value, c.value].forEach(function (v) { nodes[v] = nodes[v] || { data: { id: v, label: shortIri(v), deg: 0 } }; nodes[v].data.deg += 1; });
      edges.push({ data: { id: "e" + i, source: a.value, target: c.value } });
    });
    var div = document.createElement("div"); div.className = "net"; div.id = "yasr-network";
    this.yasr.resultsEl.appendChild(div);
    var cy = cytoscape({ container: div, elements: Object.values(nodes).concat(edges),
      style: [{ selector: "node", style: { label: "data(label)", "font-size": 8, "background-color": "#4a7fb5", width: "mapData(deg, 1, 20, 10, 40)", height: "mapData(deg, 1, 20, 10, 40)" } },
              { selector: "edge", style: { width: 1, "line-color": "#9aa5b1" } }],
      layout: { name: edges.length > 300 ? "grid" : "cose", animate: false } });
    cy.on("tap", "node", function (ev) {
      var id = ev.target.id(), base = "https://w3id.org/kooperationsgraph/";
      window.location.href = id.indexOf(base) === 0 ? "/" + id.slice(base.length) : id;
    });
  };
  Yasgui.Yasr.registerPlugin("barchart", BarChart);
  Yasgui.Yasr.registerPlugin("network", Network);
  if (window.kgMapView) { Yasgui.Yasr.registerPlugin("map", window.kgMapView(cfg, msg)); }

  // ---- prefixes, permalink
  function withPrefixes(text) {
    var head = "";
    Object.keys(cfg.prefixes).forEach(function (p) {
      var used = new RegExp("(^|[\\s(/^|,;])" + p.replace("-", "\\-") + ":").test(text.replace(/<[^>]*>/g, ""));
      var declared = new RegExp("PREFIX\\s+" + p.replace("-", "\\-") + ":", "i").test(text);
      if (used && !declared) { head += "PREFIX " + p + ": <" + cfg.prefixes[p] + ">\n"; }
    });
    return head + text;
  }
  var hash = new URLSearchParams(window.location.hash.slice(1));
  var startQuery = hash.get("query") || withPrefixes(cfg.query);
  var startView = hash.get("view") || cfg.view;
  var pendingView = startView; // forced once (gallery, permalink); afterwards the user's choice stays
  var yasgui = new Yasgui(el, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false, persistenceId: null, populateFromUrl: false, autofocus: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasqe: { value: startQuery, persistenceId: null },
    yasr: { prefixes: cfg.prefixes, defaultPlugin: startView, persistenceId: null,
            pluginOrder: ["table", "barchart", "map", "network", "response"] }
  });
  function tab() { return yasgui.getTab(); }
  // names for YASGUI's unlabeled controls (screen readers)
  el.querySelectorAll("input.autocomplete").forEach(function (i) { i.setAttribute("aria-label", "SPARQL endpoint"); });
  el.querySelectorAll(".CodeMirror textarea").forEach(function (t) { t.setAttribute("aria-label", "SPARQL"); });
  // result links to project IRIs open this server's entity pages (the IRIs map to our own host)
  var BASE = "https://w3id.org/kooperationsgraph/";
  // IRIs in the table carry their labels (page language): the label is the link text, the IRI its tooltip
  var labels = {};
  function decorate() {
    el.querySelectorAll(".yasr a.iri:not([data-iri])").forEach(function (a) {
      var iri = a.getAttribute("href"); a.setAttribute("data-iri", iri); a.title = iri;
      if (labels[iri]) {
        a.setAttribute("data-short", a.textContent); a.textContent = labels[iri]; a.classList.add("kg-labelled");
      }
      if (iri.indexOf(BASE) === 0) { a.setAttribute("href", "/" + iri.slice(BASE.length)); a.removeAttribute("target"); }
    });
  }
  function fetchLabels(rows) {
    var want = {};
    rows.slice(0, 2000).forEach(function (b) {
      Object.keys(b).forEach(function (v) { if (b[v] && b[v].type === "uri" && !labels[b[v].value]) { want[b[v].value] = 1; } });
    });
    var iris = Object.keys(want).slice(0, cfg.maxLabels || 500);
    if (!iris.length) { return Promise.resolve(); }
    var body = new URLSearchParams(); iris.forEach(function (i) { body.append("iri", i); });
    return fetch(cfg.labels, { method: "POST", body: body, headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { labels: {} }; })
      .then(function (d) { Object.assign(labels, d.labels || {}); })
      .catch(function () { /* labels are a convenience: the IRIs stay */ });
  }
  function relabel() {
    // labels arrived after the table was drawn: label the links drawn so far
    el.querySelectorAll(".yasr a.iri[data-iri]:not(.kg-labelled)").forEach(function (a) {
      var iri = a.getAttribute("data-iri");
      if (labels[iri]) { a.setAttribute("data-short", a.textContent); a.textContent = labels[iri]; a.classList.add("kg-labelled"); }
    });
    el.setAttribute("data-labels", "ready");
  }
  new MutationObserver(decorate).observe(el, { childList: true, subtree: true });
  function currentView() { var y = tab().getYasr(); return (y && y.getSelectedPluginName && y.getSelectedPluginName()) || startView; }
  function permalink() {
    var p = new URLSearchParams(); p.set("query", tab().getYasqe().getValue()); p.set("view", currentView());
    return window.location.pathname + "#" + p.toString();
  }
  var link = document.getElementById("permalink");
  link.addEventListener("click", function (ev) { ev.preventDefault(); history.replaceState(null, "", permalink()); link.href = permalink(); });
  // ---- errors, running state, cancel
  var errBox = document.getElementById("query-error");
  var cancelBtn = document.getElementById("query-cancel");
  var runningEl = document.getElementById("query-running");
  var marks = [], cancelled = false;
  function clearError() {
    errBox.hidden = true; errBox.textContent = ""; errBox.removeAttribute("data-line"); errBox.removeAttribute("data-column");
    errBox.removeAttribute("data-code");
    var yq = tab().getYasqe();
    marks.forEach(function (m) { if (m.clear) { m.clear(); } else { yq.removeLineClass(m.line, "background", "kg-error-line"); } });
    marks = [];
  }
  function showError(heading, detail, code) {
    errBox.textContent = "";
    var h = document.createElement("strong"); h.textContent = heading; errBox.appendChild(h);
    if (detail) { var p = document.createElement("p"); p.className = "detail"; p.textContent = detail; errBox.appendChild(p); }
    errBox.setAttribute("data-code", code || "");
    errBox.hidden = false;
  }
  function parseError(text) {
    try { var d = JSON.parse(text); if (d && typeof d === "object" && d.error) { return d; } } catch (e) { /* not JSON */ }
    return null;
  }
  function markPosition(line, column) {
    var yq = tab().getYasqe(), l = Math.max(0, Math.min(line - 1, yq.lineCount() - 1));
    var ch = Math.max(0, (column || 1) - 1), len = yq.getLine(l).length;
    yq.addLineClass(l, "background", "kg-error-line"); marks.push({ line: l });
    marks.push(yq.markText({ line: l, ch: Math.min(ch, Math.max(0, len - 1)) }, { line: l, ch: Math.min(len, ch + 1) || len },
                           { className: "kg-error-mark", attributes: { title: errBox.textContent } }));
    yq.setCursor({ line: l, ch: Math.min(ch, len) });
    errBox.setAttribute("data-line", String(line)); errBox.setAttribute("data-column", String(column || ""));
  }
  function explain(d, status) {
    // the server's JSON error ({"error","message","line","column"}) as a heading in the page language + its message
    var code = d ? d.error : "";
    if (code === "query-syntax") {
      return d.line ? msg("query.error.syntax", { line: d.line, column: d.column || "?" }) : msg("query.error.syntax_nopos");
    }
    if (code === "query-refused") { return msg("query.error.refused"); }
    if (code === "query-timeout") { return msg("query.error.timeout"); }
    if (code === "server-busy") { return msg("query.error.busy"); }
    return msg("query.error.server", { status: status || code || "?" });
  }
  function reportFailure(resp) {
    // YASGUI hands over an Error whose message is the response body (or a network/abort error)
    if (cancelled || (resp && resp.name === "AbortError")) { showError(msg("query.cancelled"), "", "cancelled"); return; }
    var text = resp && (resp.message !== undefined ? resp.message : resp.content);
    var d = parseError(text || "");
    if (d) {
      showError(explain(d, resp.status), d.message || "", d.error);
      if (d.error === "query-syntax" && d.line) { markPosition(d.line, d.column); }
    } else if (resp && resp.name === "TypeError") {
      showError(msg("query.error.network"), text || "", "network");
    } else {
      showError(msg("query.error.server", { status: (resp && resp.status) || "?" }), text || "", "server");
    }
  }
  function setRunning(on) {
    cancelBtn.hidden = !on; runningEl.textContent = on ? msg("query.running") : "";
  }
  cancelBtn.addEventListener("click", function () {
    cancelled = true; tab().getYasqe().abortQuery(); setRunning(false);
    showError(msg("query.cancelled"), "", "cancelled");
  });
  yasgui.on("query", function () { cancelled = false; clearError(); setRunning(true); });
  yasgui.on("queryAbort", function () { setRunning(false); });
  tab().getYasqe().on("queryResponse", function (_yq, resp) {
    setRunning(false);
    var failed = !resp || resp instanceof Error || resp.name === "AbortError" || resp.ok === false;
    if (failed) { reportFailure(resp); return; }
    history.replaceState(null, "", permalink()); link.href = permalink();
    el.removeAttribute("data-labels");
    window.setTimeout(function () {
      var r = tab().getYasr().results;
      fetchLabels((r && r.getBindings && r.getBindings()) || []).then(relabel);
    }, 0);
    var want = pendingView; pendingView = null;
    if (want) {
      window.setTimeout(function () {
        try { var y = tab().getYasr(); if (y.getSelectedPluginName() !== want) { y.selectPlugin(want); } } catch (e) { /* view unsupported */ }
      }, 0);
    }
    downloads();
  });
  function runWithView(text, view) {
    startView = view || "table"; pendingView = startView;
    var t = tab(); t.getYasqe().setValue(withPrefixes(text)); t.getYasqe().query();
  }
  window.kgRunQuery = runWithView;

  // ---- downloads in every format of the endpoint
  var SELECT_TYPES = [["JSON", "application/sparql-results+json", "json"], ["XML", "application/sparql-results+xml", "xml"], ["CSV", "text/csv", "csv"], ["TSV", "text/tab-separated-values", "tsv"]];
  var GRAPH_TYPES = [["Turtle", "text/turtle", "ttl"], ["N-Triples", "application/n-triples", "nt"], ["JSON-LD", "application/ld+json", "jsonld"], ["RDF/XML", "application/rdf+xml", "rdf"]];
  function downloads() {
    var box = document.getElementById("downloads"); box.innerHTML = "";
    var type = (tab().getYasqe().getQueryType && tab().getYasqe().getQueryType()) || "SELECT";
    (type === "CONSTRUCT" || type === "DESCRIBE" ? GRAPH_TYPES : SELECT_TYPES).forEach(function (f, i) {
      var b = document.createElement("button"); b.type = "button"; b.className = "linklike"; b.textContent = f[0];
      b.addEventListener("click", function () {
        var body = new URLSearchParams(); body.set("query", tab().getYasqe().getValue());
        fetch(endpoint, { method: "POST", body: body, headers: { Accept: f[1] + ", application/json;q=0.5" } }).then(function (r) {
          if (!r.ok) {  // never save an error message as a result file
            return r.text().then(function (text) {
              var d = parseError(text);
              showError(msg("query.error.download") + ": " + explain(d, r.status), d ? d.message : text, "download");
              if (d && d.error === "query-syntax" && d.line) { markPosition(d.line, d.column); }
            });
          }
          return r.blob().then(function (blob) {
            var a = document.createElement("a"); a.href = URL.createObjectURL(blob); a.download = "ergebnis." + f[2];
            document.body.appendChild(a); a.click(); a.remove();
          });
        }).catch(function (e) { showError(msg("query.error.network"), String(e && e.message || e), "network"); });
      });
      if (i) { box.appendChild(document.createTextNode(" · ")); }
      box.appendChild(b);
    });
  }
  downloads();

  // ---- gallery: load a catalogue query with its parameters, run it in its preferred view
  document.querySelectorAll("form.example").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var params = new URLSearchParams();
      new FormData(form).forEach(function (v, k) { if (k.indexOf("p_") === 0 && v) { params.set(k.slice(2), v); } });
      clearError();
      fetch(cfg.render + "/" + encodeURIComponent(form.dataset.example) + "?" + params.toString(), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (d) {
          el.scrollIntoView();
          if (d.error) { showError(d.error === "invalid-parameter" ? msg("query.error.param") : explain(d), d.message || "", d.error); return; }
          runWithView(d.query, d.view || form.dataset.view);
        })
        .catch(function (e) { showError(msg("query.error.network"), String(e && e.message || e), "network"); });
    });
  });
  if (hash.get("query")) { tab().getYasqe().query(); }
})();
