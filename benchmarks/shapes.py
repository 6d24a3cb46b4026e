"""Measure the two ways to run builder/shapes.ttl: a generated KB's size in, timings out.

pySHACL (rdflib: the store is copied into an rdflib graph first, which is part of its cost)
against the same shapes compiled to SPARQL on the pyoxigraph store (builder/shacl.py), and
the whole `check()` for scale. Also says whether both found the same focus nodes.

    python -m benchmarks.shapes 10000            # both
    python -m benchmarks.shapes 10000 --no-pyshacl
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from benchmarks.gen import generate
from builder.kb import open_kb
from builder.shacl import SHAPES_PATH, builtin_checks, run_checks


def time_sparql(kb) -> tuple[float, set]:
    """Run the compiled shapes; return seconds and the focus nodes at fault."""
    start = time.perf_counter()
    found = run_checks(kb.store, builtin_checks())
    return time.perf_counter() - start, {(v.focus.value, v.check.code) for v in found}


def time_pyshacl(kb) -> tuple[float, float, set]:
    """Copy the store to rdflib and run pySHACL; return copy seconds, validate seconds, foci."""
    import rdflib
    from pyshacl import validate

    start = time.perf_counter()
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in kb.store]
    graph = rdflib.Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    shapes = rdflib.Graph().parse(SHAPES_PATH)
    copied = time.perf_counter()
    _, report, _ = validate(graph, shacl_graph=shapes, inference="none", allow_warnings=True)
    done = time.perf_counter()
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    foci = {str(o) for o in report.objects(None, sh.focusNode)}
    return copied - start, done - copied, foci


def main(n: int, pyshacl: bool) -> None:
    """Generate n events, time both ways, print the figures."""
    with tempfile.TemporaryDirectory() as tmp:
        generate(n, Path(tmp) / "kb")
        start = time.perf_counter()
        kb = open_kb(Path(tmp) / "kb")
        print(f"events: {n}  triples: {len(kb.store)}  load: {time.perf_counter() - start:.2f} s")
        seconds, sparql_foci = time_sparql(kb)
        print(f"shapes as SPARQL on pyoxigraph: {seconds:.2f} s ({len(builtin_checks())} queries)")
        from builder.check import check
        start = time.perf_counter()
        problems = check(kb)
        print(f"check() after load: {time.perf_counter() - start:.2f} s, {len(problems)} problems")
        if pyshacl:
            copy, validate_s, foci = time_pyshacl(kb)
            print(f"pySHACL: copy to rdflib {copy:.2f} s + validate {validate_s:.2f} s = {copy + validate_s:.2f} s")
            print(f"same focus nodes at fault: {foci == {f for f, _ in sparql_foci}}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10000, "--no-pyshacl" not in sys.argv)
