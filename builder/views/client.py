"""Client data: the model in, what the browser widgets read out.

Two forms of the same facts, built by the same functions:

- `data/timeline-<lang>.json` (`client_files`): every event with its bounds as ISO dates, kind,
  precision, date text, types, actors by role, places with coordinates, claim statuses, disputed
  flag, corroboration and sources, plus the facets with counts. Things are referred to by a short
  key (`key_of`), described once under "things"; the file is compact (no spaces) with sorted keys,
  so the same knowledge base gives the same bytes.
- `entry_attributes`: the `data-*` attributes of an event's entry in a plain list. The visual
  timeline, the filters and the maps read these from the page itself, so every page carries
  exactly its own events and works from a file system, where browsers refuse `fetch`.

Places within places and narrower types (`views/hierarchy.py`): a place's page lists the events
within it, a type's page the events of narrower types, and the filters count the same way. The
links go to the browser once per page or file, never into each event: `hierarchy` maps each place
(type) the events name, and each place containing it (broader type), to the ones it names directly
(`"hierarchy":{"place":{"temple":["city"],"city":["country"]},"type":{…}}`); the script follows
them up, so an event at the temple counts for the temple, the city and the country. The entries
of a page get it on their filter form (`data-hierarchy`, with the labels of the places and types
no entry names); the file in its "hierarchy", and its facet counts follow it.

Dates are ISO 8601 days with at least four year digits and astronomical years ("-0232-01-01" is
233 BCE), as `builder.edtf.xsd_date` writes them. A place without coordinates is located by the
first place containing it that has some (`schema:containedInPlace`, breadth first); the location
is then of "region" precision, whatever the containing place's own.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from .. import datefmt
from ..config import SiteConfig
from ..edtf import xsd_date
from ..model import Model
from ..namespaces import PROV, SCHEMA, SEM, TL
from .common import compact_iri, label, lang_prefix, mention_text, page_href
from .hierarchy import FACET_LINKS, above, parents

GEO_PRECISION = {TL + "Exact": "exact", TL + "Near": "near", TL + "Region": "region"}
FACETS = ("type", "actor", "place", "status", "source", "corroboration")


@dataclass(frozen=True)
class Located:
    """Where an event's place is drawn: coordinates, their precision, and which place gave them."""

    place: str  # the event's own place
    lat: float
    lon: float
    precision: str  # "exact", "near", "region" or "unspecified"
    via: str  # the place whose coordinates these are (the place itself, or one containing it)


def key_of(model: Model, iri: str) -> str:
    """A short, stable key for a thing: its slug in the id: namespace, else prefix:local or the IRI."""
    if iri.startswith(model.id_ns):
        return iri[len(model.id_ns):]
    return compact_iri(iri)


def _coordinates(model: Model, place: str) -> tuple[float, float, str] | None:
    thing = model.things.get(place)
    if thing is None:
        return None
    lat, lon = thing.first_literal(SCHEMA + "latitude"), thing.first_literal(SCHEMA + "longitude")
    if lat is None or lon is None:
        return None
    try:
        la, lo = float(lat.value), float(lon.value)
    except ValueError:
        return None
    precision = thing.iris(TL + "geoPrecision")
    return la, lo, GEO_PRECISION.get(precision[0], "unspecified") if precision else "unspecified"


def locate(model: Model, place: str) -> Located | None:
    """Where a place is drawn: its own coordinates, else those of the nearest place containing it."""
    queue, seen = [place], {place}
    while queue:
        current = queue.pop(0)
        found = _coordinates(model, current)
        if found is not None:
            lat, lon, precision = found
            return Located(place, lat, lon, precision if current == place else "region", current)
        thing = model.things.get(current)
        for parent in sorted(thing.iris(SCHEMA + "containedInPlace")) if thing else ():
            if parent not in seen:
                seen.add(parent)
                queue.append(parent)
    return None


def _live_statuses(model: Model, iri: str) -> list[str]:
    """Statuses of the claims about a thing that nothing supersedes."""
    return sorted({model.claims[c].status for c in model.claims_about.get(iri, ())
                   if model.claims[c].status and not model.superseded_by.get(c)})


def corroboration_bucket(n: int) -> str:
    """The corroboration choice of a count of independent origins."""
    return "none" if n <= 0 else "single" if n == 1 else "several"


def event_facts(model: Model, iri: str) -> dict:
    """What the widgets need of an event in any language: bounds, facets (IRIs) and locations."""
    thing = model.things[iri]
    r = model.dates.get(iri)
    actors = sorted({(o, p) for p, o in thing.statements if p in model.actor_roles and isinstance(o, str)})
    places = sorted(set(thing.iris(SEM + "hasPlace")))
    facts = {
        "types": sorted(set(thing.iris(SEM + "eventType"))), "actors": actors, "places": places,
        "geo": [loc for p in places if (loc := locate(model, p)) is not None],
        "statuses": _live_statuses(model, iri), "sources": sorted(set(thing.iris(PROV + "wasDerivedFrom"))),
        "corroboration": model.corroboration.get(iri, 0),
        "earliest": None, "latest": None, "kind": None, "precision": None,
        "uncertain": False, "approximate": False, "time": None, "core": None,
    }
    if r is not None:
        facts.update(earliest=_iso(r.earliest), latest=_iso(r.latest), kind=r.kind, precision=r.precision,
                     uncertain=r.uncertain, approximate=r.approximate, time=r.time, core=_core(r))
    return facts


