"""The lists (/actors/, /places/, /sources/, /claims/): a table per kind, one row per thing, with the
counts the things' own pages show, in the page's digits; sortable in a real Chromium (static/sortable.js)
and in name order without it."""
from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import pytest

from browser import chromium, static_server, watched_tab  # noqa: F401  (fixtures)
from builder.site import build
from conftest import SITE_TOML, make_kb

# Names chosen so that the orders differ: casefolded code points put "Éclair" after "Zeta"; a
# collation (the page as written, and the script's) puts it between "alpha" and "Zeta".
LISTS_KB = {
    "things.ttl": """
        id:alpha a sem:Actor , schema:Organization ; skos:prefLabel "alpha group"@en , "مجموعة ألف"@ar .
        id:zeta a sem:Actor , schema:Organization ; skos:prefLabel "Zeta Front"@en , "جبهة زيتا"@ar .
        id:eclair a sem:Actor , schema:NewsMediaOrganization ; skos:prefLabel "Éclair Agency"@en , "وكالة إكلير"@ar .
        id:country a sem:Place , schema:Country ; skos:prefLabel "Country"@en , "البلد"@ar .
        id:city a sem:Place , schema:City ; skos:prefLabel "City"@en , "المدينة"@ar ;
            schema:containedInPlace id:country .
        id:village a sem:Place , schema:City ; skos:prefLabel "Village"@en , "القرية"@ar ;
            schema:containedInPlace id:city .
        id:ev-1 a sem:Event ; skos:prefLabel "First"@en , "الأول"@ar ; dcterms:date "2024-01-01"^^edtf:EDTF ;
            tl:perpetrator id:alpha ; sem:hasActor id:alpha , id:zeta ; sem:hasPlace id:city , id:village ;
            prov:wasDerivedFrom id:src-1 .
        id:ev-2 a sem:Event ; skos:prefLabel "Second"@en , "الثاني"@ar ; dcterms:date "2024-01-02"^^edtf:EDTF ;
            sem:hasActor id:alpha , id:zeta ; sem:hasPlace id:village ; prov:wasDerivedFrom id:src-1 .
        id:ev-3 a sem:Event ; skos:prefLabel "Third"@en , "الثالث"@ar ; dcterms:date "2024-01-03"^^edtf:EDTF ;
            sem:hasActor id:zeta ; sem:hasPlace id:country ; prov:wasDerivedFrom id:src-2 .
    """,
    "sources.ttl": """
        id:src-1 a prov:Entity , schema:NewsArticle ; dcterms:title "Wire story"@en ;
            dcterms:publisher id:eclair ; dcterms:issued "2024-03-01"^^edtf:EDTF .
        id:src-2 a prov:Entity , schema:NewsArticle ; dcterms:title "A relay"@en ;
            dcterms:publisher id:eclair ; dcterms:issued "2024-03-05"^^edtf:EDTF ; prov:wasDerivedFrom id:src-1 .
    """,
    "claims.ttl": """
        id:claim-1 a tl:Claim ; skos:prefLabel "Alpha says it did it"@en ;
            rdf:subject id:ev-1 ; rdf:predicate tl:perpetrator ; rdf:object id:alpha ;
            sem:accordingTo id:alpha ; tl:status tl:Claimed ; dcterms:date "2024-01-02"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src-1 .
        id:claim-2 a tl:Claim ; skos:prefLabel "Alpha counts the dead"@en ;
            rdf:subject id:ev-2 ; rdf:predicate tl:fatalities ; rdf:object 12 ;
            sem:accordingTo id:alpha ; tl:status tl:Reported ; prov:wasDerivedFrom id:src-2 .
    """,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("lists")
    kb = make_kb(root, LISTS_KB, site_toml=SITE_TOML + '[digits]\nar = "arab"\n')
    out = root / "out"
    build(kb, out)
    return out


def _text(cell: str) -> str:
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", "", cell))).strip()


def table(site: Path, path: str) -> tuple[list[str], list[list[tuple[str, str | None]]]]:
    """The headings and the rows of a list page's table: each cell as (text, data-sort)."""
    page = (site / path).read_text(encoding="utf-8")
    head = re.search(r"<thead>(.*?)</thead>", page, re.S).group(1)
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S).group(1)
    headings = [_text(c) for c in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]
    rows = [[(_text(inner), (re.search(r'data-sort="([^"]*)"', attrs) or [None, None])[1])
             for attrs, inner in re.findall(r"<t[hd]([^>]*)>(.*?)</t[hd]>", tr, re.S)]
            for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S)]
    return headings, rows


