"""Deriving: the loaded store in, resolved dates and derived triples out.

Reads every written and relative date with bulk queries, hands them to `dates.resolve` (pure),
and writes what it derived (date bounds, corroboration counts, inverse links) into the store's
`tl:derived` graph, so that SPARQL sees it and the data dump can publish it as derived.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from . import dates, edtf, literals
from .engine import Engine, Lit
from .namespaces import DERIVED_GRAPH, EDTF_TYPE, PREFIXES, SEM, TIME, TL, XSD, all_prefixes, compact
from .problems import Problem

WEEKDAYS = {TIME + name: i for i, name in enumerate(
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])}
XSD_DATES = {XSD + t for t in ("date", "gYearMonth", "gYear", "dateTime")}


class LazyWhere:
    """Where a statement is written, looked up only when a problem asks (the index costs time)."""

    __slots__ = ("_locator", "_key", "_found")

    def __init__(self, locator: "Locator", key: tuple):
        self._locator, self._key, self._found = locator, key, None

    def _get(self) -> dates.Where:
        if self._found is None:
            self._found = self._locator.locate(*self._key)
        return self._found

    path = property(lambda self: self._get().path)
    line = property(lambda self: self._get().line)
    column = property(lambda self: self._get().column)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LazyWhere) and other._key == self._key

    def __hash__(self) -> int:
        return hash(self._key)


@dataclass(frozen=True)
class Locator:
    """Finds where a statement is written: positions index first, else the file of its graph."""

    positions: object | None
    graph_files: Mapping[str, str]

    def where(self, graph: str, subject: str, predicate: str | None = None, obj: str | None = None) -> LazyWhere:
        """The place of a statement, found when first read."""
        return LazyWhere(self, (graph, subject, predicate, obj))

    def locate(self, graph: str, subject: str, predicate: str | None = None, obj: str | None = None) -> dates.Where:
        """Look up the best-known place of a statement now."""
        if self.positions is not None:
            found = self.positions.where(subject, predicate, obj, graphs=[graph])
            if found is None and obj is not None:
                found = self.positions.where(subject, predicate, None, graphs=[graph])
            if found is not None:
                return dates.Where(found.path, found.line, found.column)
        return dates.Where(self.graph_files.get(graph, graph), 0, 0)


def parse_date_literal(lit: Lit) -> edtf.EDTF:
    """Parse a written date of any accepted datatype (raises EDTFError)."""
    if lit.datatype == EDTF_TYPE:
        return edtf.parse_edtf(lit.value)
    if lit.datatype in XSD_DATES:
        return edtf.parse_xsd(lit.value, lit.datatype)
    raise edtf.EDTFError(f"a date must be typed edtf:EDTF (or xsd:date, xsd:gYearMonth, xsd:gYear), not {lit.datatype}")


DAY_TIME_DURATION = XSD + "dayTimeDuration"


def _offset(lit: object, where: dates.Where, problems: list[Problem]) -> int | None | bool:
    """The offset in days; None when there is none; False when it is left out for an error the
    shapes or the literal checks report (not an xsd:dayTimeDuration, or an ill-formed one)."""
    if lit is None:
        return None
    if not isinstance(lit, Lit) or lit.datatype != DAY_TIME_DURATION or literals.problem_with(lit.value, lit.datatype):
        return False
    try:
        return dates.parse_duration_days(lit.value)
    except ValueError as exc:
        problems.append(Problem(where.path, where.line, where.column, "error", "bad-offset", str(exc),
                                'offsets are whole days typed xsd:dayTimeDuration: "P1D", "-P2D", "P0D"'))
        return None


def _relative_key(rel: dates.Relative) -> tuple:
    """What a relative date says, as a sort key (an absent offset before any number)."""
    def n(value: int | None) -> tuple:
        return (value is not None, value or 0)
    return (rel.anchor, n(rel.offset), n(rel.earliest_offset), n(rel.latest_offset), n(rel.weekday), rel.phrases)


def _anchored_to_wrong_kind(engine: Engine) -> set[str]:
    """Things with a relative date counting from a described thing that is no event, claim, source
    or measurement (an actor, a place): the shapes report the anchor, so their date is left out."""
    allowed = {c for (c,) in engine.rows("anchor_classes")} | {SEM + "Event", TL + "Claim",
                                                               "http://www.w3.org/ns/prov#Entity", TL + "Quantity"}
    types: dict[tuple[str, str], set] = defaultdict(set)
    for thing, anchor, kind in engine.rows("anchors_of_wrong_kind"):
        types[(thing, anchor)].add(kind)
    out = set()
    for (thing, anchor), kinds in types.items():
        if kinds & allowed:
            continue
        if kinds - {None} or next(iter(engine.store.quads_for_pattern(ox.NamedNode(anchor), None, None)), None):
            out.add(thing)
    return out


def collect_inputs(engine: Engine, locator: Locator) -> tuple[dict[str, dates.DateInput], list[Problem]]:
    """Gather every dated thing's written dates, relative dates and sources."""
    problems: list[Problem] = []
    written: dict[str, list] = defaultdict(list)
    broken: set[str] = set()  # things with a date left out for a problem reported here
    for thing, prop, value, graph in engine.rows("date_literals"):
        if not isinstance(value, Lit):
            broken.add(thing)  # an IRI as a date: the shapes report it, once
            continue
        where = locator.where(graph, thing, prop, value.value)
        try:
            written[thing].append((parse_date_literal(value), where))
        except edtf.EDTFError as exc:
            broken.add(thing)
            problems.append(Problem(where.path, where.line, where.column, "error", "bad-date",
                                    f"{value.value!r} is not a valid date: {exc}"))
    phrases: dict[str, list] = defaultdict(list)
    for node, phrase in engine.rows("phrases"):
        phrases[node].append((phrase.lang, phrase.value))
    relatives: dict[str, list] = defaultdict(list)
    rows = engine.rows("relative_dates")
    per_node = defaultdict(int)
    for row in rows:
        per_node[row[1]] += 1
    for thing, node, anchor, off, lo, hi, wd, graph in rows:
        if per_node[node] > 1:  # two anchors, or two of one offset: the shapes say so, once
            broken.add(thing)
            continue
        where = locator.where(graph, thing, TL + "relativeDate")
        weekday = WEEKDAYS.get(wd) if isinstance(wd, str) else None
        if wd is not None and weekday is None:
            broken.add(thing)  # left out, reported once: not again as a relative date with no offset
            problems.append(Problem(where.path, where.line, where.column, "error", "bad-weekday",
                                    f"time:dayOfWeek must be one of time:Monday … time:Sunday, not {wd}"))
            continue
        if not isinstance(node, str) or (anchor is not None and not isinstance(anchor, str)):
            broken.add(thing)  # a literal as the relative date or as its anchor: the shapes say so, once
            continue
        if anchor is None:
            broken.add(thing)
            problems.append(Problem(where.path, where.line, where.column, "error", "missing-anchor",
                                    "a relative date needs tl:anchor (the event, claim or source it counts from)"))
            continue
        before = len(problems)
        offsets = [_offset(v, where, problems) for v in (off, lo, hi)]
        if len(problems) > before or any(o is False for o in offsets):
            broken.add(thing)
            continue  # a bad offset is reported once; the relative date is left out
        relatives[thing].append(dates.Relative(
            anchor=anchor, offset=offsets[0], earliest_offset=offsets[1], latest_offset=offsets[2], weekday=weekday,
            phrases=tuple(sorted(phrases.get(node, ()))), where=where))
    broken.update(thing for (thing,) in engine.rows("undated_required"))  # missing-date says it once
    broken.update(_anchored_to_wrong_kind(engine))  # bad-anchor says it once
    sources: dict[str, list[str]] = defaultdict(list)
    for thing, source in engine.rows("derived_from"):
        sources[thing].append(source)
    # in an order of their own, not the store's: a store loaded otherwise (from an endpoint, its
    # blank nodes named anew) lists them otherwise, and the first is the one a page shows
    for found in relatives.values():
        found.sort(key=_relative_key)
    inputs = {}
    for iri in sorted(set(written) | set(relatives) | broken):
        first = (written.get(iri) or [(None, relatives[iri][0].where if relatives.get(iri) else None)])[0][1]
        inputs[iri] = dates.DateInput(iri=iri, written=tuple(written.get(iri, ())),
                                      relatives=tuple(relatives.get(iri, ())),
                                      sources=tuple(sorted(sources.get(iri, ()))), where=first,
                                      broken=iri in broken)
    return inputs, problems


