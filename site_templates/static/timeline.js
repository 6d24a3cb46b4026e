/* Tarikh: the visual timeline of a page's events, on vis-timeline (static/vendor/vis-timeline/).
 *
 * The events are the page's own entries (Tarikh.entries, from static/filters.js), so the page
 * needs nothing else and works from a file system. A date is drawn as honestly as it is known:
 * a day with a time of day is a point; a known day is a one-day span; a month, a year, an
 * uncertain or approximate date, or "one day between" two days, is a span over every day it may
 * be, with soft edges; a span with uncertain ends is solid where it certainly ran and fades where
 * it may have. Days are UTC days; years are astronomical (year 0 is 1 BCE) and written as BCE.
 * Events too close together to draw are summarised as a count (vis-timeline's clusters) until
 * the reader zooms in. Colours follow the event type; right to left on right-to-left pages.
 */
(function () {
  "use strict";
  var figure = document.querySelector("figure.tl-visual");
  var Tarikh = window.Tarikh;
  if (!figure || !window.vis || !Tarikh || !Tarikh.entries) return;

  var DAY = 86400000, HOUR = 3600000, YEAR = 365.2425 * DAY, OPEN = 30 * DAY;
  var ui = JSON.parse(figure.dataset.ui || "{}");
  var rtl = figure.dataset.dir === "rtl";
  var entries = Tarikh.entries().list;

  var locale = Tarikh.locale(); // numbers and month names in the page's own digits
  function safeFormat(options) {
    try { return new Intl.DateTimeFormat(locale, Object.assign({ timeZone: "UTC" }, options)); }
    catch (e) { return new Intl.DateTimeFormat("en", Object.assign({ timeZone: "UTC" }, options)); }
  }
  var num = (function () {
    try { return new Intl.NumberFormat(locale, { useGrouping: false }); }
    catch (e) { return new Intl.NumberFormat("en", { useGrouping: false }); }
  })();
  var monthShort = safeFormat({ month: "short" }), monthLong = safeFormat({ month: "long" });
  var weekdayShort = safeFormat({ weekday: "short" });

  function pad2(n) { return (n < 10 ? "0" : "") + n; }
  function year(y) { return y >= 1 ? num.format(y) : num.format(1 - y) + " " + (ui.bce || "BCE"); }
  function inYear2000(month, day) { return new Date(Date.UTC(2000, month, day || 1)); } // Intl and old years disagree
  function clock(d) { return num.format(d.getUTCHours()).padStart(2, num.format(0)) + ":" + num.format(d.getUTCMinutes()).padStart(2, num.format(0)); }

  function minorLabel(date, scale) {
    var d = new Date(date.valueOf());
    switch (scale) {
      case "millisecond": case "second": case "minute": case "hour": return clock(d);
      case "weekday": // 2 January 2000 was a Sunday: the weekday's name without Intl's trouble with old years
        return weekdayShort.format(new Date(Date.UTC(2000, 0, 2 + d.getUTCDay()))) + " " + num.format(d.getUTCDate());
      case "day": case "week": return num.format(d.getUTCDate());
      case "month": return monthShort.format(inYear2000(d.getUTCMonth()));
      case "quarter": return monthShort.format(inYear2000(d.getUTCMonth()));
      default: return year(d.getUTCFullYear());
    }
  }

  function majorLabel(date, scale) {
    var d = new Date(date.valueOf());
    switch (scale) {
      case "millisecond": case "second": case "minute": case "hour":
        return num.format(d.getUTCDate()) + " " + monthLong.format(inYear2000(d.getUTCMonth())) + " " + year(d.getUTCFullYear());
      case "weekday": case "day": case "week":
        return monthLong.format(inYear2000(d.getUTCMonth())) + " " + year(d.getUTCFullYear());
      case "month": case "quarter": return year(d.getUTCFullYear());
      default: return "";
    }
  }

  /* vis-timeline ticks a scale of years on the multiples of its step in astronomical years: -1000,
     -500 and 0, which are 1001, 501 and 1 BCE. Before year 1 the ticks go on round BCE years
     instead (1000 BCE is astronomical -999), and year 1 is ticked between the eras. */
  (function historicalYearTicks(TimeStep) {
    if (!TimeStep || !TimeStep.prototype.roundToMinor || !TimeStep.prototype.next) return;
    var roundToMinor = TimeStep.prototype.roundToMinor, next = TimeStep.prototype.next;
    function inYears(step) { return step.scale === "year" && step.step > 1; }
    TimeStep.prototype.roundToMinor = function () {
      var y = this.current.year(), n = this.step;
      roundToMinor.call(this);
      if (!inYears(this)) return;
      // the last tick on or before year y
      this.current = this.current.year(y >= n ? n * Math.floor(y / n) : y >= 1 ? 1 : 1 - n * Math.ceil((1 - y) / n));
    };
    TimeStep.prototype.next = function () {
      var y = this.current.year();
      next.call(this);
      if (inYears(this) && y === 1) this.current = this.current.year(this.step);
    };
  })(vis.timeline && vis.timeline.TimeStep);

  /* ---- items ------------------------------------------------------------------------------ */

  function timeOfDay(time) {
    var m = /^(\d{2}):(\d{2})(?::(\d{2}))?(Z|([+-])(\d{2})(?::?(\d{2}))?)?$/.exec(time || "");
    if (!m) return null;
    var ms = ((+m[1]) * 60 + (+m[2])) * 60000 + (+(m[3] || 0)) * 1000;
    if (m[5]) ms -= (m[5] === "-" ? -1 : 1) * ((+m[6]) * 60 + (+(m[7] || 0))) * 60000;
    return ms;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function percent(x) { return (Math.max(0, Math.min(1, x)) * 100).toFixed(2) + "%"; }

  function toItem(e) {
    if (e.start === null && e.end === null) return null;
    var first = e.values.type[0];
    var classes = ["tl-c" + (first ? Tarikh.typeColour(first) : "x")];
    var item = { id: e.key, key: e.key, content: escapeHtml(e.label), title: escapeHtml(e.date + " — " + e.label) };
    var time = e.time ? timeOfDay(e.time) : null;
    if (e.kind === "point" && e.start !== null && e.start === e.end && time !== null && !e.q) {
      item.type = "point";
      item.start = new Date(e.start + time);
      classes.push("tl-point");
    } else {
      var start = e.start, end = e.end === null ? null : e.end + DAY;
      if (start === null) { start = end - OPEN; classes.push("tl-open-start"); }
      if (end === null) { end = start + OPEN; classes.push("tl-open-end"); }
      item.type = "range";
      item.start = new Date(start);
      item.end = new Date(end);
      var certain = e.start !== null && e.end !== null && !e.q;
      if (e.kind === "span" && certain) {
        var core = e.core && e.core[0] !== null && e.core[1] !== null ? [e.core[0], e.core[1] + DAY] : null;
        if (core && (core[0] > start || core[1] < end)) {
          classes.push("tl-fuzzy");
          item.style = "--tl-a:" + percent((core[0] - start) / (end - start)) + ";--tl-b:" + percent((core[1] - start) / (end - start));
        } else if (!core) {
          classes.push("tl-fuzzy");
        } else {
          classes.push("tl-span");
        }
      } else if (e.kind !== "span" && certain && e.end - e.start === 0) {
        classes.push("tl-day");
      } else {
        classes.push("tl-fuzzy");
      }
    }
    if (e.disputed) classes.push("tl-disputed");
    item.className = classes.join(" ");
    return item;
  }

  /* The known extent of the record; an open end is drawn fading over a share of it. */
  var lo = Infinity, hi = -Infinity;
  entries.forEach(function (e) {
    if (e.start !== null) { lo = Math.min(lo, e.start); hi = Math.max(hi, e.start + DAY); }
    if (e.end !== null) { lo = Math.min(lo, e.end); hi = Math.max(hi, e.end + DAY); }
  });
  if (lo === Infinity) return;
  var span = Math.max(hi - lo, DAY);
  var pad = Math.max(span * 0.05, 2 * DAY);
  OPEN = Math.max(span * 0.15, 7 * DAY);

  /* vis-timeline 8.5 looks for an earlier summary (cluster) with the same events by scanning every
     earlier summary, and building a set of its events, for each new summary: quadratic, and tens of
     seconds per zoom step with 10,000 events. Look them up by their events' ids instead, building
     the index once per regrouping; a summary found nowhere is made by vis-timeline's own code. */
  /* vis-timeline writes a summary's count in Western digits; write it in the page's own. */
  function localised(cluster, count) {
    if (!cluster || !cluster.data) return cluster;
    var n = num.format(count), title = (ui.cluster || "{count}").replace("{count}", n);
    var box = document.createElement("div");
    box.title = title;
    box.textContent = n;
    cluster.data.content = box.outerHTML;
    cluster.data.title = title;
    return cluster;
  }

  function fasterClusters(tl) {
    var generator = tl.itemSet && tl.itemSet.clusterGenerator;
    if (!generator || typeof generator._getClusterForItems !== "function") return;
    var original = generator._getClusterForItems, source = null, index = null;
    function keyOf(uiItems) {
      return uiItems.map(function (item) { return item.id; }).join("\u0000"); // in the order of time, as vis-timeline keeps them
    }
    generator._getClusterForItems = function (clusterItems, group, oldClusters, options) {
      if (source !== oldClusters) {
        source = oldClusters;
        index = new Map();
        (oldClusters || []).forEach(function (c) {
          if (c && c.data && c.data.uiItems) index.set(keyOf(c.data.uiItems), c);
        });
      }
      var key = keyOf(clusterItems), cluster = index.get(key);
      if (!cluster) return localised(original.call(this, clusterItems, group, [], options), clusterItems.length);
      index.delete(key);
      cluster.setUiItems(clusterItems);
      if (cluster.group !== group) {
        if (cluster.group) cluster.group.remove(cluster);
        if (group) { group.add(cluster); cluster.group = group; }
      }
      return cluster;
    };
  }

  var items = [];
  entries.forEach(function (e) { var it = toItem(e); if (it) items.push(it); });

  var visible = null;
  var data = new vis.DataSet(items);
  var view = new vis.DataView(data, { filter: function (it) { return visible === null || visible.has(it.key); } });

  var options = {
    rtl: rtl,
    moment: function (date) { return vis.moment(date).utc(); },
    min: new Date(lo - Math.max(span, 10 * YEAR)), max: new Date(hi + Math.max(span, 10 * YEAR)),
    zoomMin: HOUR, // hours
    zoomMax: Math.min(Math.max(3 * span, 40 * YEAR), 10000 * YEAR), // decades, or the whole record
    zoomKey: "ctrlKey", // the wheel alone scrolls the page
    height: "22rem",
    verticalScroll: true,
    horizontalScroll: false,
    stack: true,
    showCurrentTime: false,
    selectable: true,
    orientation: { axis: "top", item: "top" },
    margin: { item: { horizontal: 2, vertical: 4 } },
    tooltip: { followMouse: false, overflowMethod: "cap", delay: 200 },
    format: { minorLabels: minorLabel, majorLabels: majorLabel },
    cluster: { maxItems: 5, titleTemplate: ui.cluster || "{count}", showStipes: false, fitOnDoubleClick: true }
  };

  figure.hidden = false;
  figure.classList.toggle("tl-rtl", rtl);
  var canvas = figure.querySelector(".tl-visual-canvas");
  // vis-timeline 8.5 draws (and measures) each event as it is given it, if it falls in the window,
  // before it summarises them (and looks for it in a list of the drawn ones, each time): seconds
  // with 1,000 events, minutes with 10,000. So it is given them, and given them again after a
  // filter, while it shows a day where nothing happened ("parked"); then it shows the record, and
  // summarises before it draws. And the window is set after, not in the options, where it would
  // keep an overlay on the drawing until the reader moves it (visjs/vis-timeline#1340).
  var timeline = new vis.Timeline(canvas, new vis.DataSet(), options);
  fasterClusters(timeline);
  var PARK = options.min.getTime();
  function parked(change) {
    var w = timeline.getWindow();
    timeline.setWindow(PARK, PARK + DAY, { animation: false });
    change();
    timeline.setWindow(w.start.getTime(), w.end.getTime(), { animation: false });
  }
  timeline.setWindow(lo - pad, hi + pad, { animation: false });
  timeline.once("changed", function () {
    // drawn once, empty, so that its width is known: the events are then summarised at once
    window.setTimeout(function () {
      timeline.once("changed", function () { figure.dataset.ready = "true"; }); // for the browser tests
      parked(function () { timeline.setItems(view); });
    }, 0);
  });

  /* The selected event, as a link to its page (for the keyboard and screen readers as well). */
  var selectedBox = figure.querySelector(".tl-selected");
  function showSelected(key) {
    var e = key !== null && Tarikh.entries().byKey.get(key);
    selectedBox.replaceChildren();
    if (!e) return;
    selectedBox.appendChild(document.createTextNode((ui.selected || "") + " " + e.date + " — "));
    var a = document.createElement(e.href ? "a" : "span");
    if (e.href) a.href = e.href;
    a.textContent = e.label;
    selectedBox.appendChild(a);
  }
  timeline.on("select", function (props) {
    var key = props.items && props.items.length === 1 ? props.items[0] : null;
    showSelected(key !== null && data.get(key) ? key : null);
  });
  timeline.on("doubleClick", function (props) {
    var e = props.item !== null && data.get(props.item) && Tarikh.entries().byKey.get(props.item);
    if (e && e.href) window.location.href = e.href;
  });
  timeline.on("click", function (props) {
    // a summary of several events: zoom in on the time they span
    if (!props.isCluster) return;
    var cluster = (timeline.itemSet.clusters || []).filter(function (c) { return c.id === props.item; })[0];
    if (!cluster || !isFinite(cluster.data.min) || !isFinite(cluster.data.max)) return;
    var a = cluster.data.min, b = cluster.data.max, margin = Math.max((b - a) * 0.15, HOUR);
    timeline.setWindow(a - margin, b + margin);
  });

  figure.querySelectorAll("[data-zoom]").forEach(function (button) {
    button.addEventListener("click", function () {
      var what = button.dataset.zoom;
      if (what === "in") timeline.zoomIn(0.5);
      else if (what === "out") timeline.zoomOut(0.5);
      else timeline.fit();
    });
  });

  Tarikh.filters.subscribe(function (keys) {
    if (keys === visible) return;
    visible = keys;
    parked(function () { view.refresh(); });
  });

  Tarikh.timeline = timeline; // for the reader's console and the browser tests
  Tarikh.timelineItems = data;
})();
