/* minemap choropleth. Every string from the data (report titles, evidence, outlet names) reaches the page
   through textContent or createTextNode only: report text is untrusted. */
(function () {
  "use strict";
  var D = null, S = {layer: 0, frame: 0, timer: null, redraw: function () {}};
  var NODATA = "url(#mm-hatch)";
  var COMPACT = "(max-width: 700px), (max-height: 520px)";

  function $(id) { return document.getElementById(id); }
  function data() {
    if (!D) {
      D = JSON.parse($("mm-data").textContent);
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
  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }
  function withUnit(v, L_) { return fmt(v) + " " + (v === 1 ? L_.unit_one : L_.unit); }
  function frame() { return data().frames[S.frame]; }
  function classes(li) { return (frame().classes || data().slice_classes)[li]; }   // slices share theirs
  function at(obj, li, i) { var x = (obj || {})[li]; return x ? x[i] : undefined; }
  function value(li, i) {
    var v = frame().values[li];
    return v && v[i] !== undefined ? v[i] : null;
  }
  function colour(li, i) {
    var v = value(li, i), c = classes(li);
    if (v === null || !c || !c.bins.length) return NODATA;
    for (var k = 0; k < c.bins.length; k++) if (v <= c.bins[k] + 1e-9) return c.colors[k];
    return c.colors[c.colors.length - 1];
  }
  function style(li, i) {
    var f = colour(li, i), nd = f === NODATA;
    return {fillColor: f, fillOpacity: nd ? 1 : 0.85, color: nd ? "#8c8c8c" : "#4d4d4d",
            weight: 0.7, opacity: 1, dashArray: nd ? "2 3" : null};
  }
  function safeUrl(u) { return (typeof u === "string" && /^https?:\/\//i.test(u)) ? u : null; }

  function legend() {
    var d = data(), box = $("mm-legend"), L_ = d.layers[S.layer];
    if (!box) return;
    while (box.firstChild) box.removeChild(box.firstChild);
    if (!L_) box.appendChild(el("h2", "No district values"));
    else {
      box.appendChild(el("h2", L_.legend_title));
      // what no district shows is the whole run's: said on the "all dates" frame, not on a time slice
      box.appendChild(el("p", L_.note + (S.frame === 0 && L_.elsewhere ? " " + L_.elsewhere : ""), "mm-kindnote"));
      if (d.frames.length > 1) box.appendChild(el("p", frame().label, "mm-framelabel"));
    }
    var ul = el("ul"), c = L_ ? classes(S.layer) : null;
    if (c) for (var k = 0; k < c.bins.length; k++) {
      var li = el("li"), sw = el("i");
      sw.style.background = c.colors[k];
      li.appendChild(sw); li.appendChild(document.createTextNode(c.legend[k]));
      li.className = "mm-class"; ul.appendChild(li);
    }
    var nd = el("li", null, "mm-class-nodata"), ndsw = el("i", null, "mm-nodata");
    nd.appendChild(ndsw); nd.appendChild(document.createTextNode((L_ && L_.no_data) || d.no_data));
    ul.appendChild(nd); box.appendChild(ul);
    if (c && c.scheme) box.appendChild(el("p", c.scheme + (d.frames.length > 1 && S.frame > 0 ? ", shared by all slices" : ""), "mm-scheme"));
  }

  function other(li, i) { return li === null || li === undefined ? null : value(li, i); }

  /* The value of the view shown, and what else is known: a district with no value in this view may have
     one in another (named only with other districts: no named-alone value, but an upper bound). */
  function describe(box, i) {
    var d = data(), L_ = d.layers[S.layer];
    if (!L_) return;
    var v = value(S.layer, i), lo = other(L_.lower, i), hi = other(L_.upper, i);
    var note = at(frame().notes, S.layer, i);
    if (v === null) {
      var known = lo !== null || hi !== null;
      box.appendChild(el("div", L_.label + ": " + (known ? L_.no_value : "no data"), "mm-value"));
      if (hi !== null && L_.kind !== "upper") box.appendChild(el("div", "upper bound: " + withUnit(hi, L_), "mm-range"));
      if (note) box.appendChild(el("div", note, "mm-how"));
      return;
    }
    box.appendChild(el("div", L_.label + ": " + withUnit(v, L_), "mm-value"));
    if (L_.kind === "estimate") {
      box.appendChild(el("div", "range: " + (lo === null ? "up to " : withUnit(lo, L_) + " (named alone) – ") +
        (hi === null ? "?" : withUnit(hi, L_)) + " (upper bound)" + (lo === null ? "; no figure names it alone" : ""),
        "mm-range"));
    }
    if (note) box.appendChild(el("div", (L_.kind === "estimate" ? "how: " : "") + note, "mm-how"));
  }

  function tooltip(i) {
    var d = data(), u = d.districts[i];
    var box = el("div", null, "mm-tip");
    box.appendChild(el("b", u.name));
    if (u.name_en && u.name_en !== u.name) box.appendChild(el("span", " · " + u.name_en, "mm-en"));
    describe(box, i);
    // report count and dates of the facts behind the value shown, not of the district as a whole
    var m = at(frame().meta, S.layer, i);
    if (m) {
      var line = plural(m[0], "report", "reports");
      if (m[1] || m[2]) line += " · " + (m[1] || "?") + " – " + (m[2] || "?");
      box.appendChild(el("div", line, "mm-reports"));
    }
    if (d.frames.length > 1) box.appendChild(el("div", frame().label));
    return box;
  }

  function popup(i) {
    var d = data(), u = d.districts[i], L_ = d.layers[S.layer];
    var box = el("div", null, "mm-pop");
    box.appendChild(el("h3", u.name + (u.name_en && u.name_en !== u.name ? " · " + u.name_en : "")));
    describe(box, i);
    var refs = at(frame().refs, S.layer, i) || [], shares = at(frame().shares, S.layer, i) || [];
    if (!refs.length) box.appendChild(el("p", "No figure behind this value."));
    else box.appendChild(el("p", "Behind this value:"));
    var ol = el("ol");
    refs.forEach(function (fid, n) {
      var fa = d.facts[fid], li = el("li");
      li.appendChild(el("div", fa.text));
      if (shares[n] !== undefined && shares[n] !== null && L_) {
        li.appendChild(el("div", "counted here: " + withUnit(shares[n], L_) + (fa.basis ? " (" + fa.basis + ")" : ""), "mm-share"));
      }
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
    if (refs.length) box.appendChild(ol);
    var more = at(frame().more, S.layer, i);
    if (more) box.appendChild(el("p", "… and " + more + " more (all facts are listed in facts.csv)."));
    // figures naming this district that are not added to this value, and why (a fact id: see facts.csv)
    var aside = (at(frame().aside, S.layer, i) || []).slice(), rest = 0;
    if (aside.length && typeof aside[aside.length - 1] === "number") rest = aside.pop();
    if (aside.length) {
      box.appendChild(el("p", "Not added here (" + plural(aside.length + rest, "figure", "figures") + "):", "mm-aside-head"));
      var ul = el("ul", null, "mm-aside");
      aside.forEach(function (a) {
        var li = el("li");
        li.appendChild(el("div", d.facts[a[0]].text));
        li.appendChild(el("div", a[1] + (a[2] ? "; it counts in this district's " + a[2] : ""), "mm-how"));
        ul.appendChild(li);
      });
      box.appendChild(ul);
      if (rest) box.appendChild(el("p", "… and " + rest + " more (see facts.csv)."));
    }
    return box;
  }

  /* Metric and view selectors (a compact replacement of a long list of layers), collapsed behind a
     button on small screens. Used by the Leaflet page and by the fallback drawing alike. */
  function controls(tiles) {
    var d = data(), box = $("mm-controls"), msel = $("mm-metric"), ksel = $("mm-kind"), toggle = $("mm-toggle");
    if (!box) return;
    if (!d.layers.length) { box.style.display = "none"; return; }
    var metrics = [];
    d.layers.forEach(function (L_) { if (metrics.indexOf(L_.metric) < 0) metrics.push(L_.metric); });
    metrics.forEach(function (m) {
      var L_ = d.layers.filter(function (x) { return x.metric === m; })[0];
      var o = el("option", L_.metric_label); o.value = m; msel.appendChild(o);
    });
    function kinds() {
      while (ksel.firstChild) ksel.removeChild(ksel.firstChild);
      d.layers.forEach(function (L_, li) {
        if (L_.metric !== d.layers[S.layer].metric) return;
        var o = el("option", L_.kind_label); o.value = String(li); ksel.appendChild(o);
      });
      msel.value = d.layers[S.layer].metric; ksel.value = String(S.layer);
    }
    kinds();
    msel.addEventListener("change", function () {
      for (var li = 0; li < d.layers.length; li++) if (d.layers[li].metric === msel.value) { S.layer = li; break; }
      kinds(); legend(); S.redraw();
    });
    ksel.addEventListener("change", function () { S.layer = +ksel.value; legend(); S.redraw(); });
    toggle.addEventListener("click", function () {
      var open = !box.classList.contains("mm-open");
      box.classList.toggle("mm-open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
    if (tiles) {
      var row = $("mm-tiles-row"), cb = $("mm-tiles");
      row.hidden = false;
      cb.addEventListener("change", function () { tiles(cb.checked); });
    }
  }

  function timeControl() {
    var d = data(), box = $("mm-time");
    if (!box || d.frames.length < 2) return;
    box.style.display = "block";
    document.body.classList.add("mm-has-time");
    var play = el("button", "▶ Play"), inp = el("input"), lab = el("span", d.frames[0].label, "mm-timelabel");
    play.type = "button"; play.setAttribute("aria-label", "Play the time slices");
    inp.type = "range"; inp.min = 0; inp.max = d.frames.length - 1; inp.step = 1; inp.value = 0;
    inp.setAttribute("aria-label", "Time slice");
    function show(n) {
      S.frame = n; inp.value = n; lab.textContent = d.frames[n].label;
      var sub = $("mm-subtitle"); if (sub) sub.textContent = d.frames[n].subtitle;
      legend(); S.redraw();
    }
    function stop() { if (S.timer) { clearInterval(S.timer); S.timer = null; } play.textContent = "▶ Play"; }
    inp.addEventListener("input", function () { stop(); show(+inp.value); });
    play.addEventListener("click", function () {
      if (S.timer) { stop(); return; }
      if (S.frame >= d.frames.length - 1) show(0);
      play.textContent = "❚❚ Pause";
      S.timer = setInterval(function () {
        show(S.frame + 1);
        if (S.frame >= d.frames.length - 1) stop();     // stop on the last frame
      }, 900);
    });
    box.appendChild(play); box.appendChild(inp); box.appendChild(lab);
  }

  /* Panels keep clear of Leaflet's own controls at the bottom (scale bar, attribution, which wraps on
     small screens), and on small screens the legend sits above a full-width time slider. */
  function layout() {
    var H = window.innerHeight, base = 6;
    document.querySelectorAll(".leaflet-bottom .leaflet-control").forEach(function (c) {
      base = Math.max(base, H - c.getBoundingClientRect().top + 6);
    });
    var time = $("mm-time"), legendBox = $("mm-legend"), hasTime = time && time.style.display !== "none";
    var compact = window.matchMedia(COMPACT).matches;
    if (hasTime) time.style.bottom = (compact ? base : Math.max(base, 40)) + "px";
    if (legendBox) legendBox.style.bottom = (hasTime && compact ? base + time.offsetHeight + 6 : base) + "px";
  }

  function rect(id) { var e = $(id); return e && e.offsetParent !== null ? e.getBoundingClientRect() : null; }

  /* The part of the page that the panels leave free: a band below the title and layer controls (and the
     note of the drawing without Leaflet), and the legend (with the time slider) either as a band at the
     bottom or as a column on the right: the two options, of which fit() and the fallback take the one that
     shows the districts larger. */
  function free() {
    var W = window.innerWidth, H = window.innerHeight, top = 10, bottom = 10, right = 10;
    ["mm-title", "mm-controls", "mm-note"].forEach(function (id) { var r = rect(id); if (r) top = Math.max(top, r.bottom + 6); });
    ["mm-time", "mm-legend"].forEach(function (id) { var r = rect(id); if (r) bottom = Math.max(bottom, H - r.top + 6); });
    var lg = rect("mm-legend"), tm = rect("mm-time");
    if (lg) right = Math.max(right, W - lg.left + 6);
    var below = tm ? H - tm.top + 6 : 10;
    return [{left: 10, top: top, right: 10, bottom: bottom},
            {left: 10, top: top, right: right, bottom: Math.max(below, 24)}];
  }

  /* Popups fit the map: at most the map's width, at most the height between the top panels and the
     legend (then they scroll), and panned clear of the panels, so the close button stays reachable. */
  function sizePopup(popup) {
    var W = window.innerWidth, H = window.innerHeight, band = free()[0];
    var width = Math.max(120, Math.min(420, W - 20 - 46));
    L.setOptions(popup, {
      maxWidth: width, minWidth: Math.min(220, width),
      maxHeight: Math.max(80, Math.min(320, H - band.top - band.bottom - 60)),
      autoPanPaddingTopLeft: [10, band.top], autoPanPaddingBottomRight: [10, band.bottom]
    });
  }

  /* Fit the districts into the part of the map that the panels leave free: a band at the top (title,
     layer button), and the legend either as a band at the bottom or as a column on the right, whichever
     shows the districts larger. */
  function fit(map) {
    var d = data(), b = L.latLngBounds([[d.bounds[1], d.bounds[0]], [d.bounds[3], d.bounds[2]]]);
    var best = null, bestZoom = -Infinity;
    free().forEach(function (o) {
      var z = map.getBoundsZoom(b, false, L.point(o.left + o.right, o.top + o.bottom));
      if (z > bestZoom) { bestZoom = z; best = o; }
    });
    map.fitBounds(b, {paddingTopLeft: [best.left, best.top], paddingBottomRight: [best.right, best.bottom], animate: false});
  }

  /* Leaflet page: one GeoJSON layer restyled for the view chosen. */
  window.minemapInit = function (map) {
    var d = data(), tiles = null;
    var g = L.geoJSON(d.geo, {
      style: function (ft) { return style(S.layer, ft.properties.i); },
      onEachFeature: function (ft, lyr) {
        var i = ft.properties.i;
        lyr.options.className = "mm-d mm-" + d.districts[i].code;
        lyr.bindTooltip(function () { return tooltip(i); }, {sticky: true});
        // sized before Leaflet opens it (this handler runs first): the map may have been resized since
        lyr.on("click keypress", function () { sizePopup(lyr.getPopup()); });
        lyr.bindPopup(function () { return popup(i); }, {maxWidth: 420, autoPanPaddingTopLeft: [10, 80]});
      }
    }).addTo(map);
    S.redraw = function () { g.setStyle(function (ft) { return style(S.layer, ft.properties.i); }); map.closePopup(); };
    // no tooltip over an open popup (on a phone the sticky tooltip stayed behind it)
    map.on("popupopen", function () { g.eachLayer(function (l) { l.closeTooltip(); }); map.getContainer().classList.add("mm-popup-open"); });
    map.on("popupclose", function () { map.getContainer().classList.remove("mm-popup-open"); });
    L.control.scale({imperial: false, position: "bottomleft"}).addTo(map);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');   // short on phones
    map.attributionControl.addAttribution(d.attribution.map(function (a) { return el("span", a).outerHTML; }).join(" | "));
    var credits = map.attributionControl.getContainer();
    credits.title = d.attribution.join(" | ");
    credits.addEventListener("click", function () { credits.classList.toggle("mm-open"); layout(); });
    controls(d.online_tiles ? function (on) {
      if (!tiles) tiles = L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        {attribution: "&copy; OpenStreetMap contributors", maxZoom: 18});
      if (on) tiles.addTo(map).bringToBack(); else map.removeLayer(tiles);
    } : null);
    timeControl();
    legend();
    layout();
    fit(map);
    window.addEventListener("resize", function () { layout(); });
    window.minemap = {map: map, layer: g, state: S};
  };

  /* Without Leaflet (CDN unreachable with --cdn) still draw districts, legend and the selectors. */
  function fallback() {
    var d = data(), box = document.querySelector(".folium-map") || document.body;
    var note = $("mm-note");
    if (note) { note.style.display = "block"; }
    controls(null);
    timeControl();
    legend();
    layout();
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg");
    var b = d.bounds, k = Math.cos((b[1] + b[3]) / 2 * Math.PI / 180);
    var vbw = (b[2] - b[0]) * k, vbh = b[3] - b[1];
    svg.setAttribute("viewBox", [b[0] * k, -b[3], vbw, vbh].join(" "));
    svg.setAttribute("id", "mm-fallback");
    box.appendChild(svg);
    /* The note sits below the top panels, the districts in the space the panels leave (never under them). */
    function place() {
      var t = 10;
      ["mm-title", "mm-controls"].forEach(function (id) { var r = rect(id); if (r) t = Math.max(t, r.bottom + 6); });
      if (note) { note.style.top = t + "px"; }
      var W = window.innerWidth, H = window.innerHeight, best = null, scale = -1;
      free().forEach(function (o) {
        var w = W - o.left - o.right, h = H - o.top - o.bottom, sc = Math.min(w / vbw, h / vbh);
        if (sc > scale) { scale = sc; best = o; }
      });
      svg.style.left = best.left + "px"; svg.style.top = best.top + "px";
      svg.style.width = Math.max(W - best.left - best.right, 1) + "px";
      svg.style.height = Math.max(H - best.top - best.bottom, 1) + "px";
    }
    place();
    window.addEventListener("resize", place);
    // The page's hatch is sized in screen pixels; here user units are degrees: a pattern of ~6 px.
    var box0 = svg.getBoundingClientRect();
    var px = Math.max(vbw / Math.max(box0.width, 1), vbh / Math.max(box0.height, 1)), w = (6 * px).toFixed(6);
    var defs = document.createElementNS(ns, "defs"), pat = document.createElementNS(ns, "pattern");
    pat.setAttribute("id", "mm-hatch-fb"); pat.setAttribute("patternUnits", "userSpaceOnUse");
    pat.setAttribute("width", w); pat.setAttribute("height", w); pat.setAttribute("patternTransform", "rotate(45)");
    [["#ffffff", w], ["#d9d9d9", (3 * px).toFixed(6)]].forEach(function (r) {
      var e = document.createElementNS(ns, "rect");
      e.setAttribute("width", r[1]); e.setAttribute("height", w); e.setAttribute("fill", r[0]); pat.appendChild(e);
    });
    defs.appendChild(pat); svg.appendChild(defs);
    var paths = d.geo.features.map(function (ft) {
      var p = "";
      ft.geometry.coordinates.forEach(function (poly) { poly.forEach(function (ring) {
        p += "M" + ring.map(function (c) { return (c[0] * k).toFixed(4) + " " + (-c[1]).toFixed(4); }).join("L") + "Z";
      }); });
      var path = document.createElementNS(ns, "path");
      path.setAttribute("d", p); path.setAttribute("stroke-width", (0.7 * px).toFixed(6));
      path.setAttribute("fill-rule", "evenodd");
      path.setAttribute("class", "mm-d mm-" + d.districts[ft.properties.i].code);
      var t = document.createElementNS(ns, "title"); t.textContent = d.districts[ft.properties.i].name;
      path.appendChild(t); svg.appendChild(path);
      return path;
    });
    S.redraw = function () {
      paths.forEach(function (path, i) {
        var st = style(S.layer, i);
        path.setAttribute("fill", st.fillColor === NODATA ? "url(#mm-hatch-fb)" : st.fillColor);
        path.setAttribute("stroke", st.color);
      });
    };
    S.redraw();
  }
  window.addEventListener("load", function () { if (typeof L === "undefined") fallback(); });
})();
