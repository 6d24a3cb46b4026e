"""The lists of events, actors, places, sources and claims (`/events/` …): the model in, one table per list out.

Each list is a `ListTable`: its columns (a key the template names in the page's language, and
whether the column sorts as a number) and one `ListRow` per thing, in name order (the page
language's collation, builder/collation.py: the caller sorts the members), events in time order. A cell holds what it
shows (links, a formatted number, a date) and, for names, numbers and dates, the value the
sorting script (static/sortable.js) compares: the name's rank in name order, the plain number,
or the date's rank in time order, in Western digits whatever digits the page writes. The name
column sorts by that rank, not by the browser's collation, so that sorting by name gives back
the order the page was written in. Every count comes from the model's indexes (`incoming`,
`claims_by_actor`, `event_position`), never from a query per row.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..dates import sort_key
from ..model import Model
from ..namespaces import DCTERMS, PROV, SCHEMA, SEM
from .common import DateText, Ref, Text, date_text, format_number, ref
from .hierarchy import events_under
from .things import refs, value_view


@dataclass(frozen=True)
class Column:
    """A column of a list: its key (the template gives its heading) and how it sorts."""

    key: str
    numeric: bool = False  # sorted by the cells' `sort` values as numbers, not by their text
    rank: bool = False  # sorted by the cells' `sort` values, their rank in an order: names', dates'
    initial: bool = False  # the rows are written in this column's order (else in the name column's)


@dataclass(frozen=True)
class Cell:
    """One cell: links (or texts), a number, or a date; `sort` is what the script compares."""

    values: tuple[Ref | Text, ...] = ()
    number: str | None = None  # formatted in the page's digits
    date: DateText | None = None
    sort: str | None = None  # a plain number (Western digits), for numeric columns and the name column
    joiner: str = "list"  # "list": joined as the language joins a list; "statement": subject — predicate — object


@dataclass(frozen=True)
class ListRow:
    """One thing of a list: its cells, in the order of the columns."""

    iri: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class ListTable:
    """A sortable table of every thing of one kind (the first column is the name, sorted on)."""

    columns: tuple[Column, ...]
    rows: tuple[ListRow, ...]


def _name(model: Model, iri: str, rank: int, lang: str) -> Cell:
    """The name cell of a row: a link to the thing, sorted by its rank in name order."""
    return Cell((ref(model, iri, lang),), sort=str(rank))


def _count(n: int, lang: str, digits: str | None) -> Cell:
    return Cell(number=format_number(n, lang, digits), sort=str(n))


def _dated(model: Model, iris: list[str], lang: str, digits: str | None) -> dict[str, Cell]:
    """The date cell of each thing, its `sort` the date's rank among them in time order."""
    dated = sorted((i for i in iris if i in model.dates), key=lambda i: (sort_key(model.dates[i]), i))
    return {i: Cell(date=date_text(model, model.dates[i], lang, digits), sort=str(rank))
            for rank, i in enumerate(dated)}


def events_table(model: Model, members: list[str], lang: str, digits: str | None) -> ListTable:
    """Events: name, date, type, place, and how many actors, sources and claims each has; written
    in time order (the timeline's), the undated last, and sortable by any column."""
    names = {i: rank for rank, i in enumerate(members)}
    dates = _dated(model, members, lang, digits)
    ordered = sorted(members, key=lambda i: (model.event_position.get(i, len(names)), names[i]))
    rows = []
    for i in ordered:
        thing = model.things[i]
        actors = {o for p, o in thing.statements if p in model.actor_roles and isinstance(o, str)}
        rows.append(ListRow(i, (_name(model, i, names[i], lang), dates.get(i, Cell()),
                                Cell(refs(model, thing.iris(SEM + "eventType"), lang)),
                                Cell(refs(model, thing.iris(SEM + "hasPlace"), lang)),
                                _count(len(actors), lang, digits),
                                _count(len(thing.iris(PROV + "wasDerivedFrom")), lang, digits),
                                _count(len(model.claims_about.get(i, ())), lang, digits))))
    return ListTable((Column("event", rank=True), Column("date", rank=True, initial=True), Column("event_type"),
                      Column("event_place"), Column("actors_n", True), Column("sources_n", True),
                      Column("claims_about", True)), tuple(rows))


