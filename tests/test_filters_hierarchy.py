"""The filters of the timelines count places within places and narrower types as the pages do.

A place's page lists the events at the place and at every place within it (schema:containedInPlace,
however deep); a type's page the events of the type and of every narrower type (skos:broader,
however deep). Choosing that place or type in the filters of any timeline must show those same
events, and the count beside each choice must be their number (views/hierarchy.py,
views/client.py, static/filters.js). The hierarchy goes to the page once, not into every entry.
"""
from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

from browser import chromium, static_server, watched_tab  # noqa: F401  (fixtures)
from builder.site import build
from conftest import make_kb

SITE_TOML = 'base_url = "https://example.org/"\nlanguages = ["en"]\n[title]\nen = "Places within places"\n'
PLACES = ["land", "province", "town", "quarter", "shrine"]  # each within the one before


def _events() -> str:
    # (slug, places, type): events at every level of the places, of types at every level
    rows = [("ev-land", "id:land", "tl:Attack"), ("ev-province", "id:province", "tl:Strike"),
            ("ev-town", "id:town", "tl:Shelling"), ("ev-quarter", "id:quarter", "id:night-shelling"),
            ("ev-shrine", "id:shrine", "id:night-shelling"), ("ev-two", "id:quarter , id:shrine", "tl:Meeting"),
            ("ev-split", "id:shrine , id:elsewhere", "tl:Airstrike"), ("ev-away", "id:elsewhere", "tl:Attack"),
            ("ev-unplaced", None, "tl:Statement"), ("ev-both", "id:town", "tl:Shelling , tl:Meeting")]
    out = []
    for n, (slug, places, kind) in enumerate(rows, start=1):
        where = f"\n    sem:hasPlace {places} ;" if places else ""
        out.append(f"""
id:{slug} a sem:Event ; skos:prefLabel "Event {slug}"@en ;
    sem:eventType {kind} ;{where}
    dcterms:date "2024-01-{n:02d}"^^edtf:EDTF ; prov:wasDerivedFrom id:src .
""")
    return "".join(out)


