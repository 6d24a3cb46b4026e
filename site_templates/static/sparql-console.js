// The SPARQL console of /queries/: Oxigraph compiled to WebAssembly (./oxigraph/, vendored from
// npm), over this site's own data (data/kb.nt, data/derived.nt, data/vocab.nt). It fetches
// nothing else: no query may reach another host (SERVICE is refused before a query runs).
// The WebAssembly module and the data are fetched when the reader first runs a query, not when
// the page opens: at 10,000 events they are 38 MB (kb.nt alone 24 MB), which most readers of
// /queries/ (who came for the saved queries) should not pay for, and loading them into the
// store blocks the page for over a second.
// Every text it shows comes from the page (data-msg-* attributes), so it speaks the page's language.
import init, { Store } from "./oxigraph/web.js";

const root = document.getElementById("console");
const MAX_ROWS = 1000;
const SLUG = /^[a-z0-9][a-z0-9-]{0,199}$/;
const TERM = /^[A-Za-z][A-Za-z0-9_-]{0,199}$/;
const VOCAB_NS = "https://w3id.org/tarikh/ns#";

function message(name, n) {
  const text = root.dataset["msg" + name[0].toUpperCase() + name.slice(1)] || name;
  if (n !== null && typeof n === "object") return text.replace(/\{(\w+)\}/g, (m, key) => (key in n ? String(n[key]) : m));
  return n === undefined ? text : text.replace("{n}", String(n));
}

function setStatus(text, state) {
  const status = root.querySelector(".console-status");
  status.textContent = text;
  status.dataset.state = state;
}

// Strings, IRIs and comments blanked out, so that keywords are only found where they are keywords.
function mask(text) {
  const lexical = /"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n]*/g;
  return text.replace(lexical, (m) => m.replace(/[^\n]/g, " "));
}

// The format's prefixes that the query does not declare itself, as PREFIX lines to put before it.
function prologue(text, prefixes) {
  const declared = new Set();
  for (const m of mask(text).matchAll(/PREFIX\s+([A-Za-z][\w.-]*)?:/gi)) declared.add(m[1] || "");
  return Object.keys(prefixes).sort().filter((p) => !declared.has(p))
    .map((p) => `PREFIX ${p}: <${prefixes[p]}>\n`).join("");
}

function compact(iri, prefixes) {
  let best = "";
  for (const [name, ns] of Object.entries(prefixes)) {
    if (iri.startsWith(ns) && ns.length > (prefixes[best] || "").length && /^[\w.-]+$/.test(iri.slice(ns.length))) best = name;
  }
  return best ? `${best}:${iri.slice(prefixes[best].length)}` : `<${iri}>`;
}

