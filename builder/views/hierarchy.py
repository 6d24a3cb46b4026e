"""Places within places and narrower event types: the one walk every view counts by.

A place's page lists the events at the place and at every place within it
(`schema:containedInPlace`, however deep); an event type's page lists the events of the type and
of every narrower type (`skos:broader`, however deep). The list of places, the place feeds and
the filters of the timelines (views/client.py sends the links, static/filters.js follows them)
count the same way, from these functions, so that a count never differs from the page it names.

Both walks read the same links, from the model's `incoming` index: `below` from a thing down to
what names it, `parents` (and `above`) from a thing up to what it names. A cycle ends the walk
where it comes back; a thing is never within itself.
"""
from __future__ import annotations

from ..model import Model
from ..namespaces import SCHEMA, SEM, SKOS

WITHIN = SCHEMA + "containedInPlace"  # a place -> the places containing it
BROADER = SKOS + "broader"  # a type -> its broader types
# the facet of the filters, the link that makes its hierarchy, the property an event names it by
FACET_LINKS = {"place": (WITHIN, SEM + "hasPlace"), "type": (BROADER, SEM + "eventType")}


def below(model: Model, iri: str, link: str) -> list[str]:
    """Everything whose `link` leads to `iri`, however deep: the places within, the narrower types."""
    found, seen, stack = [], {iri}, [iri]  # `seen` a set: a country may hold thousands of places
    while stack:
        for p, s in model.incoming.get(stack.pop(), []):
            if p == link and s not in seen:
                seen.add(s)
                found.append(s)
                stack.append(s)
    return found


def parents(model: Model, link: str) -> dict[str, tuple[str, ...]]:
    """The links `below` walks, read upwards: each thing to the things its `link` names (sorted)."""
    def build() -> dict[str, tuple[str, ...]]:
        up: dict[str, set[str]] = {}
        for target, pairs in model.incoming.items():
            for p, s in pairs:
                if p == link and s != target:
                    up.setdefault(s, set()).add(target)
        return {s: tuple(sorted(t)) for s, t in up.items()}
    memo = model.memo("hierarchy_parents")
    if link not in memo:
        memo[link] = build()
    return memo[link]


def above(model: Model, iri: str, link: str) -> list[str]:
    """Everything `iri` is within, however deep (the containing places, the broader types)."""
    up = parents(model, link)
    found, seen, queue = [], {iri}, [iri]
    while queue:
        for parent in up.get(queue.pop(0), ()):
            if parent not in seen:
                seen.add(parent)
                found.append(parent)
                queue.append(parent)
    return found


def events_under(model: Model, iri: str, facet: str) -> set[str]:
    """The subjects that name `iri`, or anything below it, by the facet's property (`sem:hasPlace`,
    `sem:eventType`): what the place's or the type's page lists, before it keeps the dated events."""
    link, prop = FACET_LINKS[facet]
    return {s for node in (iri, *below(model, iri, link)) for p, s in model.incoming.get(node, ()) if p == prop}

