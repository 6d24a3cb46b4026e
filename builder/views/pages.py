"""The context of each kind of thing's page (one function per template)."""
from __future__ import annotations

from ..namespaces import DCTERMS, OWL, PROV, SCHEMA, SEM, SKOS, TL, RDFS
from ..dates import sort_key
from ..engine import Lit
from ..model import Model, Thing
from .common import (Description, Text, date_text, format_coordinate, format_number, heading_label, label, label_ref,
                     language_in, literal_text, original_language, page_href, pick, ref, safe_url)
from .client import filter_hierarchy
from .hierarchy import events_under
from .things import (backlinks, claim_groups, claim_row, naming_groups, other_statements, refs, source_view, texts,
                     timeline, value_view)


def _pick_text(model: Model, thing: Thing, prop: str, lang: str) -> Text | None:
    found = pick(thing.literals(prop), lang, model.languages)
    return Text(found.value, found.lang) if found else None


def _description(model: Model, thing: Thing, lang: str) -> Description | None:
    """The description in the page's language, with the pages (in that language) it links to."""
    found = pick(thing.literals(DCTERMS + "description"), lang, model.languages)
    if found is None:
        return None
    links = ((iri, page_href(model, iri, lang)) for iri in model.description_links.get(thing.iri, ()))
    return Description(found.value, found.lang, model.id_ns, tuple((i, h) for i, h in links if h is not None))


def _links_out(model: Model, thing: Thing, lang: str) -> tuple:
    return tuple(ref(model, o, lang) for o in sorted(set(thing.iris(OWL + "sameAs") + thing.iris(SKOS + "exactMatch"))))


def common(model: Model, thing: Thing, lang: str, digits: str | None) -> dict:
    """What every thing's page shows: labels, kind, date, description, statements, backlinks."""
    return {
        "iri": thing.iri,
        "heading": heading_label(model, thing.iri, lang),
        "label": label(model, thing.iri, lang),  # the heading, but for a term's capital letter
        "labels": texts(thing.literals(SKOS + "prefLabel") + thing.literals(DCTERMS + "title")),
        "alt_labels": texts(thing.literals(SKOS + "altLabel")),
        "date": date_text(model, model.dates.get(thing.iri), lang, digits),
        "description": _description(model, thing, lang),
        "comment": _pick_text(model, thing, RDFS + "comment", lang) or _pick_text(model, thing, SKOS + "definition", lang),
        "same_as": _links_out(model, thing, lang),
        "statements": other_statements(model, thing, lang, digits),
        "backlinks": backlinks(model, thing.iri, lang),
        "claims": claim_groups(model, thing.iri, lang, digits),
        "claims_by": tuple(claim_row(model, c, lang, digits) for c in model.claims_by_actor.get(thing.iri, ())),
        "claims_naming": naming_groups(model, thing.iri, lang, digits),
        "corroboration": model.corroboration.get(thing.iri),
        "origins": refs(model, model.origins.get(thing.iri, ()), lang),
        "sources": tuple(source_view(model, s, lang, digits) for s in sorted(thing.iris(PROV + "wasDerivedFrom"))),
    }


def event_page(model: Model, thing: Thing, lang: str, digits: str | None) -> dict:
    """An event: date and derivation, roles, place, quotes, fatalities, claims, sources, neighbours."""
    roles = {}
    for p, o in thing.statements:
        if p in model.actor_roles and isinstance(o, str):
            roles.setdefault(p, []).append(o)
    idx = model.event_position.get(thing.iri, -1)
    fatal = {k: thing.first_literal(TL + k) for k in ("fatalities", "fatalitiesLow", "fatalitiesHigh")}
    return {
        **common(model, thing, lang, digits),
        "event_types": refs(model, thing.iris(SEM + "eventType"), lang),
        "roles": tuple((label_ref(model, p, lang), refs(model, a, lang)) for p, a in sorted(roles.items())),
        "places": refs(model, thing.iris(SEM + "hasPlace"), lang),
        "quotes": texts(thing.literals(TL + "quote"), original_language(model, thing.iri)),
        "fatalities": {k: literal_text(v, lang, digits).text for k, v in fatal.items() if v is not None},
        "fatalities_of": _pick_text(model, thing, TL + "fatalitiesOf", lang),
        "parents": refs(model, thing.iris(SEM + "subEventOf"), lang),
        "children": tuple(ref(model, s, lang) for s in sorted(  # in time order, as "what links here" lists them
            {s for p, s in model.incoming.get(thing.iri, []) if p == SEM + "subEventOf"},
            key=lambda s: (model.event_position.get(s, len(model.events)), s))),
        "previous": ref(model, model.events[idx - 1], lang) if idx > 0 else None,
        "next": ref(model, model.events[idx + 1], lang) if 0 <= idx < len(model.events) - 1 else None,
    }


