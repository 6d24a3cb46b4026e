"""Maps: the model in, the `/map/` page of every language and the map of each place and event page out.

A location is drawn by its precision (`tl:geoPrecision`): an exact point as a marker, a "near"
one as a circle a few kilometres wide, a region as a large translucent circle; a place without
coordinates is drawn where the nearest place containing it is, as a region (`client.locate`).
Every map also lists its coordinates in a table, so that a page without JavaScript or without
tiles still says where things are.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..config import SiteConfig
from ..dates import group_key, start_year
from ..model import Model
from ..namespaces import SEM, TL
from .client import Located, filter_hierarchy, key_of, locate
from .common import Ref, format_coordinate, format_number, lang_prefix, ref
from .things import TimelineEntry, timeline

PRECISION_TERM = {"exact": TL + "Exact", "near": TL + "Near", "region": TL + "Region"}


@dataclass(frozen=True)
class MapPoint:
    """One located place as a map and its table show it."""

    key: str  # the located place's key (views/client.py)
    place: Ref  # the place as given (an event's place, or the page's place)
    via: Ref | None  # the containing place whose coordinates stand in, if any
    lat: float
    lon: float
    lat_text: str
    lon_text: str
    precision: str  # "exact", "near", "region", "unspecified"
    precision_ref: Ref | None  # the vocabulary term, for its label


@dataclass(frozen=True)
class MapView:
    """What a map widget needs: its own points and where the tiles come from."""

    points: tuple[MapPoint, ...]
    tiles: str
    attribution: str


@dataclass(frozen=True)
class MapRow:
    """An event on the map page: its entry (date, label, type, actors) and one located place."""

    entry: TimelineEntry
    point: MapPoint


def map_point(model: Model, loc: Located, lang: str, digits: str | None) -> MapPoint:
    """A location as shown: labels, coordinates in the page's digits, precision term."""
    term = PRECISION_TERM.get(loc.precision)
    return MapPoint(key_of(model, loc.via), ref(model, loc.place, lang),
                    ref(model, loc.via, lang) if loc.via != loc.place else None,
                    loc.lat, loc.lon, format_coordinate(loc.lat, lang, digits), format_coordinate(loc.lon, lang, digits),
                    loc.precision,
                    ref(model, term, lang) if term else None)


def map_view(model: Model, config: SiteConfig, locations, lang: str) -> MapView:
    """A map widget of some locations, with the site's tiles."""
    digits = config.digits.get(lang)
    return MapView(tuple(map_point(model, loc, lang, digits) for loc in locations),
                   config.map_tiles, config.map_attribution)


def map_context(model: Model, config: SiteConfig, iri: str, lang: str) -> dict:
    """The `geo` of a thing's page: a place's own location, a located event's places; else nothing."""
    thing = model.things.get(iri)
    if thing is None:
        return {}
    if "event" in thing.kinds:
        found = [loc for p in sorted(set(thing.iris(SEM + "hasPlace"))) if (loc := locate(model, p))]
        return {"geo": map_view(model, config, found, lang)} if found else {}
    if "place" in thing.kinds:
        loc = locate(model, iri)
        return {"geo": map_view(model, config, [loc] if loc else [], lang)}
    return {}


@dataclass(frozen=True)
class MapPeriod:
    """The located events of one month (or year, or of no single year), as one table."""

    id: str  # an HTML id: "p-2024-02", "p-2024", "p-several"
    title: str | None  # None: events across several years
    rows: tuple[MapRow, ...]
    start: str | None = None  # across several years: the year they may start in, as the page writes it


def map_periods(model: Model, entries, lang: str, digits: str | None) -> tuple[MapPeriod, ...]:
    """Located events grouped as the home page groups them, by month, else year, in time order.

    What spans or may fall in several years (`001X`, one day between 293 and 303) is grouped by
    the year it may start in, as the home page lists it under that year: one group for all of
    them, made where the first comes, would put the 290s before the year 32.
    """
    from .site import period_text  # site.py lists this module's pages
    periods: dict[tuple, list[MapRow]] = {}
    for entry in entries:
        r = model.dates[entry.iri]
        y, m, _ = group_key(r)
        places = sorted(set(model.things[entry.iri].iris(SEM + "hasPlace")))
        rows = [MapRow(entry, map_point(model, loc, lang, digits)) for p in places if (loc := locate(model, p))]
        if rows:
            key = (y, m) if y is not None else ("several", start_year(r))
            periods.setdefault(key, []).extend(rows)
    return tuple(MapPeriod(_several_id(key[1]) if key[0] == "several" else f"p-{key[0]}" + (f"-{key[1]:02d}" if key[1] else ""),
                           None if key[0] == "several" else period_text(key[0], key[1], lang, digits), tuple(rows),
                           period_text(key[1], None, lang, digits) if key[0] == "several" and key[1] is not None else None)
                 for key, rows in periods.items())


def _several_id(year: int | None) -> str:
    """The HTML id of a group across several years: one a year it starts in ("p-several-0293")."""
    if year is None:
        return "p-several"
    return f"p-several-{'m' if year < 0 else ''}{abs(year):04d}"


def map_page(model: Model, config: SiteConfig, lang: str):
    """`map/index.html` in one language: every located event on a map and in tables by month."""
    from .site import Deferred, Page  # site.py lists this module's pages
    base = "map/index.html"
    return Page(lang_prefix(model, lang) + base, "map.html", Deferred(_map_page_context, model, config, lang), lang, base)


def _map_page_context(model: Model, config: SiteConfig, lang: str) -> dict:
    from .site import base_context
    digits = config.digits.get(lang)
    entries = timeline(model, model.events, lang, digits)
    periods = map_periods(model, entries, lang, digits)
    shown = {r.entry.iri for p in periods for r in p.rows}
    located = len(shown)
    return {**base_context(model, config, lang, "map/index.html", "map"), "periods": periods,
            "filter_hierarchy": filter_hierarchy(model, sorted(shown), lang),
            "geo": MapView((), config.map_tiles, config.map_attribution),
            "located_n": located, "located": format_number(located, lang, digits),
            "unlocated_n": len(entries) - located,
            "unlocated": format_number(len(entries) - located, lang, digits)}
