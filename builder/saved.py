"""Saved queries: `kb/queries/*.rq` in; their titles, descriptions, results as plain Python rows
and CSV/JSON downloads out.

A saved query begins with comment lines that carry its title and description per language
(`# title@en: …`, `# description@ar: …`; a following `#` line continues a description); the
rest is the query. Results are plain Python at this boundary (IRIs as `str`, literals as `Lit`,
blank nodes as `"_:label"`, unbound as `None`): the views decide how to link them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .engine import Lit, to_python
from .namespaces import VOCAB_GRAPH
from .problems import Problem
from .query import QueryError, kind_of, run, serialize

HEADER_RE = re.compile(r"^#\s*(title|description)@([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)\s*:\s*(.*?)\s*$")
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
Cell = str | Lit | None


@dataclass(frozen=True)
class SavedQuery:
    """One `kb/queries/<name>.rq`: its name, where it is, what it is called and says, and its text."""

    name: str
    shown: str  # the path as the user would type it
    title: dict[str, str]
    description: dict[str, str]
    text: str  # the whole file: the header is comments, so this is the query as run

    @property
    def body(self) -> str:
        """The query without its header comment lines (what a page shows)."""
        lines = self.text.splitlines(keepends=True)
        i = 0
        while i < len(lines) and (not lines[i].strip() or lines[i].lstrip().startswith("#")):
            i += 1
        return "".join(lines[i:])


@dataclass(frozen=True)
class Results:
    """What a saved query returned, as plain Python."""

    kind: str  # "select", "ask" or "graph"
    variables: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    boolean: bool | None = None


def parse_header(text: str) -> tuple[dict[str, str], dict[str, str]]:
    """The title and description per language from a query's leading comment lines."""
    fields: dict[str, dict[str, str]] = {"title": {}, "description": {}}
    current: tuple[str, str] | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            current = None
            continue
        if not stripped.startswith("#"):
            break
        m = HEADER_RE.match(stripped)
        if m:
            current = (m.group(1), m.group(2).lower())
            fields[current[0]][current[1]] = m.group(3)
        elif current and current[0] == "description" and stripped.lstrip("#").strip():
            key, lang = current
            fields[key][lang] = (fields[key][lang] + " " + stripped.lstrip("#").strip()).strip()
        else:
            current = None
    return fields["title"], fields["description"]


def load_saved(kb_dir: str | Path, shown_dir: str | None = None) -> tuple[list[SavedQuery], list[Problem]]:
    """Read every `queries/*.rq` of a knowledge base, in name order; report unreadable or misnamed files."""
    root = Path(kb_dir) / "queries"
    prefix = (shown_dir if shown_dir is not None else str(kb_dir)).rstrip("/")
    out, problems = [], []
    for path in sorted(root.glob("*.rq")) if root.is_dir() else []:
        shown = f"{prefix}/queries/{path.name}" if prefix else f"queries/{path.name}"
        if not NAME_RE.match(path.stem):
            problems.append(Problem(shown, 0, 0, "error", "saved-query-name",
                                    f"{path.name}: a saved query's name becomes a page address",
                                    "use lower-case letters, digits and hyphens, e.g. events-by-actor.rq"))
            continue
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(shown, 0, 0, "error", "unreadable", f"cannot read the saved query: {exc}"))
            continue
        title, description = parse_header(text)
        out.append(SavedQuery(path.stem, shown, title, description, text))
    return out, problems


def check_saved(store: ox.Store, queries: list[SavedQuery], id_ns: str, languages: tuple[str, ...]) -> list[Problem]:
    """Every problem of the saved queries: a query that does not parse or run, a missing title."""
    problems = []
    for q in queries:
        for lang in languages:
            if lang not in q.title:
                problems.append(Problem(q.shown, 1, 1, "warning", "saved-query-title",
                                        f"the saved query has no title in {lang}",
                                        f"add a header line: # title@{lang}: …"))
        try:
            run_saved(store, q, id_ns)
        except QueryError as exc:
            problems.append(Problem(q.shown, exc.line, exc.column, "error", "query-syntax", exc.message))
    return problems


def run_saved(store: ox.Store, q: SavedQuery, id_ns: str) -> Results:
    """Run one saved query over the built store and return its results as plain Python."""
    result = run(store, q.text, id_ns)
    kind = kind_of(result)
    if kind == "ask":
        return Results(kind, (), (), bool(result))
    if kind == "graph":
        triples = sorted(result, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
        return Results(kind, ("subject", "predicate", "object"),
                       tuple((to_python(t.subject), to_python(t.predicate), to_python(t.object)) for t in triples))
    names = tuple(v.value for v in result.variables)
    return Results(kind, names, tuple(tuple(to_python(s[n]) for n in names) for s in result))


def downloads(store: ox.Store, queries: list[SavedQuery], id_ns: str) -> dict[str, bytes]:
    """`queries/<name>/results.csv` and `results.json` for each saved query (W3C formats; a graph
    result goes out as `results.ttl` and `results.nt` instead), and `data/vocab.nt` for the console."""
    files: dict[str, bytes] = {}
    for q in queries:
        kinds = ("ttl", "nt") if kind_of(run(store, q.text, id_ns)) == "graph" else ("csv", "json")
        for fmt in kinds:
            data = serialize(run(store, q.text, id_ns), fmt, id_ns)
            files[f"queries/{q.name}/results.{fmt}"] = data
    files["data/vocab.nt"] = vocabulary_nt(store)
    return files


def vocabulary_nt(store: ox.Store) -> bytes:
    """The builder's vocabulary as N-Triples, sorted (the in-browser console loads it beside kb.nt)."""
    from .dumps import _canonical  # the same canonical blank-node labels as the other dumps
    graph = ox.NamedNode(VOCAB_GRAPH)
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, graph)]
    return ox.serialize(_canonical(triples), format=ox.RdfFormat.N_TRIPLES)
