"""Exports: the model in, the events as bytes out: CSV, JSON, GeoJSON, iCalendar and TimelineJS JSON.

`export(model, fmt)` makes one format; `site_exports(model)` makes the site's `data/events.*`;
`add_arguments()` and `run()` are the thin command `tarikh export FORMAT [--kb DIR] [-o FILE]`.
Every format is deterministic (same knowledge base, same bytes: no clock) and honest about dates:
an event's bounds are its earliest and latest possible days, its precision says what they amount
to, and no format shows a day the knowledge base does not give (a month-precision event spans its
month in a calendar and says so). docs/import-export.md documents each format's fields.
"""
from __future__ import annotations

import argparse
import csv
import html
import io
import json
import re
import sys
from dataclasses import dataclass
from functools import cache
from decimal import Decimal, InvalidOperation
from pathlib import Path

from . import datefmt
from .edtf import EDTFError, parse_edtf, xsd_date, ymd
from .engine import Lit
from .fragments import balance_bidi
from .model import Model
from .namespaces import DCTERMS, PROV, SCHEMA, SEM, SKOS, TL

FORMATS = ("csv", "json", "geojson", "ics", "timelinejs")
SITE_FILES = {"csv": "data/events.csv", "json": "data/events.json", "geojson": "data/events.geojson",
              "ics": "data/events.ics", "timelinejs": "data/timelinejs.json"}
ROLES = (("perpetrators", TL + "perpetrator"), ("targets", TL + "target"), ("participants", TL + "participant"),
         ("speakers", TL + "speaker"))
DTSTAMP = "19700101T000000Z"  # fixed, so that the same knowledge base gives the same calendar


@dataclass(frozen=True)
class Ref:
    """A thing an event points to: its IRI and its label in the first site language."""

    iri: str
    label: str


@dataclass(frozen=True)
class Row:
    """One event with everything the exports say about it, as plain values."""

    iri: str
    id: str
    labels: dict[str, str]  # exact language -> label
    types: tuple[Ref, ...]
    start: str | None  # earliest possible day (xsd:date), None for an open start
    end: str | None  # latest possible day
    earliest: int | None
    latest: int | None
    precision: str
    kind: str  # point, one-of, span
    written: str
    relative_to: str
    shown: dict[str, str]  # language -> the date as the site shows it
    roles: dict[str, tuple[Ref, ...]]
    places: tuple[Ref, ...]
    location: tuple[Decimal, Decimal, str] | None  # latitude, longitude, precision
    fatalities: tuple[int | None, int | None, int | None]  # low, best, high
    sources: tuple[Ref, ...]
    corroboration: int
    disputed: bool
    description: str


# ---- from the model to rows ----------------------------------------------------------------------------

def rows(model: Model) -> list[Row]:
    """Every dated event, in timeline order."""
    return [_row(model, iri) for iri in model.events if iri in model.dates]


def _row(model: Model, iri: str) -> Row:
    """One event as plain values: asserted statements only (claims are not assertions)."""
    from .views.common import label, local_name, pick
    from .views.things import is_disputed
    thing, r = model.things[iri], model.dates[iri]
    first = model.languages[0]

    def refs(iris) -> tuple[Ref, ...]:
        return tuple(Ref(i, balance_bidi(label(model, i, first).text)) for i in sorted(set(iris)))
    # a label's open bidi controls are closed where it ends, as on the site: joined with other
    # text (a date in a calendar's summary, a second actor in a cell) it cannot reverse that text
    labels = {lang: balance_bidi(x.value) for lang in model.languages if (x := _exact(thing.literals(SKOS + "prefLabel"), lang))}
    assigned = {p for _, p in ROLES}
    others = [o for p, o in thing.statements if p in model.actor_roles and p not in assigned and isinstance(o, str)]
    desc = pick(thing.literals(DCTERMS + "description"), first, model.languages)
    return Row(
        iri=iri, id=local_name(iri) if iri.startswith(model.id_ns) else iri, labels=labels,
        types=refs(thing.iris(SEM + "eventType")),
        start=xsd_date(r.earliest) if r.earliest is not None else None,
        end=xsd_date(r.latest) if r.latest is not None else None, earliest=r.earliest, latest=r.latest,
        precision=r.precision, kind=r.kind, written=r.written.text if r.written else "",
        relative_to=r.relative.anchor if r.relative else "",
        shown={lang: datefmt.format_date(r, lang) for lang in model.languages},
        roles={**{name: refs(thing.iris(p)) for name, p in ROLES}, "other_actors": refs(others)},
        places=refs(thing.iris(SEM + "hasPlace")), location=_location(model, thing.iris(SEM + "hasPlace")),
        fatalities=tuple(_count(thing, TL + p) for p in ("fatalitiesLow", "fatalities", "fatalitiesHigh")),
        sources=refs(thing.iris(PROV + "wasDerivedFrom")), corroboration=model.corroboration.get(iri, 0),
        disputed=bool(model.claims_about.get(iri)) and is_disputed(model, iri),
        description=desc.value if desc else "")