def _iso(n: int | None) -> str | None:
    return None if n is None else xsd_date(n)


def _core(r) -> list[str] | None:
    """The part of a span certainly covered: from the latest start to the earliest end."""
    if r.kind != "span" or not r.start_bounds or not r.end_bounds:
        return None
    lo, hi = r.start_bounds[1], r.end_bounds[0]
    if lo is None or hi is None or hi < lo:
        return None
    return [xsd_date(lo), xsd_date(hi)]


def _text(value: str) -> str:
    """A label fit for a tab- and newline-separated attribute."""
    return " ".join(value.split())


def entry_attributes(model: Model, iri: str, lang: str) -> tuple[tuple[str, str], ...]:
    """The data-* attributes of an event's entry in a list, as (name, value) pairs in a fixed order.

    Left out where they take their usual value, since a home page lists every event: `end` when
    it is `start` (an empty `end` is an open end), `kind` when "point", `corroboration` when 1.
    Keys of types, actors and places are listed in the order of their IRIs, the order in which
    the entry shows their links; `data-names` gives the labels of the things the entry does not
    show (sources, claim statuses, containing places that lend their coordinates) as
    "key<TAB>label" lines.
    """
    f = event_facts(model, iri)
    names = {}
    attrs = [("key", key_of(model, iri))]
    if f["kind"]:
        attrs.append(("start", f["earliest"] or ""))
        attrs += [("end", f["latest"] or "")] if f["latest"] != f["earliest"] or f["latest"] is None else []
        attrs += [("kind", f["kind"])] if f["kind"] != "point" else []
        qualifiers = ("u" if f["uncertain"] else "") + ("a" if f["approximate"] else "")
        attrs += [("q", qualifiers)] if qualifiers else []
        attrs += [("time", f["time"])] if f["time"] else []
        attrs += [("core", "/".join(f["core"]))] if f["core"] else []
    for facet, keys in (("types", [key_of(model, t) for t in f["types"]]),
                        ("actors", dict.fromkeys(key_of(model, a) for a, _ in f["actors"])),
                        ("places", [key_of(model, p) for p in f["places"]])):
        if keys:
            attrs.append((facet, " ".join(keys)))
    for facet, iris in (("statuses", f["statuses"]), ("sources", f["sources"])):
        if iris:
            attrs.append((facet, " ".join(key_of(model, i) for i in iris)))
            names.update((key_of(model, i), mention_text(label(model, i, lang).text)) for i in iris)
    if f["corroboration"] != 1:
        attrs.append(("corroboration", str(f["corroboration"])))
    if f["geo"]:
        attrs.append(("geo", ";".join(f"{g.lat:.6g},{g.lon:.6g},{g.precision},{key_of(model, g.via)}"
                                      for g in f["geo"])))
        names.update((key_of(model, g.via), mention_text(label(model, g.via, lang).text))
                     for g in f["geo"] if g.via != g.place)
    if names:
        attrs.append(("names", "\n".join(f"{k}\t{_text(v)}" for k, v in sorted(names.items()))))
    return tuple(attrs)


def event_record(model: Model, iri: str, lang: str, digits: str | None, f: dict) -> dict:
    """One event of `timeline-<lang>.json`, from its event_facts `f`."""
    from .things import is_disputed  # things imports this module for its entries
    text = label(model, iri, lang)
    r = model.dates.get(iri)
    record = {
        "key": key_of(model, iri), "iri": iri, "href": page_href(model, iri, lang), "label": text.text,
        "earliest": f["earliest"], "latest": f["latest"], "kind": f["kind"], "precision": f["precision"],
        "date": datefmt.format_date(r, lang, digits) if r is not None else None,
        "types": [key_of(model, t) for t in f["types"]],
        "actors": [{"actor": key_of(model, a), "role": key_of(model, p)} for a, p in f["actors"]],
        "places": [key_of(model, p) for p in f["places"]],
        "geo": [{"place": key_of(model, g.place), "lat": g.lat, "lon": g.lon, "precision": g.precision,
                 "via": key_of(model, g.via)} for g in f["geo"]],
        "statuses": [key_of(model, s) for s in f["statuses"]],
        "sources": [key_of(model, s) for s in f["sources"]],
        "corroboration": f["corroboration"],
        "disputed": bool(model.claims_about.get(iri)) and is_disputed(model, iri),
    }
    if text.lang and text.lang.split("-")[0] != lang:
        record["label_lang"] = text.lang
    for optional in ("time", "core"):
        if f[optional]:
            record[optional] = f[optional]
    if f["uncertain"]:
        record["uncertain"] = True
    if f["approximate"]:
        record["approximate"] = True
    return record


