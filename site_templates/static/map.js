/* Tarikh: the map of a page's located things, on Leaflet (static/vendor/leaflet/).
 *
 * Points come from the page itself: the rows of the widget's coordinates table (a place's own
 * position, an event's places) and every event entry with data-geo (views/client.py). Events at
 * the same place share one mark, with a list of them. A mark is drawn by the location's precision:
 * an exact point (or one of unstated precision) as a marker, a "near" one as a circle of a few
 * kilometres, a region as a large translucent circle. The map follows the filters
 * (Tarikh.filters). Tiles come from the URL in site.toml; without them the marks still show.
 */
(function () {
  "use strict";
  var box = document.querySelector(".tl-map");
  var Tarikh = window.Tarikh;
  if (!box || !window.L || !Tarikh || !Tarikh.entries) return;

  var ui = JSON.parse(box.dataset.ui || "{}");
  var RADIUS = { near: 3000, region: 30000 }; // metres
  var MOST = 12; // events listed in one mark's popup

  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (all, k) { return k in values ? values[k] : all; });
  }

  function parseGeo(text) {
    var p = (text || "").split(",");
    var lat = parseFloat(p[0]), lon = parseFloat(p[1]);
    return isFinite(lat) && isFinite(lon) ? { lat: lat, lon: lon, precision: p[2] || "unspecified", place: p[3] || "" } : null;
  }

  /* The page's own points (a place's position, an event's places): always drawn. */
  var own = [];
  document.querySelectorAll("tr.tl-geo-point").forEach(function (row) {
    var g = parseGeo(row.dataset.geo);
    if (!g) return;
    var link = row.querySelector(".place a, .place bdi");
    g.label = link ? link.textContent.trim() : g.place;
    g.href = link && link.tagName === "A" ? link.href : null;
    own.push(g);
  });

  var data = Tarikh.entries();
  var located = data.list.filter(function (e) { return e.geo.length; });
  if (!own.length && !located.length) return;

  box.hidden = false;
  var map = L.map(box, { scrollWheelZoom: false, worldCopyJump: true, zoomControl: false });
  // the zoom buttons in the page's language, at the corner a reader of its direction starts from
  L.control.zoom({
    position: document.documentElement.dir === "rtl" ? "topright" : "topleft",
    zoomInTitle: ui.zoom_in || "Zoom in", zoomOutTitle: ui.zoom_out || "Zoom out"
  }).addTo(map);
  var attribution = document.createElement("span");
  attribution.textContent = box.dataset.attribution || "";
  if (box.dataset.tiles) {
    L.tileLayer(box.dataset.tiles, { attribution: attribution.innerHTML, maxZoom: 18 }).addTo(map);
  }
  var layer = L.layerGroup().addTo(map);
  var numberFormat = new Intl.NumberFormat(Tarikh.locale());

  function placeLabel(key) {
    var n = data.names.get(key);
    return n ? n.label : key;
  }

  function popup(group) {
    var div = document.createElement("div");
    div.className = "tl-popup";
    div.setAttribute("dir", document.documentElement.dir || "ltr");
    var head = document.createElement("p");
    var strong = document.createElement("strong");
    var name = group.label || placeLabel(group.place);
    var href = group.href || (data.names.get(group.place) || {}).href;
    if (href) { var a = document.createElement("a"); a.href = href; a.textContent = name; strong.appendChild(a); }
    else strong.textContent = name;
    head.appendChild(strong);
    head.appendChild(document.createTextNode(" (" + ((ui.precision || {})[group.precision] || group.precision) + ")"));
    div.appendChild(head);
    if (group.events.length) {
      var ul = document.createElement("ul");
      group.events.slice(0, MOST).forEach(function (e) {
        var li = document.createElement("li");
        li.appendChild(document.createTextNode(e.date + " — "));
        var link = document.createElement(e.href ? "a" : "span");
        if (e.href) link.href = e.href;
        link.textContent = e.label;
        li.appendChild(link);
        ul.appendChild(li);
      });
      if (group.events.length > MOST) {
        var li = document.createElement("li");
        li.textContent = fill(ui.more || "+{n}", { n: numberFormat.format(group.events.length - MOST) });
        ul.appendChild(li);
      }
      div.appendChild(ul);
    }
    return div;
  }

  function mark(group) {
    var title = (group.label || placeLabel(group.place)) +
      (group.events.length ? " — " + fill(ui.events || "{n}", { n: numberFormat.format(group.events.length) }) : "");
    var where = [group.lat, group.lon], shape;
    if (group.precision === "near" || group.precision === "region") {
      var region = group.precision === "region";
      shape = L.circle(where, {
        radius: RADIUS[group.precision], weight: region ? 1 : 2, dashArray: region ? "4 4" : null,
        fillOpacity: region ? 0.12 : 0.25, className: "tl-mark tl-mark-" + group.precision
      });
      var tip = document.createElement("span"); // text, never HTML: a label may hold markup
      tip.textContent = title;
      shape.bindTooltip(tip);
    } else {
      shape = L.marker(where, { title: title, alt: title, keyboard: true });
      shape.on("add", function () { var el = shape.getElement(); if (el) el.classList.add("tl-mark", "tl-mark-exact"); });
    }
    shape.bindPopup(function () { return popup(group); });
    return shape;
  }

  var fitted = false;
  function draw(visible) {
    var groups = new Map();
    function groupOf(g) {
      var id = [g.place, g.lat, g.lon, g.precision].join("|");
      if (!groups.has(id)) groups.set(id, { place: g.place, lat: g.lat, lon: g.lon, precision: g.precision, events: [], label: g.label, href: g.href });
      return groups.get(id);
    }
    own.forEach(groupOf);
    located.forEach(function (e) {
      if (visible !== null && !visible.has(e.key)) return;
      e.geo.forEach(function (g) { groupOf(g).events.push(e); });
    });
    layer.clearLayers();
    groups.forEach(function (group) { layer.addLayer(mark(group)); });
    box.dataset.marks = String(groups.size); // for tests and for the curious
    if (!fitted && groups.size) {
      fitted = true; // once: later filtering keeps the reader's view
      var bounds = L.latLngBounds([]);
      groups.forEach(function (group) {
        var where = L.latLng(group.lat, group.lon), radius = RADIUS[group.precision];
        bounds.extend(radius ? where.toBounds(2 * radius) : where);
      });
      map.fitBounds(bounds.pad(0.1), { maxZoom: 11 });
    }
  }

  Tarikh.filters.subscribe(draw);
  Tarikh.map = map; // for the reader's console and the browser tests
})();