def test_actors_list_counts_events_in_any_role_once_and_claims_made(site: Path):
    headings, rows = table(site, "actors/index.html")
    assert headings == ["Actor", "Type", "Events", "Claims it made"]
    assert [[c[0] for c in r] for r in rows] == [
        ["alpha group", "organisation", "2", "2"],  # perpetrator and actor of ev-1: one event
        ["Éclair Agency", "news organisation", "0", "0"],
        ["Zeta Front", "organisation", "3", "0"],
    ]
    assert [r[2][1] for r in rows] == ["2", "0", "3"]


def test_places_list_counts_events_there_and_within_once(site: Path):
    headings, rows = table(site, "places/index.html")
    assert headings == ["Place", "Part of", "Events here"]
    assert [[c[0] for c in r] for r in rows] == [["City", "Country", "2"], ["Country", "", "3"], ["Village", "City", "2"]]


def test_sources_list_counts_citing_events_and_claims(site: Path):
    headings, rows = table(site, "sources/index.html")
    assert headings == ["Source", "Publisher", "Published", "Events it reports", "Claims it reports"]
    assert [[c[0] for c in r] for r in rows] == [
        ["A relay", "Éclair Agency", "5 March 2024", "1", "1"],
        ["Wire story", "Éclair Agency", "1 March 2024", "2", "1"],
    ]
    assert [r[2][1] for r in rows] == ["1", "0"]  # a date sorts by its rank in time


def test_claims_list_shows_the_statement_who_status_and_source(site: Path):
    headings, rows = table(site, "claims/index.html")
    assert headings == ["Claim", "Statement", "According to", "Status", "Claimed on", "Sources"]
    texts = [[c[0] for c in r] for r in rows]
    assert texts[0][0] == "Alpha counts the dead" and texts[1][0] == "Alpha says it did it"
    assert texts[0][1] == "Second — fatalities — 12" and texts[1][1] == "First — perpetrator — alpha group"
    assert [t[2:4] for t in texts] == [["alpha group", "reported"], ["alpha group", "claimed"]]
    assert texts[0][5] == "A relay" and texts[1][5] == "Wire story"
    assert rows[0][4] == ("", None) and rows[1][4][1] == "0"


def test_every_mention_in_a_list_is_a_link(site: Path):
    page = (site / "claims" / "index.html").read_text(encoding="utf-8")
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S).group(1)
    for slug in ("claim-1", "ev-1", "alpha", "src-1", "claim-2", "ev-2", "src-2"):
        assert f'href="../id/{slug}/index.html"' in body, slug
    assert 'href="../vocab/perpetrator/index.html"' in body and 'href="../vocab/Claimed/index.html"' in body


def test_arabic_lists_write_arabic_indic_digits_and_sort_on_western_ones(site: Path):
    headings, rows = table(site, "ar/actors/index.html")
    assert headings[0] == "فاعل" and headings[3] == "ادعاءات أطلقها"
    counts = {r[0][0]: (r[2], r[3]) for r in rows}
    assert counts["جبهة زيتا"] == (("٣", "3"), ("٠", "0"))
    assert counts["مجموعة ألف"] == (("٢", "2"), ("٢", "2"))
    page = (site / "ar" / "actors" / "index.html").read_text(encoding="utf-8")
    assert '<script defer src="../../static/sortable.js"></script>' in page
    assert (site / "static" / "sortable.js").is_file()