def _events_with_roles(model: Model, iri: str) -> dict[str, str]:
    return {s: p for p, s in model.incoming.get(iri, []) if p in model.actor_roles and s in model.things}


def actor_page(model: Model, thing: Thing, lang: str, digits: str | None) -> dict:
    """An actor: spellings, memberships, events by role on a timeline, claims made and about, sources."""
    events = _events_with_roles(model, thing.iri)
    published = [s for p, s in model.incoming.get(thing.iri, []) if p == DCTERMS + "publisher"]
    members = [s for p, s in model.incoming.get(thing.iri, []) if p in (SCHEMA + "memberOf", TL + "partOf")]
    job = _pick_text(model, thing, SCHEMA + "jobTitle", lang)
    # a country that acts and is a place too (an import locates events in it): what its place page would show
    place = place_page(model, thing, lang, digits) if "place" in thing.kinds else {}
    return {
        **common(model, thing, lang, digits),
        "job_title": job,
        "member_of": refs(model, thing.iris(SCHEMA + "memberOf") + thing.iris(TL + "partOf"), lang),
        "members": refs(model, members, lang),
        "timeline": timeline(model, events, lang, digits, events),
        "filter_hierarchy": filter_hierarchy(model, events, lang),
        "published": refs(model, published, lang),
        "contained_in": place.get("contained_in", ()), "within": place.get("within", ()),
        "position": place.get("position"), "precision": place.get("precision"),
        "events_here": place.get("timeline"),
    }


def place_page(model: Model, thing: Thing, lang: str, digits: str | None) -> dict:
    """A place: containing places, places within, position and precision, events there and within."""
    events = events_under(model, thing.iri, "place")  # as the filters of the timelines count them
    lat, lon = thing.first_literal(SCHEMA + "latitude"), thing.first_literal(SCHEMA + "longitude")
    precision = thing.iris(TL + "geoPrecision")
    return {
        **common(model, thing, lang, digits),
        "contained_in": refs(model, thing.iris(SCHEMA + "containedInPlace"), lang),
        "within": refs(model, [s for p, s in model.incoming.get(thing.iri, []) if p == SCHEMA + "containedInPlace"], lang),
        "position": ({"lat": lat.value, "lon": lon.value, "lat_text": format_coordinate(lat.value, lang, digits),
                      "lon_text": format_coordinate(lon.value, lang, digits)} if lat and lon else None),
        "precision": ref(model, precision[0], lang) if precision else None,
        "timeline": timeline(model, events, lang, digits),
        "filter_hierarchy": filter_hierarchy(model, events, lang),
    }




def language_of_source(model: Model, value, lang: str, digits: str | None):
    """dcterms:language as the reader's language names it ("ar" is "Arabic" on an English page,
    "العربية" on an Arabic one); a tag Babel does not know, or an IRI, as written."""
    if isinstance(value, Lit) and (name := language_in(value.value, lang)):
        return Text(name, "")
    return value_view(model, value, lang, digits)


def source_page(model: Model, thing: Thing, lang: str, digits: str | None) -> dict:
    """A source: publisher, date, language, links, the chain up and down, what cites it."""
    citing = [s for p, s in model.incoming.get(thing.iri, []) if p == PROV + "wasDerivedFrom"]
    relays = [s for s in citing if model.things.get(s) and "source" in model.things[s].kinds]
    url, archived = thing.first_literal(SCHEMA + "url"), thing.first_literal(SCHEMA + "archivedAt")
    url_iri = [o for o in thing.iris(SCHEMA + "url")]
    arch_iri = [o for o in thing.iris(SCHEMA + "archivedAt")]
    base = common(model, thing, lang, digits)
    titles: tuple = ()
    if thing.literals(SKOS + "prefLabel"):
        # The title as published is a fact of its own, not a label "in other languages": an
        # English title beside an English label is not another language.
        base["labels"] = texts(thing.literals(SKOS + "prefLabel"))
        titles = tuple(t for t in texts(thing.literals(DCTERMS + "title")) if t != base["heading"])
    return {
        **base,
        "titles": titles,
        "publisher": refs(model, thing.iris(DCTERMS + "publisher"), lang),
        "creator": tuple(value_view(model, v, lang, digits) for v in thing.values(DCTERMS + "creator")),
        "language": tuple(language_of_source(model, v, lang, digits) for v in thing.values(DCTERMS + "language")),
        "url": safe_url(url.value if url else (url_iri[0] if url_iri else "")),
        "url_text": url.value if url else (url_iri[0] if url_iri else None),
        "archived": safe_url(archived.value if archived else (arch_iri[0] if arch_iri else "")),
        "archived_text": archived.value if archived else (arch_iri[0] if arch_iri else None),
        "chain": source_view(model, thing.iri, lang, digits),
        "relayed_by": refs(model, relays, lang),
        "citing_events": timeline(model, [s for s in citing if s in model.event_position], lang, digits),
        "citing_claims": tuple(claim_row(model, c, lang, digits) for c in sorted(set(citing)) if c in model.claims),
        "citing_other": refs(model, [s for s in citing if s not in model.event_position and s not in model.claims
                                     and s not in relays], lang),
    }


