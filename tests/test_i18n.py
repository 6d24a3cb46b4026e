"""Languages: catalogs complete and correct, Arabic plurals, lists and digits through Babel, labels
that fall back marked with their language, twins for every page kind, logical CSS only, search
markup and normalisation, and a third language (Persian) added by configuration alone."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from babel import Locale

from builder import arabic, i18n_tools
from builder.i18n import translations_for
from builder.localise import language_name, list_markup
from builder.render import environment
from builder.views.common import format_number
from conftest import ROOT
from i18nkit import build_persian

STATIC = ROOT / "site_templates" / "static"
SOURCE = """
        id:src a prov:Entity , schema:NewsArticle ; skos:prefLabel "A report"@en , "تقرير"@ar ;
            dcterms:publisher id:paper ; dcterms:issued "2024-02-10"^^xsd:date .
        id:paper a sem:Actor , schema:Organization ; skos:prefLabel "Paper"@en , "صحيفة"@ar ;
            prov:wasDerivedFrom id:src .
"""


# ---- catalogs ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def template():
    """The interface strings, extracted afresh from the templates and the builder."""
    return i18n_tools.extract()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_catalog_translates_every_template_string(template, lang):
    path = i18n_tools.catalogs()[lang]
    problems = i18n_tools.problems(i18n_tools.read(path, lang), template)
    assert not problems, f"{path} (run `python -m builder.i18n_tools update`, then translate):\n" + "\n".join(problems)


def test_extraction_finds_the_strings_of_templates_and_plurals(template):
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
    assert {"Skip to content", "What links here", "Search", ", "} <= ids
    assert any(isinstance(m.id, tuple) and m.id[0] == "%(num)s event" for m in template)


def test_english_catalog_is_the_identity():
    catalog = i18n_tools.read(i18n_tools.catalogs()["en"], "en")
    for message in catalog:
        if message.id:
            assert message.string == message.id, message.id


def test_the_checker_catches_a_missing_and_an_untranslated_message(template):
    catalog = i18n_tools.read(i18n_tools.catalogs()["ar"], "ar")
    catalog.delete("What links here")
    catalog["Search"].string = ""
    problems = i18n_tools.problems(catalog, template)
    assert "missing: 'What links here'" in problems and "untranslated: 'Search'" in problems


def _render(lang: str, source: str, **context) -> str:
    return environment(lang).from_string(source).render(lang=lang, digits=None, **context)


@pytest.mark.parametrize("n,expected", [
    (0, "لا أحداث"), (1, "حدث واحد"), (2, "حدثان"), (3, "3 أحداث"), (10, "10 أحداث"),
    (11, "11 حدثًا"), (99, "99 حدثًا"), (100, "100 حدث"), (102, "102 حدث"), (103, "103 أحداث"), (111, "111 حدثًا"),
])
def test_arabic_event_counts_take_the_right_plural_form(n, expected):
    assert _render("ar", '{{ ngettext("%(num)s event", "%(num)s events", n, num=n|number) }}', n=n) == expected


@pytest.mark.parametrize("n,expected", [(1, "1 event"), (2, "2 events"), (0, "0 events"), (1234, "1,234 events")])
def test_english_event_counts(n, expected):
    assert _render("en", '{{ ngettext("%(num)s event", "%(num)s events", n, num=n|number) }}', n=n) == expected


def test_arabic_catalog_orders_its_plural_forms_as_cldr_does():
    """Form i of every Arabic plural is CLDR's category i: zero, one, two, few, many, other."""
    order = ["zero", "one", "two", "few", "many", "other"]
    plural = translations_for("ar").plural
    for n in range(0, 1250):
        assert plural(n) == order.index(Locale("ar").plural_form(n)), n


# ---- locale formatting ---------------------------------------------------------------------------

def test_lists_are_joined_as_each_language_joins_them():
    assert list_markup(["A", "B", "C"], "en") == "A, B, and C"
    assert list_markup(["A", "B"], "ar") == "A وB"
    assert list_markup(["<b>", "B"], "en") == "&lt;b&gt; and B"
    assert str(list_markup([], "ar")) == ""


