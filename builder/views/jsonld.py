"""schema.org JSON-LD for each page: the model in, a plain dict out (context inline, nothing remote)."""
from __future__ import annotations

from ..datefmt import datetime_attr
from ..model import Model, Thing
from ..namespaces import DCTERMS, OWL, PROV, SCHEMA, SEM, SKOS, TL
from .common import label, safe_url

CONTEXT = {"@vocab": "http://schema.org/"}
TYPE_BY_KIND = [("claim", "Claim"), ("quantity", "Observation"), ("event", "Event"), ("source", "CreativeWork"),
                ("place", "Place"), ("actor", "Organization"), ("concept", "DefinedTerm"), ("term", "DefinedTerm")]
SCHEMA_TYPES = {"Person", "Organization", "NewsMediaOrganization", "Country", "City", "Airport", "NewsArticle",
                "Report", "CreativeWork", "Place", "Dataset", "GovernmentOrganization"}


def _type(thing: Thing) -> str:
    own = sorted(t[len(SCHEMA):] for t in thing.types if t.startswith(SCHEMA) and t[len(SCHEMA):] in SCHEMA_TYPES)
    if own:
        return own[0]
    return next((name for kind, name in TYPE_BY_KIND if kind in thing.kinds), "Thing")


def _named(model: Model, iri: str, lang: str) -> dict:
    return {"@id": iri, "name": label(model, iri, lang).text}


def thing_jsonld(model: Model, thing: Thing, lang: str) -> dict:
    """The JSON-LD that describes one thing's page."""
    data: dict = {"@context": CONTEXT, "@id": thing.iri, "@type": _type(thing),
                  "name": label(model, thing.iri, lang).text, "inLanguage": lang}
    alts = sorted({x.value for x in thing.literals(SKOS + "altLabel")})
    if alts:
        data["alternateName"] = alts
    same = sorted(u for u in thing.iris(OWL + "sameAs") if safe_url(u))
    if same:
        data["sameAs"] = same
    r = model.dates.get(thing.iri)
    when = datetime_attr(r) if r else None
    if "event" in thing.kinds:
        if when:
            data["startDate"] = when
        places = thing.iris(SEM + "hasPlace")
        if places:
            data["location"] = [_named(model, p, lang) for p in sorted(places)]
        actors = sorted({o for p, o in thing.statements if p in model.actor_roles and isinstance(o, str)})
        if actors:
            data["actor"] = [_named(model, a, lang) for a in actors]
    if "source" in thing.kinds:
        if when:
            data["datePublished"] = when
        publishers = thing.iris(DCTERMS + "publisher")
        if publishers:
            data["publisher"] = [_named(model, p, lang) for p in sorted(publishers)]
        url = thing.first_literal(SCHEMA + "url")
        target = safe_url(url.value if url else next(iter(thing.iris(SCHEMA + "url")), ""))
        if target:
            data["url"] = target
    if "place" in thing.kinds:
        lat, lon = thing.first_literal(SCHEMA + "latitude"), thing.first_literal(SCHEMA + "longitude")
        if lat and lon:
            data["geo"] = {"@type": "GeoCoordinates", "latitude": lat.value, "longitude": lon.value}
        within = thing.iris(SCHEMA + "containedInPlace")
        if within:
            data["containedInPlace"] = [_named(model, p, lang) for p in sorted(within)]
    if "claim" in thing.kinds:
        claim = model.claims.get(thing.iri)
        if claim and claim.according_to:
            data["author"] = [_named(model, a, lang) for a in claim.according_to]
        if claim and claim.subject:
            data["about"] = _named(model, claim.subject, lang)
    sources = thing.iris(PROV + "wasDerivedFrom")
    if sources:
        data["isBasedOn"] = [_named(model, s, lang) for s in sorted(sources)]
    if TL + "status" in dict(thing.statements):
        data["additionalType"] = dict(thing.statements)[TL + "status"]
    return data


def site_jsonld(title: str, lang: str) -> dict:
    """The JSON-LD of the home page: the site itself."""
    return {"@context": CONTEXT, "@type": "WebSite", "name": title, "inLanguage": lang}
