// Query page: the "Karte" result view (a YASR plugin). Länder are coloured by a numeric column when a column
// holds Land IRIs (…/id/land/05) or ARS codes ("05"); WKT POINT literals or lat/long columns become points.
// Drawn as SVG from the vendored BKG VG5000 boundaries (/query/map.json); no tile server.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var LAND_IRI = /\/id\/land\/(\d{2})$/;
  var KREIS_IRI = /\/id\/kreis\/(\d{5})$/;
  var WKT = /^\s*(?:<[^>]*>\s*)?POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)\s*$/i;
  var NUM = /#(integer|decimal|double|float|int|long|short|byte|nonNegativeInteger|positiveInteger|unsignedInt)$/;
  var LAT = /^(lat|latitude|breite|breitengrad)$/i, LON = /^(lon|long|lng|longitude|laenge|länge|laengengrad)$/i;

  function regionOf(b) {
    if (!b) { return null; }
    var m = b.type === "uri" ? LAND_IRI.exec(b.value) : (/^\d{2}$/.test(b.value) ? [b.value, b.value] : null);
    return m ? m[1] : null;
  }
  function isKreis(b) { return !!b && (b.type === "uri" ? KREIS_IRI.test(b.value) : /^\d{5}$/.test(b.value)); }
  function number(b) { return b && b.type !== "uri" && b.value !== "" && isFinite(Number(b.value)) ? Number(b.value) : null; }

  // analyse the result: which column is the region, which the value, which hold points
  function analyse(vars, rows) {
    function share(test, v) { var n = rows.filter(function (b) { return b[v]; }); return n.length && n.every(function (b) { return test(b[v]); }); }
    var region = vars.find(function (v) { return share(regionOf, v); });
    var kreis = vars.find(function (v) { return share(isKreis, v); });
    var typed = vars.filter(function (v) { return v !== region && share(function (b) { return b.type !== "uri" && NUM.test(b.datatype || ""); }, v); });
    var loose = vars.filter(function (v) { return v !== region && share(function (b) { return number(b) !== null; }, v); });
    var value = typed.length ? typed[typed.length - 1] : (loose.length ? loose[loose.length - 1] : undefined);
    var wkt = vars.find(function (v) { return share(function (b) { return b.type !== "uri" && WKT.test(b.value); }, v); });
    var lat = vars.find(function (v) { return LAT.test(v) && share(function (b) { return number(b) !== null; }, v); });
    var lon = vars.find(function (v) { return LON.test(v) && share(function (b) { return number(b) !== null; }, v); });
    var label = vars.find(function (v) { return v !== region && v !== value && v !== wkt && rows.some(function (b) { return b[v] && b[v].type === "literal" && !WKT.test(b[v].value); }); });
    return { region: region, kreis: kreis, value: value, wkt: wkt, lat: lat, lon: lon, label: label };
  }
  function shade(value, min, max) {
    if (value === null || value === undefined) { return "#f1f3f5"; }
    var t = max > min ? (value - min) / (max - min) : 1, light = [198, 219, 239], dark = [8, 69, 148];
    return "#" + light.map(function (a, i) { var c = Math.round(a + (dark[i] - a) * t); return (c < 16 ? "0" : "") + c.toString(16); }).join("");
  }
  function el(name, attrs, text) {
    var e = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) { var t = document.createElementNS(NS, "title"); t.textContent = text; e.appendChild(t); }
    return e;
  }
  var shapes = null;
  function loadShapes(url) { if (!shapes) { shapes = fetch(url).then(function (r) { return r.json(); }); } return shapes; }

  window.kgMapView = function (cfg, msg) {
    function MapView(yasr) { this.yasr = yasr; this.priority = 2; this.label = msg("query.view.map"); }
    MapView.prototype.canHandleResults = function () {
      var r = this.yasr.results;
      if (!r || (r.hasError && r.hasError()) || !r.getVariables || !r.getBindings) { return false; }
      var vars = r.getVariables(), rows = r.getBindings();
      if (!vars || !rows || !rows.length) { return false; }
      var a = analyse(vars, rows);
      return !!((a.region && a.value) || a.wkt || (a.lat && a.lon));
    };
    MapView.prototype.getIcon = function () { var s = document.createElement("span"); s.textContent = "◍"; return s; };
    MapView.prototype.draw = function () {
      var self = this, r = this.yasr.results, vars = r.getVariables(), rows = r.getBindings(), a = analyse(vars, rows);
      var box = document.createElement("div"); box.className = "kg-map"; box.id = "kg-map";
      this.yasr.resultsEl.appendChild(box);
      return loadShapes(cfg.map).then(function (geo) {
        var values = {}, name = function (row) { var l = a.label && row[a.label]; return l ? l.value : ""; };
        if (a.region && a.value) {
          rows.forEach(function (b) { var ars = regionOf(b[a.region]), v = number(b[a.value]); if (ars && v !== null) { values[ars] = (values[ars] || 0) + v; } });
        }
        var nums = Object.keys(values).map(function (k) { return values[k]; });
        var min = nums.length ? Math.min.apply(null, nums) : 0, max = nums.length ? Math.max.apply(null, nums) : 0;
        var svg = el("svg", { viewBox: "0 0 " + geo.width + " " + geo.height, width: geo.width, role: "img",
                              "aria-label": msg("query.view.map") + (a.value ? ": " + a.value : "") });
        svg.style.maxWidth = "100%"; svg.style.height = "auto";
        geo.regions.forEach(function (g) {
          var v = values[g.ars];
          var p = el("path", { d: g.d, fill: a.region ? shade(v, min, max) : "#f1f3f5", stroke: "#fff", "stroke-width": 1,
                               "data-ars": g.ars, "data-value": v === undefined ? "" : v },
                     g.name + (v === undefined ? "" : ": " + v.toLocaleString(document.documentElement.lang || "de")));
          svg.appendChild(p);
        });
        var points = 0;
        rows.slice(0, 5000).forEach(function (b) {
          var lon = null, lat = null, m;
          if (a.wkt && b[a.wkt] && (m = WKT.exec(b[a.wkt].value))) { lon = Number(m[1]); lat = Number(m[2]); }
          else if (a.lat && a.lon) { lat = number(b[a.lat]); lon = number(b[a.lon]); }
          if (lon === null || lat === null) { return; }
          var x = (lon * geo.k - geo.x0) * geo.scale, y = (-lat - geo.y0) * geo.scale;
          svg.appendChild(el("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: 3.5, fill: "#c2410c", stroke: "#fff", "stroke-width": 0.8,
                                         "class": "kg-point" }, name(b) || (lon + ", " + lat)));
          points += 1;
        });
        box.appendChild(svg);
        if (a.region && a.value) {
          var legend = document.createElement("p"); legend.className = "kg-map-legend";
          var lo = document.createElement("span"), hi = document.createElement("span"), bar = document.createElement("span");
          lo.textContent = String(min); hi.textContent = String(max); bar.className = "kg-map-scale";
          bar.style.background = "linear-gradient(to right, " + shade(min, min, max) + ", " + shade(max, min, max) + ")";
          legend.append(a.value + ": ", lo, bar, hi); box.appendChild(legend);
        }
        if (a.kreis && !a.region) { var k = document.createElement("p"); k.className = "note"; k.textContent = msg("query.view.map.nokreise"); box.appendChild(k); }
        var src = document.createElement("p"); src.className = "kg-map-source"; src.textContent = geo.attribution; box.appendChild(src);
        box.setAttribute("data-regions", String(Object.keys(values).length)); box.setAttribute("data-points", String(points));
        self.drawn = true;
      }).catch(function (e) { box.textContent = msg("query.error.network") + ": " + String(e && e.message || e); });
    };
    return MapView;
  };
})();