def test_actor_lists_on_pages_use_the_language_conjunction(seed_site: Path):
    html = (seed_site / "ar" / "id" / "ev-qaani-meets-factions-baghdad" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"</a> و<a [^>]*><bdi>الفصائل المسلحة العراقية</bdi>", html)
    html = (seed_site / "id" / "ev-qaani-meets-factions-baghdad" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"</a> and <a [^>]*><bdi>Iraqi armed factions</bdi>", html)


def test_numbers_take_the_configured_digits():
    assert format_number(1234, "ar", "arab") == "١٬٢٣٤"
    assert format_number(1234, "ar", "latn") == "1,234"
    assert format_number(1234, "fa", None) == "۱٬۲۳۴"  # Persian's own digits when [digits] is silent
    assert format_number(1234, "en", None) == "1,234"


def test_arabic_indic_digits_by_configuration(scratch_kb, tmp_path):
    from builder.site import build
    from conftest import SITE_TOML
    kb = scratch_kb({"e.ttl": SOURCE + """
        id:e a sem:Event ; skos:prefLabel "An event"@en , "حدث"@ar ;
            dcterms:date "2024-01-29"^^xsd:date ; prov:wasDerivedFrom id:src .
        """}, site_toml=SITE_TOML + '[digits]\nar = "arab"\n')
    build(kb, tmp_path / "out")
    home = (tmp_path / "out" / "ar" / "index.html").read_text(encoding="utf-8")
    assert "حدث واحد" in home
    assert '<time datetime="2024-01-29">٢٩ يناير ٢٠٢٤</time>' in home and ">يناير ٢٠٢٤</a></h3>" in home


@pytest.mark.parametrize("stamped", [True, False])
def test_build_date_stamps_every_page_in_its_language_and_only_when_asked(scratch_kb, tmp_path, monkeypatch, stamped):
    """contract.md: `build_date` true stamps pages with the build date; off by default."""
    import datetime
    from builder.site import build
    from conftest import SITE_TOML
    epoch = 1_700_000_000 + 86_400 * 40  # a fixed day, so the test does not depend on today
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    day = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).date()
    kb = scratch_kb({"e.ttl": SOURCE + """
        id:e a sem:Event ; skos:prefLabel "An event"@en , "حدث"@ar ;
            dcterms:date "2024-01-29"^^xsd:date ; prov:wasDerivedFrom id:src .
        """}, site_toml=("build_date = true\n" if stamped else "") + SITE_TOML + '[digits]\nar = "arab"\n')
    build(kb, tmp_path / "out")
    pages = sorted((tmp_path / "out").rglob("*.html"))
    assert len(pages) > 10
    stamp = f'<time datetime="{day.isoformat()}">'
    for page in pages:
        footer = page.read_text(encoding="utf-8").split('<footer class="site-footer">')[-1]
        assert (stamp in footer) == stamped, page
    if stamped:
        ar = (tmp_path / "out" / "ar" / "index.html").read_text(encoding="utf-8").split('<footer')[-1]
        en = (tmp_path / "out" / "index.html").read_text(encoding="utf-8").split('<footer')[-1]
        assert str(day.year) in en and "٢٠٢٣" in ar  # the day written in each page's language and digits
        # the next day, nothing else changed: the site is not "up to date", its pages say the new day
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch + 86_400))
        build(kb, tmp_path / "out")
        later = (day + datetime.timedelta(days=1)).isoformat()
        assert f'<time datetime="{later}">' in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("digits,by", [("arab", "بـ٣ أيام"), ("latn", "بـ3 أيام")])
