"""Found by reading an Arabic-first site as a new user would (QA: a siege and a Nile flood, years
before 1000 and BCE, `languages = ["ar", "en"]`, Arabic-Indic digits)."""
from __future__ import annotations

from pathlib import Path

import pytest

from browser import chromium, static_server, watched_tab  # noqa: F401  (fixtures)
from builder.site import build
from conftest import make_kb
from sitecheck import text_of

AR_FIRST = """\
base_url = "https://example.org/"
languages = ["ar", "en"]
[title]
ar = "حصار قصر النهر"
en = "The siege of Qasr al-Nahr"
[digits]
ar = "arab"
"""

QA_KB = {
    "things.ttl": """
        id:herald a sem:Actor , schema:NewsMediaOrganization ; skos:prefLabel "المنادي"@ar , "The Herald"@en .
        id:src-herald a prov:Entity , schema:NewsArticle ; dcterms:title "Dispatch"@en , "رسالة"@ar ;
            dcterms:publisher id:herald ; dcterms:issued "0969-08-14"^^edtf:EDTF .
        id:ev-surrender a sem:Event ; skos:prefLabel "استسلام المدينة"@ar , "The city surrenders"@en ;
            dcterms:date "0969-08-11"^^edtf:EDTF ; prov:wasDerivedFrom id:src-herald .
        id:claim-surrender-date a tl:Claim ; skos:prefLabel "المنادي: الاستسلام في أغسطس"@ar ;
            rdf:subject id:ev-surrender ; rdf:predicate dcterms:date ; rdf:object "0969-08"^^edtf:EDTF ;
            sem:accordingTo id:herald ; tl:status tl:Reported ; prov:wasDerivedFrom id:src-herald .
        id:claim-surrender-day a tl:Claim ; skos:prefLabel "المنادي: الاستسلام يوم ٨"@ar ;
            rdf:subject id:ev-surrender ; rdf:predicate dcterms:date ; rdf:object "0969-08-08"^^xsd:date ;
            sem:accordingTo id:herald ; tl:status tl:Disputed ; prov:wasDerivedFrom id:src-herald .
        id:ev-siege a sem:Event ; skos:prefLabel "الحصار"@ar , "The siege"@en ;
            sem:hasActor id:egypt ; sem:hasPlace id:pl-egypt ;
            dcterms:date "0969-03-02/0969-08-14"^^edtf:EDTF ; prov:wasDerivedFrom id:src-herald .
        id:ev-toll-range a sem:Event ; skos:prefLabel "المعركة"@ar , "The battle"@en ;
            tl:fatalitiesLow 300 ; tl:fatalitiesHigh 1200 ; tl:fatalitiesOf "مدافعون"@ar , "defenders"@en ;
            dcterms:date "0969-04"^^edtf:EDTF ; prov:wasDerivedFrom id:src-herald .
        id:ev-toll-low a sem:Event ; skos:prefLabel "الغارة"@ar , "The raid"@en ; tl:fatalitiesLow 30 ;
            dcterms:date "0969-04"^^edtf:EDTF ; prov:wasDerivedFrom id:src-herald .
        id:ev-toll-agreed a sem:Event ; skos:prefLabel "الاشتباك"@ar , "The clash"@en ;
            tl:fatalities 11 ; tl:fatalitiesLow 11 ; tl:fatalitiesHigh 11 ;
            dcterms:date "0969-04"^^edtf:EDTF ; prov:wasDerivedFrom id:src-herald .
        id:ev-toll-bounds-agree a sem:Event ; skos:prefLabel "الغارة الثانية"@ar , "The second raid"@en ;
            tl:fatalitiesLow 4 ; tl:fatalitiesHigh 4 ;
            dcterms:date "0969-04"^^edtf:EDTF ; prov:wasDerivedFrom id:src-herald .
        id:ev-toll-high a sem:Event ; skos:prefLabel "الكمين"@ar , "The ambush"@en ;
            tl:fatalities 12 ; tl:fatalitiesHigh 20 ;
            dcterms:date "0969-04"^^edtf:EDTF ; prov:wasDerivedFrom id:src-herald .
        id:ev-a-famine a sem:Event ; skos:prefLabel "المجاعة"@ar , "Famine"@en ; sem:subEventOf id:ev-siege ;
            dcterms:date "0969-06"^^edtf:EDTF ; prov:wasDerivedFrom id:src-herald .
        id:ev-b-breach a sem:Event ; skos:prefLabel "الاختراق"@ar , "Breach"@en ; sem:subEventOf id:ev-siege ;
            dcterms:date "0969-05-1X"^^edtf:EDTF ; prov:wasDerivedFrom id:src-herald .
        id:ev-c-begins a sem:Event ; skos:prefLabel "البدء"@ar , "Beginning"@en ; sem:subEventOf id:ev-siege ;
            dcterms:date "0969-03-02"^^edtf:EDTF ; prov:wasDerivedFrom id:src-herald .
        id:garrison a sem:Actor , schema:Organization ; skos:prefLabel "الحامية"@ar , "The garrison"@en ;
            dcterms:description '''# الدفاع

صمدت الحامية خمسة أشهر.

## الاستسلام

سلّمت المدينة في أغسطس.'''@ar .
        id:ev-claim-of-isis a sem:Event ; skos:prefLabel "تبنّي الهجوم"@ar , "The attack is claimed"@en ;
            dcterms:date "0969-05"^^edtf:EDTF ; prov:wasDerivedFrom id:src-herald ;
            tl:quote "ISIS هو من نفّذ الهجوم، وسنعود."@ar ;
            dcterms:description "ISIS أعلن مسؤوليته عن الهجوم في بيان، **ولم** يذكر عدد القتلى."@ar .
        id:egypt a sem:Actor , schema:Country ; skos:prefLabel "مصر"@ar , "Egypt"@en .
        id:pl-egypt a sem:Place , schema:Country ; skos:prefLabel "أرض مصر"@ar , "The land of Egypt"@en .
        id:chronicler a sem:Actor , schema:Person ; skos:prefLabel "المؤرخ"@ar , "The chronicler"@en ;
            dcterms:description "Wrote %(latin)s in the margin."@en , "كتب %(arabic)s في الهامش."@ar .
    """ % {"latin": "Supercalifragilistic" + "a" * 150, "arabic": "كلمةطويلة" + "جدا" * 60},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("qa-arabic")
    out = root / "out"
    build(make_kb(root, QA_KB, site_toml=AR_FIRST), out)
    return out


def test_a_claimed_date_is_written_as_a_date_at_its_precision(site: Path):
    """A claim whose value is a date ("the surrender was in August 969") shows that date as the
    page's language writes dates, at its written precision, not the raw EDTF "0969-08"."""
    ar = text_of(site / "id" / "ev-surrender" / "index.html")
    en = text_of(site / "en" / "id" / "ev-surrender" / "index.html")
    assert "0969-08" not in ar and "0969-08" not in en
    assert "August 969" in en and "8 August 969" in en
    assert "أغسطس ٩٦٩" in ar and "٨ أغسطس ٩٦٩" in ar


@pytest.fixture(scope="module")
def served(site: Path):
    with static_server(site) as url:
        yield url


@pytest.mark.browser
@pytest.mark.parametrize("path", ["id/chronicler/index.html", "en/id/chronicler/index.html"])
def test_a_long_word_in_a_description_does_not_run_off_a_phone_screen(chromium, served, path: str):
    """A description may hold a word longer than a phone is wide (a pasted token, an address
    without a link): it wraps, in either direction, rather than widen the page."""
    with watched_tab(chromium) as tab:
        tab.set_viewport_size({"width": 375, "height": 800})
        tab.goto(served + path)
        tab.wait_for_timeout(200)
        overflow = tab.evaluate("""Math.max(...[...document.querySelectorAll('.description, .description *')]
            .map(e => e.scrollWidth - e.clientWidth))""")
    assert overflow <= 0, f"the description of {path} is {overflow}px wider than its column on a 375px screen"


@pytest.mark.parametrize("table,extra", [
    ("title", "build_date = true\n"),  # meant for the top, written below [title]: TOML puts it in [title]
    ("title", 'ar2 = 5\n'),
    ("digits", '[digits]\nar = "arab"\nbuild_date = true\n'),
])
def test_a_key_of_the_wrong_kind_in_a_language_table_is_named_at_its_line(tmp_path, table, extra):
    """A key that is not a title (or digits) in [title] ([digits]) is one error at its own line,
    saying which key; the language entries that are there are not said to be missing."""
    from builder.config import load_config
    text = AR_FIRST.replace("[digits]\nar = \"arab\"\n", "") + extra
    (tmp_path / "site.toml").write_text(text, encoding="utf-8")
    _, problems = load_config(tmp_path, "kb")
    key = extra.strip().split("\n")[-1].split(" ")[0]
    line = text.split("\n").index(extra.strip().split("\n")[-1]) + 1
    assert [(p.line, p.severity) for p in problems] == [(line, "error")], [str(p.message) for p in problems]
    assert f"[{table}]" in problems[0].message and repr(key) in problems[0].message
    if key == "build_date":
        assert "above" in problems[0].hint


def test_sub_events_are_listed_in_time_order(site: Path):
    """An event's sub-events read in the order they happened (as "what links here" lists them),
    not in the order of their slugs."""
    for page, names in ((site / "en" / "id" / "ev-siege" / "index.html", ("Beginning", "Breach", "Famine")),
                        (site / "id" / "ev-siege" / "index.html", ("البدء", "الاختراق", "المجاعة"))):
        html = page.read_text(encoding="utf-8")
        start = html.index("<dd>", html.index("Sub-events" if "/en/" in str(page) else "أحداث فرعية"))
        dd = html[start:html.index("</dd>", start)]
        assert [dd.index(n) for n in names] == sorted(dd.index(n) for n in names), dd


@pytest.mark.parametrize("slug,en,ar", [
    ("ev-toll-range", "Fatalities 300–1,200 defenders", "القتلى ٣٠٠–١٬٢٠٠ مدافعون"),
    ("ev-toll-low", "Fatalities at least 30", "القتلى ٣٠ على الأقل"),
    ("ev-toll-high", "Fatalities 12 (at most 20)", "القتلى ١٢ (٢٠ على الأكثر)"),
])
def test_a_toll_given_as_bounds_reads_as_words(site: Path, slug: str, en: str, ar: str):
    """tl:fatalitiesLow and tl:fatalitiesHigh without a single figure read "300–1,200", not an
    aside "(300–1,200)" to a figure that is not there; one bound alone reads "at least 30", not
    "(30–?)", in each language."""
    assert en in text_of(site / "en" / "id" / slug / "index.html")
    assert ar in text_of(site / "id" / slug / "index.html")



@pytest.mark.parametrize("slug,figure,range_", [("ev-toll-agreed", "11", "11–11"), ("ev-toll-bounds-agree", "4", "4–4")])
def test_a_toll_whose_bounds_agree_reads_as_one_figure(site: Path, slug: str, figure: str, range_: str):
    """Bounds that agree (UCDP's low = best = high, most of its rows) read as the one figure, not
    "11 (11–11)" nor "4–4"."""
    en = text_of(site / "en" / "id" / slug / "index.html")
    assert f"Fatalities {figure} " in en and range_ not in en
    ar = text_of(site / "id" / slug / "index.html")
    digits = figure.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert f"القتلى {digits} " in ar and "–" + digits not in ar

@pytest.mark.parametrize("kind,extra", [
    ("event", 'dcterms:date "0969-09-03"^^xsd:date ; prov:wasDerivedFrom id:src-herald ; owl:sameAs <javascript:alert(1)> .'),
    ("actor", "owl:sameAs <ftp://example.org/herald> ."),
    ("place", "skos:exactMatch <geonames:360630> ."),
])
def test_a_link_out_that_is_not_a_web_address_is_a_warning(tmp_path, monkeypatch, kind: str, extra: str):
    """owl:sameAs and skos:exactMatch are links out, and the site links only http(s) addresses:
    like schema:url, anything else is a warning at its line, saying the site shows it as text."""
    from builder.check import check
    from builder.kb import open_kb
    classes = {"event": "sem:Event", "actor": "sem:Actor , schema:Person", "place": "sem:Place"}
    files = {"a.ttl": QA_KB["things.ttl"] + f"""
        id:thing a {classes[kind]} ; skos:prefLabel "شيء"@ar , "A thing"@en ;
            {extra}
    """}
    make_kb(tmp_path, files, site_toml=AR_FIRST)
    monkeypatch.chdir(tmp_path)
    found = [p for p in check(open_kb("kb")) if p.code in ("bad-same-as", "bad-match")]
    assert [(p.severity, p.path) for p in found] == [("warning", "kb/a.ttl")], [p.format() for p in found]
    text = (tmp_path / "kb" / "a.ttl").read_text(encoding="utf-8").split("\n")
    assert "Match <" in text[found[0].line - 1] or "sameAs <" in text[found[0].line - 1]
    assert "not a web address" in found[0].message


@pytest.mark.parametrize("written,en,ar", [
    ("-0999/0999", "1000 BCE – 999 CE", "١٠٠٠ ق.م – ٩٩٩ م"),
    ("-0040/0273", "41 BCE – 273 CE", "٤١ ق.م – ٢٧٣ م"),
    ("-0001-06/0001-02", "June 2 BCE – February 1 CE", "يونيو ٢ ق.م – فبراير ١ م"),
    ("000X", "between 1 BCE and 9 CE", "ما بين ١ ق.م و٩ م"),
    ("[-0001-12-30..0001-01-02]", "one day between 30 December 2 BCE and 2 January 1 CE",
     "يوم ما بين ٣٠ ديسمبر ٢ ق.م و٢ يناير ١ م"),
    ("-0232/-0230", "233 BCE – 231 BCE", "٢٣٣ ق.م – ٢٣١ ق.م"),  # one era: no CE to add
    ("0969/0970", "969–970", "٩٦٩–٩٧٠"),
])
def test_a_date_across_the_eras_marks_both_ends(written: str, en: str, ar: str):
    """A span or range that starts BCE and ends CE says so at both ends: "1000 BCE – 999" reads
    as the single year 1000–999 BCE."""
    from builder.datefmt import format_date
    from builder.dates import NOWHERE, DateInput, resolve
    from builder.edtf import parse_edtf
    resolved, problems = resolve({"id:x": DateInput("id:x", ((parse_edtf(written), NOWHERE),))})
    assert not problems
    assert format_date(resolved["id:x"], "en") == en
    assert format_date(resolved["id:x"], "ar", "arab") == ar


def test_markdown_headings_in_a_description_stay_headings(site: Path):
    """A description's "# Title" and "## Part" are headings on the page, below the section's own
    <h2> (so <h3>), not bare text run on into the next paragraph."""
    html = (site / "id" / "garrison" / "index.html").read_text(encoding="utf-8")
    section = html[html.index('class="description"'):]
    section = section[:section.index("</section>")]
    assert "<h3>الدفاع</h3>" in section and "<h3>الاستسلام</h3>" in section, section
    assert section.count("<h1") == section.count("<h2>") - 1 == 0


@pytest.mark.parametrize("page", ["id/ev-claim-of-isis/index.html", "en/id/ev-claim-of-isis/index.html"])
def test_an_arabic_text_that_starts_with_a_latin_word_is_laid_out_right_to_left(site: Path, page: str):
    """A description or quote tagged @ar is Arabic, read right to left, even when it opens with
    a Latin name ("ISIS أعلن …"): dir="auto" would take the first letter's direction and lay the
    whole paragraph out left to right."""
    html = (site / page).read_text(encoding="utf-8")
    assert '<div lang="ar" dir="rtl">' in html
    assert '<blockquote lang="ar" dir="rtl">' in html


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_a_country_that_acts_is_an_actor_and_not_a_place(site: Path, prefix: str):
    """kb-format gives schema:Country to actors (beside sem:Actor) and places (beside sem:Place):
    an acting country was listed among the places too, with no events there."""
    places = (site / prefix / "places" / "index.html").read_text(encoding="utf-8")
    actors = (site / prefix / "actors" / "index.html").read_text(encoding="utf-8")
    assert "id/pl-egypt/" in places and "id/egypt/" not in places
    assert "id/egypt/" in actors and "id/pl-egypt/" not in actors
