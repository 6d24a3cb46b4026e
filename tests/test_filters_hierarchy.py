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
