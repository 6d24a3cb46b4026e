"""Views of one thing's page: events, actors, places, sources, claims, quantities, concepts, terms."""
from __future__ import annotations

from dataclasses import dataclass, replace

from ..collation import sort_key as name_key
from ..dates import sort_key
from ..engine import Lit
from ..model import Model, Thing
from ..pagecache import shared_part
from ..namespaces import DCTERMS, OWL, PROV, RDF, RDFS, SCHEMA, SEM, SKOS, TL
from .client import entry_attributes
from .common import (LABEL_PROPS, DateText, Ref, Text, date_text, format_number, label, label_ref, literal_text,
                     original_language, pick, ref, statement_text)

# Predicates that a page shows in a section of its own (the rest go in "Other statements").
SHOWN = set(LABEL_PROPS) | {
    RDF + "type", SKOS + "altLabel", DCTERMS + "date", DCTERMS + "issued", DCTERMS + "description",
    TL + "relativeDate", TL + "quote", SEM + "eventType", SEM + "hasPlace", SEM + "subEventOf",
    PROV + "wasDerivedFrom", OWL + "sameAs", SKOS + "exactMatch", TL + "fatalities", TL + "fatalitiesLow",
    TL + "fatalitiesHigh", TL + "fatalitiesOf", RDF + "subject", RDF + "predicate", RDF + "object",
    SEM + "accordingTo", TL + "status", TL + "supersedes", SCHEMA + "url", SCHEMA + "archivedAt",
    DCTERMS + "publisher", DCTERMS + "language", DCTERMS + "creator", TL + "sourceCount", TL + "sourcing",
    SCHEMA + "latitude", SCHEMA + "longitude", TL + "geoPrecision", SCHEMA + "containedInPlace",
    SCHEMA + "value", SCHEMA + "unitText", TL + "approximate", TL + "quantityOf", TL + "location",
    SKOS + "broader", SKOS + "inScheme", SKOS + "topConceptOf", SKOS + "definition", RDFS + "comment",
    SCHEMA + "memberOf", TL + "partOf", SCHEMA + "jobTitle",
}


@dataclass(frozen=True)
class Statement:
    """One predicate of a thing and its values, each a link or text."""

    predicate: Ref
    values: tuple


@dataclass(frozen=True)
class Relay:
    """A source relayed, with the sources it relays in turn: a reporting chain is a tree (a data
    set's record relays two articles, each relaying its own original)."""

    source: Ref
    relays: tuple["Relay", ...]


@dataclass(frozen=True)
class SourceView:
    """A source as cited: link, its reporting chain upward, unnamed-source wording."""

    source: Ref
    chain: tuple[Relay, ...]  # the sources it relays, each with its own
    sourcing: Text | None
    count: str | None  # in the page's digits
    publisher: Ref | None
    count_n: int | None = None  # the same count as a number, to choose the plural form


@dataclass(frozen=True)
class ClaimRow:
    """One claim in a table of claims about the same thing and predicate."""

    claim: Ref
    value: object  # Ref or Text
    by: tuple[Ref, ...]
    status: Ref | None
    status_key: str
    date: DateText | None
    sources: tuple[SourceView, ...]
    quote: tuple[Text, ...]
    superseded_by: tuple[Ref, ...]
    supersedes: tuple[Ref, ...]


@dataclass(frozen=True)
class ClaimGroup:
    """Every claim about one subject and predicate; `differ` marks a disagreement."""

    subject: Ref
    predicate: Ref
    rows: tuple[ClaimRow, ...]
    asserted: tuple
    differ: bool
    more: int = 0  # claims of the group left out of this page (its subject's page shows them all)
    more_text: str = ""  # that number in the page's digits


@shared_part
@dataclass(frozen=True)
class TimelineEntry:
    """An event in a list: date, label, type, place, actors, disagreement mark."""

    event: Ref
    date: DateText | None
    types: tuple[Ref, ...]
    places: tuple[Ref, ...]
    actors: tuple[Ref, ...]
    role: Ref | None
    disputed: bool
    corroboration: int
    iri: str
    data: tuple[tuple[str, str], ...] = ()  # data-* attributes for the widgets (views/client.py)


def value_view(model: Model, value, lang: str, digits: str | None):
    """A statement's object as a link (IRI) or text (literal)."""
    if isinstance(value, Lit):
        return statement_text(value, lang, digits)
    if value.startswith("_:"):
        return Text("[" + "; ".join(f"{label(model, p, lang).text}: {v.value if isinstance(v, Lit) else label(model, v, lang).text}"
                                   for p, v in model.blanks.get(value, ())) + "]")
    return ref(model, value, lang)


