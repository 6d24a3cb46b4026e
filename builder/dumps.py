"""Data dumps: the store in, bytes of `kb.ttl`, `kb.nt`, `kb.jsonld`, `derived.*` and each thing's
own `index.ttl` / `index.jsonld` out. Blank nodes get canonical labels (RDFC-1.0) and triples are
sorted, so the same knowledge base always gives the same bytes. JSON-LD is expanded: no context
to fetch.
"""
from __future__ import annotations

import hashlib
from collections import ChainMap, defaultdict
from collections.abc import Mapping

import pyoxigraph as ox

from .namespaces import DERIVED_GRAPH, VOCAB_GRAPH, all_prefixes


def _relabel(triples) -> list[ox.Triple]:
    """The triples with their blank nodes given canonical labels (RDFC-1.0)."""
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return [ox.Triple(q.subject, q.predicate, q.object) for q in dataset]


def _canonical(triples: list[ox.Triple]) -> list[ox.Triple]:
    """Relabel blank nodes canonically and sort, for byte-stable output."""
    if any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples):
        triples = _relabel(triples)
    return sorted(set(triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def graph_lines(store: ox.Store, derived: bool) -> list[bytes]:
    """The asserted triples (every file's graph) or the derived ones as sorted, canonical
    N-Triples lines.

    Sorting the lines is sorting the triples by subject, predicate and object as written (a term
    ends where a space follows it, and every character of a term sorts after the space), and it
    keeps the store's own serialisation rather than a Python object per term: at 100,000 events
    that is the difference between a few hundred megabytes and several gigabytes.
    """
    skip = {DERIVED_GRAPH, VOCAB_GRAPH}
    graphs = ([ox.NamedNode(DERIVED_GRAPH)] if derived else
              [ox.DefaultGraph(), *(g for g in store.named_graphs() if not (isinstance(g, ox.NamedNode) and g.value in skip))])
    lines: set[bytes] = set()
    for g in graphs:
        lines.update(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g).splitlines())
    lines.discard(b"")
    # Blank nodes get canonical labels (RDFC-1.0). A label depends only on the statements that
    # mention blank nodes, so only those go through the canonicaliser.
    blank = [line for line in lines if line.startswith(b"_:") or b" _:" in line]
    if blank:
        relabelled = ox.serialize(_relabel(ox.parse(b"\n".join(blank), ox.RdfFormat.N_TRIPLES)),
                                  format=ox.RdfFormat.N_TRIPLES)
        lines.difference_update(blank)
        lines.update(relabelled.splitlines())
        lines.discard(b"")
    return sorted(lines)


def _triples(lines: list[bytes]):
    return ox.parse(b"\n".join(lines), ox.RdfFormat.N_TRIPLES) if lines else iter(())


def serialize(triples, fmt: str, id_ns: str) -> bytes:
    """Serialise triples as Turtle ("ttl"), N-Triples ("nt") or expanded JSON-LD ("jsonld")."""
    if fmt == "nt":
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    if fmt == "jsonld":
        return ox.serialize(triples, format=ox.RdfFormat.JSON_LD) + b"\n"
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=all_prefixes(id_ns))


class SiteDumps(Mapping):
    """The files of `/data/` (from graph_lines), as {file name: bytes}, each serialised when it is
    asked for and not kept: at 100,000 events they come to about 700 MB."""

    NAMES = ("data/derived.nt", "data/derived.ttl", "data/kb.jsonld", "data/kb.nt", "data/kb.ttl")

    def __init__(self, asserted: list[bytes], derived: list[bytes], id_ns: str):
        self._asserted, self._derived, self._id_ns = asserted, derived, id_ns

    def __getitem__(self, name: str) -> bytes:
        if name not in self.NAMES:
            raise KeyError(name)
        lines = self._derived if name.startswith("data/derived.") else self._asserted
        fmt = name.rpartition(".")[2]
        if fmt == "nt":
            return b"".join(line + b"\n" for line in lines)
        return serialize(_triples(lines), fmt, self._id_ns)

    def __contains__(self, name) -> bool:  # without making the file, as Mapping's would
        return name in self.NAMES

    def __iter__(self):
        return iter(self.NAMES)

    def __len__(self) -> int:
        return len(self.NAMES)