def test_how_a_relative_date_was_derived_is_written_in_the_configured_digits(scratch_kb, tmp_path, digits, by):
    from builder.site import build
    from conftest import SITE_TOML
    kb = scratch_kb({"e.ttl": SOURCE + """
        id:a a sem:Event ; skos:prefLabel "Anchor"@en , "المرساة"@ar ;
            dcterms:date "2024-01-29"^^xsd:date ; prov:wasDerivedFrom id:src .
        id:b a sem:Event ; skos:prefLabel "Later"@en , "لاحقاً"@ar ; prov:wasDerivedFrom id:src ;
            tl:relativeDate [ tl:anchor id:a ; tl:earliestOffset "P1D"^^xsd:dayTimeDuration ;
                              tl:latestOffset "P3D"^^xsd:dayTimeDuration ] .
        """}, site_toml=SITE_TOML + f'[digits]\nar = "{digits}"\n')
    build(kb, tmp_path / "out")
    page = (tmp_path / "out" / "ar" / "id" / "b" / "index.html").read_text(encoding="utf-8")
    assert "في الفترة من " in page and f"إلى بعده {by}" in page


def test_language_names_are_written_in_their_own_language():
    assert [language_name(x) for x in ("en", "ar", "fa")] == ["English", "العربية", "فارسی"]