def refs(model: Model, iris, lang: str) -> tuple[Ref, ...]:
    """References to several things, in a stable order."""
    return tuple(ref(model, i, lang) for i in sorted(set(iris)))


def texts(lits: list[Lit], original: str | None = None) -> tuple[Text, ...]:
    """Literals as texts, original language first: `original` (the language of the sources, for
    quotes) where given, else Arabic."""
    def key(x: Lit) -> tuple:
        own = bool(original) and (x.lang or "").split("-")[0].lower() == original
        return not own, x.lang != "ar", x.lang, x.value
    return tuple(Text(x.value, x.lang) for x in sorted(lits, key=key))


def other_statements(model: Model, thing: Thing, lang: str, digits: str | None) -> tuple[Statement, ...]:
    """Statements no section of the page shows: nothing is ever hidden."""
    grouped: dict[str, list] = {}
    for p, o in thing.statements:
        if p not in SHOWN and p not in model.actor_roles:
            grouped.setdefault(p, []).append(value_view(model, o, lang, digits))
    return tuple(Statement(label_ref(model, p, lang), tuple(v)) for p, v in sorted(grouped.items()))


def backlinks(model: Model, iri: str, lang: str) -> tuple[Statement, ...]:
    """What links here, grouped by relation, in an order a reader can scan: the relations by
    name, and in each the events in the timeline's order, then the other things by name (the
    page language's collation; the IRI breaks ties, so the order is always the same)."""
    grouped: dict[str, set[str]] = {}
    for p, s in model.incoming.get(iri, []):
        if s in model.things:
            grouped.setdefault(p, set()).add(s)
    position = model.event_position

    def thing_order(s: str) -> tuple:
        if s in position:
            return (0, position[s], (), s)
        return (1, 0, name_key(label(model, s, lang).text, lang), s)

    relations = sorted(((label_ref(model, p, lang), p, ss) for p, ss in grouped.items()),
                       key=lambda r: (name_key(r[0].text, lang), r[1]))
    return tuple(Statement(r, tuple(ref(model, s, lang) for s in sorted(ss, key=thing_order)))
                 for r, _, ss in relations)


def source_view(model: Model, iri: str, lang: str, digits: str | None) -> SourceView:
    """A cited source with the chain it relays, every branch up to its roots."""
    chain = relays(model, iri, lang)
    thing = model.things.get(iri)
    sourcing = pick(thing.literals(TL + "sourcing"), lang, model.languages) if thing else None
    count = thing.first_literal(TL + "sourceCount") if thing else None
    publisher = thing.iris(DCTERMS + "publisher") if thing else []
    return SourceView(ref(model, iri, lang), tuple(chain), Text(sourcing.value, sourcing.lang) if sourcing else None,
                      literal_text(count, lang, digits).text if count else None,
                      ref(model, publisher[0], lang) if publisher else None,
                      int(count.value) if count and count.value.strip().isdigit() else None)


MAX_RELAYS = 64  # sources shown in one chain at most: past it, a branch stops at its source


def relays(model: Model, iri: str, lang: str) -> tuple[Relay, ...]:
    """The sources a source relays, each with those it relays, to their roots (made once per
    source and language: a source is cited on many pages). A source already on the way up is
    not followed again (a cycle, which the checker reports)."""
    memo = model.memo("relays")
    found = memo.get((iri, lang))
    if found is None:
        budget = [MAX_RELAYS]
        found = memo[(iri, lang)] = _relays(model, iri, lang, frozenset({iri}), budget)
    return found


def _relays(model: Model, iri: str, lang: str, above: frozenset, budget: list) -> tuple[Relay, ...]:
    thing = model.things.get(iri)
    out = []
    for parent in sorted(set(thing.iris(PROV + "wasDerivedFrom")) if thing else ()):
        if parent in above or budget[0] <= 0:
            continue
        budget[0] -= 1
        out.append(Relay(ref(model, parent, lang), _relays(model, parent, lang, above | {parent}, budget)))
    return tuple(out)


def claim_row(model: Model, claim_iri: str, lang: str, digits: str | None) -> ClaimRow:
    """One claim as a row: value, who, status, when, source."""
    claim = model.claims[claim_iri]
    thing = model.things.get(claim_iri)
    value = value_view(model, claim.object, lang, digits) if claim.object is not None else Text("?")
    status = claim.status.rsplit("#", 1)[-1] if claim.status else ""
    return ClaimRow(ref(model, claim_iri, lang), value, refs(model, claim.according_to, lang),
                    ref(model, claim.status, lang) if claim.status else None, status,
                    date_text(model, model.dates.get(claim_iri), lang, digits),
                    tuple(source_view(model, s, lang, digits) for s in claim.sources),
                    texts(thing.literals(TL + "quote"), original_language(model, claim_iri)) if thing else (),
                    refs(model, model.superseded_by.get(claim_iri, ()), lang), refs(model, claim.supersedes, lang))


