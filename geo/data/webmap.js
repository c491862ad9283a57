/* minemap choropleth. Every string from the data (report titles, evidence, outlet names) reaches the page
   through textContent or createTextNode only: report text is untrusted. */
(function () {
  "use strict";
  var D = null, S = {layer: 0, frame: 0};
  var NODATA = "url(#mm-hatch)";

  function data() {
    if (!D) {
      D = JSON.parse(document.getElementById("mm-data").textContent);
      S.layer = D.default_layer;
      D.geo = {type: "FeatureCollection", features: D.shapes.map(function (polys, i) {
        var x = 0, y = 0, sc = D.scale;   // integer deltas on a 1/scale degree grid (geo/simplify.py)
        return {type: "Feature", properties: {i: i}, geometry: {type: "MultiPolygon", coordinates:
          polys.map(function (rings) { return rings.map(function (flat) {
            var pts = [];
            for (var k = 0; k < flat.length; k += 2) { x += flat[k]; y += flat[k + 1]; pts.push([x / sc, y / sc]); }
            pts.push(pts[0]);
            return pts;
          }); })}};
      })};
    }
    return D;
  }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function fmt(x) {
    if (x === null || x === undefined) return "";
    var r = Math.round(x * 100) / 100;
    return r.toLocaleString("en-US", {maximumFractionDigits: 2});
  }
  function value(fi, li, i) {
    var v = data().frames[fi].values[li];
    return v && v[i] !== undefined ? v[i] : null;
  }
  function classes(fi, li) { return data().frames[fi].classes[li]; }
  function colour(fi, li, i) {
    var v = value(fi, li, i), c = classes(fi, li);
    if (v === null || v === undefined || !c || !c.bins.length) return NODATA;
    for (var k = 0; k < c.bins.length; k++) if (v <= c.bins[k] + 1e-9) return c.colors[k];
    return c.colors[c.colors.length - 1];
  }
  function style(fi, li, i) {
    var nd = colour(fi, li, i) === NODATA;
    return {fillColor: colour(fi, li, i), fillOpacity: nd ? 1 : 0.85, color: nd ? "#8c8c8c" : "#4d4d4d",
            weight: 0.7, opacity: 1, dashArray: nd ? "2 3" : null};
  }
  function safeUrl(u) { return (typeof u === "string" && /^https?:\/\//i.test(u)) ? u : null; }

  function legend() {
    var d = data(), box = document.getElementById("mm-legend");
    if (!box) return;
    while (box.firstChild) box.removeChild(box.firstChild);
    var L_ = d.layers[S.layer];
    if (!L_) { box.appendChild(el("h2", "No district values")); }
    else {
      box.appendChild(el("h2", L_.label + " (" + L_.unit + ")"));
      box.appendChild(el("p", d.kind_notes[L_.kind]));
      if (d.frames.length > 1) box.appendChild(el("p", d.frames[S.frame].label));
    }
    var ul = el("ul"), c = L_ ? classes(S.frame, S.layer) : null;
    if (c) for (var k = 0; k < c.bins.length; k++) {
      var li = el("li"), sw = el("i");
      sw.style.background = c.colors[k];
      li.appendChild(sw); li.appendChild(document.createTextNode(c.labels[k] + " " + L_.unit));
      li.className = "mm-class"; ul.appendChild(li);
    }
    var nd = el("li", null, "mm-class-nodata"), ndsw = el("i", null, "mm-nodata");
    nd.appendChild(ndsw); nd.appendChild(document.createTextNode("No data (no report names it)"));
    ul.appendChild(nd); box.appendChild(ul);
  }

  function tooltip(i) {
    var d = data(), f = d.frames[S.frame], u = d.districts[i], L_ = d.layers[S.layer];
    var box = el("div", null, "mm-tip");
    box.appendChild(el("b", u.name));
    if (u.name_en && u.name_en !== u.name) box.appendChild(el("span", " · " + u.name_en, "mm-en"));
    var v = value(S.frame, S.layer, i);
    if (L_) box.appendChild(el("div", L_.label + ": " + (v === null || v === undefined ? "no data" : fmt(v) + " " + L_.unit)));
    if (L_ && v !== null && v !== undefined) box.appendChild(el("div", d.kind_short[L_.kind]));
    var n = f.reports[i];
    box.appendChild(el("div", (n ? n : 0) + (n === 1 ? " report" : " reports")));
    if (f.first[i] || f.last[i]) box.appendChild(el("div", (f.first[i] || "?") + " – " + (f.last[i] || "?")));
    if (d.frames.length > 1) box.appendChild(el("div", d.frames[S.frame].label));
    return box;
  }

  function popup(i) {
    var d = data(), u = d.districts[i], L_ = d.layers[S.layer];
    var box = el("div", null, "mm-pop");
    box.appendChild(el("h3", u.name + (u.name_en && u.name_en !== u.name ? " · " + u.name_en : "")));
    var v = value(S.frame, S.layer, i);
    if (L_) box.appendChild(el("div", L_.label + ": " + (v === null || v === undefined ? "no data" : fmt(v) + " " + L_.unit)));
    var refs = (d.frames[S.frame].refs[S.layer] || {})[i] || [];
    if (!refs.length) { box.appendChild(el("p", "No figure behind this value.")); return box; }
    box.appendChild(el("p", "Behind this value:"));
    var ol = el("ol");
    refs.forEach(function (fid) {
      var fa = d.facts[fid], li = el("li");
      li.appendChild(el("div", fa.text));
      fa.sources.forEach(function (sid) {
        var s = d.sources[sid], row = el("div", null, "mm-src"), url = safeUrl(s.url);
        var what = [s.outlet, s.date].filter(Boolean).join(", ");
        if (what) row.appendChild(document.createTextNode(what + ": "));
        var t = s.title || s.doc_id;
        if (url) { var a = el("a", t); a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer"; row.appendChild(a); }
        else row.appendChild(el("span", t));
        if (s.evidence) row.appendChild(el("q", s.evidence));
        li.appendChild(row);
      });
      ol.appendChild(li);
    });
    box.appendChild(ol);
    var more = ((d.frames[S.frame].more || {})[S.layer] || {})[i];
    if (more) box.appendChild(el("p", "… and " + more + " more (all facts are listed in facts.csv)."));
    return box;
  }

  function timeControl(onchange) {
    var d = data(), box = document.getElementById("mm-time");
    if (!box || d.frames.length < 2) return;
    box.style.display = "block";
    var lab = el("label", d.frames[0].label), inp = el("input");
    inp.type = "range"; inp.min = 0; inp.max = d.frames.length - 1; inp.step = 1; inp.value = 0;
    inp.setAttribute("aria-label", "Time slice");
    inp.addEventListener("input", function () {
      S.frame = +inp.value; lab.textContent = d.frames[S.frame].label; legend(); onchange();
    });
    box.appendChild(inp); box.appendChild(el("span", " ")); box.appendChild(lab);
  }

  /* Leaflet page: one GeoJSON layer per value column, switched as base layers (one visible at a time). */
  window.minemapInit = function (map) {
    var d = data(), base = {}, layers = [];
    d.layers.forEach(function (L_, li) {
      var g = L.geoJSON(d.geo, {
        style: function (ft) { return style(S.frame, li, ft.properties.i); },
        onEachFeature: function (ft, lyr) {
          var i = ft.properties.i;
          lyr.options.className = "mm-d mm-" + d.districts[i].code;
          lyr.bindTooltip(function () { return tooltip(i); }, {sticky: true});
          lyr.bindPopup(function () { return popup(i); }, {maxWidth: 420});
        }
      });
      layers.push(g);
      var name = document.createElement("span"); name.textContent = L_.label;
      base[name.outerHTML] = g;   // the control inserts names as HTML: pass them escaped
    });
    if (!layers.length) {
      layers.push(L.geoJSON(d.geo, {style: function () { return style(0, -1, 0); },
        onEachFeature: function (ft, lyr) { lyr.options.className = "mm-d mm-" + d.districts[ft.properties.i].code;
          lyr.bindTooltip(function () { return tooltip(ft.properties.i); }, {sticky: true}); }}));
    }
    (layers[S.layer] || layers[0]).addTo(map);
    if (d.layers.length) L.control.layers(base, d.online_tiles ? {"OpenStreetMap tiles (online)": L.tileLayer(
      "https://tile.openstreetmap.org/{z}/{x}/{y}.png", {attribution: "&copy; OpenStreetMap contributors", maxZoom: 18})} : {},
      {collapsed: false, position: "topright"}).addTo(map);
    map.on("baselayerchange", function (e) {
      var li = layers.indexOf(e.layer);
      if (li >= 0) { S.layer = li; e.layer.setStyle(function (ft) { return style(S.frame, li, ft.properties.i); }); legend(); }
    });
    map.attributionControl.addAttribution(d.attribution.map(function (a) { return el("span", a).outerHTML; }).join(" | "));
    timeControl(function () {
      var g = layers[S.layer]; if (g) g.setStyle(function (ft) { return style(S.frame, S.layer, ft.properties.i); });
      map.closePopup();
    });
    legend();
    window.minemap = {map: map, layers: layers, state: S};
  };

  /* Without Leaflet (CDN unreachable and the page not self-contained) still draw districts and legend. */
  function fallback() {
    var d = data(), box = document.querySelector(".folium-map") || document.body;
    var note = document.getElementById("mm-note");
    if (note) { note.style.display = "block"; }
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg");
    var b = d.bounds, k = Math.cos((b[1] + b[3]) / 2 * Math.PI / 180);
    svg.setAttribute("viewBox", [b[0] * k, -b[3], (b[2] - b[0]) * k, b[3] - b[1]].join(" "));
    svg.setAttribute("id", "mm-fallback");
    d.geo.features.forEach(function (ft) {
      var polys = ft.geometry.type === "Polygon" ? [ft.geometry.coordinates] : ft.geometry.coordinates;
      var p = "";
      polys.forEach(function (poly) { poly.forEach(function (ring) {
        p += "M" + ring.map(function (c) { return (c[0] * k).toFixed(4) + " " + (-c[1]).toFixed(4); }).join("L") + "Z";
      }); });
      var path = document.createElementNS(ns, "path"), st = style(0, S.layer, ft.properties.i);
      path.setAttribute("d", p); path.setAttribute("fill", st.fillColor);
      path.setAttribute("stroke", st.color); path.setAttribute("stroke-width", "0.01");
      path.setAttribute("fill-rule", "evenodd");
      var t = document.createElementNS(ns, "title"); t.textContent = d.districts[ft.properties.i].name;
      path.appendChild(t); svg.appendChild(path);
    });
    box.appendChild(svg);
    legend();
  }
  window.addEventListener("load", function () { if (typeof L === "undefined") fallback(); });
})();
