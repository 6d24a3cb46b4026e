"""The model: frozen dataclasses that the views read. No RDF term types, no queries.

`Thing` is one described IRI with its statements; `Model` indexes every thing, the statements
pointing at it ("what links here"), blank-node details, the resolved dates and the claims.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .dates import Resolved
from .engine import Lit

Value = str | Lit  # an IRI (or "_:" blank node) or a literal


@dataclass(frozen=True)
class Thing:
    """One subject of the knowledge base (or vocabulary) and what it states."""

    iri: str
    kinds: frozenset[str]  # event, actor, place, source, claim, quantity, concept, term, thing
    types: tuple[str, ...]
    statements: tuple[tuple[str, Value], ...]  # (predicate, object), sorted
    graph: str  # file URI of (the first) graph that describes it

    def _by_predicate(self) -> dict[str, tuple[tuple[str, ...], tuple[Lit, ...]]]:
        """Its IRI and literal objects by predicate, made when first asked for (views ask for the
        same few predicates of a thing on every page that mentions it)."""
        found = self.__dict__.get("_objects")
        if found is None:
            grouped: dict[str, tuple[list, list]] = {}
            for p, o in self.statements:
                grouped.setdefault(p, ([], []))[0 if isinstance(o, str) else 1].append(o)
            found = {p: (tuple(i), tuple(lits)) for p, (i, lits) in grouped.items()}
            object.__setattr__(self, "_objects", found)
        return found

    def values(self, predicate: str) -> list[Value]:
        """Every object of one predicate."""
        return [o for p, o in self.statements if p == predicate]

    def iris(self, predicate: str) -> list[str]:
        """Every IRI object of one predicate."""
        found = self._by_predicate().get(predicate)
        return list(found[0]) if found else []

    def literals(self, predicate: str) -> list[Lit]:
        """Every literal object of one predicate."""
        found = self._by_predicate().get(predicate)
        return list(found[1]) if found else []

    def first_literal(self, predicate: str) -> Lit | None:
        found = self.literals(predicate)
        return found[0] if found else None


@dataclass(frozen=True)
class Claim:
    """A claim node, unpacked: who says that subject–predicate–object, with what status."""

    iri: str
    subject: str | None
    predicate: str | None
    object: Value | None
    according_to: tuple[str, ...]
    status: str | None
    sources: tuple[str, ...]
    supersedes: tuple[str, ...]


@dataclass
class Model:
    """Every thing and the indexes the views need."""

    id_ns: str
    languages: tuple[str, ...]
    things: dict[str, Thing]
    incoming: dict[str, list[tuple[str, str]]]  # object IRI -> [(predicate, subject)]
    blanks: dict[str, tuple[tuple[str, Value], ...]]  # blank node -> its statements
    dates: dict[str, Resolved]
    claims: dict[str, Claim]
    claims_about: dict[str, list[str]]  # subject IRI -> claim IRIs
    actor_roles: frozenset[str]  # sem:hasActor and its sub-properties
    events: list[str]  # event IRIs in timeline order
    superseded_by: dict[str, list[str]] = field(default_factory=dict)
    corroboration: dict[str, int] = field(default_factory=dict)
    disputed: frozenset[tuple[str, str]] = frozenset()  # (subject, predicate) pairs on which claims differ
    origins: dict[str, tuple[str, ...]] = field(default_factory=dict)
    description_links: dict[str, tuple[str, ...]] = field(default_factory=dict)  # IRI -> things its descriptions link to

    @property
    def disputed_subjects(self) -> frozenset[str]:
        """Every subject on which claims differ."""
        cached = self.__dict__.get("_disputed_subjects")
        if cached is None:
            cached = self.__dict__["_disputed_subjects"] = frozenset(s for s, _ in self.disputed)
        return cached

    def memo(self, name: str) -> dict:
        """A dictionary for views to keep what they made once (the model itself never changes)."""
        memos = self.__dict__.get("_memos")
        if memos is None:
            memos = self.__dict__["_memos"] = {}
        found = memos.get(name)
        if found is None:
            found = memos[name] = {}
        return found

    def _index(self, name: str, build):
        cached = self.__dict__.get(name)
        if cached is None:
            cached = self.__dict__[name] = build()
        return cached

    @property
    def claims_by_actor(self) -> dict[str, list[str]]:
        """Claim IRIs by the actor who makes them (sem:accordingTo), in IRI order."""
        def build():
            out: dict[str, list[str]] = {}
            for iri in sorted(self.claims):
                for actor in self.claims[iri].according_to:
                    out.setdefault(actor, []).append(iri)
            return out
        return self._index("_claims_by_actor", build)

    @property
    def claims_naming(self) -> dict[str, list[str]]:
        """Claim IRIs by the thing their statement names as its object (rdf:object), in IRI order:
        an actor named as the perpetrator of an event, a place as where it happened."""
        def build():
            out: dict[str, list[str]] = {}
            for iri in sorted(self.claims):
                obj = self.claims[iri].object
                if isinstance(obj, str):
                    out.setdefault(obj, []).append(iri)
            return out
        return self._index("_claims_naming", build)

    @property
    def event_position(self) -> dict[str, int]:
        """Each event's place in timeline order."""
        return self._index("_event_position", lambda: {iri: i for i, iri in enumerate(self.events)})

    def is_page(self, iri: str) -> bool:
        """True when the IRI has a page of its own on the site."""
        return iri in self.things