def actors_table(model: Model, members: list[str], lang: str, digits: str | None) -> ListTable:
    """Actors: name, type, events in any role, claims made."""
    events: dict[str, set[str]] = {}
    for iri in members:
        events[iri] = {s for p, s in model.incoming.get(iri, ()) if p in model.actor_roles and s in model.event_position}
    rows = tuple(ListRow(i, (_name(model, i, rank, lang),
                             Cell(refs(model, [t for t in model.things[i].types if t != SEM + "Actor"], lang)),
                             _count(len(events[i]), lang, digits),
                             _count(len(model.claims_by_actor.get(i, ())), lang, digits)))
                 for rank, i in enumerate(members))
    return ListTable((Column("actor", rank=True), Column("type"), Column("events", True),
                      Column("claims_made", True)), rows)


def _events_in(model: Model, iri: str) -> int:
    """How many events are at a place or any place within it, as the place's page lists them."""
    return sum(1 for s in events_under(model, iri, "place") if s in model.event_position)


def places_table(model: Model, members: list[str], lang: str, digits: str | None) -> ListTable:
    """Places: name, the places containing it, events there and within."""
    rows = tuple(ListRow(i, (_name(model, i, rank, lang),
                             Cell(refs(model, model.things[i].iris(SCHEMA + "containedInPlace"), lang)),
                             _count(_events_in(model, i), lang, digits)))
                 for rank, i in enumerate(members))
    return ListTable((Column("place", rank=True), Column("part_of"), Column("events_here", True)), rows)


def sources_table(model: Model, members: list[str], lang: str, digits: str | None) -> ListTable:
    """Sources: title, publisher, date issued, events and claims that cite it."""
    dates = _dated(model, members, lang, digits)
    rows = []
    for rank, i in enumerate(members):
        citing = {s for p, s in model.incoming.get(i, ()) if p == PROV + "wasDerivedFrom"}
        rows.append(ListRow(i, (_name(model, i, rank, lang),
                                Cell(refs(model, model.things[i].iris(DCTERMS + "publisher"), lang)),
                                dates.get(i, Cell()),
                                _count(sum(1 for s in citing if s in model.event_position), lang, digits),
                                _count(sum(1 for s in citing if s in model.claims), lang, digits))))
    return ListTable((Column("source", rank=True), Column("publisher"), Column("published", rank=True),
                      Column("events_reported", True), Column("claims_reported", True)), tuple(rows))


def claims_table(model: Model, members: list[str], lang: str, digits: str | None) -> ListTable:
    """Claims: the claim, its statement (subject, predicate, object as links), who, status, when, sources."""
    dates = _dated(model, members, lang, digits)
    rows = []
    for rank, i in enumerate(members):
        claim = model.claims.get(i)
        if claim is None:  # typed a claim but not one the model could unpack: listed by name only
            rows.append(ListRow(i, (_name(model, i, rank, lang), Cell(), Cell(), Cell(), dates.get(i, Cell()),
                                    Cell())))
            continue
        statement = (ref(model, claim.subject, lang) if claim.subject else Text("?"),
                     ref(model, claim.predicate, lang) if claim.predicate else Text("?"),
                     value_view(model, claim.object, lang, digits) if claim.object is not None else Text("?"))
        rows.append(ListRow(i, (_name(model, i, rank, lang), Cell(statement, joiner="statement"),
                                Cell(refs(model, claim.according_to, lang)),
                                Cell((ref(model, claim.status, lang),) if claim.status else ()),
                                dates.get(i, Cell()), Cell(refs(model, claim.sources, lang)))))
    return ListTable((Column("claim", rank=True), Column("statement"), Column("according_to"),
                      Column("status"),
                      Column("claimed_on", rank=True), Column("sources")), tuple(rows))


TABLES = {"event": events_table, "actor": actors_table, "place": places_table, "source": sources_table, "claim": claims_table}