def date_triples(resolved: Mapping[str, dates.Resolved]) -> list[ox.Quad]:
    """The derived date bounds as sem: timestamps in the derived graph."""
    graph = ox.NamedNode(DERIVED_GRAPH)
    xsd_date = ox.NamedNode(XSD + "date")
    out = []
    for iri, r in sorted(resolved.items()):
        if iri.startswith("_:"):
            continue
        s = ox.NamedNode(iri)
        if r.earliest is not None:
            out.append(ox.Quad(s, ox.NamedNode(SEM + "hasEarliestBeginTimeStamp"),
                               ox.Literal(edtf.xsd_date(r.earliest), datatype=xsd_date), graph))
        if r.latest is not None:
            out.append(ox.Quad(s, ox.NamedNode(SEM + "hasLatestEndTimeStamp"),
                               ox.Literal(edtf.xsd_date(r.latest), datatype=xsd_date), graph))
        if r.earliest is not None and r.earliest == r.latest:
            out.append(ox.Quad(s, ox.NamedNode(SEM + "hasTimeStamp"),
                               ox.Literal(edtf.xsd_date(r.earliest), datatype=xsd_date), graph))
    return out


def _described_at(locator: Locator, iri: str) -> dates.Where | None:
    """Where a thing is first written as a subject, if the positions index knows."""
    found = locator.positions.where(iri) if locator.positions is not None else None
    return dates.Where(found.path, found.line, found.column) if found is not None else None


def resolve_dates(engine: Engine, locator: Locator, id_ns: str = "") -> tuple[dict[str, dates.Resolved], list[Problem]]:
    """Collect and resolve every date; return the resolved intervals and the problems."""
    inputs, problems = collect_inputs(engine, locator)
    described = {row[0] for row in engine.rows("subjects")}
    prefixes = all_prefixes(id_ns) if id_ns else PREFIXES
    resolved, more = dates.resolve(inputs, described=described, short=lambda iri: compact(iri, prefixes),
                                   locate=lambda iri: _described_at(locator, iri))
    return resolved, problems + more


def add_derived(store: ox.Store, quads: list[ox.Quad]) -> None:
    """Replace the derived graph with these quads."""
    graph = ox.NamedNode(DERIVED_GRAPH)
    if store.contains_named_graph(graph):
        store.clear_graph(graph)
    store.extend(quads)