KB = {
    "things.ttl": """
        id:pub a sem:Actor , schema:Organization ; skos:prefLabel "Publisher"@en .
        id:src a prov:Entity , schema:NewsArticle ; dcterms:title "Report"@en ; dcterms:publisher id:pub .
        id:land a sem:Place , schema:Country ; skos:prefLabel "Land"@en .
        id:province a sem:Place ; skos:prefLabel "Province"@en ; schema:containedInPlace id:land .
        id:town a sem:Place , schema:City ; skos:prefLabel "Town"@en ; schema:containedInPlace id:province ;
            schema:latitude 33.3 ; schema:longitude 44.4 ; tl:geoPrecision tl:Exact .
        id:quarter a sem:Place ; skos:prefLabel "Quarter"@en ; schema:containedInPlace id:town .
        id:shrine a sem:Place ; skos:prefLabel "Shrine"@en ; schema:containedInPlace id:quarter .
        id:elsewhere a sem:Place ; skos:prefLabel "Elsewhere"@en .
        id:night-shelling a skos:Concept ; skos:inScheme tl:EventTypes ; skos:prefLabel "Night shelling"@en , "قصف ليلي"@ar ;
            skos:broader tl:Shelling .
        """,
    "events.ttl": _events(),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hierarchy")
    out = root / "out"
    build(make_kb(root, KB, site_toml=SITE_TOML), out)
    return out


def listed(site: Path, path: str) -> set[str]:
    """The events a page lists (its entries' data-key)."""
    return set(re.findall(r'data-key="([^"]+)"', (site / path).read_text(encoding="utf-8")))


def page_of(key: str) -> str:
    return f"vocab/{key[3:]}/index.html" if key.startswith("tl:") else f"id/{key}/index.html"


# ---- the pages ------------------------------------------------------------------------------------

def test_a_type_page_lists_the_events_of_narrower_types_however_deep(site: Path):
    # Attack > Strike > Shelling > Night shelling; Strike > Airstrike
    assert listed(site, "vocab/Attack/index.html") == {
        "ev-land", "ev-province", "ev-town", "ev-quarter", "ev-shrine", "ev-split", "ev-away", "ev-both"}
    assert listed(site, "vocab/Shelling/index.html") == {"ev-town", "ev-quarter", "ev-shrine", "ev-both"}


# ---- the client data ------------------------------------------------------------------------------

def timeline_json(site: Path) -> dict:
    return json.loads((site / "data" / "timeline-en.json").read_text(encoding="utf-8"))


def test_the_facet_counts_of_the_data_file_are_those_of_the_pages(site: Path):
    data = timeline_json(site)
    every = {e["key"] for e in data["events"]}
    for facet in ("place", "type"):
        counts = dict(map(tuple, data["facets"][facet]))
        assert "land" in counts or facet == "type"
        for key, n in counts.items():
            assert n == len(listed(site, page_of(key)) & every), (facet, key)
    assert dict(map(tuple, data["facets"]["place"]))["land"] == len(listed(site, "id/land/index.html"))


def entry_attributes(page: str) -> list[dict[str, str]]:
    out = []
    for tag in re.findall(r"<li class=\"entry[^\"]*\"([^>]*)>", page):
        out.append({k: unescape(v) for k, v in re.findall(r' data-([a-z-]+)="([^"]*)"', tag)})
    return out


def test_the_hierarchy_goes_to_the_page_once_and_each_entry_keeps_its_own_places(site: Path):
    page = (site / "index.html").read_text(encoding="utf-8")
    form = re.search(r"<form class=\"tl-filters\"[^>]*data-hierarchy='([^']*)'", page)
    assert form, "the home page's filters have the hierarchy"
    hierarchy = json.loads(unescape(form.group(1)))
    # each place (type) of an entry, and each one up from it, is linked to what it names directly
    assert hierarchy["place"]["shrine"] == ["quarter"] and hierarchy["place"]["province"] == ["land"]
    assert hierarchy["type"]["night-shelling"] == ["tl:Shelling"] and hierarchy["type"]["tl:Strike"] == ["tl:Attack"]
    for entry in entry_attributes(page):  # nothing of the hierarchy in the entries themselves
        assert "land" not in entry.get("places", "").split() or entry["key"] == "ev-land"
        assert "tl:Attack" not in entry.get("types", "").split() or entry["key"] in ("ev-land", "ev-away")


def _chain_kb(depth: int, events: int) -> dict:
    places = "".join(f'id:p{n} a sem:Place ; skos:prefLabel "Place {n}"@en'
                     + (f" ; schema:containedInPlace id:p{n - 1}" if n else "") + " .\n" for n in range(depth + 1))
    evs = "".join(f'id:e{n:03d} a sem:Event ; skos:prefLabel "E {n}"@en ; sem:eventType tl:Attack ; '
                  f'sem:hasPlace id:p{depth} ; dcterms:date "2024-02-{n % 28 + 1:02d}"^^edtf:EDTF ; '
                  f'prov:wasDerivedFrom id:src .\n'
                  for n in range(events))
    return {"things.ttl": KB["things.ttl"].split("id:land")[0] + places, "events.ttl": evs}


def test_the_entries_do_not_grow_with_the_depth_of_the_places(tmp_path: Path):
    """Fifty events at the bottom of a chain of one place, and of twelve: the entries are the same
    size; only the page's one copy of the links grows, by a link per place."""
    sizes = {}
    for depth in (1, 12):
        out = tmp_path / f"d{depth}"
        build(make_kb(tmp_path / f"kb{depth}", _chain_kb(depth, 50), site_toml=SITE_TOML), out)
        page = (out / "index.html").read_text(encoding="utf-8")
        entries = entry_attributes(page)
        assert len(entries) == 50 and all(e["places"] == f"p{depth}" for e in entries)
        hierarchy = json.loads(unescape(re.search(r"data-hierarchy='([^']*)'", page).group(1)))
        assert len(hierarchy["place"]) == depth  # each place but the top, once
        sizes[depth] = sum(len(k) + len(v) for e in entries for k, v in e.items() if k not in ("key", "places"))
        data = timeline_json(out)
        assert dict(map(tuple, data["facets"]["place"]))["p0"] == 50
    assert sizes[1] == sizes[12]


# ---- the filters, in Chromium ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def served(site: Path):
    with static_server(site) as url:
        yield url


@pytest.fixture
def tab(chromium):
    with watched_tab(chromium) as pg:
        yield pg


def open_filters(tab, url: str):
    tab.goto(url)
    tab.wait_for_selector("form.tl-filters:not([hidden])")
    tab.click("form.tl-filters summary")
    for more in tab.locator("form.tl-filters .tl-more:visible").all():
        more.click()  # every choice, not the first few


def choices(tab, facet: str) -> dict[str, tuple[str, int]]:
    """The choices of a facet: key -> (label, count shown)."""
    rows = tab.eval_on_selector_all(f"fieldset.tl-facet-{facet} li", """lis => lis.map(li => [
        li.querySelector('input').value, li.querySelector('bdi').textContent,
        li.querySelector('.tl-count').textContent])""")
    return {key: (text, int(count)) for key, text, count in rows}


def shown(tab) -> set[str]:
    return set(tab.eval_on_selector_all("li.entry[data-key]", "els => els.filter(e => !e.hidden).map(e => e.dataset.key)"))


@pytest.mark.browser
@pytest.mark.parametrize("path", ["", "id/province/"])
def test_a_place_or_a_type_chosen_shows_what_its_page_lists_and_counts_it(site: Path, served: str, tab, path: str):
    open_filters(tab, served + path)
    here = listed(site, path + "index.html")
    for facet in ("place", "type"):
        offered = choices(tab, facet)
        assert offered, facet
        for key, (_, count) in offered.items():
            expected = listed(site, page_of(key)) & here
            box = tab.locator(f"fieldset.tl-facet-{facet} input[value='{key}']")
            box.check()
            assert shown(tab) == expected, (facet, key)
            assert count == len(expected), (facet, key)
            box.uncheck()
    # every place the page's events are within is offered, named, though no entry names it
    places = choices(tab, "place")
    assert places["land"] == ("Land", len(here & listed(site, "id/land/index.html")))
    assert choices(tab, "type")["tl:Attack"][1] == len(here & listed(site, "vocab/Attack/index.html"))


@pytest.mark.browser
def test_the_map_page_filters_by_a_place_with_the_places_within_it(site: Path, served: str, tab):
    open_filters(tab, served + "map/?place=quarter")
    rows = set(tab.eval_on_selector_all("table.map-events tr[data-key]",
                                        "els => els.filter(e => !e.hidden).map(e => e.dataset.key)"))
    assert rows == listed(site, "id/quarter/index.html") & listed(site, "map/index.html")
    assert rows >= {"ev-quarter", "ev-shrine", "ev-split"}