def _exact(lits: list[Lit], lang: str) -> Lit | None:
    return next((x for x in sorted(lits) if x.lang.lower() == lang), None)


def _count(thing, prop: str) -> int | None:
    lit = thing.first_literal(prop)
    try:
        return int(lit.value) if lit else None
    except ValueError:
        return None


def _location(model: Model, places: list[str]) -> tuple[Decimal, Decimal, str] | None:
    """The coordinates of the most precise place: its own, else the nearest containing place's (a region)."""
    best = None
    for place in sorted(places):
        iri, depth, seen = place, 0, set()
        while iri in model.things and iri not in seen:
            seen.add(iri)
            coords = _coords(model, iri)
            if coords:
                geo = model.things[iri].iris(TL + "geoPrecision")
                precision = geo[0].rsplit("#", 1)[-1].lower() if geo and depth == 0 else "region" if depth else ""
                if best is None or depth < best[0]:
                    best = (depth, (*coords, precision))
                break
            parents = model.things[iri].iris(SCHEMA + "containedInPlace")
            iri, depth = (parents[0] if parents else ""), depth + 1
    return best[1] if best else None


def _coords(model: Model, iri: str) -> tuple[Decimal, Decimal] | None:
    thing = model.things[iri]
    lat, lon = thing.first_literal(SCHEMA + "latitude"), thing.first_literal(SCHEMA + "longitude")
    try:
        la, lo = Decimal(lat.value), Decimal(lon.value)
    except (AttributeError, InvalidOperation):
        return None
    return (la, lo) if -90 <= la <= 90 and -180 <= lo <= 180 else None


# ---- CSV and JSON --------------------------------------------------------------------------------------

def columns(model: Model) -> list[str]:
    """The CSV columns (and JSON keys), in order."""
    return list(_columns(model.languages))


@cache
def _columns(languages: tuple[str, ...]) -> tuple[str, ...]:
    """columns() for these languages, made once (record() puts each event's values in their order)."""
    return ("id", "iri", *(f"label_{lang}" for lang in languages), "event_type", "date_start", "date_end",
            "date_precision", "date_kind", "date_text", "relative_to", "perpetrators", "targets", "participants",
            "speakers", "other_actors", "place", "latitude", "longitude", "location_precision", "fatalities_low",
            "fatalities_best", "fatalities_high", "sources", "corroboration", "disputed")


def record(model: Model, row: Row, refs) -> dict:
    """One event as a mapping of the columns; `refs` renders a list of things."""
    lat, lon, geo = row.location or (None, None, None)
    low, best, high = row.fatalities
    out = {"id": row.id, "iri": row.iri, **{f"label_{lg}": row.labels.get(lg) for lg in model.languages},
           "event_type": refs(row.types), "date_start": row.start, "date_end": row.end,
           "date_precision": row.precision, "date_kind": row.kind, "date_text": row.written or None,
           "relative_to": row.relative_to or None, **{k: refs(v) for k, v in row.roles.items()},
           "place": refs(row.places), "latitude": lat, "longitude": lon, "location_precision": geo,
           "fatalities_low": low, "fatalities_best": best, "fatalities_high": high, "sources": refs(row.sources),
           "corroboration": row.corroboration, "disputed": row.disputed}
    return {k: out[k] for k in _columns(model.languages)}


