"""What the widgets read: data/timeline-<lang>.json, the data-* attributes of list entries, the
map page and the maps of place and event pages (views/client.py, views/maps.py)."""
from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

from timelinekit import DAYS, build_site, shared_site


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return shared_site(tmp_path_factory)


def data(site: Path, lang: str = "en") -> dict:
    return json.loads((site / "data" / f"timeline-{lang}.json").read_text(encoding="utf-8"))


def events(site: Path, lang: str = "en") -> dict:
    return {e["key"]: e for e in data(site, lang)["events"]}


def test_the_file_is_compact_sorted_and_in_timeline_order(site):
    raw = (site / "data" / "timeline-en.json").read_text(encoding="utf-8")
    doc = json.loads(raw)
    assert raw == json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    keys = [e["key"] for e in doc["events"]]
    assert keys[:2] == ["ev-bce", "ev-early"] and keys[-1] == "ev-timed"
    assert doc["count"] == len(keys) == DAYS + 6
    assert {"ar", "en"} == {p.stem.split("-")[1] for p in (site / "data").glob("timeline-*.json")}


def test_dates_are_iso_days_with_four_digit_astronomical_years(site):
    ev = events(site)
    assert (ev["ev-bce"]["earliest"], ev["ev-bce"]["latest"], ev["ev-bce"]["precision"]) == ("-0232-01-01", "-0232-12-31", "year")
    assert ev["ev-early"]["earliest"] == "0050-06-15"
    month = ev["ev-month"]
    assert (month["earliest"], month["latest"], month["kind"], month["precision"]) == ("2024-02-01", "2024-02-29", "point", "month")
    assert month["date"] == "February 2024"
    assert ev["ev-uncertain"]["uncertain"] is True
    assert ev["ev-span"]["kind"] == "span" and ev["ev-span"]["core"] == ["2024-03-10", "2024-03-12"]
    assert ev["ev-timed"]["time"] == "10:00:00Z"


def test_facts_of_an_event(site):
    month = events(site)["ev-month"]
    assert month["href"] == "id/ev-month/" and month["label"] == "Month event"
    assert month["types"] == ["tl:Statement"]
    assert month["actors"] == [{"actor": "faction-x", "role": "tl:speaker"}]
    assert month["sources"] == ["src-a", "src-b"] and month["corroboration"] == 2
    assert month["statuses"] == ["tl:Claimed", "tl:Denied"] and month["disputed"] is True
    assert month["geo"] == [{"place": "village", "lat": 34.45, "lon": 40.92, "precision": "near", "via": "village"}]
    things = data(site)["things"]
    assert things["tl:Statement"]["label"] == "statement" and things["faction-x"]["href"] == "id/faction-x/"
    assert things["village"]["lat"] == 34.45


def test_a_place_without_coordinates_is_located_by_the_place_containing_it_as_a_region(site):
    geo = events(site)["ev-uncertain"]["geo"]
    assert geo == [{"place": "compound", "lat": 33.3, "lon": 44.4, "precision": "region", "via": "city"}]
    assert events(site)["ev-bce"]["geo"][0]["precision"] == "region"
    assert events(site)["day-01"]["geo"][0]["precision"] == "exact"
    assert events(site)["day-02"]["geo"] == []


def test_facets_count_every_choice(site):
    facets = {name: dict(map(tuple, values)) for name, values in data(site)["facets"].items()}
    assert facets["type"]["tl:Meeting"] == DAYS // 2
    assert facets["type"]["tl:Deployment"] == 2
    assert facets["corroboration"] == {"single": DAYS + 5, "several": 1}
    assert facets["status"] == {"tl:Claimed": 1, "tl:Denied": 1}
    assert facets["source"]["src-b"] == 4
    # a place counts the events within it, a type those of narrower types, as their pages list them:
    # the odd days at the city and the uncertain event at the compound within it; the even days,
    # the span and the shelling (shelling > strike > attack)
    assert facets["place"]["city"] == DAYS // 2 + 1 and facets["place"]["compound"] == 1
    assert facets["type"]["tl:Attack"] == DAYS // 2 + 2 and facets["type"]["tl:Strike"] == 1


