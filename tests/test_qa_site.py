"""Found by reading a built site as a reader would (QA, a Palmyra knowledge base): the map page keeps
time order for what spans several years, a place's feed holds what its page holds, Arabic-Indic
digits reach the coordinates, a source's language is named even without CLDR locale data, a
source's published title is not called another language, and nothing runs off a phone's screen."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from browser import chromium, static_server, watched_tab  # noqa: F401  (fixtures)
from builder.site import build
from conftest import SITE_TOML, make_kb

LONG_URL = "https://web.archive.org/web/20150521000000/https://www.example.com/articles/a-very-long-address-that-has-no-place-to-break"

QA_KB = {
    "things.ttl": """
        id:country a sem:Place , schema:Country ; skos:prefLabel "Country"@en , "البلد"@ar .
        id:city a sem:Place , schema:City ; skos:prefLabel "City"@en , "المدينة"@ar ;
            schema:containedInPlace id:country ;
            schema:latitude "34.556"^^xsd:decimal ; schema:longitude "38.267"^^xsd:decimal ; tl:geoPrecision tl:Near .
        id:temple a sem:Place ; skos:prefLabel "Temple"@en , "المعبد"@ar ; schema:containedInPlace id:city ;
            schema:latitude "34.5474"^^xsd:decimal ; schema:longitude "38.2735"^^xsd:decimal ; tl:geoPrecision tl:Exact .
        id:pub a sem:Actor , schema:Organization ; skos:prefLabel "Publisher"@en , "الناشر"@ar .
        id:src-old a prov:Entity , schema:CreativeWork ; skos:prefLabel "Old history"@en , "تاريخ قديم"@ar ;
            dcterms:title "The history, book five"@en ;
            dcterms:publisher id:pub ; dcterms:issued "0400"^^edtf:EDTF ; dcterms:language "grc" ;
            schema:archivedAt <%s> .
        id:ev-early a sem:Event ; skos:prefLabel "Early decade"@en , "عقد مبكر"@ar ;
            dcterms:date "001X"^^edtf:EDTF ; sem:hasPlace id:city ; prov:wasDerivedFrom id:src-old .
        id:ev-mid a sem:Event ; skos:prefLabel "Middle day"@en , "يوم في الوسط"@ar ;
            dcterms:date "0032-04-06"^^edtf:EDTF ; sem:hasPlace id:city ; prov:wasDerivedFrom id:src-old .
        id:ev-late a sem:Event ; skos:prefLabel "Late range"@en , "مدى متأخر"@ar ;
            dcterms:date "[0293..0303]"^^edtf:EDTF ; sem:hasPlace id:city ; prov:wasDerivedFrom id:src-old .
        id:ev-temple a sem:Event ; skos:prefLabel "At the temple"@en , "في المعبد"@ar ;
            dcterms:date "0350"^^edtf:EDTF ; sem:hasPlace id:temple ; prov:wasDerivedFrom id:src-old .
    """ % LONG_URL,
    "queries/long.rq": """\
        # title@en: A long query
        # title@ar: استعلام طويل
        # description@en: Events with their labels, from a query with long lines.
        # description@ar: الأحداث مع أسمائها، من استعلام بأسطر طويلة.
        PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?event ?label WHERE { ?event a sem:Event ; skos:prefLabel ?label . FILTER(LANG(?label) = "en") } ORDER BY ?label
    """,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("qa-site")
    kb = make_kb(root, QA_KB, site_toml=SITE_TOML + '[digits]\nar = "arab"\n')
    out = root / "out"
    build(kb, out)
    return out


def _read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


@pytest.mark.parametrize("prefix", ["", "ar/"])
def test_map_page_lists_events_across_several_years_in_time_order(site: Path, prefix: str):
    """Each thing that spans or may fall in several years is listed where it starts, not gathered
    with every other such thing at the place of the first."""
    page = _read(site, prefix + "map/index.html")
    tables = page[page.index('class="month map-period"'):]
    order = [m for m in re.findall(r'href="[./]*id/(ev-[a-z-]+)/index\.html"', tables)]
    firsts = list(dict.fromkeys(order))
    assert firsts == ["ev-early", "ev-mid", "ev-late", "ev-temple"]
    ids = re.findall(r'<h3 id="([^"]+)"', page)
    assert len(ids) == len(set(ids))


def test_a_place_feed_holds_the_events_within_it_as_its_page_does(site: Path):
    page = _read(site, "id/city/index.html")
    feed = _read(site, "feeds/places/city.xml")
    assert "ev-temple/index.html" in page
    assert "https://example.org/id/ev-temple" in feed
    assert feed.count("<entry>") == 4


def test_arabic_indic_digits_reach_the_coordinates(site: Path):
    page = _read(site, "ar/id/temple/index.html")
    cells = re.findall(r"<td><bdi>([^<]*)</bdi></td>", page)
    assert cells, "no coordinates table"
    for cell in cells:
        assert not re.search(r"[0-9]", cell), cell
    assert "٣٤٫٥٤٧٤" in cells
    # English keeps Western digits and the full stop
    assert "34.5474" in re.findall(r"<td><bdi>([^<]*)</bdi></td>", _read(site, "id/temple/index.html"))


@pytest.mark.parametrize("prefix,name", [("", "Ancient Greek"), ("ar/", "اليونانية القديمة")])
def test_a_source_language_without_locale_data_is_still_named(site: Path, prefix: str, name: str):
    page = _read(site, prefix + "id/src-old/index.html")
    facts = page[page.index('<dl class="facts">'):]
    facts = facts[:facts.index("</dl>")]
    assert name in facts
    assert ">grc<" not in facts


def test_a_source_title_in_the_page_language_is_not_called_another_language(site: Path):
    page = _read(site, "id/src-old/index.html")
    header = page[page.index('<article'):page.index("</header>", page.index("<article"))]
    assert "The history, book five" not in header
    facts = page[page.index('<dl class="facts">'):]
    facts = facts[:facts.index("</dl>")]
    assert "The history, book five" in facts
    assert "Title as published" in facts
    ar = _read(site, "ar/id/src-old/index.html")
    ar_facts = ar[ar.index('<dl class="facts">'):]
    assert "The history, book five" in ar_facts[:ar_facts.index("</dl>")]


@pytest.fixture(scope="module")
def served(site: Path):
    with static_server(site) as url:
        yield url


@pytest.mark.browser
@pytest.mark.parametrize("path", ["id/src-old/index.html", "ar/id/src-old/index.html", "queries/index.html",
                                  "ar/queries/index.html", "queries/long/index.html"])
def test_nothing_runs_off_a_phone_screen(chromium, served, path: str):
    with watched_tab(chromium) as tab:
        tab.set_viewport_size({"width": 375, "height": 800})
        tab.goto(served + path)
        tab.wait_for_timeout(200)
        overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{path} is {overflow}px wider than a 375px screen"


def _text_content(path: Path) -> str:
    """A page's text as a screen reader, a copy and paste or the search index get it: tags
    removed without adding spaces (the stylesheet's margins are not text), whitespace collapsed."""
    import html as h
    page = re.sub(r"<(script|style)\b.*?</\1>", "", path.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", h.unescape(re.sub(r"<[^>]+>", "", page)))


@pytest.mark.parametrize("path,glued,spaced", [
    ("index.html", "meetingat Baghdad airport", "meeting at Baghdad airport"),
    ("index.html", "Baghdad airportEsmail Qaani", "Baghdad airport Esmail Qaani"),
    ("id/ev-qaani-meets-factions-baghdad/index.html", "meetingParticipant", "meeting Participant"),
    ("ar/id/ev-qaani-meets-factions-baghdad/index.html", "اجتماعالمشارك", "اجتماع المشارك"),
    ("id/src-mena-monitor-bukamal/index.html", "سورياPublisher", "سوريا Publisher"),
    ("timeline/2023/index.html", "20142024", "2014 2024"),
])
def test_the_parts_of_an_entry_are_words_apart(seed_site: Path, path: str, glued: str, spaced: str):
    """A timeline entry's type, place and actors, and an event's type and the role after it, were
    set apart by the stylesheet only: their text ran together ("meetingat Baghdad airport",
    "عنف من طرف واحدالفاعل المنفّذ" in an Arabic search result), as a screen reader, a copy and the
    search index read it."""
    text = _text_content(seed_site / path)
    assert glued not in text and spaced in text


def test_a_country_that_acts_and_is_a_place_shows_both(tmp_path):
    """A country the knowledge base has as an actor becomes a place too when an import locates
    events in it (UCDP's country column): its page was an actor's only, so "Syria" listed none of
    the events in Syria and no places within it. It shows what a place's page shows beside it."""
    kb = make_kb(tmp_path, {"a.ttl": """
        id:syria a sem:Actor , sem:Place , schema:Country ; skos:prefLabel "Syria"@en , "سوريا"@ar .
        id:idlib a sem:Place , schema:City ; skos:prefLabel "Idlib"@en , "إدلب"@ar ; schema:containedInPlace id:syria ;
            schema:latitude "35.93"^^xsd:decimal ; schema:longitude "36.63"^^xsd:decimal ; tl:geoPrecision tl:Near .
        id:src a prov:Entity , schema:NewsArticle ; dcterms:title "A report"@en ; dcterms:publisher id:syria .
        id:ev a sem:Event ; skos:prefLabel "Shelling of Idlib"@en , "قصف إدلب"@ar ; dcterms:date "2013-01-03"^^edtf:EDTF ;
            sem:hasPlace id:idlib ; prov:wasDerivedFrom id:src .
    """})
    out = tmp_path / "out"
    build(kb, out)
    for page, within, here in ((out / "id" / "syria" / "index.html", "Places within", "Events here"),
                               (out / "ar" / "id" / "syria" / "index.html", "أماكن ضمنه", "أحداث في هذا المكان")):
        html = page.read_text(encoding="utf-8")
        assert f"<dt>{within}</dt>" in html and 'href="../idlib/index.html"' in html, page
        section = html[html.index(f"<h2>{here}</h2>"):]
        assert "Shelling of Idlib" in section or "قصف إدلب" in section, page
        assert "Sources it published" in html or "مصادر نشرها" in html  # still an actor's page
