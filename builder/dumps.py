"""Data dumps: the store in, bytes of `kb.ttl`, `kb.nt`, `kb.jsonld`, `derived.*` and each thing's
own `index.ttl` / `index.jsonld` out. Blank nodes get canonical labels (RDFC-1.0) and triples are
sorted, so the same knowledge base always gives the same bytes. JSON-LD is expanded: no context
to fetch.
"""
from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from .namespaces import DERIVED_GRAPH, VOCAB_GRAPH, all_prefixes


def _canonical(triples: list[ox.Triple]) -> list[ox.Triple]:
    """Relabel blank nodes canonically and sort, for byte-stable output."""
    if any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples):
        dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in dataset]
    return sorted(set(triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def graph_triples(store: ox.Store, derived: bool) -> list[ox.Triple]:
    """The asserted triples (every file's graph) or the derived ones, canonical and sorted."""
    skip = {DERIVED_GRAPH, VOCAB_GRAPH}
    graphs = ([ox.NamedNode(DERIVED_GRAPH)] if derived else
              [ox.DefaultGraph(), *(g for g in store.named_graphs() if not (isinstance(g, ox.NamedNode) and g.value in skip))])
    return _canonical([ox.Triple(q.subject, q.predicate, q.object)
                       for g in graphs for q in store.quads_for_pattern(None, None, None, g)])


def serialize(triples: list[ox.Triple], fmt: str, id_ns: str) -> bytes:
    """Serialise triples as Turtle ("ttl"), N-Triples ("nt") or expanded JSON-LD ("jsonld")."""
    if fmt == "nt":
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    if fmt == "jsonld":
        return ox.serialize(triples, format=ox.RdfFormat.JSON_LD) + b"\n"
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=all_prefixes(id_ns))


def site_dumps(asserted: list[ox.Triple], derived: list[ox.Triple], id_ns: str) -> dict[str, bytes]:
    """The files of `/data/`."""
    return {
        "data/kb.ttl": serialize(asserted, "ttl", id_ns),
        "data/kb.nt": serialize(asserted, "nt", id_ns),
        "data/kb.jsonld": serialize(asserted, "jsonld", id_ns),
        "data/derived.ttl": serialize(derived, "ttl", id_ns),
        "data/derived.nt": serialize(derived, "nt", id_ns),
    }


def per_thing(asserted: list[ox.Triple], derived: list[ox.Triple], id_ns: str,
              slugs: dict[str, str]) -> dict[str, bytes]:
    """Each thing's own data beside its page: its statements, its blank nodes', and what was derived."""
    by_subject: dict[object, list[ox.Triple]] = defaultdict(list)
    for t in asserted + derived:
        by_subject[t.subject].append(t)
    files = {}
    for iri, slug in slugs.items():
        mine, stack, seen = [], [ox.NamedNode(iri)], set()
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            for t in by_subject.get(node, ()):
                mine.append(t)
                if isinstance(t.object, ox.BlankNode):
                    stack.append(t.object)
        mine.sort(key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
        files[slug + "index.ttl"] = serialize(mine, "ttl", id_ns)
        files[slug + "index.jsonld"] = serialize(mine, "jsonld", id_ns)
    return files