def test_switcher_shows_language_names(seed_site: Path):
    html = (seed_site / "id" / "esmail-qaani" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../../ar/id/esmail-qaani/index.html" hreflang="ar" lang="ar">العربية</a>' in html


# ---- labels, twins -------------------------------------------------------------------------------

def test_a_label_in_another_language_is_marked_with_its_lang(scratch_kb, tmp_path):
    from builder.site import build
    kb = scratch_kb({"e.ttl": SOURCE + """
        id:only-english a sem:Event ; skos:prefLabel "Only in English"@en ;
            dcterms:date "2024-01-29"^^xsd:date ; prov:wasDerivedFrom id:src .
        id:both a sem:Event ; skos:prefLabel "Both"@en , "كلاهما"@ar ;
            dcterms:date "2024-01-30"^^xsd:date ; prov:wasDerivedFrom id:src .
        """})
    build(kb, tmp_path / "out")
    page = (tmp_path / "out" / "ar" / "id" / "only-english" / "index.html").read_text(encoding="utf-8")
    assert '<h1><bdi lang="en">Only in English</bdi></h1>' in page
    home = (tmp_path / "out" / "ar" / "index.html").read_text(encoding="utf-8")
    assert '<a href="id/only-english/index.html" lang="en"><bdi>Only in English</bdi></a>' in home
    assert '<a href="id/both/index.html"><bdi>كلاهما</bdi></a>' in home  # in the page's language: no mark


def _alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def test_every_page_links_its_twin_in_every_language(seed_site: Path):
    """Home, lists, periods, things, vocabulary, search…: each hreflang alternate and switcher link
    leads to the same page in the other language."""
    kinds = set()
    for page in sorted(seed_site.rglob("*.html")):
        rel = page.relative_to(seed_site).as_posix()
        if rel.startswith(("pagefind/", "static/")) or rel == "404.html":
            continue
        html = page.read_text(encoding="utf-8")
        if 'hreflang="' not in html:
            continue
        base = rel.removeprefix("ar/")
        kinds.add(base.split("/")[0])
        alternates = _alternates(html)
        assert set(alternates) == {"en", "ar"}, rel
        for lang, href in alternates.items():
            target = (page.parent / href).resolve()
            expected = (seed_site / (base if lang == "en" else f"ar/{base}")).resolve()
            assert target == expected and target.is_file(), (rel, lang, href)
            assert f'href="{href}" hreflang="{lang}"' in html or f'aria-current="page" lang="{lang}"' in html
    assert {"index.html", "events", "actors", "places", "sources", "claims", "timeline", "id", "vocab",
            "disagreements", "data", "search"} <= kinds


# ---- right to left -------------------------------------------------------------------------------

PHYSICAL = re.compile(r"(?<![\w-])(margin|padding|border)-(left|right)\b|(?<![\w-])(left|right)\s*:|"
                      r"float\s*:\s*(left|right)|text-align\s*:\s*(left|right)|clear\s*:\s*(left|right)|"
                      r"border-(top|bottom)-(left|right)-radius")


def test_stylesheets_use_logical_properties_only():
    for css in sorted(STATIC.glob("*.css")):
        text = re.sub(r"/\*.*?\*/", "", css.read_text(encoding="utf-8"), flags=re.S)
        found = [m.group(0) for m in PHYSICAL.finditer(text)]
        assert not found, f"{css.name}: physical properties {found}: use inline-start/end"


def test_font_stack_names_arabic_faces_and_fetches_nothing():
    css = (STATIC / "style.css").read_text(encoding="utf-8")
    assert '"Noto Naskh Arabic"' in css and "@font-face" not in css and "@import" not in css and "url(" not in css


def test_rtl_pages_and_isolated_names(seed_site: Path):
    html = (seed_site / "ar" / "id" / "esmail-qaani" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in html
    assert '<bdi lang="en">Ismail Qaani</bdi>' in html and '<bdi lang="ar-latn">Esmāʿīl Qāʾānī</bdi>' in html


# ---- search --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("قاآني", "قااني"), ("قاانى", "قااني"), ("إسماعيل", "اسماعيل"), ("أحمد", "احمد"), ("كتائب", "كتايب"),
    ("مؤتمر", "موتمر"), ("حماة", "حماه"), ("مُحَمَّد", "محمد"), ("العـــراق", "العراق"), ("اسماعیل قاآنی", "اسماعيل قااني"),
    ("کتاب", "كتاب"), ("Qaani", "Qaani"), ("ٱلله", "الله"), ("\u202bقاآني\u202c\u200f", "قااني"),
])
def test_arabic_normalisation(text, expected):
    assert arabic.normalise(text) == expected


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_search_js_normalises_as_the_builder_does():
    samples = ["قاآني", "قاانى", "إسماعيل", "كتائب حزب الله", "مُحَمَّد", "العـــراق", "اسماعیل قاآنی", "ۀ ە ے ٲ ٳ ؤ",
               "".join(chr(c) for c in range(0x0600, 0x0700))]
    script = ("const {normalise} = require(process.argv[1]); const samples = JSON.parse(process.argv[2]);"
              "process.stdout.write(JSON.stringify(samples.map(normalise)));")
    out = subprocess.run(["node", "-e", script, str(STATIC / "search.js"), json.dumps(samples)],
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [arabic.normalise(s) for s in samples]


def test_thing_pages_carry_every_label_and_its_normalised_form_for_the_index(seed_site: Path):
    html = (seed_site / "id" / "kataib-hezbollah" / "index.html").read_text(encoding="utf-8")
    assert '<article class="thing" data-pagefind-body>' in html
    assert '<p class="other-labels">In other languages: <bdi lang="ar">كتائب حزب الله</bdi></p>' in html
    assert re.search(r'<p hidden data-pagefind-weight="10">.*?<bdi>كتايب حزب الله</bdi>.*?</p>', html)
    html = (seed_site / "id" / "esmail-qaani" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<p hidden data-pagefind-weight="10">.*?<bdi>قااني</bdi>.*?</p>', html) and "Qaani" in html
    home = (seed_site / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in home  # only thing pages are indexed


def test_pagefind_makes_the_same_index_from_the_search_documents_as_from_the_pages(seed_site: Path, tmp_path):
    """The search stage gives Pagefind each page's search document, not the page: the bundle must
    be the one the pages make (with a space where a block ends and the next tag begins at once,
    which Pagefind would otherwise read as one word), byte for byte."""
    from builder.search import _BLOCK_END, available, search_document
    if not available():
        pytest.skip("Pagefind is not installed")
    pages = [p for p in seed_site.rglob("index.html") if b"data-pagefind-body" in p.read_bytes()]
    assert len(pages) > 20
    for name, make in (("pages", lambda raw: _BLOCK_END.sub(rb"\1 ", raw)), ("documents", search_document)):
        for page in pages:
            target = tmp_path / name / page.relative_to(seed_site)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(make(page.read_bytes()))
        subprocess.run([sys.executable, "-m", "pagefind", "--site", str(tmp_path / name), "--output-path",
                        str(tmp_path / f"{name}-bundle"), "--keep-index-url", "--quiet"], check=True)
    document = search_document((seed_site / "id" / "esmail-qaani" / "index.html").read_bytes())
    assert b'class="events"' not in document and b"<nav" not in document  # less to read
    assert len(document) < len((seed_site / "id" / "esmail-qaani" / "index.html").read_bytes()) / 2

    def files(root: Path) -> dict:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    made, expected = files(tmp_path / "documents-bundle"), files(tmp_path / "pages-bundle")
    assert any(name.endswith(".pf_fragment") for name in made)
    entry = "pagefind-entry.json"  # its languages in hash-map order (the build sorts them)
    assert json.loads(made.pop(entry)) == json.loads(expected.pop(entry))
    assert made == expected


def test_documents_of_pages_not_rendered_are_made_on_every_core_as_on_one(seed_site: Path, tmp_path, monkeypatch):
    """After an edit, the shard indexed again needs the documents of the pages carried over; made
    by several processes, they are the documents one process makes; and a process that fails
    fails the search stage, rather than leaving a shard without some of its pages."""
    from builder import search
    pages = sorted(p.relative_to(seed_site).as_posix() for p in seed_site.rglob("index.html")
                   if b"data-pagefind-body" in p.read_bytes())
    missing = [(i % 3, rel) for i, rel in enumerate(pages)]

    def made(staging: Path) -> dict:
        return {p.relative_to(staging).as_posix(): p.read_bytes() for p in staging.rglob("*") if p.is_file()}
    monkeypatch.setattr(search.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(search, "DOCUMENTS_IN_PARALLEL", 10 ** 9)
    search._make_documents(seed_site, missing, tmp_path / "one")
    monkeypatch.setattr(search, "DOCUMENTS_IN_PARALLEL", 1)
    search._make_documents(seed_site, missing, tmp_path / "two")
    one = made(tmp_path / "one")
    assert len(one) == len(pages) > 20
    assert made(tmp_path / "two") == one
    assert one[f"1/site/{pages[1]}"] == search.search_document((seed_site / pages[1]).read_bytes())
    # the second of two processes takes every other document from the second on
    with pytest.raises(search.SearchError, match="making the search documents failed"):
        search._make_documents(seed_site, [missing[0], (0, "id/no-such-page/index.html"), *missing[1:]],
                               tmp_path / "three")


def test_search_pages_and_the_index_of_each_language(seed_site: Path):
    for page, lang in (("search/index.html", "en"), ("ar/search/index.html", "ar")):
        html = (seed_site / page).read_text(encoding="utf-8")
        assert f'<html lang="{lang}"' in html and "pagefind-ui.js" in html and "search.js" in html
    bundle = seed_site / "pagefind"
    assert (bundle / "pagefind-ui.js").is_file()
    assert {p.name.split("_")[0] for p in bundle.glob("pagefind.*.pf_meta")} == {"pagefind.en", "pagefind.ar"}


# ---- a third language by configuration ------------------------------------------------------------

@pytest.fixture(scope="module")
def persian_site(tmp_path_factory) -> Path:
    """The seed copied, with "fa" added to languages and a catalog in kb/locale: built by the CLI."""
    return build_persian(tmp_path_factory.mktemp("persian"))


def test_persian_tree_is_built_from_configuration_alone(persian_site: Path):
    home = (persian_site / "fa" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fa" dir="rtl">' in home
    assert ">رویدادها</a>" in home and ">پرش به محتوا</a>" in home  # interface from kb/locale/fa.po
    assert "۱۹ رویداد" in home  # the plural of the fixture, Persian digits
    assert "ژانویه" in home  # Persian month names (Babel)
    assert ">فارسی</span>" in home
    event = persian_site / "fa" / "id" / "ev-qaani-meets-factions-baghdad" / "index.html"
    assert event.is_file() and 'hreflang="fa"' in (persian_site / "index.html").read_text(encoding="utf-8")
    assert "What links here" in event.read_text(encoding="utf-8")  # not in the fixture: English stands in
    qaani = (persian_site / "fa" / "id" / "esmail-qaani" / "index.html").read_text(encoding="utf-8")
    assert '<h1><bdi lang="fa">اسماعیل قاآنی</bdi></h1>' not in qaani  # an altLabel is not a label
    assert '<h1><bdi lang="en">Esmail Qaani</bdi></h1>' in qaani  # falls back to the first site language


def test_persian_pages_are_indexed_for_search(persian_site: Path):
    metas = {p.name.split("_")[0] for p in (persian_site / "pagefind").glob("pagefind.*.pf_meta")}
    assert metas == {"pagefind.en", "pagefind.ar", "pagefind.fa"}


def test_the_standard_terms_a_page_shows_are_named_in_its_language(scratch_kb, tmp_path):
    """sem:hasActor as a role, prov:wasDerivedFrom in "what links here", schema:memberOf, a kind,
    dcterms:language: words of the page's language, not CURIEs; the links still go to the terms."""
    from builder.site import build
    kb = scratch_kb({"e.ttl": """
        id:src a prov:Entity , schema:NewsArticle ; skos:prefLabel "A report"@en , "تقرير"@ar ;
            dcterms:publisher id:paper ; dcterms:issued "2024-02-10"^^xsd:date ; dcterms:language "ar" .
        id:paper a sem:Actor , schema:Organization ; skos:prefLabel "Paper"@en , "صحيفة"@ar ;
            schema:memberOf id:group ; prov:wasDerivedFrom id:src .
        id:group a sem:Actor , schema:Organization ; skos:prefLabel "Group"@en , "مجموعة"@ar ;
            prov:wasDerivedFrom id:src .
        id:e a sem:Event ; skos:prefLabel "An event"@en , "حدث"@ar ; sem:hasActor id:group ;
            dcterms:date "2024-01-29"^^xsd:date ; prov:wasDerivedFrom id:src .
        """})
    build(kb, tmp_path / "out")
    out = tmp_path / "out"
    curie = re.compile(r">(sem|prov|schema|dcterms|skos|rdf):[A-Za-z]+<")
    event_ar = (out / "ar" / "id" / "e" / "index.html").read_text(encoding="utf-8")
    assert "جهة فاعلة" in event_ar and 'href="http://semanticweb.cs.vu.nl/2009/11/sem/hasActor"' in event_ar
    source_ar = (out / "ar" / "id" / "src" / "index.html").read_text(encoding="utf-8")
    assert "مأخوذ من" in source_ar and "العربية" in source_ar and "مقال إخباري" in source_ar
    group_ar = (out / "ar" / "id" / "group" / "index.html").read_text(encoding="utf-8")
    assert "عضو في" in group_ar
    source_en = (out / "id" / "src" / "index.html").read_text(encoding="utf-8")
    assert ">Arabic<" in source_en and ">Derived from<" in source_en
    for page in (event_ar, source_ar, group_ar, source_en):
        assert not curie.findall(page), curie.findall(page)


def test_the_seed_names_its_other_standard_kinds_in_both_languages(seed_site: Path):
    """schema:GovernmentOrganization, schema:AdministrativeArea, schema:Dataset and dcterms:license
    appear in the seed; they read as words, not CURIEs."""
    curie = re.compile(r">(schema:GovernmentOrganization|schema:AdministrativeArea|schema:Dataset|dcterms:license)<")
    for page in ("actors/index.html", "ar/actors/index.html", "id/deir-ez-zor-governorate/index.html",
                 "id/src-wikidata/index.html", "ar/id/src-geonames/index.html"):
        html = (seed_site / page).read_text(encoding="utf-8")
        assert not curie.findall(html), (page, curie.findall(html))
    assert "جهة حكومية" in (seed_site / "ar" / "actors" / "index.html").read_text(encoding="utf-8")


def test_a_language_tag_with_a_script_is_named_with_its_script(scratch_kb, tmp_path):
    """dcterms:language "ar-Latn" (Arabic in Latin letters) is not plain Arabic: the page names the
    script too, in its own language, as Babel's display names put it ("Arabic (Latin)"); a tag
    naming the language's usual script ("ar-Arab") is just the language."""
    from babel import Locale
    from builder.site import build
    from builder.views.common import language_in
    kb = scratch_kb({"s.ttl": """
        id:paper a sem:Actor , schema:Organization ; skos:prefLabel "Paper"@en , "صحيفة"@ar .
        id:latin a prov:Entity , schema:NewsArticle ; skos:prefLabel "Romanised"@en , "بالحروف اللاتينية"@ar ;
            dcterms:publisher id:paper ; dcterms:language "ar-Latn" .
        id:arabic a prov:Entity , schema:NewsArticle ; skos:prefLabel "In Arabic"@en , "بالعربية"@ar ;
            dcterms:publisher id:paper ; dcterms:language "ar-Arab" .
        """})
    build(kb, tmp_path / "out")
    for lang, prefix in (("en", ""), ("ar", "ar/")):
        names = Locale.parse(lang)
        arabic, latin = names.languages["ar"], names.scripts["Latn"]
        page = (tmp_path / "out" / prefix / "id" / "latin" / "index.html").read_text(encoding="utf-8")
        assert f"<bdi>{arabic} ({latin})</bdi>" in page, lang
        page = (tmp_path / "out" / prefix / "id" / "arabic" / "index.html").read_text(encoding="utf-8")
        assert f"<bdi>{arabic}</bdi>" in page, lang
        comma = {"en": ", ", "ar": "، "}[lang]  # the page's own comma, not Babel's ", " everywhere
        assert language_in("sr-Latn-RS", lang) == f'{names.languages["sr"]} ({latin}{comma}{names.territories["RS"]})'
        assert language_in("xx-Latn", lang) is None  # a language the locale does not name


def test_roles_and_relations_standing_as_labels_begin_with_a_capital(scratch_kb, tmp_path):
    """The names of roles (tl:perpetrator, tl:target, sem:hasActor) and relations are written in
    lower case, to sit inside sentences ("First — perpetrator — Group"); where one stands as the
    label of a fact (a <dt>), it begins with a capital like the interface's own labels. A name
    the knowledge base gives its own property is left as written, and Arabic is untouched."""
    from builder.site import build
    kb = scratch_kb({"e.ttl": """
        id:group a sem:Actor , schema:Organization ; skos:prefLabel "Group"@en , "جماعة"@ar .
        id:port a sem:Actor , schema:Organization ; skos:prefLabel "Port"@en , "ميناء"@ar .
        id:says a rdf:Property ; skos:prefLabel "iPhone-era claim"@en .
        id:src a prov:Entity , schema:NewsArticle ; skos:prefLabel "A report"@en ; dcterms:publisher id:port .
        id:e a sem:Event ; skos:prefLabel "A blast"@en , "انفجار"@ar ; dcterms:date "2024-01-29"^^xsd:date ;
            tl:perpetrator id:group ; tl:target id:port ; sem:hasActor id:group ; id:says "yes" ;
            prov:wasDerivedFrom id:src .
        id:c a tl:Claim ; skos:prefLabel "Group did it"@en ; rdf:subject id:e ; rdf:predicate tl:perpetrator ;
            rdf:object id:group ; sem:accordingTo id:group ; tl:status tl:Claimed ; prov:wasDerivedFrom id:src .
        """})
    build(kb, tmp_path / "out")
    out = tmp_path / "out"

    def labels(path: str) -> dict[str, str]:
        """Each <dt> that links to a term: its text by the term's page or IRI."""
        html = (out / path).read_text(encoding="utf-8")
        return {href if href.startswith("http") else href.split("/")[-2]: unescape(text)
                for href, text in re.findall(r'<dt><a href="([^"]+)"[^>]*><bdi[^>]*>([^<]+)</bdi></a></dt>', html)}

    def in_sentence(lang_prefix: str) -> str:  # the claim's statement: subject — predicate — object
        html = (out / lang_prefix / "id" / "c" / "index.html").read_text(encoding="utf-8")
        return unescape(re.sub(r"<[^>]+>", "", re.search(r'<p class="statement">(.*?)</p>', html).group(1)))

    english, arabic = labels("id/e/index.html"), labels("ar/id/e/index.html")
    assert {"perpetrator", "target"} <= set(english) and "http://semanticweb.cs.vu.nl/2009/11/sem/hasActor" in english
    for key, text in english.items():
        if key != "says":
            assert text[0].isupper(), (key, text)
    assert english["says"] == "iPhone-era claim"  # the knowledge base's own name
    name = english["perpetrator"]
    assert f" — {name[0].lower()}{name[1:]} — " in in_sentence("")  # inside a sentence, lower case
    assert arabic["perpetrator"] in in_sentence("ar")  # Arabic has no case: the same word as in the sentence
    # a term's own page is headed (and titled) by its name as a heading: "Perpetrator"
    term = (out / "vocab" / "perpetrator" / "index.html").read_text(encoding="utf-8")
    heading = unescape(re.sub(r"<[^>]+>", "", re.search(r"<h1>(.*?)</h1>", term).group(1)))
    assert heading == name and f"<title>{name} · " in term
    ar_term = (out / "ar" / "vocab" / "perpetrator" / "index.html").read_text(encoding="utf-8")
    assert arabic["perpetrator"] in re.search(r"<h1>(.*?)</h1>", ar_term).group(1)


def test_an_edited_catalog_is_seen_by_the_next_build(tmp_path):
    """Interface strings are put into the compiled templates, which are kept between builds: a
    knowledge base's catalog edited between two builds must reach the pages of the second."""
    from i18nkit import build_persian
    out = build_persian(tmp_path)
    assert ">پرش به محتوا</a>" in (out / "fa" / "index.html").read_text(encoding="utf-8")
    po = tmp_path / "kb" / "locale" / "fa.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "پرش به محتوا"', 'msgstr "رفتن به محتوا"'),
                  encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "builder.cli", "build", "--kb", str(tmp_path / "kb"), "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    home = (out / "fa" / "index.html").read_text(encoding="utf-8")
    assert ">رفتن به محتوا</a>" in home and ">پرش به محتوا</a>" not in home


def test_a_search_document_keeps_the_words_of_adjacent_blocks_apart():
    """Pagefind reads "<li>…factions</li><li>Reuters…" as the word "factionsreuters": the document
    it is given has a space where a block ends and the next tag begins at once; the interface's
    own words (the timeline widget, the filters) are not in it."""
    from builder.search import search_document
    page = ('<html lang="en"><head><title>T</title></head><body><main><article data-pagefind-body>'
            '<h1>Name</h1><ul><li>armed factions</li><li>Reuters</li></ul><table><tr><th>eps</th><th>zeta</th>'
            '</tr></table><p>alpha</p><p>beta<br>gamma</p><figure class="tl-visual" hidden data-pagefind-ignore>'
            '<button>Zoom in</button></figure><form class="tl-filters" hidden data-pagefind-ignore><p>Filter</p>'
            '</form></article></main></body></html>').encode()
    document = search_document(page).decode()
    text = re.sub(r"<[^>]+>", "", document)
    assert "factions Reuters" in text and "eps zeta" in text and "alpha beta gamma" in text
    assert "Zoom" not in document and "Filter" not in document
