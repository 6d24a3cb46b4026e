"""schema.org JSON-LD for each page: the model in, a plain dict out (context inline, nothing remote).

Dates (`schema_dates`, docs/format.md 7.6): startDate and endDate (datePublished for a source)
are ISO 8601 dates at the precision the bounds have, a day ("2016-03-07", with its time of day
where one is written), a month ("2016-03") or a year ("0270"), as schema.org's Date and DateTime
take them; a span gives each end its own. What no such date says exactly is left out rather
than made more precise or surer than it is: an open or unknown end, a qualified end (`?`, `~`,
`%`: schema.org cannot say "probably" or "about"), unspecified digits that leave more than one
year, month or day (`19XX`, `2024-1X`; `2024-XX` is the year 2024), a range of days, and any year
before 1 or after 9999 (see `_year_ok`).
"""
from __future__ import annotations

from ..datefmt import time_ok
from ..dates import Resolved
from ..edtf import month_length, ymd
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


def _year_ok(year: int) -> bool:
    """Whether schema.org consumers read the year as written: 0001 to 9999.

    Not before year 1 (BCE, astronomical 0 and below): ISO 8601 writes those only in its expanded
    form ("-0232", "-000232"), which it allows only by agreement between the parties on the number
    of digits, and schema.org states none; XML Schema 1.0 reads "-0232" as 232 BCE (it has no year
    0) where ISO 8601 and XML Schema 1.1 read it as 233 BCE; and common parsers of schema.org dates
    (JavaScript's Date, Python's datetime, search engines' validators) refuse it or misread it. A
    BCE date is better absent than a year off or rejected. Not after 9999 either: five digits are
    the same expanded form.
    """
    return 1 <= year <= 9999


def iso_date(lo: int | None, hi: int | None, time: str | None = None) -> str | None:
    """The ISO 8601 date whose extent is exactly these bounds (day numbers): a day (with `time`,
    as a date-time), a month or a year; None where no one such date is exactly them."""
    if lo is None or hi is None or hi < lo:
        return None
    (y0, m0, d0), (y1, m1, d1) = ymd(lo), ymd(hi)
    if not _year_ok(y0) or y0 != y1:
        return None
    if lo == hi:
        return f"{y0:04d}-{m0:02d}-{d0:02d}" + (f"T{time}" if time_ok(time) else "")
    if m0 == m1 and d0 == 1 and d1 == month_length(y1, m1):
        return f"{y0:04d}-{m0:02d}"
    if (m0, d0, m1, d1) == (1, 1, 12, 31):
        return f"{y0:04d}"
    return None


def schema_dates(r: Resolved | None) -> tuple[str | None, str | None]:
    """A dated thing's schema.org start and end dates, each None where it is not known exactly.

    A span (`a/b`) gives each end at its own precision, from that end's bounds (the written end,
    narrowed by the thing's other dates, if any); a point gives its start only, the one day,
    month or year it falls in. An end written with a qualifier, open (`..`) or unknown (empty)
    gives nothing, nor does a point with a qualifier.
    """
    if r is None:
        return None, None
    if r.kind != "span":
        if r.uncertain or r.approximate:
            return None, None
        return iso_date(r.earliest, r.latest, r.time), None
    written = r.written
    ends = []
    for bounds, part, missing in ((r.start_bounds, written.start if written else None, r.open_start or r.unknown_start),
                                  (r.end_bounds, written.end if written else None, r.open_end or r.unknown_end)):
        if missing or bounds is None or part is None or part.uncertain or part.approximate:
            ends.append(None)
            continue
        lo, hi = bounds
        ends.append(iso_date(lo, hi, part.time if part.time and (lo, hi) == (part.earliest, part.latest) else None))
    return ends[0], ends[1]


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
    start, end = schema_dates(model.dates.get(thing.iri))
    if "event" in thing.kinds:
        if start:
            data["startDate"] = start
        if end:
            data["endDate"] = end
        places = thing.iris(SEM + "hasPlace")
        if places:
            data["location"] = [_named(model, p, lang) for p in sorted(places)]
        actors = sorted({o for p, o in thing.statements if p in model.actor_roles and isinstance(o, str)})
        if actors:
            data["actor"] = [_named(model, a, lang) for a in actors]
    if "source" in thing.kinds:
        if start and not end:  # published on one day, in one month or year; a span is no date of publication
            data["datePublished"] = start
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
