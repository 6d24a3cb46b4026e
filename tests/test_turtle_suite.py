"""The W3C RDF 1.1 Turtle test suite through the loader (and the position indexer).

Every negative syntax test gives a syntax `Problem` with a line and no traceback; every positive
syntax and evaluation test loads, and an evaluation test gives the expected triples.
"""
from __future__ import annotations

import tarfile
from pathlib import Path

import pytest
import pyoxigraph
import rdflib
from rdflib.compare import isomorphic

from builder.load import SourceFile, load_file, parse_file
from builder.positions import index_text

SUITE = Path(__file__).resolve().parents[2] / "shared" / "data" / "suites" / "w3c-rdf-tests_rdf11-turtle-trig-nt-nq.tar.gz"
MEMBER = "rdf/rdf11/rdf-turtle/"
BASE = "https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-turtle/"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
RDFT = rdflib.Namespace("http://www.w3.org/ns/rdftest#")


def _extract(root: Path) -> Path:
    with tarfile.open(SUITE) as tar:
        members = [m for m in tar.getmembers() if m.name.lstrip("./").startswith(MEMBER)]
        tar.extractall(root, members=members, filter="data")
    return root / MEMBER


def _tests() -> list[tuple[str, str, str, str | None]]:
    """(name, kind, action file, result file) for every test of the manifest."""
    if not SUITE.is_file():
        return []
    with tarfile.open(SUITE) as tar:
        manifest = tar.extractfile(next(m for m in tar.getmembers() if m.name.lstrip("./") == MEMBER + "manifest.ttl"))
        graph = rdflib.Graph().parse(data=manifest.read().decode(), format="turtle", publicID=BASE + "manifest.ttl")
    out = []
    for test in graph.subjects(rdflib.RDF.type, None):
        kind = graph.value(test, rdflib.RDF.type)
        action, result = graph.value(test, MF.action), graph.value(test, MF.result)
        if action is None:
            continue
        out.append((str(graph.value(test, MF.name)), str(kind).rsplit("#", 1)[-1],
                    str(action)[len(BASE):], str(result)[len(BASE):] if result else None))
    return sorted(out)


TESTS = _tests()


@pytest.fixture(scope="module")
def suite_dir(tmp_path_factory) -> Path:
    return _extract(tmp_path_factory.mktemp("w3c"))


def test_the_suite_is_there():
    assert len(TESTS) > 300, f"{SUITE} is missing or unreadable"


NEGATIVE = [t for t in TESTS if t[1] == "TestTurtleNegativeSyntax"]
POSITIVE = [t for t in TESTS if t[1] != "TestTurtleNegativeSyntax"]


@pytest.mark.parametrize("name,kind,action,result", NEGATIVE, ids=[t[0] for t in NEGATIVE])
def test_negative_syntax_gives_a_problem_with_a_line(suite_dir, name, kind, action, result):
    path = suite_dir / action
    quads, problem = parse_file(SourceFile(path, action), BASE + action)
    assert problem is not None, f"{name} should not load"
    assert problem.code in ("syntax", "encoding") and problem.line >= 1, problem
    assert problem.format().startswith(f"{action}:{problem.line}")
    store = pyoxigraph.Store()  # loaded as builds load it: the same problem, and nothing of the file
    assert load_file(SourceFile(path, action), BASE + action, store) == problem and len(store) == 0
    index_text(path.read_text(encoding="utf-8", errors="replace"), action, BASE + action)  # never raises


@pytest.mark.parametrize("name,kind,action,result", POSITIVE, ids=[t[0] for t in POSITIVE])
def test_positive_tests_load(suite_dir, name, kind, action, result):
    path = suite_dir / action
    quads, problem = parse_file(SourceFile(path, action), BASE + action)
    assert problem is None, problem.format()
    index_text(path.read_text(encoding="utf-8"), action, BASE + action)
    if kind == "TestTurtleEval" and result:
        got = rdflib.Graph()
        for q in quads:
            got.add(tuple(_to_rdflib(t) for t in (q.subject, q.predicate, q.object)))
        expected = rdflib.Graph()
        for triple in rdflib.Graph().parse(suite_dir / result, format="nt"):
            expected.add(tuple(_plain(t) for t in triple))
        assert isomorphic(got, expected), name
        # loaded as builds load it, straight into a store: what the parsed quads make in a store
        # (which keeps typed numbers in canonical form: "1.0"^^xsd:decimal is "1" there either way)
        loaded, inserted = pyoxigraph.Store(), pyoxigraph.Store()
        assert load_file(SourceFile(path, action), BASE + action, loaded) is None
        inserted.extend(quads)
        as_graphs = [rdflib.Graph() for _ in range(2)]
        for graph, store in zip(as_graphs, (loaded, inserted)):
            for q in store:
                graph.add(tuple(_to_rdflib(t) for t in (q.subject, q.predicate, q.object)))
        assert len(loaded) == len(inserted) and isomorphic(*as_graphs), name


def _to_rdflib(term):
    """Convert a pyoxigraph term to rdflib (for the isomorphism check)."""
    import pyoxigraph as ox
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    return _plain(rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value)))


def _plain(term):
    """Compare as RDF 1.1 does: a simple literal is an xsd:string, language tags ignore case."""
    if isinstance(term, rdflib.Literal) and term.datatype == rdflib.XSD.string:
        return rdflib.Literal(str(term))
    if isinstance(term, rdflib.Literal) and term.language:
        return rdflib.Literal(str(term), lang=term.language.lower())
    return term
