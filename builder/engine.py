"""The query engine: the one module that speaks to pyoxigraph's SPARQL.

Input: a store and a query name from `builder/queries/*.rq` (plus bound variables). Output: plain
Python rows (`str` for IRIs, `Lit` for literals): no RDF term types leak past this module.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import pyoxigraph as ox

from .namespaces import XSD

QUERY_DIR = Path(__file__).with_name("queries")


@dataclass(frozen=True, order=True)
class Lit:
    """A literal as plain Python: its lexical form, language tag and datatype IRI."""

    value: str
    lang: str = ""
    datatype: str = XSD + "string"


@cache
def query_text(name: str) -> str:
    """Read a named query from `builder/queries/` once."""
    return (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")


@lru_cache(maxsize=1 << 18)
def to_python(term: object) -> str | Lit | None:
    """Convert one RDF term to plain Python."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        return Lit(term.value, term.language or "", term.datatype.value)
    return str(term)


def to_term(value: str | Lit) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert plain Python back to an RDF term (for bound variables)."""
    if isinstance(value, Lit):
        if value.lang:
            return ox.Literal(value.value, language=value.lang)
        return ox.Literal(value.value, datatype=ox.NamedNode(value.datatype))
    if value.startswith("_:"):
        return ox.BlankNode(value[2:])
    return ox.NamedNode(value)


class Engine:
    """Runs the builder's named queries over a store, as the union of its graphs."""

    def __init__(self, store: ox.Store):
        self.store = store

    def select(self, name: str, **bindings: str | Lit) -> list[dict[str, str | Lit | None]]:
        """Run a named SELECT query and return its rows as dicts of plain Python."""
        subs = {ox.Variable(k): to_term(v) for k, v in bindings.items()}
        result = self.store.query(query_text(name), use_default_graph_as_union=True, substitutions=subs or None)
        names = [v.value for v in result.variables]
        return [dict(zip(names, map(to_python, row))) for row in result]

    def rows(self, name: str, **bindings: str | Lit) -> list[tuple]:
        """Run a named SELECT query and return its rows as tuples in variable order."""
        subs = {ox.Variable(k): to_term(v) for k, v in bindings.items()}
        result = self.store.query(query_text(name), use_default_graph_as_union=True, substitutions=subs or None)
        # a solution iterates over its values in variable order, None where one is unbound: a
        # fifth faster than indexing it (0.2 s for the 216,000 statements of 10,000 events)
        return [tuple(map(to_python, row)) for row in result]
