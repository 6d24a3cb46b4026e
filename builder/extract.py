"""Extracting: the store (asserted + vocabulary graphs) and resolved dates in, a `Model` out.

A few bulk queries (`builder/queries/*.rq`), then grouping in Python: every statement once,
indexed by subject and by object, so every page can show its statements and what links to it.
"""
from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Mapping

from . import dates as dates_mod
from .engine import Engine, Lit
from .model import Claim, Model, Thing
from .descriptions import link_targets
from .namespaces import DCTERMS, PROV, RDF, SCHEMA, SEM, SKOS, TL

KIND_TYPES = {
    "event": {SEM + "Event", SCHEMA + "Event"},
    "actor": {SEM + "Actor", SCHEMA + "Person", SCHEMA + "Organization", SCHEMA + "NewsMediaOrganization",
              SCHEMA + "GovernmentOrganization"},
    "place": {SEM + "Place", SCHEMA + "City", SCHEMA + "Airport", SCHEMA + "Place", SCHEMA + "Country",
              SCHEMA + "AdministrativeArea"},
    "source": {PROV + "Entity", SCHEMA + "NewsArticle", SCHEMA + "CreativeWork", SCHEMA + "Report"},
    "claim": {TL + "Claim"},
    "quantity": {TL + "Quantity"},
    "concept": {SKOS + "Concept", SKOS + "ConceptScheme"},
}
COUNTRY_OF_EITHER = {SCHEMA + "Country"}  # an actor's type and a place's


def kinds_of(types: set[str], iri: str) -> frozenset[str]:
    """The page kinds a thing belongs to, from its rdf:types."""
    kinds = {k for k, ts in KIND_TYPES.items() if types & ts}
    # kb-format gives schema:Country to actors (beside sem:Actor) and to places (beside
    # sem:Place): beside sem:Actor alone it says what kind of actor, and makes no place
    if "place" in kinds and SEM + "Actor" in types and not types & (KIND_TYPES["place"] - COUNTRY_OF_EITHER):
        kinds.discard("place")
    if "claim" in kinds or "quantity" in kinds:
        kinds -= {"source"}
    if iri.startswith(TL):
        kinds.add("term")
    return frozenset(kinds or {"thing"})


def _index_statements(engine: Engine) -> tuple[dict, dict, dict, dict]:
    by_subject: dict[str, list] = defaultdict(list)
    graphs: dict[str, str] = {}
    incoming: dict[str, list] = defaultdict(list)
    blanks: dict[str, list] = defaultdict(list)
    for s, p, o, g in engine.rows("statements"):
        if s.startswith("_:"):
            blanks[s].append((p, o))
            continue
        by_subject[s].append((p, o))
        graphs.setdefault(s, g)
        if isinstance(o, str) and p != RDF + "type":
            incoming[o].append((p, s))
    return by_subject, graphs, incoming, blanks


def _claims(engine: Engine, by_subject: Mapping[str, list]) -> dict[str, Claim]:
    rows: dict[str, dict] = {}
    for claim, s, p, o, by, status in engine.rows("claims"):
        row = rows.setdefault(claim, {"s": s, "p": p, "o": o, "by": set(), "status": status})
        if by:
            row["by"].add(by)
    out = {}
    for iri, row in sorted(rows.items()):
        stmts = by_subject.get(iri, [])
        out[iri] = Claim(iri=iri, subject=row["s"], predicate=row["p"], object=row["o"],
                         according_to=tuple(sorted(row["by"])), status=row["status"],
                         sources=tuple(sorted(o for p, o in stmts if p == PROV + "wasDerivedFrom")),
                         supersedes=tuple(sorted(o for p, o in stmts if p == TL + "supersedes")))
    return out


def disagreements(things: Mapping[str, Thing], claims: Mapping[str, Claim],
                  superseded_by: Mapping[str, list[str]]) -> frozenset[tuple[str, str]]:
    """The (subject, predicate) pairs on which live claims, or a claim and the KB itself, differ."""
    groups: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for claim in claims.values():
        if claim.subject and not superseded_by.get(claim.iri):
            groups[(claim.subject, claim.predicate or "")].append(claim)
    out = set()
    for (subject, pred), live in groups.items():
        asserted = things[subject].values(pred) if subject in things and pred else []
        objects = {str(c.object) for c in live} | {str(a) for a in asserted}
        statuses = {c.status for c in live}
        if len(objects) > 1 or len(statuses) > 1 or statuses & {TL + "Denied", TL + "Disputed"}:
            out.add((subject, pred))
    return frozenset(out)


def _relayed(source: str, by_subject: Mapping[str, list]) -> list[str]:
    return [o for p, o in by_subject.get(source, []) if p == PROV + "wasDerivedFrom" and isinstance(o, str)]


def _roots(source: str, by_subject: Mapping[str, list], memo: dict[str, frozenset[str]]) -> frozenset[str]:
    """The roots of a source's reporting chain: the sources it relays that relay nothing further.

    Kept in `memo` for every source whose chain was walked to its roots, so that a chain is walked
    once, not once from each of its sources (a chain of N relays cited one source each: N² steps;
    4,000 took 10.8 s). A chain with a cycle (the checker reports it) is walked on its own."""
    found = memo.get(source)
    if found is not None:
        return found
    stack, walking = [(source, False)], set()  # depth first; `walking`: the sources on the way down
    while stack:
        current, done = stack.pop()
        if current in memo:
            continue
        parents = _relayed(current, by_subject)
        if done:
            walking.discard(current)
            memo[current] = frozenset().union(*(memo[o] for o in parents)) if parents else frozenset({current})
            continue
        walking.add(current)
        stack.append((current, True))
        for o in parents:
            if o in walking:
                return frozenset(_walk_roots(source, by_subject))
            if o not in memo:
                stack.append((o, False))
    return memo[source]


