"""schema.org dates in each page's JSON-LD (views/jsonld.py, docs/format.md 7.6): startDate and
endDate at the precision each end is written, ISO 8601 that consumers read, and nothing where a
date is open, qualified, partly unspecified or before year 1."""
from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from builder.site import build
from conftest import make_kb

SITE_TOML = 'base_url = "https://example.org/"\nlanguages = ["en"]\n[title]\nen = "Dates in JSON-LD"\n'

# slug: (what is written, the startDate, the endDate); None where the property must be absent
DATES = {
    "span-years": ("0270/0273", "0270", "0273"),
    "span-days": ("2016-03-07/2016-03-27", "2016-03-07", "2016-03-27"),
    "span-long": ("1963/2003", "1963", "2003"),
    "span-open": ("2019/..", "2019", None),
    "span-unknown-end": ("2014/", "2014", None),
    "span-open-start": ("../2014-05", None, "2014-05"),
    "span-months": ("2015-06/2016-01-15", "2015-06", "2016-01-15"),
    "span-qualified-start": ("2016-03~/2016-04-02", None, "2016-04-02"),
    "span-qualified-end": ("2016-03-01/2016-04?", "2016-03-01", None),
    "span-bce": ("-0040/0273", None, "0273"),
    "span-decade-start": ("201X/2019-05", None, "2019-05"),
    "span-one-day": ("2024-01-27/2024-01-27", "2024-01-27", "2024-01-27"),
    "day": ("2024-01-29", "2024-01-29", None),
    "timed": ("2024-01-29T14:30:00Z", "2024-01-29T14:30:00Z", None),
    "month": ("2024-02", "2024-02", None),
    "year": ("0129", "0129", None),
    "year-unspecified-months": ("2024-XX", "2024", None),
    "uncertain": ("2024-02-21?", None, None),
    "approximate": ("2023-12~", None, None),
    "both": ("2024-02-21%", None, None),
    "century": ("19XX", None, None),
    "decade": ("201X", None, None),
    "some-days": ("2024-01-2X", None, None),
    "some-months": ("2024-1X", None, None),
    "range": ("[2024-01-27..2024-01-29]", None, None),
    "season": ("2024-22", None, None),
    "bce": ("-0232", None, None),
    "year-zero": ("0000", None, None),
}


def _kb() -> dict:
    events = "".join(f'id:{slug} a sem:Event ; skos:prefLabel "{slug}"@en ; sem:eventType tl:Meeting ; '
                     f'dcterms:date "{written}"^^edtf:EDTF ; prov:wasDerivedFrom id:src .\n'
                     for slug, (written, _, _) in DATES.items())
    # a relative date: the day after a day
    events += ('id:next-day a sem:Event ; skos:prefLabel "next day"@en ; sem:eventType tl:Meeting ; '
               'tl:relativeDate [ tl:anchor id:day ; tl:offset "P1D"^^xsd:dayTimeDuration ] ; '
               'prov:wasDerivedFrom id:src .\n')
    return {"things.ttl": """
        id:pub a sem:Actor , schema:Organization ; skos:prefLabel "Publisher"@en .
        id:src a prov:Entity , schema:NewsArticle ; dcterms:title "Report"@en ; dcterms:publisher id:pub ;
            dcterms:issued "2025-03-01"^^edtf:EDTF .
        id:src-probably a prov:Entity , schema:NewsArticle ; dcterms:title "Undated report"@en ;
            dcterms:publisher id:pub ; dcterms:issued "2025-03-02?"^^edtf:EDTF .
        """, "events.ttl": events}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("jsonld-dates")
    out = root / "out"
    build(make_kb(root, _kb(), site_toml=SITE_TOML), out)
    return out


def jsonld(site: Path, slug: str) -> tuple[dict, str]:
    html = (site / "id" / slug / "index.html").read_text(encoding="utf-8")
    text = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    return json.loads(text), text


@pytest.mark.parametrize("slug", sorted(DATES))
def test_start_and_end_dates_as_written(site: Path, slug: str):
    written, start, end = DATES[slug]
    doc, _ = jsonld(site, slug)
    assert (doc.get("startDate"), doc.get("endDate")) == (start, end), written


def test_a_relative_date_gives_the_day_it_comes_to(site: Path):
    doc, _ = jsonld(site, "next-day")
    assert doc.get("startDate") == "2024-01-30" and "endDate" not in doc


def test_a_source_is_published_on_its_date_unless_qualified(site: Path):
    assert jsonld(site, "src")[0]["datePublished"] == "2025-03-01"
    assert "datePublished" not in jsonld(site, "src-probably")[0]


# ---- every page: the JSON-LD parses and its dates are ISO 8601 within the thing's bounds -----------

ISO = re.compile(r"(?P<y>[0-9]{4})(?:-(?P<m>[0-9]{2})(?:-(?P<d>[0-9]{2})(?P<t>T[0-9:.]+(?:Z|[+-][0-9]{2}:[0-9]{2})?)?)?)?")


def extent(value: str) -> tuple[date, date]:
    """The first and last day an ISO 8601 date (year, year-month, date or date-time) covers; raises
    if it is not one."""
    m = ISO.fullmatch(value)
    assert m, f"{value!r} is not an ISO 8601 date schema.org takes"
    y = int(m["y"])
    if m["t"]:
        day = datetime.fromisoformat(value).date()
        return day, day
    if m["d"]:
        day = date.fromisoformat(value)
        return day, day
    if m["m"]:
        first = date(y, int(m["m"]), 1)
        after = date(y + 1, 1, 1) if first.month == 12 else date(y, first.month + 1, 1)
        return first, date.fromordinal(after.toordinal() - 1)
    return date(y, 1, 1), date(y, 12, 31)


def day(iso: str | None) -> date | None:
    """An ISO day of the data file, None before year 1 (which Python's date cannot hold)."""
    return date.fromisoformat(iso) if iso and not iso.startswith(("-", "0000")) else None


def test_every_page_s_jsonld_reads_back_and_its_dates_say_no_more_than_the_bounds(site: Path):
    bounds = {e["iri"]: e for e in json.loads((site / "data" / "timeline-en.json").read_text(encoding="utf-8"))["events"]}
    seen = 0
    for page in sorted(site.glob("id/*/index.html")):
        doc, text = jsonld(site, page.parent.name)
        graph = Graph().parse(data=text, format="json-ld")  # valid JSON-LD, not just JSON
        assert (URIRef(doc["@id"]), None, None) in graph
        dates = {k: doc[k] for k in ("startDate", "endDate", "datePublished") if k in doc}
        for value in dates.values():
            extent(value)
        event = bounds.get(doc["@id"])
        if event is None:
            continue
        lo, hi = day(event["earliest"]), day(event["latest"])
        if "startDate" in dates and lo:
            assert extent(dates["startDate"])[0] >= lo, page
        if "endDate" in dates and hi:
            assert extent(dates["endDate"])[1] <= hi, page
        if "startDate" in dates and "endDate" in dates:
            assert extent(dates["startDate"])[0] <= extent(dates["endDate"])[1], page
        seen += bool(dates)
    assert seen >= 15