def claim_page(model: Model, thing: Thing, lang: str, digits: str | None) -> dict:
    """A claim: the statement, who claims it, status, date, quote, source, corrections."""
    claim = model.claims[thing.iri]
    return {
        **common(model, thing, lang, digits),
        "row": claim_row(model, thing.iri, lang, digits),
        "subject": ref(model, claim.subject, lang) if claim.subject else None,
        "predicate": ref(model, claim.predicate, lang) if claim.predicate else None,
        "siblings": (claim_groups(model, claim.subject, lang, digits, keep=frozenset({thing.iri}))
                     if claim.subject else ()),
    }


def quantity_page(model: Model, thing: Thing, lang: str, digits: str | None) -> dict:
    """A measurement: value, unit, what and where, date, source, other measurements of it."""
    of, where = thing.iris(TL + "quantityOf"), thing.iris(TL + "location")
    label_now = label(model, thing.iri, model.languages[0]).text
    same = _series(model)[(tuple(of), tuple(where))]
    at = same.index(thing.iri)
    start = max(0, min(at - MAX_SERIES // 2, len(same) - MAX_SERIES))
    shown = same[start:start + MAX_SERIES]
    value = thing.first_literal(SCHEMA + "value")
    return {
        **common(model, thing, lang, digits),
        "value": literal_text(value, lang, digits).text if value else None,
        "approximate": _approximate(thing),
        "unit": _pick_text(model, thing, SCHEMA + "unitText", lang),
        "quantity_of": refs(model, of, lang),
        "location": refs(model, where, lang),
        "series": tuple((ref(model, i, lang), date_text(model, model.dates.get(i), lang, digits),
                         literal_text(model.things[i].first_literal(SCHEMA + "value"), lang, digits).text
                         if model.things[i].first_literal(SCHEMA + "value") else "",
                         _approximate(model.things[i])) for i in shown),
        "series_of": (format_number(len(shown), lang, digits), format_number(len(same), lang, digits))
        if len(shown) < len(same) else None,
        "_sort": label_now,
    }


MAX_SERIES = 20  # measurements of the same thing a measurement's page shows: the nearest in time


def _series(model: Model) -> dict[tuple, list[str]]:
    """The measurements of each thing at each place (what they measure and where, as written), in
    time order; made once, not by each measurement's page looking at every thing (N measurements
    of one thing cost N × things, and N pages of N rows)."""
    memo = model.memo("quantity_series")
    if not memo:
        for i, t in model.things.items():
            if "quantity" in t.kinds:
                memo.setdefault((tuple(t.iris(TL + "quantityOf")), tuple(t.iris(TL + "location"))), []).append(i)
        for same in memo.values():
            # the timeline's order: a measurement known at one end only ("on or before 2000") is
            # placed at that end, not on 1 January 1970 (day 0)
            same.sort(key=lambda i: sort_key(model.dates[i]) if i in model.dates else (0, 0, (0, 0), "", i))
    return memo


def _approximate(thing: Thing) -> bool:
    approx = thing.first_literal(TL + "approximate")
    return bool(approx and approx.value in ("true", "1"))


def concept_page(model: Model, thing: Thing, lang: str, digits: str | None) -> dict:
    """A concept (event type): labels, broader and narrower, the events of that type and of every
    narrower type, however deep (as the filters of the timelines count them)."""
    narrower = [s for p, s in model.incoming.get(thing.iri, []) if p == SKOS + "broader"]
    typed = events_under(model, thing.iri, "type")
    return {
        **common(model, thing, lang, digits),
        "broader": refs(model, thing.iris(SKOS + "broader"), lang),
        "narrower": refs(model, narrower, lang),
        "scheme": refs(model, thing.iris(SKOS + "inScheme") + thing.iris(SKOS + "topConceptOf"), lang),
        "timeline": timeline(model, typed, lang, digits),
        "all_labels": texts(thing.literals(SKOS + "prefLabel") + thing.literals(RDFS + "label")),
        "comments": texts(thing.literals(RDFS + "comment") + thing.literals(SKOS + "definition")),
    }


def thing_page(model: Model, thing: Thing, lang: str, digits: str | None) -> dict:
    """Anything else: labels, statements, what links here."""
    return common(model, thing, lang, digits)


term_page = concept_page