DERIVED_NOTE = (b"\n# Derived by the builder, not written in kb/ (the named graph tl:derived of the store, and\n"
                b"# data/derived.ttl): date bounds (sem:hasEarliestBeginTimeStamp, sem:hasLatestEndTimeStamp,\n"
                b"# sem:hasTimeStamp) and tl:corroboration.\n")


def _by_subject(lines: list[bytes]) -> dict[bytes, list[bytes]]:
    found: dict[bytes, list[bytes]] = defaultdict(list)
    for line in lines:
        found[line.split(b" ", 1)[0]].append(line)
    return found


def _lines(by_subject: Mapping[bytes, list[bytes]], iri: str) -> list[bytes]:
    """A thing's statements, and those of the blank nodes it leads to, in order."""
    mine, stack, seen = [], [str(ox.NamedNode(iri)).encode("utf-8")], set()
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        for line in by_subject.get(node, ()):
            mine.append(line)
            obj = line.split(b" ", 2)[2][:-2]  # "<s> <p> o ." -> o
            if obj.startswith(b"_:"):
                stack.append(obj)
    return sorted(mine)


class ThingData(Mapping):
    """Each thing's own data beside its page (its statements, its blank nodes', and what was
    derived), as {file name: bytes}, serialised only when a file is asked for: by the rendering
    worker that writes it, so the work is shared between the cores and the files are never all in
    memory at once."""

    def __init__(self, asserted: list[bytes], derived: list[bytes], id_ns: str, slugs: dict[str, str]):
        self._id_ns = id_ns
        self._asserted = _by_subject(asserted)
        self._derived = _by_subject(derived)
        self._files = {}
        for iri, slug in slugs.items():
            self._files[slug + "index.ttl"] = (iri, "ttl")
            self._files[slug + "index.jsonld"] = (iri, "jsonld")

    def __getitem__(self, name: str) -> bytes:
        """The file: what kb/ asserts of the thing, then what the builder derived of it, marked
        as derived (kb-format: "marked as derived"): in JSON-LD as the named graph tl:derived,
        as in the store and data/derived.*; in Turtle, which has no graphs, as a block of its own
        under a comment saying so."""
        iri, fmt = self._files[name]
        asserted, derived = _lines(self._asserted, iri), _lines(self._derived, iri)
        if fmt == "jsonld":
            graph = ox.NamedNode(DERIVED_GRAPH)
            quads = [*_triples(asserted), *(ox.Quad(t.subject, t.predicate, t.object, graph)
                                            for t in _triples(derived))]
            return ox.serialize(quads, format=ox.RdfFormat.JSON_LD) + b"\n"
        text = serialize(_triples(asserted), fmt, self._id_ns)
        if derived:
            more = serialize(_triples(derived), fmt, self._id_ns)
            text += DERIVED_NOTE + b"".join(line + b"\n" for line in more.splitlines()
                                           if not line.startswith(b"@prefix "))
        return text

    def digest(self, name: str, code: bytes) -> bytes:
        """The digest of what the file is made from (its lines, its format, the namespace) under
        `code` (pagecache.code_digest: the builder and the libraries' versions): the same digest,
        the same bytes, so a file whose digest the last build recorded need not be made again."""
        iri, fmt = self._files[name]
        h = hashlib.blake2b(f"{fmt}\0{self._id_ns}\0".encode(), digest_size=16, key=code)
        for line in _lines(self._asserted, iri):
            h.update(line + b"\n")
        h.update(b"\0derived\n")
        for line in _lines(self._derived, iri):
            h.update(line + b"\n")
        return h.digest()

    def __contains__(self, name) -> bool:  # without making the file, as Mapping's would
        return name in self._files

    def __iter__(self):
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)

class Dumps(ChainMap):
    """The site's dumps and each thing's data (SiteDumps, ThingData) as one mapping, with the
    digests of the files that have them (write.write_tree)."""

    def digest(self, name: str, code: bytes) -> bytes | None:
        for files in self.maps:
            if name in files:
                return files.digest(name, code) if hasattr(files, "digest") else None
        raise KeyError(name)