MAX_BESIDE = 20  # claims of a group shown on a page other than their subject's: past it, a count and a link


def _beside(claim_iris: list[str], keep: frozenset) -> list[str]:
    """The claims of a group a page other than their subject's shows: those it is about (`keep`),
    and the first others, up to MAX_BESIDE in all. (Every claim's page showing every other claim
    on its subject made the claims of one subject cost the square of their number.)"""
    room = max(0, MAX_BESIDE - sum(c in keep for c in claim_iris))
    chosen = keep | frozenset([c for c in claim_iris if c not in keep][:room])
    return [c for c in claim_iris if c in chosen]


def claim_groups(model: Model, subject: str, lang: str, digits: str | None,
                 predicates: set[str] | None = None, keep: frozenset | None = None) -> tuple[ClaimGroup, ...]:
    """Claims about a subject grouped by predicate (only these predicates, if given; "" for none),
    side by side, with what the KB itself asserts. On another page than the subject's (`keep`
    given: the claims that page is about), a group shows at most MAX_BESIDE claims and counts the
    rest."""
    by_pred: dict[str, list[str]] = {}
    for c in model.claims_about.get(subject, []):
        pred = model.claims[c].predicate or ""
        if predicates is None or pred in predicates:
            by_pred.setdefault(pred, []).append(c)
    subject_thing = model.things.get(subject)
    groups = []
    for pred, claim_iris in sorted(by_pred.items()):
        shown = claim_iris if keep is None else _beside(claim_iris, keep)
        more = len(claim_iris) - len(shown)
        rows = tuple(claim_row(model, c, lang, digits) for c in shown)
        asserted = subject_thing.values(pred) if subject_thing and pred else []
        differ = (subject, pred) in model.disputed
        groups.append(ClaimGroup(ref(model, subject, lang), ref(model, pred, lang) if pred else Ref("?"), rows,
                                 tuple(value_view(model, a, lang, digits) for a in asserted), differ,
                                 more, format_number(more, lang, digits)))
    return tuple(groups)


def naming_groups(model: Model, iri: str, lang: str, digits: str | None) -> tuple[ClaimGroup, ...]:
    """The claims whose statement names this thing as its object, each with the other claims
    about the same subject and predicate beside it (who else is said to have done it), except
    those about the thing itself (its page shows them as claims about it)."""
    wanted: dict[str, set[str]] = {}
    naming = frozenset(model.claims_naming.get(iri, ()))
    for c in naming:
        claim = model.claims[c]
        if claim.subject and claim.subject != iri:
            wanted.setdefault(claim.subject, set()).add(claim.predicate or "")
    return tuple(g for subject in sorted(wanted)
                 for g in claim_groups(model, subject, lang, digits, wanted[subject], naming))


def is_disputed(model: Model, iri: str) -> bool:
    """True when claims about the thing disagree."""
    return iri in model.disputed_subjects


def timeline_entry(model: Model, iri: str, lang: str, digits: str | None, role: str | None = None) -> TimelineEntry:
    """An event as one entry of a timeline (made once per language and role: it appears on many pages)."""
    memo = model.memo("timeline_entry")
    key = (iri, lang, digits, role)
    entry = memo.get(key)
    if entry is None:
        if role:  # an actor's timeline: the event's entry, made once for every page, with the role
            entry = replace(timeline_entry(model, iri, lang, digits), role=ref(model, role, lang))
        else:
            entry = _timeline_entry(model, iri, lang, digits)
        memo[key] = entry
    return entry


def _timeline_entry(model: Model, iri: str, lang: str, digits: str | None) -> TimelineEntry:
    thing = model.things[iri]
    actors = [o for p, o in thing.statements if p in model.actor_roles and isinstance(o, str)]
    return TimelineEntry(ref(model, iri, lang), date_text(model, model.dates.get(iri), lang, digits),
                         refs(model, thing.iris(SEM + "eventType"), lang), refs(model, thing.iris(SEM + "hasPlace"), lang),
                         refs(model, actors, lang), None,
                         bool(model.claims_about.get(iri)) and is_disputed(model, iri),
                         model.corroboration.get(iri, 0), iri, entry_attributes(model, iri, lang))


def timeline(model: Model, iris, lang: str, digits: str | None, roles: dict[str, str] | None = None) -> tuple:
    """Events in time order as timeline entries."""
    dated = [i for i in set(iris) if i in model.dates and i in model.things]
    dated.sort(key=lambda i: sort_key(model.dates[i]))
    return tuple(timeline_entry(model, i, lang, digits, (roles or {}).get(i)) for i in dated)