def to_csv(model: Model, events: list[Row], title: str = "") -> bytes:
    """RFC 4180 CSV (UTF-8, CRLF), one event a row, several values joined by "; "."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns(model))
    for row in events:
        rec = record(model, row, lambda refs: "; ".join(r.label for r in refs))
        writer.writerow([_cell(_plain(v)) for v in rec.values()])
    return buf.getvalue().encode("utf-8")


def _plain(value) -> str:
    """A value as CSV text: booleans as true/false, decimals in positional notation (never 1E-7)."""
    if value is True or value is False:
        return "true" if value else "false"
    if value is None:
        return ""
    return _decimal(value) if isinstance(value, Decimal) else str(value)


def _decimal(value: Decimal) -> str:
    """A decimal as digits and a point: what RFC 5545's FLOAT and a spreadsheet read (str() of a
    Decimal can write exponents: Decimal("0.0000001") is "1E-7")."""
    return format(value, "f")


def _cell(text: str) -> str:
    """A CSV cell a spreadsheet will not run: text that starts like a formula gets a leading "'"."""
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        if _BCE_DATE.match(text) or _bce_edtf(text):
            return text  # an astronomical year before 1 (-0232-01-01, -0599~) is data, not a formula
        try:
            Decimal(text)
        except InvalidOperation:
            return "'" + text
    return text


_BCE_DATE = re.compile(r"^-\d{4,}(-\d\d(-\d\d)?)?$")


def _bce_edtf(text: str) -> bool:
    """A BCE date as written in EDTF ("-0599~", "-05XX", "-0599/-0500"): digits, X, qualifiers,
    '-', '/' and '.' only, nothing a spreadsheet could call or refer to."""
    if not _BCE_EDTF_CHARS.match(text):
        return False
    try:
        parse_edtf(text)
    except EDTFError:
        return False
    return True


_BCE_EDTF_CHARS = re.compile(r"^-[0-9X?~%/.-]+$")


def to_json(model: Model, events: list[Row], title: str = "") -> bytes:
    """The same as the CSV as JSON objects, with IRIs for every thing referred to."""
    out = []
    for row in events:
        rec = record(model, row, lambda refs: [{"iri": r.iri, "label": r.label} for r in refs])
        rec["latitude"], rec["longitude"] = _num(rec["latitude"]), _num(rec["longitude"])
        rec["date_display"] = row.shown
        out.append(rec)
    doc = {"id_namespace": model.id_ns, "languages": list(model.languages), "columns": columns(model),
           "events": out}
    return _dumps(doc)


def _num(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))


def _dumps(doc: dict) -> bytes:
    """A JSON document a member a line, and each item of a list (an event, a feature) on a line of
    its own: readable, a change shows as a changed line, and json's C encoder writes it (`indent=`
    makes json use its pure-Python one: 0.6 s of the 1.3 s these files took at 10,000 events)."""
    members = []
    for key, value in doc.items():
        if isinstance(value, list) and value:
            items = ",\n    ".join(_JSON.encode(item) for item in value)
            members.append(f"  {_JSON.encode(key)}: [\n    {items}\n  ]")
        else:
            members.append(f"  {_JSON.encode(key)}: {_JSON.encode(value)}")
    return ("{\n" + ",\n".join(members) + "\n}\n").encode("utf-8")


# ---- GeoJSON -------------------------------------------------------------------------------------------

def to_geojson(model: Model, events: list[Row], title: str = "") -> bytes:
    """An RFC 7946 FeatureCollection of the located events: Points in (longitude, latitude)."""
    features = []
    for row in events:
        if row.location is None:
            continue
        lat, lon, _ = row.location
        props = record(model, row, lambda refs: "; ".join(r.label for r in refs))
        for key in ("latitude", "longitude"):
            del props[key]
        features.append({"type": "Feature", "id": row.iri,
                         "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
                         "properties": props})
    return _dumps({"type": "FeatureCollection", "features": features})


# ---- iCalendar -----------------------------------------------------------------------------------------

def to_ics(model: Model, events: list[Row], title: str = "") -> bytes:
    """RFC 5545: one all-day VEVENT per event, spanning every day it may have been on."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Tarikh//tarikh export//EN", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", "X-WR-CALNAME:" + _ics_text(title or model.id_ns)]
    for row in events:
        if row.earliest is None or row.latest is None:
            continue  # an open end has no honest calendar span
        (y0, _, _), (y1, _, _) = ymd(row.earliest), ymd(row.latest + 1)
        if y0 < 1 or y1 > 9999:
            continue  # iCalendar dates are years 0001–9999
        lines += _vevent(model, row)
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines).encode("utf-8")