def test_labels_fall_back_and_say_their_language(site):
    ar = events(site, "ar")
    assert ar["ev-month"]["label"] == "حدث الشهر" and "label_lang" not in ar["ev-month"]
    assert ar["ev-early"]["label"] == "Early event" and ar["ev-early"]["label_lang"] == "en"
    assert ar["ev-month"]["href"] == "ar/id/ev-month/"


def entry_attributes(html: str, key: str) -> dict:
    tag = re.search(rf'<(li|tr) class="entry[^"]*"[^>]*data-key="{key}"[^>]*>', html).group(0)
    return {k: unescape(v) for k, v in re.findall(r'data-([a-z]+)="([^"]*)"', tag)}


def test_list_entries_carry_what_the_widgets_read(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    month = entry_attributes(html, "ev-month")
    assert month["start"] == "2024-02-01" and month["end"] == "2024-02-29" and "kind" not in month
    assert month["types"] == "tl:Statement" and month["actors"] == "faction-x" and month["places"] == "village"
    assert month["statuses"] == "tl:Claimed tl:Denied" and month["sources"] == "src-a src-b"
    assert month["corroboration"] == "2" and month["geo"] == "34.45,40.92,near,village"
    assert month["names"].split("\n") == ["src-a\tReport A", "src-b\tReport B", "tl:Claimed\tclaimed", "tl:Denied\tdenied"]
    uncertain = entry_attributes(html, "ev-uncertain")
    assert uncertain["q"] == "u" and uncertain["geo"] == "33.3,44.4,region,city"
    assert "city\tExact City" in uncertain["names"].split("\n")
    span = entry_attributes(html, "ev-span")
    assert span["kind"] == "span" and span["core"] == "2024-03-10/2024-03-12"
    day = entry_attributes(html, "day-02")  # the usual values are left out
    assert day["start"] == "2024-01-02" and not {"end", "kind", "corroboration", "geo", "places"} & set(day)
    # every list of events has them: an actor's page, a period's
    assert entry_attributes((site / "id" / "faction-x" / "index.html").read_text(encoding="utf-8"), "ev-month")
    assert entry_attributes((site / "timeline" / "2024" / "02" / "index.html").read_text(encoding="utf-8"), "ev-month")


def test_lists_of_events_without_filters_carry_only_their_keys(site):
    """A type's page and a source's page load no filters.js: what the widgets read would be dead
    weight there (/events/, a table now, had a third of its bytes in them: 2.4 of 8.2 MB at
    10,000 events)."""
    for page in ("vocab/Statement/index.html", "ar/vocab/Statement/index.html", "id/src-a/index.html"):
        html = (site / page).read_text(encoding="utf-8")
        assert "filters.js" not in html, page
        tags = re.findall(r'<li class="entry[^"]*"[^>]*>', html)
        assert tags, page
        assert {name for t in tags for name in re.findall(r' data-([a-z]+)=', t)} == {"key"}, page


def test_the_map_page_lists_every_located_event_with_its_coordinates(site):
    for prefix in ("", "ar/"):
        html = (site / prefix / "map" / "index.html").read_text(encoding="utf-8")
        rows = re.findall(r'<tr class="entry[^"]*"[^>]*data-key="([^"]+)"', html)
        assert len(rows) == DAYS // 2 + 3
        assert "day-02" not in rows and "ev-bce" in rows
        assert 'data-tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in html
        assert "OpenStreetMap" in html


def test_place_and_event_pages_list_their_coordinates(site):
    html = (site / "id" / "ev-uncertain" / "index.html").read_text(encoding="utf-8")
    assert 'data-geo="33.3,44.4,region,city"' in html and "tl-coordinates" in html
    city = (site / "id" / "city" / "index.html").read_text(encoding="utf-8")
    assert 'data-geo="33.3,44.4,exact,city"' in city
    assert 'class="tl-map"' not in (site / "id" / "ev-early" / "index.html").read_text(encoding="utf-8")


ONE_PLACE = {"one.ttl": """
    id:agency a sem:Actor , schema:NewsMediaOrganization ; skos:prefLabel "Agency"@en .
    id:src a prov:Entity , schema:NewsArticle ; dcterms:title "Report"@en ; dcterms:publisher id:agency .
    id:town a sem:Place , schema:City ; skos:prefLabel "Town"@en ;
        schema:latitude 33.3 ; schema:longitude 44.4 ; tl:geoPrecision tl:Exact .
    id:ev a sem:Event ; skos:prefLabel "Event"@en ; sem:hasPlace id:town ;
        dcterms:date "2024-01-02"^^edtf:EDTF ; prov:wasDerivedFrom id:src .
    """}


def test_tiles_come_from_site_toml(tmp_path):
    from conftest import SITE_TOML, make_kb
    kb = make_kb(tmp_path, ONE_PLACE, site_toml=SITE_TOML + '[map]\ntiles = "https://tiles.example.org/{z}/{x}/{y}.png"\n'
                                                               'attribution = "© Example & friends"\n')
    out = build_site(kb, tmp_path / "output")
    for page in ("map/index.html", "id/town/index.html", "ar/id/ev/index.html"):
        html = (out / page).read_text(encoding="utf-8")
        assert 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in html, page
        assert 'data-attribution="© Example &amp; friends"' in html, page


# A place whose coordinates have more decimals than a count shows, on pages of every digits.
COORDINATES = {"place.ttl": """
    id:agency a sem:Actor , schema:NewsMediaOrganization ; skos:prefLabel "Agency"@en .
    id:src a prov:Entity , schema:NewsArticle ; dcterms:title "Report"@en ; dcterms:publisher id:agency .
    id:port a sem:Place , schema:City ; skos:prefLabel "Port"@en , "الميناء"@ar ;
        schema:latitude 15.5 ; schema:longitude -42.95451 ; tl:geoPrecision tl:Exact .
    id:ev a sem:Event ; skos:prefLabel "Event"@en ; sem:hasPlace id:port ;
        dcterms:date "2024-01-02"^^edtf:EDTF ; prov:wasDerivedFrom id:src .
    """}


def _coordinate_texts(html: str) -> list[str]:
    """The coordinates a page writes: the cells of its table of coordinates (the map page's, a map
    widget's) and a place's position."""
    texts = [unescape(t) for t in re.findall(r"<td><bdi>([^<]*)</bdi></td>", html)]
    position = re.search(r'<span class="geo"[^>]*>([^<]*)</span>', html)
    return texts + ([unescape(position.group(1))] if position else [])


@pytest.mark.parametrize("digits", ["arab", "latn"])
def test_coordinates_are_written_in_one_numbering_system_with_every_decimal(tmp_path, digits):
    """With [digits] ar = "arab", every coordinate is in Arabic-Indic digits with the Arabic
    decimal sign (as every other number of the page is); with "latn", in Western digits with
    ".": never one system's digits with the other's decimal sign, never rounded."""
    from builder.views.common import format_number
    from conftest import SITE_TOML, make_kb
    kb = make_kb(tmp_path, COORDINATES, site_toml=SITE_TOML + f'[digits]\nar = "{digits}"\n')
    out = build_site(kb, tmp_path / "output")
    western, eastern = set("0123456789"), set("٠١٢٣٤٥٦٧٨٩")
    for lang, page in [("ar", "ar/map/index.html"), ("ar", "ar/id/port/index.html"), ("ar", "ar/id/ev/index.html"),
                       ("en", "map/index.html"), ("en", "id/port/index.html")]:
        texts = _coordinate_texts((out / page).read_text(encoding="utf-8"))
        assert texts, page
        written = " ".join(texts)
        page_digits = digits if lang == "ar" else None
        sample = format_number("1.5", lang, page_digits)  # how the page writes any other number
        own, decimal_sign = (eastern if "١" in sample else western), sample[1]
        assert not set(written) & ((western | eastern) - own), (page, written)
        assert decimal_sign in written and not set(written) & ({".", "٫"} - {decimal_sign}), (page, written)
        plain = "".join(str(int(c)) if c.isdigit() else "" if c == decimal_sign else " " for c in written).split()
        assert set(plain) == {"155", "4295451"}, (page, written)  # every decimal kept, none rounded
