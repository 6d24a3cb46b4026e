"""Typical queries, timed in process: a generated knowledge base in, JSON timings out (stdout).

The store is loaded and derived once (what `tarikh query` does on every call), then each query
runs through `builder.query.run` as `tarikh query` and the endpoint run it, and its rows are
read to the end (pyoxigraph answers lazily). That per-query time is what the 100 ms goal is
about; `tarikh query` as a command adds the load.

    python -m benchmarks.queries KB_DIR
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# An actor of the generated knowledge bases (actor-7 exists at every size) and a month in range.
QUERIES = {
    "actor-events": """SELECT ?event ?role ?earliest WHERE {
  ?role rdfs:subPropertyOf* sem:hasActor .
  ?event a sem:Event ; ?role id:actor-7 .
  OPTIONAL { ?event sem:hasEarliestBeginTimeStamp ?earliest }
} ORDER BY ?earliest ?event ?role""",
    "month-events": """SELECT ?event ?label ?earliest WHERE {
  ?event a sem:Event ; sem:hasEarliestBeginTimeStamp ?earliest ; sem:hasLatestEndTimeStamp ?latest .
  FILTER(?earliest >= "2021-03-01"^^xsd:date && ?latest < "2021-04-01"^^xsd:date)
  OPTIONAL { ?event skos:prefLabel ?label FILTER(LANG(?label) = "en") }
} ORDER BY ?earliest ?event""",
    # Claims about the same subject and predicate that differ, as a join: the seed's saved query
    # kb/queries/disagreements.rq. Its first form, a FILTER EXISTS that Oxigraph evaluated once
    # per claim over every claim, was quadratic (0.4 s at 1,000 events, 40 s at 10,000).
    "disagreements": """SELECT DISTINCT ?subject ?predicate ?object ?status ?claimant ?claim ?source WHERE {
  ?claim a tl:Claim ; rdf:subject ?subject ; rdf:predicate ?predicate ; rdf:object ?object ; tl:status ?status .
  ?other rdf:subject ?subject ; rdf:predicate ?predicate ; rdf:object ?otherObject ; tl:status ?otherStatus ;
         a tl:Claim .
  FILTER(?other != ?claim && (!sameTerm(?otherObject, ?object) || ?otherStatus != ?status))
  OPTIONAL { ?claim sem:accordingTo ?claimant }
  OPTIONAL { ?claim prov:wasDerivedFrom ?source }
} ORDER BY ?subject ?predicate ?object ?claim ?source""",
}
# The same questions, written as Oxigraph answers them fastest (docs/sparql.md, "Fast queries"):
# start from the pattern that names something and test the type with FILTER EXISTS (Oxigraph's
# planner starts from `?event a sem:Event`, every event, when it is written as a join); list a
# month's days rather than filter a range (there is no range index: a FILTER reads every date).
# tests/test_query.py checks that each gives the rows of its first form.
MARCH_2021 = " ".join(f'"2021-03-{day:02d}"^^xsd:date' for day in range(1, 32))
IDIOMS = {
    "actor-events-fast": """SELECT ?event ?role ?earliest WHERE {
  ?event ?role id:actor-7 .
  FILTER EXISTS { ?role rdfs:subPropertyOf* sem:hasActor }
  FILTER EXISTS { ?event a sem:Event }
  OPTIONAL { ?event sem:hasEarliestBeginTimeStamp ?earliest }
} ORDER BY ?earliest ?event ?role""",
    "month-events-fast": """SELECT ?event ?label ?earliest WHERE {
  VALUES ?earliest { %s }
  ?event sem:hasEarliestBeginTimeStamp ?earliest ; sem:hasLatestEndTimeStamp ?latest .
  FILTER(?latest < "2021-04-01"^^xsd:date)
  FILTER EXISTS { ?event a sem:Event }
  OPTIONAL { ?event skos:prefLabel ?label FILTER(LANG(?label) = "en") }
} ORDER BY ?earliest ?event""" % MARCH_2021,
}
SAME_ROWS = {"actor-events-fast": "actor-events", "month-events-fast": "month-events"}
SAVED = {"disagreements-saved": (ROOT / "kb" / "queries" / "disagreements.rq").read_text(encoding="utf-8")}
BUDGET_S = 5.0  # stop repeating a query once its runs add up to this


def rows(result) -> int:
    """Read a result to the end; return how many rows (or triples) it had."""
    if isinstance(result, bool):
        return 1
    n = 0
    for solution in result:
        for term in solution:
            _ = term.value if term is not None else None
        n += 1
    return n


def time_queries(kb_dir: str, repeat: int = 5, saved: bool = False) -> dict:
    """Load and derive once, then run each query up to `repeat` times after one cold run.

    `saved` adds the seed's saved disagreements query as shipped.
    """
    from builder import query as q
    start = time.perf_counter()
    kb, fatal = q.open_query_store(kb_dir)
    loaded = time.perf_counter() - start
    if fatal:
        raise SystemExit(f"{kb_dir}: the knowledge base has errors")
    out = {"load_and_derive_s": round(loaded, 3), "queries": {}}
    for name, text in {**QUERIES, **IDIOMS, **(SAVED if saved else {})}.items():
        times, n = [], 0
        while len(times) < repeat + 1 and (len(times) < 2 or sum(times) < BUDGET_S):
            t0 = time.perf_counter()
            n = rows(q.run(kb.store, text, kb.id_ns))
            times.append(time.perf_counter() - t0)
        warm = times[1:]
        out["queries"][name] = {"rows": n, "cold_ms": round(times[0] * 1000, 2), "runs": len(warm),
                                "best_ms": round(min(warm) * 1000, 2),
                                "median_ms": round(statistics.median(warm) * 1000, 2)}
    return out


if __name__ == "__main__":
    json.dump(time_queries(sys.argv[1], saved="--saved" in sys.argv[2:]), sys.stdout)
