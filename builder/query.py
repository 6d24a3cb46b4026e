"""The query layer that `tarikh query`, the endpoint and the saved queries share.

Input: SPARQL text and a store (or the knowledge-base folder to build one). Output: serialised
results in the W3C formats (or a table for people), or a `QueryError` that names the line and
column. The format's prefixes are predeclared; the default graph is the union of the knowledge
base, the vocabulary and the derived triples. Nothing here ever fetches anything: `SERVICE` is
refused before a query runs, and updates are not queries.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .namespaces import DERIVED_GRAPH, VOCAB_GRAPH, all_prefixes, compact
from .problems import visible

RESULT_FORMATS = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
                  "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}
GRAPH_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}
MEDIA_TYPES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
               "csv": "text/csv", "tsv": "text/tab-separated-values", "ttl": "text/turtle",
               "nt": "application/n-triples", "jsonld": "application/ld+json", "table": "text/plain"}
# What a client may write for a format: our names, file extensions and media types.
FORMAT_NAMES = {**{f: f for f in MEDIA_TYPES}, **{m: f for f, m in MEDIA_TYPES.items()},
                "srj": "json", "srx": "xml", "turtle": "ttl", "ntriples": "nt", "n-triples": "nt",
                "application/json": "json", "application/xml": "xml", "text/xml": "xml",
                "application/x-turtle": "ttl", "text/plain": "nt", "application/rdf+json": "json"}
DEFAULT_FORMAT = {"select": "json", "ask": "json", "graph": "ttl"}

_POS = re.compile(r"error at (\d+):(\d+): ")
# Strings, IRIs and comments: masked before looking for keywords, so that "SERVICE" in a label
# or an IRI is not mistaken for the keyword.
_LEXICAL = re.compile(r'''"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\x00-\x20]*>|\#[^\n]*''', re.S)
_SERVICE = re.compile(r"(?<![\w:?$.-])SERVICE(?![\w:-])", re.I)
_FROM = re.compile(r"(?<![\w:?$.-])FROM(?![\w:-])", re.I)
_PROLOGUE_ITEM = re.compile(r"\s*(?:BASE\b|PREFIX\s+(?:[A-Za-z][\w.-]*)?:)", re.I)
_KEYWORD = re.compile(r"\s*([A-Za-z]+)")
UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:", re.I)
_PNAME = re.compile(r"(?<![\w:?$<.-])([A-Za-z][\w.-]*)?:(?=[\w%\\:-]|\s|[;,.)}\]])")


@dataclass(frozen=True)
class QueryError(Exception):
    """A query that does not parse, cannot run or is refused, with where in the query it went wrong."""

    message: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        where = f"{self.line}:{self.column}: " if self.line else ""
        return f"{where}{self.message}"

    def format(self, path: str = "query") -> str:
        """The contract's one-line form: `path:line:column: error: message`."""
        where = path + (f":{self.line}" if self.line else "") + (f":{self.column}" if self.line and self.column else "")
        return f"{where}: error: {self.message}"


def mask(text: str) -> str:
    """The query with strings, IRIs and comments blanked out (same length, same line breaks)."""
    return _LEXICAL.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def first_keyword(masked: str) -> tuple[str, int]:
    """The first keyword after the prologue (BASE and PREFIX declarations) of a masked query, and where."""
    pos = 0
    while (m := _PROLOGUE_ITEM.match(masked, pos)) is not None:
        pos = m.end()  # the IRIs are masked out: what follows is blank up to the next keyword
    m = _KEYWORD.match(masked, pos)
    return (m.group(1).upper(), m.start(1)) if m else ("", pos)


def refuse_unsafe(text: str) -> None:
    """Refuse SERVICE (a query must never make us fetch anything) and updates (read-only)."""
    masked = mask(text)
    word, at = first_keyword(masked)
    if word in UPDATES:
        raise QueryError(f"{word} is an update: this store is read-only, only queries "
                         "(SELECT, ASK, CONSTRUCT, DESCRIBE) are answered", *position(text, at))
    m = _SERVICE.search(masked)
    if m:
        raise QueryError("SERVICE is not allowed: a query here never fetches anything from elsewhere",
                         *position(text, m.start()))