def _walk_roots(source: str, by_subject: Mapping[str, list]) -> set[str]:
    """_roots, by walking the whole chain (where it has a cycle)."""
    roots: set[str] = set()
    stack, seen = [source], {source}
    while stack:
        current = stack.pop()
        parents = _relayed(current, by_subject)
        if not parents:
            roots.add(current)
        fresh = [o for o in parents if o not in seen]  # a source two articles relay is walked once,
        seen.update(fresh)                             # and neither article is a root for it
        stack.extend(fresh)
    return roots


def _origins(iri: str, by_subject: Mapping[str, list], memo: dict[str, frozenset[str]] | None = None) -> set[str]:
    """The independent origins behind a thing: the first-hand sources its cited sources relay,
    each counted once.

    Cited sources whose chains meet (one relays the other, or both relay a third) share their
    origins. A chain that leads back to one first-hand source is one origin, named by the cited
    source when it alone leads there (a relay that also reports first-hand stays visible as what
    was cited), else by that first-hand source. A chain that leads back to several (a data set's
    record coded from two articles, one relaying SOHR and one VDC) is as many origins, named by
    them: relaying them together does not make them one.
    """
    cited = sorted(set(_relayed(iri, by_subject)))
    groups: list[tuple[set[str], set[str]]] = []  # (cited members, roots)
    memo = {} if memo is None else memo
    for source in cited:
        roots = _roots(source, by_subject, memo)
        merged = [g for g in groups if g[1] & roots]
        members, all_roots = {source}, set(roots)
        for g in merged:
            members |= g[0]
            all_roots |= g[1]
            groups.remove(g)
        groups.append((members, all_roots))
    out: set[str] = set()
    for members, roots in groups:
        if len(roots) > 1:
            out |= roots
        else:
            out.add(next(iter(members)) if len(members) == 1 else min(roots))
    return out


def _description_links(things: Mapping[str, Thing], id_ns: str,
                       incoming: dict[str, list]) -> dict[str, tuple[str, ...]]:
    """The things each thing's descriptions link to (any language), each recorded as linking to
    them by dcterms:description in `incoming`, so their pages list it under "what links here"."""
    out = {}
    for iri, thing in things.items():
        found = [t for lit in thing.literals(DCTERMS + "description") for t in link_targets(lit.value, id_ns)]
        if not found:
            continue
        out[iri] = tuple(dict.fromkeys(found))
        incoming_here = [(DCTERMS + "description", iri)]
        for linked in out[iri]:
            if linked != iri and linked in things:
                incoming[linked] += incoming_here
    return out


def extract(engine: Engine, id_ns: str, languages: tuple[str, ...],
            resolved: Mapping[str, dates_mod.Resolved]) -> Model:
    """Build the model from the store and the resolved dates.

    The cycle collector is paused meanwhile: the model is millions of objects made here that live
    to the end of the build, and no cycle among what is made and dropped on the way needs it
    (reference counts free those). Walking them over and over was a quarter of the time: at
    100,000 events 21.0 s -> 15.4 s, at 10,000 1.49 -> 1.25 s, with the build's thresholds.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        return _extract(engine, id_ns, languages, resolved)
    finally:
        if paused:
            gc.enable()


def _extract(engine: Engine, id_ns: str, languages: tuple[str, ...],
             resolved: Mapping[str, dates_mod.Resolved]) -> Model:
    by_subject, graphs, incoming, blanks = _index_statements(engine)
    things: dict[str, Thing] = {}
    for iri, stmts in by_subject.items():
        if not (iri.startswith(id_ns) or iri.startswith(TL)):
            continue
        types = {o for p, o in stmts if p == RDF + "type" and isinstance(o, str)}
        things[iri] = Thing(iri=iri, kinds=kinds_of(types, iri), types=tuple(sorted(types)),
                            statements=tuple(sorted(stmts, key=lambda po: (po[0], str(po[1])))),
                            graph=graphs[iri])
    claims = _claims(engine, by_subject)
    description_links = _description_links(things, id_ns, incoming)
    claims_about: dict[str, list[str]] = defaultdict(list)
    superseded_by: dict[str, list[str]] = defaultdict(list)
    for claim in claims.values():
        if claim.subject:
            claims_about[claim.subject].append(claim.iri)
        for old in claim.supersedes:
            superseded_by[old].append(claim.iri)
    roles = frozenset(r[0] for r in engine.rows("subproperties")) | {SEM + "hasActor"}
    events = [i for i, t in things.items() if "event" in t.kinds and i in resolved]
    events.sort(key=lambda i: dates_mod.sort_key(resolved[i]))
    chains: dict[str, frozenset[str]] = {}  # each source's roots, walked once
    origins = {i: tuple(sorted(_origins(i, by_subject, chains))) for i, t in things.items()
               if t.kinds & {"event", "claim", "quantity"}}
    return Model(id_ns=id_ns, languages=languages, things=things,
                 incoming={k: sorted(set(v)) for k, v in incoming.items()},
                 blanks={k: tuple(sorted(v, key=lambda po: (po[0], str(po[1])))) for k, v in blanks.items()},
                 dates=dict(resolved), claims=claims, claims_about={k: sorted(v) for k, v in claims_about.items()},
                 actor_roles=roles, events=events, superseded_by={k: sorted(v) for k, v in superseded_by.items()},
                 corroboration={i: len(o) for i, o in origins.items()}, origins=origins,
                 description_links=description_links,
                 disputed=disagreements(things, claims, superseded_by))