// Where an IRI's page is on this site, or an outside http(s) link, or nothing.
function hrefOf(iri, data) {
  if (iri.startsWith(data.id_ns)) {
    const local = iri.slice(data.id_ns.length);
    return SLUG.test(local) ? root.dataset.idHref.replace("SLUG", local) : null;
  }
  if (iri.startsWith(VOCAB_NS)) {
    const local = iri.slice(VOCAB_NS.length);
    return TERM.test(local) ? root.dataset.vocabHref.replace("SLUG", local) : null;
  }
  return /^https?:\/\/[^\s<>"']+$/i.test(iri) ? iri : null;
}

// A term as SPARQL 1.1 Query Results JSON writes it: {type: "uri"|"literal"|"bnode", value, ...}.
function fromTerm(term) {
  if (term.termType === "NamedNode") return { type: "uri", value: term.value };
  if (term.termType === "BlankNode") return { type: "bnode", value: term.value };
  return term.language ? { type: "literal", value: term.value, "xml:lang": term.language }
    : { type: "literal", value: term.value, datatype: term.datatype.value };
}

function termCell(term, data) {
  const td = document.createElement("td");
  if (!term) return td;
  td.dataset.type = term.type;
  td.dataset.term = term.value;
  if (term.type === "uri") {
    const href = hrefOf(term.value, data);
    const text = compact(term.value, data.prefixes);
    if (href) {
      const a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      if (/^https?:/i.test(href)) a.rel = "external noopener";
      td.append(a);
    } else {
      td.textContent = text;
    }
    td.dir = "ltr";
  } else if (term.type === "bnode") {
    td.textContent = "_:" + term.value;
  } else {
    const bdi = document.createElement("bdi");
    bdi.textContent = term.value;
    if (term["xml:lang"]) {
      bdi.lang = term["xml:lang"];
      td.dataset.lang = term["xml:lang"];
    } else {
      td.dataset.datatype = term.datatype || "http://www.w3.org/2001/XMLSchema#string";
    }
    td.append(bdi);
  }
  return td;
}

function table(header, rows, data) {
  const t = document.createElement("table");
  t.className = "results";
  const head = t.createTHead().insertRow();
  for (const name of header) {
    const th = document.createElement("th");
    th.scope = "col";
    th.dir = "ltr";
    th.textContent = name;
    head.append(th);
  }
  const body = t.createTBody();
  for (const row of rows.slice(0, MAX_ROWS)) {
    const tr = body.insertRow();
    for (const term of row) tr.append(termCell(term, data));
  }
  const wrap = document.createElement("div");
  wrap.className = "table-scroll";
  wrap.append(t);
  return wrap;
}

// Show a result: {boolean} for ASK, {head, results} for SELECT, or a list of quads for a graph.
function show(out, result, data) {
  const p = document.createElement("p");
  p.className = "count";
  if (typeof result.boolean === "boolean") {
    p.textContent = result.boolean ? message("yes") : message("no");
    p.dataset.boolean = String(result.boolean);
    out.append(p);
    return;
  }
  let header, rows;
  if (Array.isArray(result)) {
    header = ["subject", "predicate", "object"];
    rows = result.map((q) => [fromTerm(q.subject), fromTerm(q.predicate), fromTerm(q.object)]);
  } else {
    header = result.head.vars;
    rows = result.results.bindings.map((b) => header.map((v) => b[v]));
  }
  p.textContent = message("rows", rows.length) + (rows.length > MAX_ROWS ? " " + message("truncated", MAX_ROWS) : "");
  p.dataset.rows = String(rows.length);
  out.append(p);
  if (header.length) out.append(table(header, rows, data));
}

// The keywords that begin an update, which the console refuses (as `tarikh query` does).
const UPDATES = new Set(["INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"]);
const PNAME = /(?<![\w:?$<.-])([A-Za-z][\w.-]*)?:(?=[\w%\\:-]|\s|[;,.)}\]])/g;

// 1-based line and column of a character offset.
function position(text, offset) {
  const before = text.slice(0, offset);
  return `${before.split("\n").length}:${offset - before.lastIndexOf("\n")}`;
}

// The first prefixed name whose prefix is neither declared nor predeclared, as a message; or null.
function unknownPrefix(text, masked, prefixes) {
  const allowed = new Set(Object.keys(prefixes));
  for (const m of masked.matchAll(/PREFIX\s+([A-Za-z][\w.-]*)?:/gi)) allowed.add(m[1] || "");
  for (const m of masked.matchAll(PNAME)) {
    const name = m[1] || "";
    if (!allowed.has(name) && !/prefix\s*$/i.test(masked.slice(Math.max(0, m.index - 8), m.index))) {
      return message("prefix", { where: position(text, m.index), name: name + ":" });
    }
  }
  return null;
}