def _vevent(model: Model, row: Row) -> list[str]:
    first = model.languages[0]
    label = row.labels.get(first) or next(iter(row.labels.values()), row.id)
    r = model.dates[row.iri]
    # the entry's day stands as certain in a calendar: a day only probably or about right, like
    # a wider period, says how it is known in the summary, which is what a calendar shows
    plain = row.earliest == row.latest and not (r.uncertain or r.approximate)
    summary = label if plain else f"{label} ({row.shown[first]})"
    out = ["BEGIN:VEVENT", f"UID:{row.iri}", f"DTSTAMP:{DTSTAMP}",
           f"DTSTART;VALUE=DATE:{_ics_date(row.earliest)}", f"DTEND;VALUE=DATE:{_ics_date(row.latest + 1)}",
           "SUMMARY:" + _ics_text(summary), "DESCRIPTION:" + _ics_text(_description(model, row)),
           "URL;VALUE=URI:" + row.iri, "TRANSP:TRANSPARENT"]
    if row.places:
        out.append("LOCATION:" + _ics_text("; ".join(p.label for p in row.places)))
    if row.location:
        out.append(f"GEO:{_decimal(row.location[0])};{_decimal(row.location[1])}")
    if row.types:
        out.append("CATEGORIES:" + ",".join(_ics_text(t.label) for t in row.types))
    return out + ["END:VEVENT"]


def _description(model: Model, row: Row) -> str:
    """The event in a few plain lines: date and what it means, labels, actors, place, numbers, sources."""
    first = model.languages[0]
    if row.earliest == row.latest:
        when = f"Date: {row.shown[first]}."
    elif row.kind == "span":
        when = f"Date: {row.shown[first]}; the entry covers every day it may have lasted."
    elif row.kind == "one-of":
        when = f"Date: {row.shown[first]}; not known which day, so the entry covers them all."
    else:
        when = f"Date: {row.shown[first]}; not known more precisely, so the entry covers the whole period."
    lines = [when] + [f"{lg}: {text}" for lg, text in row.labels.items() if lg != first]
    lines += [f"{name.replace('_', ' ').capitalize()}: {'; '.join(r.label for r in refs)}"
              for name, refs in row.roles.items() if refs]
    if row.places:
        lines.append("Place: " + "; ".join(p.label for p in row.places))
    low, best, high = row.fatalities
    if best is not None or low is not None:
        lines.append("Fatalities: " + ", ".join(f"{k} {v}" for k, v in (("low", low), ("best", best), ("high", high))
                                                 if v is not None))
    if row.sources:
        lines.append("Sources: " + "; ".join(s.label for s in row.sources)
                     + f" (independent origins: {row.corroboration})")
    if row.disputed:
        lines.append("Sources disagree about this event.")
    return "\n".join(lines + [row.iri])


def _ics_date(n: int) -> str:
    y, m, d = ymd(n)
    return f"{y:04d}{m:02d}{d:02d}"


_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _ics_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11); control characters, which TEXT cannot hold (only a
    tab, and line breaks written as \\n), are left out."""
    value = _CONTROLS.sub("", value)
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 sequence (RFC 5545 3.1)."""
    if len(line) <= 18 or len(line.encode("utf-8")) <= 75:  # most lines: nothing to fold
        return line
    out, current, size = [], "", 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += ch
        size += width
    return "\r\n".join(out + [current])


# ---- TimelineJS ----------------------------------------------------------------------------------------

def to_timelinejs(model: Model, events: list[Row], title: str = "") -> bytes:
    """TimelineJS JSON: dates at their precision (a year, a month, a day), the site's words for them."""
    first = model.languages[0]
    out = []
    for row in events:
        r = model.dates[row.iri]
        start_bounds = r.start_bounds if r.kind == "span" and r.start_bounds else (r.earliest, r.latest)
        end_bounds = r.end_bounds if r.kind == "span" and r.end_bounds else None
        start, across = _tl_date(*start_bounds)
        if start is None and end_bounds:
            # known at its end only ("../2019-11-15"): placed at that end, as on the timeline;
            # display_date says "until …"
            start, across, end_bounds = _tl_date(*end_bounds)[0], None, None
        if start is None:
            continue  # TimelineJS needs a start
        ev = {"unique_id": row.id, "start_date": {**start, "display_date": row.shown[first]},
              "display_date": row.shown[first], "text": {"headline": html.escape(_label(model, row)),
                                                         "text": _tl_text(model, row)}}
        end = _tl_date(*end_bounds)[0] if end_bounds else across
        if end:
            ev["end_date"] = end
        if row.types:
            ev["group"] = row.types[0].label
        out.append(ev)
    return _dumps({"title": {"text": {"headline": html.escape(title or model.id_ns),
                                      "text": f"{len(out)} events"}}, "events": out})


def _label(model: Model, row: Row) -> str:
    return row.labels.get(model.languages[0]) or next(iter(row.labels.values()), row.id)


