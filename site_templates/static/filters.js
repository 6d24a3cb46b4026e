/* Tarikh: the entries of a page, and the filters of its timelines.
 *
 * Every element with data-key (an entry of a plain list, a row of the map table) is an event; its
 * data-* attributes are written by builder/views/client.py. This script reads them once
 * (Tarikh.entries), fills in the filter form (_filters.html) with counts beside each choice, keeps
 * the choices in the address (?type=…&actor=…&from=…&to=…) so a filtered view can be shared and
 * survives a reload, hides what does not match, and tells the visual timeline and the map
 * (Tarikh.filters.subscribe). Plain JavaScript, no framework; without it the page lists everything.
 *
 * A place counts the events within it and a type those of its narrower types, however deep, as
 * their pages list them: the form's data-hierarchy (views/client.py, filter_hierarchy) links each
 * place (type) of the page to the places containing it (its broader types), once for the page;
 * an entry matches (entry.match) its own places and types and everything they lead up to.
 */
(function () {
  "use strict";
  if (window.Tarikh && window.Tarikh.filters) return; // loaded twice (timeline and map on one page)
  var Tarikh = (window.Tarikh = window.Tarikh || {});

  var FACETS = ["type", "actor", "place", "status", "corroboration", "source"];
  var ATTRIBUTE = { type: "types", actor: "actors", place: "places", status: "statuses", source: "sources" };
  var SHOWN_CLASS = { type: "types", actor: "actors", place: "places" };
  var FEW = 6; // choices shown before "show all"
  var MANY = 60; // most choices ever drawn at once; the search box narrows the rest
  var DAY = 86400000;

  /* ---- dates: ISO days ("-0232-01-01") to milliseconds, without Date's two-digit-year trap ---- */

  function dayMs(year, month, day) {
    var d = new Date(Date.UTC(2000, month - 1, day));
    d.setUTCFullYear(year, month - 1, day);
    return d.getTime();
  }

  function isoMs(iso) {
    var m = /^(-?\d{4,})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? dayMs(parseInt(m[1], 10), parseInt(m[2], 10), parseInt(m[3], 10)) : null;
  }

  /* A typed bound ("2024", "2024-01", "2024-01-31", "-0232"): [first ms, last ms] or null. */
  function parseBound(text) {
    var m = /^\s*(-?\d{1,6})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$/.exec(text || "");
    if (!m) return null;
    var y = parseInt(m[1], 10), mo = m[2] ? parseInt(m[2], 10) : null, d = m[3] ? parseInt(m[3], 10) : null;
    if ((mo !== null && (mo < 1 || mo > 12)) || (d !== null && (d < 1 || d > 31))) return null;
    if (d !== null) {
      var ms = dayMs(y, mo, d);
      if (new Date(ms).getUTCDate() !== d) return null;
      return [ms, ms];
    }
    if (mo !== null) return [dayMs(y, mo, 1), dayMs(mo === 12 ? y + 1 : y, mo === 12 ? 1 : mo + 1, 1) - DAY];
    return [dayMs(y, 1, 1), dayMs(y + 1, 1, 1) - DAY];
  }

  /* ---- reading the entries -------------------------------------------------------------------- */

  function words(value) {
    return value ? value.split(" ").filter(Boolean) : [];
  }

  /* The key of a link to a thing's page: id/<slug>/ gives the slug, vocab/<Term>/ gives tl:<Term>. */
  function keyOfHref(href) {
    var m = /(?:^|\/)(id|vocab)\/([^\/]+)\/(?:index\.html)?$/.exec(href || "");
    if (!m) return null;
    return m[1] === "vocab" ? "tl:" + decodeURIComponent(m[2]) : decodeURIComponent(m[2]);
  }

  function harvestLabels(el, cls, keys, names) {
    var box = el.querySelector("." + cls);
    if (!box) return;
    var children = Array.prototype.filter.call(box.children, function (c) {
      return c.tagName === "A" || c.tagName === "BDI";
    });
    children.forEach(function (child, i) {
      var key = child.tagName === "A" ? keyOfHref(child.getAttribute("href")) : null;
      if (key === null && children.length === keys.length) key = keys[i];
      if (key !== null && !names.has(key)) {
        names.set(key, { label: child.textContent.trim(), href: child.tagName === "A" ? child.href : null });
      }
    });
  }

  /* Each key's own value and every one its links lead up to, a cycle ending where it comes back. */
  function climber(links) {
    var memo = new Map();
    return function (key) {
      var found = memo.get(key);
      if (found) return found;
      found = [key];
      var seen = new Set(found);
      for (var i = 0; i < found.length; i++) {
        (links[found[i]] || []).forEach(function (up) {
          if (!seen.has(up)) { seen.add(up); found.push(up); }
        });
      }
      memo.set(key, found);
      return found;
    };
  }

  function readHierarchy(root) {
    var form = root.querySelector("form.tl-filters[data-hierarchy]");
    try {
      return form ? JSON.parse(form.dataset.hierarchy) || {} : {};
    } catch (e) {
      return {};
    }
  }

  function readEntries(root) {
    var byKey = new Map(), names = new Map(), list = [], hierarchy = readHierarchy(root), climb = {};
    Object.keys(ATTRIBUTE).forEach(function (f) { climb[f] = climber(hierarchy[f] || {}); });
    root.querySelectorAll("[data-key]").forEach(function (el) {
      var key = el.dataset.key, entry = byKey.get(key);
      if (entry) { entry.els.push(el); return; }
      var ds = el.dataset, link = el.querySelector(".label a, .label bdi");
      entry = {
        key: key, els: [el],
        // see views/client.py: no end means the start's day, an empty one an open end
        start: isoMs(ds.start), end: isoMs(ds.end === undefined ? ds.start : ds.end),
        kind: ds.kind || "point", q: ds.q || "", time: ds.time || "",
        core: ds.core ? ds.core.split("/").map(isoMs) : null,
        corroboration: ds.corroboration === undefined ? 1 : parseInt(ds.corroboration, 10),
        geo: (ds.geo ? ds.geo.split(";") : []).map(function (g) {
          var p = g.split(",");
          return { lat: parseFloat(p[0]), lon: parseFloat(p[1]), precision: p[2], place: p[3] };
        }),
        label: link ? link.textContent.trim() : key,
        href: link && link.tagName === "A" ? link.href : null,
        date: (el.querySelector(".date") || { textContent: "" }).textContent.trim(),
        disputed: el.classList.contains("disputed"),
        values: {}, // its own: the links it shows, the colour of its type
        match: {} // what a choice finds it by: its own, and the places and types containing them
      };
      FACETS.forEach(function (f) {
        entry.values[f] = f === "corroboration" ? [bucket(entry.corroboration)] : words(ds[ATTRIBUTE[f]]);
        if (!hierarchy[f]) { entry.match[f] = entry.values[f]; return; }
        var all = new Set();
        entry.values[f].forEach(function (v) { climb[f](v).forEach(function (k) { all.add(k); }); });
        entry.match[f] = Array.from(all);
      });
      (ds.names || "").split("\n").forEach(function (line) {
        var tab = line.indexOf("\t");
        if (tab > 0 && !names.has(line.slice(0, tab))) names.set(line.slice(0, tab), { label: line.slice(tab + 1), href: null });
      });
      Object.keys(SHOWN_CLASS).forEach(function (f) { harvestLabels(el, SHOWN_CLASS[f], entry.values[f], names); });
      byKey.set(key, entry);
      list.push(entry);
    });
    Object.keys(hierarchy.names || {}).forEach(function (k) {
      if (!names.has(k)) names.set(k, { label: hierarchy.names[k], href: null });
    });
    return { list: list, byKey: byKey, names: names };
  }

  function bucket(n) {
    return n <= 0 ? "none" : n === 1 ? "single" : "several";
  }

  /* The page's locale for numbers: its language, with site.toml's [digits] (data-digits on a
     widget), else the digits its dates are written in. */
  Tarikh.locale = function () {
    var lang = document.documentElement.lang || "en", marked = document.querySelector("[data-digits]");
    var digits = marked ? marked.dataset.digits : null;
    if (!digits) {
      var sample = (document.querySelector(".date") || { textContent: "" }).textContent;
      digits = /[\u0660-\u0669]/.test(sample) ? "arab" : /[\u06F0-\u06F9]/.test(sample) ? "arabext" : "latn";
    }
    try {
      new Intl.NumberFormat(lang + "-u-nu-" + digits);
      return lang + "-u-nu-" + digits;
    } catch (e) {
      return "en";
    }
  };

  var cached = null;
  Tarikh.entries = function () {
    if (!cached) cached = readEntries(document);
    return cached;
  };
  Tarikh.isoMs = isoMs;
  Tarikh.dayMs = dayMs;

  /* ---- state: what is chosen, kept in the address ---------------------------------------------- */

  function emptyState() {
    var s = { from: "", to: "" };
    FACETS.forEach(function (f) { s[f] = new Set(); });
    return s;
  }

  function stateFromUrl() {
    var s = emptyState(), params = new URLSearchParams(window.location.search);
    FACETS.forEach(function (f) { params.getAll(f).forEach(function (v) { if (v) s[f].add(v); }); });
    s.from = params.get("from") || "";
    s.to = params.get("to") || "";
    return s;
  }

  function stateToUrl(s) {
    var params = new URLSearchParams(window.location.search);
    FACETS.concat(["from", "to"]).forEach(function (f) { params.delete(f); });
    FACETS.forEach(function (f) { Array.from(s[f]).sort().forEach(function (v) { params.append(f, v); }); });
    if (s.from) params.set("from", s.from);
    if (s.to) params.set("to", s.to);
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    try {
      window.history.replaceState(window.history.state, "", url);
    } catch (e) { /* some browsers refuse for file:// pages: the filters still work */ }
  }

  /* ---- matching ---------------------------------------------------------------------------- */

  /* A bit per filter an entry fails: 0 means shown; one bit means it counts for that facet's choices. */
  function failures(entry, s, range) {
    var mask = 0;
    FACETS.forEach(function (f, i) {
      if (s[f].size && !entry.match[f].some(function (v) { return s[f].has(v); })) mask |= 1 << i;
    });
    if (range) {
      var lo = entry.start === null ? -Infinity : entry.start, hi = entry.end === null ? Infinity : entry.end;
      if (entry.start === null && entry.end === null) mask |= 1 << FACETS.length;
      else if (hi < range[0] || lo > range[1]) mask |= 1 << FACETS.length;
    }
    return mask;
  }

  function dateRange(s) {
    if (!s.from && !s.to) return null;
    var a = s.from ? parseBound(s.from) : null, b = s.to ? parseBound(s.to) : null;
    return [a ? a[0] : -Infinity, b ? b[1] : Infinity];
  }

  /* ---- the filter form ---------------------------------------------------------------------- */

  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (all, k) { return k in values ? values[k] : all; });
  }

  function Filters(form) {
    this.form = form;
    this.ui = JSON.parse(form.dataset.ui || "{}");
    this.data = Tarikh.entries();
    this.state = stateFromUrl();
    this.expanded = {};
    this.search = {};
    this.listeners = [];
    this.visible = null;
    this.numberFormat = new Intl.NumberFormat(Tarikh.locale(), { useGrouping: false });
    this.collator = new Intl.Collator(document.documentElement.lang || undefined, { numeric: true });
  }

  Filters.prototype.label = function (facet, key) {
    if (facet === "corroboration") return (this.ui.corroboration || {})[key] || key;
    var n = this.data.names.get(key);
    return n ? n.label : key;
  };

  Filters.prototype.build = function () {
    var self = this, box = this.form.querySelector(".tl-facets");
    this.fieldsets = {};
    FACETS.forEach(function (f) {
      var fs = document.createElement("fieldset");
      fs.className = "tl-facet tl-facet-" + f;
      fs.dataset.facet = f;
      var legend = document.createElement("legend");
      legend.textContent = (self.ui.facets || {})[f] || f;
      fs.appendChild(legend);
      var search = document.createElement("input");
      search.type = "search";
      search.className = "tl-find";
      search.placeholder = self.ui.find || "";
      search.setAttribute("aria-label", fill(self.ui.find_in || "{facet}", { facet: legend.textContent }));
      search.hidden = true;
      search.addEventListener("input", function () { self.search[f] = search.value; self.renderFacet(f); });
      fs.appendChild(search);
      var list = document.createElement("ul");
      list.className = "tl-choices";
      fs.appendChild(list);
      var more = document.createElement("button");
      more.type = "button";
      more.className = "tl-more";
      more.hidden = true;
      more.addEventListener("click", function () { self.expanded[f] = !self.expanded[f]; self.renderFacet(f); });
      fs.appendChild(more);
      var note = document.createElement("p");
      note.className = "tl-hint tl-hidden-more";
      note.hidden = true;
      fs.appendChild(note);
      box.appendChild(fs);
      self.fieldsets[f] = fs;
    });
    box.addEventListener("change", function (ev) {
      var t = ev.target;
      if (t.type !== "checkbox") return;
      var f = t.closest("fieldset").dataset.facet;
      if (t.checked) self.state[f].add(t.value); else self.state[f].delete(t.value);
      self.apply(true, t);
    });
    ["from", "to"].forEach(function (name) {
      var input = self.form.elements[name];
      input.value = self.state[name];
      input.addEventListener("change", function () {
        var ok = !input.value.trim() || parseBound(input.value) !== null;
        input.setCustomValidity(ok ? "" : self.ui.bad_date || "?");
        input.setAttribute("aria-invalid", ok ? "false" : "true");
        if (!ok) { input.reportValidity(); return; }
        self.state[name] = input.value.trim();
        self.apply(true);
      });
    });
    this.form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    this.form.addEventListener("reset", function (ev) {
      ev.preventDefault();
      self.state = emptyState();
      ["from", "to"].forEach(function (n) { self.form.elements[n].value = ""; self.form.elements[n].setCustomValidity(""); });
      self.apply(true);
    });
    var anyChosen = FACETS.some(function (f) { return self.state[f].size; }) || this.state.from || this.state.to;
    if (anyChosen) this.form.querySelector("details").open = true; // a shared address shows what it filters
    this.form.hidden = false;
  };

  /* Counts per choice: events that pass every other filter and have that value. */
  Filters.prototype.count = function () {
    var self = this, range = dateRange(this.state), counts = {}, visible = new Set();
    FACETS.forEach(function (f) { counts[f] = new Map(); });
    this.data.list.forEach(function (e) {
      var mask = failures(e, self.state, range);
      if (mask === 0) visible.add(e.key);
      FACETS.forEach(function (f, i) {
        if ((mask & ~(1 << i)) !== 0) return;
        e.match[f].forEach(function (v) { counts[f].set(v, (counts[f].get(v) || 0) + 1); });
      });
    });
    // a chosen value with no entry on this page (a shared address) still shows, with 0
    FACETS.forEach(function (f) { self.state[f].forEach(function (v) { if (!counts[f].has(v)) counts[f].set(v, 0); }); });
    this.counts = counts;
    return visible;
  };

  Filters.prototype.renderFacet = function (f) {
    var self = this, fs = this.fieldsets[f], list = fs.querySelector(".tl-choices");
    var all = Array.from(this.counts[f].entries());
    fs.hidden = all.length === 0 || (all.length === 1 && !this.state[f].size && f !== "corroboration" && f !== "status" &&
      all[0][1] === this.data.list.length);
    var order = f === "corroboration" ? { none: 2, single: 1, several: 0 } : null;
    all.sort(function (a, b) {
      if (order) return order[a[0]] - order[b[0]];
      return b[1] - a[1] || self.collator.compare(self.label(f, a[0]), self.label(f, b[0])) || (a[0] < b[0] ? -1 : 1);
    });
    var needle = (this.search[f] || "").trim().toLocaleLowerCase();
    var search = fs.querySelector(".tl-find");
    search.hidden = all.length <= FEW;
    var matching = needle ? all.filter(function (kv) {
      return self.state[f].has(kv[0]) || self.label(f, kv[0]).toLocaleLowerCase().indexOf(needle) >= 0;
    }) : all;
    var limit = this.expanded[f] || needle ? MANY : FEW;
    var shown = matching.filter(function (kv, i) { return i < limit || self.state[f].has(kv[0]); });
    var focused = document.activeElement && list.contains(document.activeElement) ? document.activeElement.value : null;
    var frag = document.createDocumentFragment();
    shown.forEach(function (kv) {
      var li = document.createElement("li"), label = document.createElement("label"), box = document.createElement("input");
      box.type = "checkbox";
      box.name = f;
      box.value = kv[0];
      box.checked = self.state[f].has(kv[0]);
      label.appendChild(box);
      if (f === "type" && Tarikh.typeColour) {
        var swatch = document.createElement("span");
        swatch.className = "tl-swatch tl-c" + Tarikh.typeColour(kv[0]);
        swatch.setAttribute("aria-hidden", "true");
        label.appendChild(swatch);
      }
      var text = document.createElement("bdi");
      text.textContent = self.label(f, kv[0]);
      label.appendChild(text);
      var count = document.createElement("span");
      count.className = "tl-count";
      count.textContent = self.numberFormat.format(kv[1]);
      label.appendChild(document.createTextNode(" "));
      label.appendChild(count);
      if (kv[1] === 0 && !box.checked) li.className = "tl-empty";
      li.appendChild(label);
      frag.appendChild(li);
    });
    list.replaceChildren(frag);
    if (focused !== null) {
      var again = Array.from(list.querySelectorAll("input")).filter(function (i) { return i.value === focused; })[0];
      if (again) again.focus();
    }
    var more = fs.querySelector(".tl-more"), note = fs.querySelector(".tl-hidden-more");
    more.hidden = needle !== "" || matching.length <= FEW;
    more.textContent = this.expanded[f] ? this.ui.fewer || "−" : fill(this.ui.more || "{n}", { n: this.numberFormat.format(matching.length) });
    more.setAttribute("aria-expanded", this.expanded[f] ? "true" : "false");
    var rest = matching.length - shown.length;
    note.hidden = rest <= 0 || (!needle && !this.expanded[f]);
    note.textContent = fill(this.ui.hidden_more || "{n}", { n: this.numberFormat.format(rest) });
  };

  /* Show what matches, hide the rest, redraw the choices, tell the timeline and the map. */
  Filters.prototype.apply = function (remember) {
    var self = this, visible = this.count();
    var all = this.data.list.length === visible.size;
    this.data.list.forEach(function (e) {
      var hide = !visible.has(e.key);
      e.els.forEach(function (el) { if (el.hidden !== hide) el.hidden = hide; });
    });
    document.querySelectorAll("section.day, section.within, section.month, section.several, section.year").forEach(function (sec) {
      if (!sec.querySelector("[data-key]")) return;
      sec.hidden = !sec.querySelector("[data-key]:not([hidden])");
    });
    FACETS.forEach(function (f) { self.renderFacet(f); });
    this.form.querySelector(".tl-shown").textContent = fill(this.ui.shown || "{shown}/{total}", {
      shown: this.numberFormat.format(visible.size), total: this.numberFormat.format(this.data.list.length)
    });
    this.form.classList.toggle("tl-active", !all);
    if (remember) stateToUrl(this.state);
    this.visible = all ? null : visible;
    this.listeners.forEach(function (fn) { fn(self.visible); });
  };

  Tarikh.filters = {
    /* fn(visible): visible is a Set of entry keys, or null when nothing is filtered out. */
    subscribe: function (fn) {
      var f = Tarikh.filters.instance;
      if (f) { f.listeners.push(fn); fn(f.visible); } else { fn(null); }
    },
    instance: null,
    parseBound: parseBound,
    stateFromUrl: stateFromUrl
  };

  /* A colour class per event type, the same on every page where no two types on it clash:
     a hash of the type's key, moved to the next free colour if another type on the page has it. */
  var PALETTE = 12, assigned = null;
  function hash(text) {
    var h = 2166136261;
    for (var i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 16777619); }
    return h >>> 0;
  }
  Tarikh.typeColour = function (key) {
    if (!assigned) {
      assigned = new Map();
      var used = new Set(), keys = new Set();
      Tarikh.entries().list.forEach(function (e) { e.values.type.forEach(function (t) { keys.add(t); }); });
      Array.from(keys).sort().forEach(function (k) {
        var c = hash(k) % PALETTE;
        for (var n = 0; n < PALETTE && used.has(c); n++) c = (c + 1) % PALETTE;
        used.add(c);
        assigned.set(k, c);
      });
    }
    return assigned.has(key) ? assigned.get(key) : hash(key) % PALETTE;
  };

  function start() {
    var form = document.querySelector("form.tl-filters");
    if (!form || !Tarikh.entries().list.length) return;
    var f = new Filters(form);
    Tarikh.filters.instance = f;
    f.build();
    f.apply(false);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