// Oxigraph's "expected ..." without its grammar's character classes (['0'..='9'], [_] and the like
// say nothing to a person), as `tarikh query` writes it; the quoted token "[" is no class.
function readable(text) {
  return text.replace(/\['0'\s*\.\.=\s*'9'\]/g, "a digit")
    .replace(/,?\s*(?<!["\\])\[(?:'(?:[^'\\]|\\.)*'|[^\]'])*\]/g, "")
    .replace(/expected one of ([^,]+)$/, "expected $1");
}

// The first keyword after the prologue (IRIs are masked out), as written: SELECT, ASK, CONSTRUCT,
// DESCRIBE, an update's or a misspelt one.
function formOf(masked) {
  const item = /\s*(?:BASE\b|PREFIX\s+(?:[A-Za-z][\w.-]*)?:)/iy;
  let pos = 0;
  for (;;) {
    item.lastIndex = pos;
    if (!item.exec(masked)) break;
    pos = item.lastIndex;
  }
  const m = /^\s*([A-Za-z]+)/.exec(masked.slice(pos));
  return m ? m[1] : "SELECT";
}

function runQuery(store, data) {
  const text = root.querySelector("#console-query").value;
  const out = root.querySelector("#console-results");
  out.replaceChildren();
  setStatus(message("running"), "running");
  const masked = mask(text);
  const service = /(^|[^\w:?$.-])SERVICE(?![\w:-])/i.exec(masked);
  try {
    const word = formOf(masked), form = word.toUpperCase();
    if (UPDATES.has(form)) throw new Error(message("update", { word: form }));
    if (!["SELECT", "CONSTRUCT", "DESCRIBE", "ASK"].includes(form)) throw new Error(message("form", { word }));
    if (service) throw new Error(message("service"));
    const head = prologue(text, data.prefixes);
    const added = head.split("\n").length - 1;
    let result;
    try {
      const graph = ["CONSTRUCT", "DESCRIBE"].includes(form);
      const options = { use_default_graph_as_union: true };
      if (!graph) options.results_format = "application/sparql-results+json";
      result = store.query(head + text, options);
      if (!graph) result = JSON.parse(result);
    } catch (e) {
      const undeclared = unknownPrefix(text, masked, data.prefixes);
      if (undeclared) throw new Error(undeclared);
      // Report positions in the query as the reader wrote it, not with our PREFIX lines.
      throw new Error(readable(String(e.message || e)).replace(/at (\d+):(\d+)/, (_, l, c) => `at ${Math.max(1, l - added)}:${c}`));
    }
    show(out, result, data);
    setStatus(message("ready"), "ready");
  } catch (e) {
    const p = document.createElement("p");
    p.className = "error";
    p.textContent = message("error") + " " + (e.message || e);
    out.append(p);
    setStatus(message("ready"), "error");
  }
}

// The store, made once, on the first run: the WebAssembly module, then each data file.
function loader() {
  let pending = null;
  return () => {
    if (!pending) {
      pending = (async () => {
        await init();
        const s = new Store();
        for (const key of ["kb", "derived", "vocab"]) {
          const resp = await fetch(root.dataset[key]);
          if (!resp.ok) {
            if (key === "vocab") continue; // an older site without the vocabulary dump
            throw new Error(`${root.dataset[key]}: HTTP ${resp.status}`);
          }
          s.load(await resp.text(), { format: "application/n-triples" });
        }
        return s;
      })();
      pending.catch(() => { pending = null; }); // a failed load (the network, say) is tried again on the next run
    }
    return pending;
  };
}

async function main() {
  if (!root) return;
  const data = JSON.parse(document.getElementById("console-data").textContent);
  if (location.protocol === "file:") return setStatus(message("file"), "unavailable");
  if (typeof WebAssembly !== "object") return setStatus(message("nowasm"), "unavailable");
  const store = loader();
  const select = root.querySelector("#console-example");
  const textarea = root.querySelector("#console-query");
  const button = root.querySelector("#console-run");
  let loaded = null, busy = false;
  // Once the store is there a run is synchronous, as it always was; the first one says "loading"
  // before its first await, so that whoever clicked sees it begin.
  async function run() {
    if (loaded) return runQuery(loaded, data);
    if (busy) return;
    busy = true; // a second click while the data come does nothing (the button keeps its focus)
    setStatus(message("loading"), "loading");
    try {
      loaded = await store();
      runQuery(loaded, data);
    } catch (e) {
      root.querySelector("#console-results").replaceChildren();
      setStatus(message("nowasm") + " (" + (e.message || e) + ")", "unavailable");
    } finally {
      busy = false;
    }
  }
  if (select) select.addEventListener("change", () => { textarea.value = data.examples[Number(select.value)].query; });
  button.addEventListener("click", run);
  textarea.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); }
  });
  button.disabled = false;
  setStatus(message("ready"), "ready");
}

main();