def test_events_list_is_a_table_in_time_order_with_counts(site: Path):
    """site.md: /events/ lists every event, sortable, with counts: written in time order (the
    timeline's), the date column marked as the order; the name column still sorts by name."""
    headings, rows = table(site, "events/index.html")
    assert headings == ["Event", "Date", "Type", "Place", "Actors", "Sources", "Claims about it"]
    assert [[c[0] for c in r] for r in rows] == [
        ["First", "1 January 2024", "", "City and Village", "2", "1", "1"],  # perpetrator and actor: one actor
        ["Second", "2 January 2024", "", "Village", "2", "1", "1"],
        ["Third", "3 January 2024", "", "Country", "1", "1", "0"],
    ]
    assert [r[1][1] for r in rows] == ["0", "1", "2"]  # the dates' ranks in time order
    page = (site / "events" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<th scope="col" data-sort-type="rank" aria-sort="ascending">Date</th>', page)
    assert page.count('aria-sort="ascending"') == 1 and "sortable.js" in page
    ar_headings, ar_rows = table(site, "ar/events/index.html")
    assert [r[1][0] for r in ar_rows] == ["١ يناير ٢٠٢٤", "٢ يناير ٢٠٢٤", "٣ يناير ٢٠٢٤"]  # the page's digits
    # the name column sorts by the names' rank in the page language's collation
    names = {r[0][0]: int(r[0][1]) for r in ar_rows}
    from builder.collation import sort_key
    assert sorted(names, key=names.get) == sorted(names, key=lambda n: sort_key(n, "ar"))


# ---- in a browser ---------------------------------------------------------------------------------

ROW_NAMES = "() => [...document.querySelectorAll('table.sortable tbody tr')].map(r => r.cells[0].textContent.trim())"
SORTS = "() => [...document.querySelectorAll('table.sortable thead th')].map(th => th.getAttribute('aria-sort'))"


@pytest.fixture(scope="module")
def served(site: Path):
    with static_server(site) as url:
        yield url


@pytest.mark.browser
def test_without_javascript_the_list_reads_in_name_order(chromium, served):
    with watched_tab(chromium, java_script_enabled=False) as tab:
        tab.goto(served + "actors/index.html")
        assert tab.locator("table.sortable thead button").count() == 0
        assert tab.locator("#list-sort-hint").is_hidden()
        names = [n.strip() for n in tab.locator("table.sortable tbody th").all_text_contents()]
    assert names == ["alpha group", "Éclair Agency", "Zeta Front"]  # collated, not code points


@pytest.mark.browser
def test_headings_sort_numbers_as_numbers_and_names_by_collation(chromium, served):
    with watched_tab(chromium) as tab:
        tab.goto(served + "actors/index.html")
        tab.wait_for_load_state("load")
        assert tab.locator("#list-sort-hint").is_visible()
        events = tab.get_by_role("button", name="Events", exact=True)
        events.click()
        assert tab.evaluate(ROW_NAMES) == ["Éclair Agency", "alpha group", "Zeta Front"]  # 0, 2, 3
        assert tab.evaluate(SORTS) == [None, None, "ascending", None]
        events.click()
        assert tab.evaluate(ROW_NAMES) == ["Zeta Front", "alpha group", "Éclair Agency"]
        assert tab.evaluate(SORTS) == [None, None, "descending", None]
        claims = tab.get_by_role("button", name="Claims it made")
        claims.click()  # ties keep the name order
        assert tab.evaluate(ROW_NAMES) == ["Éclair Agency", "Zeta Front", "alpha group"]
        name = tab.get_by_role("button", name="Actor")
        name.click()
        assert tab.evaluate(ROW_NAMES) == ["alpha group", "Éclair Agency", "Zeta Front"]  # the page's own order
        assert tab.evaluate(SORTS)[0] == "ascending"
        name.focus()
        tab.keyboard.press("Enter")
        assert tab.evaluate(ROW_NAMES) == ["Zeta Front", "Éclair Agency", "alpha group"]
        assert tab.evaluate(SORTS)[0] == "descending"


@pytest.mark.browser
def test_arabic_list_sorts_dates_and_arabic_indic_numbers(chromium, served):
    with watched_tab(chromium) as tab:
        tab.goto(served + "ar/sources/index.html")
        tab.wait_for_load_state("load")
        tab.get_by_role("button", name="تاريخ النشر").click()
        assert tab.evaluate(ROW_NAMES) == ["Wire story", "A relay"]  # 1 March before 5 March
        tab.goto(served + "ar/places/index.html")
        tab.wait_for_load_state("load")
        here = tab.get_by_role("button", name="أحداث في هذا المكان")
        here.click()
        here.click()
        assert tab.evaluate(ROW_NAMES)[0] == "البلد"  # ٣ events, the most
        assert tab.evaluate(SORTS) == [None, None, "descending"]


# ---- name order: the page language's collation, the same with and without the script -------------

# Names that code-point order gets wrong: Latin before Arabic on an Arabic page, a hamza on the
# alef, harakat and tatweel, taa marbuta, capitals and accents, numbers of two digits.
NAMES_KB = {"actors.ttl": "\n".join(
    f'id:{slug} a sem:Actor ; skos:prefLabel {labels} .' for slug, labels in [
        ("zeta", '"Zeta Front"@en , "جبهة زيتا"@ar'),
        ("alpha", '"alpha group"@en , "مجموعة ألف"@ar'),
        ("eclair", '"Éclair Agency"@en , "وكالة إكلير"@ar'),
        ("harbour", '"Hodeidah Harbour Authority"@en'),
        ("agency-9", '"Agency 9"@en , "الوكالة ٩"@ar'),
        ("agency-10", '"Agency 10"@en , "الوكالة ١٠"@ar'),
        ("ahmad", '"أحمد السالم"@ar'),
        ("ibrahim", '"إبراهيم"@ar'),
        ("amina", '"آمنة"@ar'),
        ("sanaa", '"صَنْعَـــاء"@ar'),
        ("hama", '"لجنة حماة"@ar'),
        ("taj", '"تاج"@ar'),
        ("bilal", '"بلال"@ar'),
        ("yasir", '"ياسر"@ar'),
    ])}


@pytest.fixture(scope="module")
def names_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("names")
    toml = SITE_TOML.replace('["en", "ar"]', '["ar", "en"]') + '[digits]\nar = "arab"\n'
    out = root / "out"
    build(make_kb(root, NAMES_KB, site_toml=toml), out)
    return out


def _names(site: Path, path: str) -> list[str]:
    return [row[0][0] for row in table(site, path)[1]]


def _script(name: str) -> str:
    from builder.arabic import has_arabic
    return "arabic" if has_arabic(name) else "latin"


def test_an_arabic_list_puts_arabic_names_first_and_ignores_marks(names_site: Path):
    from builder.collation import sort_key
    names = _names(names_site, "actors/index.html")  # Arabic: the first language
    assert names == sorted(names, key=lambda n: sort_key(n, "ar"))
    scripts = [_script(n) for n in names]
    assert "latin" in scripts and scripts == sorted(scripts)  # every Arabic name before every Latin one
    assert sort_key("صَنْعَـــاء", "ar")[0] == sort_key("صنعاء", "ar")[0]  # harakat and tatweel do not count
    assert sort_key("إبراهيم", "ar")[0] == sort_key("ابراهيم", "ar")[0]
    assert sort_key("الوكالة ٩", "ar") < sort_key("الوكالة ١٠", "ar")  # numbers by value
    english = _names(names_site, "en/actors/index.html")
    scripts = [_script(n) for n in english]
    assert scripts == sorted(scripts, reverse=True)  # an English page: Latin first
    assert english.index("alpha group") < english.index("Éclair Agency") < english.index("Zeta Front")
    assert english.index("Agency 9") < english.index("Agency 10")


def test_list_rows_carry_their_rank_in_name_order(names_site: Path):
    headings, rows = table(names_site, "actors/index.html")
    assert [r[0][1] for r in rows] == [str(i) for i in range(len(rows))]
    page = (names_site / "actors" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<th scope="col" data-sort-type="rank" aria-sort="ascending">', page)


NAMES_IN_COLLATION = """([lang, names]) => {
  const c = new Intl.Collator(lang, { numeric: true, sensitivity: "base" });
  return names.slice(1).every((n, i) => c.compare(names[i], n) <= 0);
}"""


@pytest.mark.browser
@pytest.mark.parametrize("path, lang", [("actors/index.html", "ar"), ("en/actors/index.html", "en")])
def test_the_built_order_is_the_order_sorting_by_name_gives(chromium, names_site, path, lang):
    with static_server(names_site) as url, watched_tab(chromium) as tab:
        tab.goto(url + path)
        tab.wait_for_load_state("load")
        built = tab.evaluate(ROW_NAMES)
        assert tab.evaluate(NAMES_IN_COLLATION, [lang, built])  # the browser's collation agrees
        name = tab.locator("table.sortable thead th").first.locator("button")
        name.click()
        assert tab.evaluate(ROW_NAMES) == built[::-1]
        name.click()
        assert tab.evaluate(ROW_NAMES) == built
        assert tab.evaluate(SORTS)[0] == "ascending"


# ---- on a phone: the table scrolls in a frame that shows there is more, and takes the keyboard -----

EDGES = """async ([png, strip]) => {
  const img = new Image();
  img.src = "data:image/png;base64," + png;
  await img.decode();
  const canvas = document.createElement("canvas");
  canvas.width = img.width; canvas.height = img.height;
  const g = canvas.getContext("2d");
  g.drawImage(img, 0, 0);
  const mean = x0 => { const d = g.getImageData(x0, 0, strip, img.height).data; let s = 0;
    for (let i = 0; i < d.length; i += 4) s += d[i] + d[i + 1] + d[i + 2]; return s / (d.length / 4) / 3; };
  return { left: mean(0), right: mean(img.width - strip) };
}"""


def _edges(tab, frame, cue: bool) -> dict:
    """The mean brightness of a thin strip at each physical edge of the frame, with the frame's
    own background (its cue) drawn or, for comparison, replaced by the page's plain background."""
    import base64
    tab.evaluate("([el, cue]) => { el.style.background = cue ? '' : 'var(--bg)'; }", [frame.element_handle(), cue])
    box = frame.bounding_box()
    png = tab.screenshot(clip={"x": box["x"], "y": box["y"], "width": box["width"], "height": min(box["height"], 240)})
    return tab.evaluate(EDGES, [base64.b64encode(png).decode(), 6])


def _on_a_phone(tab, url: str) -> None:
    """Open a page at a phone's width (375 px)."""
    tab.set_viewport_size({"width": 375, "height": 800})
    tab.goto(url)
    tab.wait_for_load_state("load")


def _scrolls_with_a_cue(tab, frame) -> bool:
    """On a phone the frame, not the page, scrolls sideways, and at its start the edge beyond which
    columns are hidden is shaded, the other not. Returns whether the frame reads right to left."""
    assert tab.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    size = frame.evaluate("el => [el.scrollWidth, el.clientWidth, getComputedStyle(el).direction]")
    assert size[0] > size[1], size  # wider than a phone: the frame scrolls, not the page
    hidden, shown = ("left", "right") if size[2] == "rtl" else ("right", "left")
    frame.evaluate("el => el.scrollIntoView({block: 'start'})")
    with_cue, without = _edges(tab, frame, True), _edges(tab, frame, False)
    assert with_cue[hidden] < without[hidden] - 2, (with_cue, without)
    assert abs(with_cue[shown] - without[shown]) < 1, (with_cue, without)
    return size[2] == "rtl"


@pytest.mark.browser
@pytest.mark.parametrize("path", ["sources/index.html", "ar/sources/index.html"])
def test_on_a_phone_a_list_scrolls_in_a_named_focusable_frame_that_shows_there_is_more(chromium, served, path):
    with watched_tab(chromium) as tab:
        _on_a_phone(tab, served + path)
        title = tab.locator("#list-title").inner_text()
        frame = tab.get_by_role("region", name=title)
        assert frame.count() == 1 and frame.locator("table.sortable").count() == 1
        rtl = _scrolls_with_a_cue(tab, frame)
        hidden, shown = ("left", "right") if rtl else ("right", "left")
        # the keyboard scrolls it: the frame takes focus, an arrow key moves it toward the hidden columns
        frame.focus()
        assert frame.evaluate("el => document.activeElement === el && el.tabIndex >= 0")
        for _ in range(8):
            tab.keyboard.press("ArrowLeft" if rtl else "ArrowRight")
        tab.wait_for_function("el => el.scrollLeft !== 0", arg=frame.element_handle(), timeout=5000)  # scrolls smoothly
        # at the end, the shading has moved to the other edge
        frame.evaluate("el => el.scrollTo({left: (getComputedStyle(el).direction === 'rtl' ? -1 : 1) * el.scrollWidth, "
                       "behavior: 'instant'})")
        tab.wait_for_function("el => Math.abs(el.scrollLeft) + el.clientWidth >= el.scrollWidth - 1",
                              arg=frame.element_handle(), timeout=5000)
        with_cue, without = _edges(tab, frame, True), _edges(tab, frame, False)
        assert with_cue[shown] < without[shown] - 2, (with_cue, without)
        assert abs(with_cue[hidden] - without[hidden]) < 1, (with_cue, without)


@pytest.mark.browser
@pytest.mark.parametrize("path", ["id/ev-2/index.html", "ar/id/ev-2/index.html"])
def test_on_a_phone_a_claim_table_scrolls_in_its_frame_and_shows_there_is_more(chromium, served, path):
    with watched_tab(chromium) as tab:
        _on_a_phone(tab, served + path)
        frame = tab.locator(".table-scroll:has(table.claims)").first
        assert frame.count() == 1
        _scrolls_with_a_cue(tab, frame)
        # its links take the keyboard's focus, and focusing one out of view scrolls the frame to it
        last = frame.locator("a").last
        last.focus()
        tab.wait_for_function("el => el.scrollLeft !== 0", arg=frame.element_handle(), timeout=5000)