def hierarchy_links(model: Model, iris) -> tuple[dict[str, dict[str, list[str]]], set[str]]:
    """The links up from the places and types of these events, as keys: {"place": {key: [the keys
    its schema:containedInPlace names]}, "type": {key: [its skos:broader]}}, with only what has
    some; and every IRI met on the way up that no event names itself."""
    links: dict[str, dict[str, list[str]]] = {}
    added: set[str] = set()
    for facet, (link, prop) in FACET_LINKS.items():
        up = parents(model, link)
        own = {o for i in iris if i in model.things for o in model.things[i].iris(prop)}
        seen, stack, edges = set(own), sorted(own), {}
        while stack:
            node = stack.pop()
            named = up.get(node, ())
            if named:
                edges[key_of(model, node)] = [key_of(model, p) for p in named]
            for p in named:
                if p not in seen:
                    seen.add(p)
                    added.add(p)
                    stack.append(p)
        if edges:
            links[facet] = dict(sorted(edges.items()))
    return links, added


def filter_hierarchy(model: Model, iris, lang: str) -> dict:
    """The `data-hierarchy` of a page's filter form, for the events it lists: the links up from
    their places and types (`hierarchy_links`), and "names", the labels of the containing places
    and broader types that no entry names ({} when nothing is within anything)."""
    links, added = hierarchy_links(model, iris)
    if added:
        links["names"] = {key_of(model, i): _text(label(model, i, lang).text) for i in sorted(added)}
    return links


def facet_counts(records: list[dict], containing: dict[str, dict[str, set[str]]] | None = None) -> dict[str, list[list]]:
    """How many events have each value of each facet: [key, count], most frequent first. With
    `containing` ({"place": {key: the keys of every place containing it}, "type": {key: every
    broader type}}), an event counts for those too, once, as their pages list it."""
    def up(facet: str, keys: list[str]) -> set[str]:
        more = (containing or {}).get(facet, {})
        return set(keys).union(*(more.get(k, ()) for k in keys))
    counts: dict[str, Counter] = {name: Counter() for name in FACETS}
    for rec in records:
        counts["type"].update(up("type", rec["types"]))
        counts["actor"].update({a["actor"] for a in rec["actors"]})
        counts["place"].update(up("place", rec["places"]))
        counts["status"].update(rec["statuses"])
        counts["source"].update(rec["sources"])
        counts["corroboration"][corroboration_bucket(rec["corroboration"])] += 1
    return {name: [[k, n] for k, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))]
            for name, c in counts.items()}


def _thing_entry(model: Model, iri: str, lang: str) -> dict:
    text = label(model, iri, lang)
    entry = {"iri": iri, "label": text.text, "href": page_href(model, iri, lang)}
    if text.lang and text.lang.split("-")[0] != lang:
        entry["label_lang"] = text.lang
    return entry


def timeline_data(model: Model, config: SiteConfig, lang: str, facts: dict[str, dict]) -> dict:
    """Every event in timeline order, the things they refer to, and the facets, in one language
    (`facts`: each event's event_facts, in timeline order; they are the same in every language)."""
    digits = config.digits.get(lang)
    records = [event_record(model, i, lang, digits, f) for i, f in facts.items()]
    within, containing = hierarchy_links(model, facts)
    up = {facet: {key_of(model, i): {key_of(model, a) for a in above(model, i, link)}
                  for i in {x for f in facts.values() for x in f[facet + "s"]}}
          for facet, (link, _) in FACET_LINKS.items()}
    referred: set[str] = set(containing)
    for f in facts.values():
        referred.update(f["types"], f["places"], f["statuses"], f["sources"], (g.via for g in f["geo"]))
        referred.update(x for pair in f["actors"] for x in pair)
    things = {key_of(model, i): _thing_entry(model, i, lang) for i in sorted(referred)}
    for i in sorted(referred):
        loc = _coordinates(model, i)
        if loc is not None:
            things[key_of(model, i)].update(lat=loc[0], lon=loc[1], precision=loc[2])
    return {"version": 1, "lang": lang, "home": lang_prefix(model, lang), "count": len(records),
            "events": records, "things": things, "hierarchy": within, "facets": facet_counts(records, up)}


def client_files(model: Model, config: SiteConfig) -> dict[str, bytes]:
    """`data/timeline-<lang>.json` for every language of the site."""
    facts = {i: event_facts(model, i) for i in model.events if i in model.things}
    return {f"data/timeline-{lang}.json": json.dumps(timeline_data(model, config, lang, facts), ensure_ascii=False,
                                                     sort_keys=True, separators=(",", ":")).encode("utf-8")
            for lang in config.languages}