def uses_service(text: str) -> bool:
    """True when the query has a SERVICE clause (outside strings, IRIs and comments)."""
    return _SERVICE.search(mask(text)) is not None


def query_form(text: str) -> str:
    """The kind of a query from its first keyword, without parsing it: "select", "ask" or "graph"."""
    word, _ = first_keyword(mask(text))
    return {"ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}.get(word, "select")


def declared_prefixes(text: str) -> set[str]:
    """The prefix names a query declares itself."""
    return {m.group(1) or "" for m in _PREFIX_DECL.finditer(mask(text))}


def unknown_prefix(text: str, known: Iterable[str]) -> QueryError | None:
    """The first prefixed name whose prefix is neither declared nor predeclared."""
    masked = mask(text)
    allowed = set(known) | declared_prefixes(text)
    for m in _PNAME.finditer(masked):
        name = m.group(1) or ""
        if name not in allowed and not re.match(r"(?i)prefix\s*$", masked[max(0, m.start() - 8):m.start()]):
            return QueryError(f"the prefix {name}: is not declared", *position(text, m.start()))
    return None


def with_prefixes(text: str, prefixes: dict[str, str]) -> str:
    """Prepend the PREFIX declarations a query uses but does not declare (for remote endpoints)."""
    masked = mask(text)
    declared = declared_prefixes(text)
    used = {m.group(1) or "" for m in _PNAME.finditer(masked)}
    lines = [f"PREFIX {name}: <{prefixes[name]}>" for name in sorted(prefixes)
             if name in used and name not in declared]
    return "".join(line + "\n" for line in lines) + text


def run(store: ox.Store, text: str, id_ns: str, *, base_iri: str | None = None, union: bool = True,
        default_graph: list[str] | None = None, named_graphs: list[str] | None = None, safe: bool = True):
    """Run a query over the union of the store's graphs with the format's prefixes declared.

    `default_graph` and `named_graphs` (graph IRIs, as the protocol's default-graph-uri and
    named-graph-uri give them) replace the dataset, as a query's FROM and FROM NAMED would.
    """
    if safe:
        refuse_unsafe(text)
    prefixes = all_prefixes(id_ns)
    dataset = {}
    if union and _FROM.search(mask(text)):
        union = False  # the query names its own dataset (pyoxigraph's union flag would override it)
    if default_graph is not None:
        dataset["default_graph"] = [ox.NamedNode(g) for g in default_graph]
        union = False
    if named_graphs is not None:
        dataset["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    try:
        return store.query(text, prefixes=prefixes, base_iri=base_iri, use_default_graph_as_union=union, **dataset)
    except SyntaxError as exc:
        better = unknown_prefix(text, prefixes)
        if better is not None:
            raise better from None
        raise syntax_error(text, str(exc)) from None
    except (OSError, ValueError) as exc:
        raise QueryError(str(exc)) from None


def syntax_error(text: str, message: str) -> QueryError:
    """A QueryError at the best place we can find for a query that does not parse.

    Oxigraph names the furthest point its parser reached, which is sometimes the end of the
    query; rdflib's parser names the start of the construct that fails. The earlier of the two
    is where a person should look; Oxigraph's message says what was expected.
    """
    form = _query_form_problem(text)
    if form is not None:
        return form
    m = _POS.search(message)
    # Oxigraph reports the column one past the character it stopped at ("%" alone: 1:2).
    where = (int(m.group(1)), max(1, int(m.group(2)) - 1)) if m else (0, 0)
    expected = _readable(_POS.sub("", message).strip())
    at_end = where != (0, 0) and _past_the_end(text, *where)
    other = _rdflib_position(text)
    if other is not None and (where == (0, 0) or other < where):
        there = "at the end of the query" if at_end else f"at {where[0]}:{where[1]}"
        return QueryError(f"the query does not parse from here ({expected}, {there})", *other)
    if at_end:
        return QueryError(f"the query ends too soon ({expected})", *where)
    return QueryError(expected, *where)


_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
_PROLOGUE = re.compile(r"\A(?:\s+|#[^\n]*\n?|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)*", re.I)


def _query_form_problem(text: str) -> QueryError | None:
    """A query that does not start with SELECT, CONSTRUCT, DESCRIBE or ASK (after its PREFIX and
    BASE lines): said so, at that word (Oxigraph says only the last form it tried)."""
    start = _PROLOGUE.match(text).end()
    word = re.match(r"[A-Za-z]+", text[start:])
    if word is None or word.group().upper() in _FORMS or word.group().upper() in ("PREFIX", "BASE"):
        return None
    return QueryError(f"a query starts with SELECT, CONSTRUCT, DESCRIBE or ASK (after its PREFIX and BASE "
                      f"lines), not {word.group()!r}", *position(text, start))


def _past_the_end(text: str, line: int, column: int) -> bool:
    """True when a 1-based line and column lie after the query's last character."""
    lines = text.split("\n")
    if line > len(lines):
        return True
    rest = "\n".join([lines[line - 1][column - 1:], *lines[line:]])
    return not rest.strip()


def _readable(expected: str) -> str:
    """Oxigraph's "expected …" without its grammar's character classes: ['0'..='9'] is a digit,
    [_] (any character) and the like say nothing to a person."""
    expected = re.sub(r"\['0'\s*\.\.=\s*'9'\]", "a digit", expected)
    # a class is a bracket after a comma or a space, never the quoted token "[" (a blank node's
    # opening): a class's own characters are quoted, and one of them may be a ']'
    expected = re.sub(r",?\s*(?<![\"\\])\[(?:'(?:[^'\\]|\\.)*'|[^\]'])*\]", "", expected)
    expected = re.sub(r"expected one of ([^,]+)$", r"expected \1", expected).strip().rstrip(",")
    return expected if expected not in ("expected", "expected one of") else "unexpected text"


def _rdflib_position(text: str) -> tuple[int, int] | None:
    try:
        from pyparsing import ParseException
        from rdflib.plugins.sparql.parser import parseQuery
    except ImportError:
        return None
    try:
        parseQuery(text)
    except ParseException as exc:
        return exc.lineno, exc.col
    except Exception:  # rdflib's parser failing some other way says nothing about where
        return None
    return None


def kind_of(result) -> str:
    """"select", "ask" or "graph"."""
    if isinstance(result, ox.QuerySolutions):
        return "select"
    if isinstance(result, ox.QueryBoolean):
        return "ask"
    return "graph"


def format_name(name: str) -> str | None:
    """Our name of a format given by a client (a name, an extension or a media type)."""
    return FORMAT_NAMES.get(name.strip().lower().split(";")[0].strip())


def fits(fmt: str, kind: str) -> bool:
    """True when a result of this kind can be written in this format."""
    return fmt == "table" or (fmt in GRAPH_FORMATS if kind == "graph" else fmt in RESULT_FORMATS)


def negotiate(accept: str | None, kind: str) -> str | None:
    """The best format for an Accept header and a kind of result, or None (406)."""
    if not accept or not accept.strip():
        return DEFAULT_FORMAT[kind]
    offers = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        offers.append((-q, i, media))
    for neg_q, _, media in sorted(offers):
        if neg_q == 0:
            break
        if media in ("*/*", "application/*", "text/*"):
            default = DEFAULT_FORMAT[kind]
            if media == "*/*" or MEDIA_TYPES[default].startswith(media[:-1]):
                return default
            found = [f for f, m in MEDIA_TYPES.items() if m.startswith(media[:-1]) and fits(f, kind) and f != "table"]
            if found:
                return found[0]
            continue
        fmt = FORMAT_NAMES.get(media)
        if fmt and fits(fmt, kind) and fmt != "table":
            return fmt
    return None


def serialize(result, fmt: str, id_ns: str, output=None) -> bytes | None:
    """Serialise a result in a W3C format, or as a table for people (into `output` if given)."""
    kind = kind_of(result)
    if fmt == "table":
        data = table(result, id_ns).encode("utf-8")
        if output is None:
            return data
        output.write(data)
        return None
    if kind == "graph":
        if fmt not in GRAPH_FORMATS:
            raise QueryError(f"a CONSTRUCT or DESCRIBE result is a graph: use --format ttl, nt or jsonld, not {fmt}")
        # contract.md: IRIs are written in full in every W3C format, Turtle included (no @prefix)
        return ox.serialize(result, output, format=GRAPH_FORMATS[fmt])
    if fmt not in RESULT_FORMATS:
        raise QueryError(f"a SELECT or ASK result goes out as table, csv, tsv, json or xml, not {fmt}")
    return result.serialize(output, format=RESULT_FORMATS[fmt])


def _cell(term, prefixes: dict[str, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value, prefixes)
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        return visible(term.value) + (f"@{term.language}" if term.language else "")
    return str(term)


def table(result, id_ns: str) -> str:
    """A plain-text table: compact IRIs, one row per solution."""
    prefixes = all_prefixes(id_ns)
    kind = kind_of(result)
    if kind == "ask":
        return ("yes" if bool(result) else "no") + "\n"
    if kind == "graph":
        return ox.serialize(list(result), format=ox.RdfFormat.TURTLE, prefixes=prefixes).decode("utf-8")
    names = [v.value for v in result.variables]
    rows = [[_cell(sol[n], prefixes) for n in names] for sol in result]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    out = [line(names), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def parse_results(data: bytes, fmt: str):
    """Read results that an endpoint sent (SELECT/ASK in json, xml or tsv; graphs as RDF)."""
    try:
        if fmt in GRAPH_FORMATS:
            return list(ox.parse(data, GRAPH_FORMATS[fmt]))
        return ox.parse_query_results(data, RESULT_FORMATS[fmt])
    except (SyntaxError, ValueError) as exc:
        raise QueryError(f"the endpoint's answer is not valid {fmt}: {exc}") from None


# --- The store queries run over ---------------------------------------------------------------


def derive_into(kb, resolved: dict | None = None):
    """Add every derived triple (date bounds, corroboration) to a loaded knowledge base's store;
    return the model extracted on the way."""
    from .derive import add_derived, date_triples, resolve_dates
    from .engine import Engine
    from .extract import extract
    from .site import corroboration_triples, locator_for
    if resolved is None:
        locator, _ = locator_for(kb)
        resolved, _ = resolve_dates(Engine(kb.store), locator)
    add_derived(kb.store, date_triples(resolved))
    model = extract(Engine(kb.store), kb.config.id_ns, kb.config.languages, resolved)
    add_derived(kb.store, date_triples(resolved) + corroboration_triples(model))
    return model


def open_query_store(kb_dir: str | Path, step=None):
    """Load a knowledge base and derive what the builder derives; return (kb, fatal problems).
    `step` is told each stage as it begins (a progress line's)."""
    from .kb import open_kb
    from .site import few_collections
    step = step or (lambda name: None)
    with few_collections():  # as a build does: a fifth less time at 10,000 events (4.2 -> 3.4 s)
        step("loading")
        kb = open_kb(kb_dir)
        fatal = [p for p in kb.problems if p.is_error]
        if not fatal:
            step("resolving dates and extracting")
            derive_into(kb)
    return kb, fatal


def dataset_quads(store: ox.Store) -> Iterator[ox.Quad]:
    """The store as published: asserted triples in the default graph, derived and vocabulary in
    their own named graphs (`tl:derived`, `tl:vocabulary`); the per-file graphs are merged."""
    derived, vocab, default = ox.NamedNode(DERIVED_GRAPH), ox.NamedNode(VOCAB_GRAPH), ox.DefaultGraph()
    for q in store:
        graph = q.graph_name if q.graph_name in (derived, vocab) else default
        yield ox.Quad(q.subject, q.predicate, q.object, graph)


def published_store(kb_nt: bytes, derived_nt: bytes) -> ox.Store:
    """A store in the published layout from the site's dumps and the builder's vocabulary."""
    from .load import VOCAB_PATH
    store = ox.Store()
    store.bulk_load(kb_nt, ox.RdfFormat.N_TRIPLES)
    store.bulk_load(derived_nt, ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(DERIVED_GRAPH))
    if VOCAB_PATH.is_file():
        store.bulk_load(path=str(VOCAB_PATH), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(VOCAB_GRAPH))
    return store