def _tl_date(lo: int | None, hi: int | None) -> tuple[dict | None, dict | None]:
    """The smallest calendar unit holding both days, as a TimelineJS date (and an end year across years)."""
    if lo is None or hi is None:
        n = lo if lo is not None else hi
        return ({"year": _tl_year(ymd(n)[0])} if n is not None else None), None
    (y0, m0, d0), (y1, m1, d1) = ymd(lo), ymd(hi)
    if y0 != y1:
        return {"year": _tl_year(y0)}, {"year": _tl_year(y1)}
    if m0 != m1:
        return {"year": _tl_year(y0)}, None
    if d0 != d1:
        return {"year": _tl_year(y0), "month": m0}, None
    return {"year": _tl_year(y0), "month": m0, "day": d0}, None


def _tl_year(astronomical: int) -> int:
    """TimelineJS shows year -N as "N BCE": astronomical 0 is 1 BCE, so -1 there."""
    return astronomical if astronomical > 0 else astronomical - 1


def _tl_text(model: Model, row: Row) -> str:
    from .descriptions import to_html  # the site's own Markdown, sanitised
    # a link to a thing goes to its page by the thing's IRI, which is that page's address
    links = tuple((i, i) for i in model.description_links.get(row.iri, ()) if i in model.things)
    parts = [to_html(row.description, model.id_ns, links)] if row.description.strip() else []
    actors = [r.label for refs in row.roles.values() for r in refs]
    if row.places or actors:
        parts.append("<p>" + html.escape(" · ".join([*(p.label for p in row.places), *actors])) + "</p>")
    parts.append(f'<p><a href="{html.escape(row.iri)}">{html.escape(row.iri)}</a></p>')
    return "".join(parts)


# ---- entry points --------------------------------------------------------------------------------------

MAKERS = {"csv": to_csv, "json": to_json, "geojson": to_geojson, "ics": to_ics, "timelinejs": to_timelinejs}


def export(model: Model, fmt: str, title: str = "", events: list[Row] | None = None) -> bytes:
    """The events of the model in one format (`title` names the calendar and the timeline)."""
    if fmt not in MAKERS:
        raise ValueError(f"unknown export format {fmt!r}: one of {', '.join(FORMATS)}")
    return MAKERS[fmt](model, rows(model) if events is None else events, title)


def site_exports(model: Model, title: str = "") -> dict[str, bytes]:
    """The site's `data/` exports: path -> bytes."""
    events = rows(model)
    return {path: export(model, fmt, title, events) for fmt, path in SITE_FILES.items()}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of `tarikh export` (including --kb)."""
    parser.add_argument("format", choices=FORMATS, help="the format to write")
    parser.add_argument("--kb", default="kb", help="knowledge-base folder (holds site.toml and the Turtle files)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output (- is standard output)")


def _in_kb(kb_dir: str, output: str) -> bool:
    """True when the file `output` is, or lies in, the knowledge-base folder (through a link too)."""
    kb, out = Path(kb_dir).resolve(), Path(output)
    return any(p == kb or kb in p.parents for p in (out.resolve(), out.parent.resolve() / out.name))


def run(args) -> int:
    """Run `tarikh export`: check, extract, write; return the exit code."""
    from .engine import Engine
    from .extract import extract
    from .kb import open_kb
    from .problems import format_problems, has_errors
    from .site import diagnose
    if not Path(args.kb).is_dir():
        print(f"tarikh: error: no knowledge-base folder at {args.kb}", file=sys.stderr)
        return 2
    if args.output == "-":
        args.output = None  # as for tarikh query's QUERY, "-" is the standard stream
    if args.output and _in_kb(args.kb, args.output):
        # "-o kb/events.ttl" would replace a file of the knowledge base with the export
        print(f"tarikh: error: refusing to write {args.output}: it is inside the knowledge base {args.kb}, "
              "and tarikh never writes into the knowledge base", file=sys.stderr)
        print(f"    hint: write it beside the knowledge base, for example -o {Path(args.output).name}",
              file=sys.stderr)
        return 2
    kb = open_kb(args.kb)
    problems, resolved, _ = diagnose(kb)
    if has_errors(problems, False):
        print(format_problems([p for p in problems if p.is_error]), file=sys.stderr)
        print("tarikh: nothing was exported: the knowledge base has errors", file=sys.stderr)
        return 1
    config = kb.config
    model = extract(Engine(kb.store), config.id_ns, config.languages, resolved)
    data = export(model, args.format, config.title.get(config.default_language, ""))
    if args.output:
        try:
            Path(args.output).write_bytes(data)
        except OSError as exc:
            print(f"tarikh: error: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
            return 2
    else:
        sys.stdout.buffer.write(data)
    return 0
