"""Found by reading a built site as a reader would: the home page's title is said once, the kind
line names each kind once, standard relations have names in both languages, "what links here"
reads in time and name order, every page has an icon, and the 404 page works in both languages
at any address a host serves it at."""
from __future__ import annotations

import html as htmllib
import re
import tomllib
from pathlib import Path

import shutil
import subprocess
import textwrap

import pytest

from browser import chromium, static_server, watched_tab  # noqa: F401  (fixtures)
from builder.site import build
from conftest import PREFIXES, SITE_TOML, make_kb

KB = {
    "things.ttl": """
        id:city a sem:Place , schema:Place ; skos:prefLabel "Zeta city"@en , "مدينة زيتا"@ar .
        id:town a sem:Place , schema:City ; skos:prefLabel "Alpha town"@en , "بلدة ألفا"@ar .
        id:group a sem:Actor , schema:Organization ; skos:prefLabel "Group"@en , "الجماعة"@ar .
        id:src a prov:Entity , schema:NewsArticle ; skos:prefLabel "A report"@en , "تقرير"@ar ;
            dcterms:publisher id:group .
        id:ev-late a sem:Event ; skos:prefLabel "Aardvark late event"@en , "حدث متأخر"@ar ;
            dcterms:date "2021-06-01"^^edtf:EDTF ; sem:hasPlace id:city ; sem:eventType tl:Attack ;
            sem:hasActor id:group ; prov:wasDerivedFrom id:src .
        id:ev-early a sem:Event ; skos:prefLabel "Zebra early event"@en , "حدث مبكر"@ar ;
            dcterms:date "2020-01-05"^^edtf:EDTF ; sem:hasPlace id:city ; sem:eventType tl:Attack ;
            sem:hasActor id:group ; prov:wasDerivedFrom id:src .
        id:ev-mid a sem:Event ; skos:prefLabel "Middle event"@en , "حدث أوسط"@ar ;
            dcterms:date "2020-09"^^edtf:EDTF ; sem:hasPlace id:city ; sem:eventType tl:Attack ;
            sem:hasActor id:group ; prov:wasDerivedFrom id:src .
        id:a-quarter a sem:Place ; skos:prefLabel "Zulu quarter"@en , "حي الياء"@ar ; schema:containedInPlace id:city .
        id:b-quarter a sem:Place ; skos:prefLabel "Bravo quarter"@en , "حي الباء"@ar ; schema:containedInPlace id:city .
    """,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("reader-fixes")
    out = root / "out"
    build(make_kb(root, KB), out)
    return out


# Arabic first, and the site under a sub-path: its 404 page must say Arabic first and keep to /tarikh/
SUBPATH_TOML = """\
base_url = "https://example.org/tarikh/"
languages = ["ar", "en"]
[title]
ar = "خط زمني للاختبار"
en = "Test timeline"
"""


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("reader-fixes-subpath")
    out = root / "out"
    prefixes = PREFIXES.replace("<https://example.org/id/>", "<https://example.org/tarikh/id/>")
    files = {name: prefixes + textwrap.dedent(body) for name, body in KB.items()}
    build(make_kb(root, files, site_toml=SUBPATH_TOML, prefixes=False), out)
    return out


def _read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def _title(html: str) -> str:
    return htmllib.unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1))


def _site_titles() -> dict[str, str]:
    return tomllib.loads(SITE_TOML)["title"]


@pytest.mark.parametrize("lang,prefix", [("en", ""), ("ar", "ar/")])
def test_the_home_page_title_is_the_site_title_said_once(site: Path, lang: str, prefix: str):
    site_title = _site_titles()[lang]
    assert _title(_read(site, prefix + "index.html")) == site_title


@pytest.mark.parametrize("lang,prefix", [("en", ""), ("ar", "ar/")])
@pytest.mark.parametrize("path", ["vocab/index.html", "map/index.html", "id/city/index.html", "vocab/Attack/index.html"])
def test_other_pages_are_titled_page_then_site(site: Path, lang: str, prefix: str, path: str):
    html = _read(site, prefix + path)
    heading = re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1))
    site_title = _site_titles()[lang]
    assert _title(html) == f"{htmllib.unescape(heading).strip()} · {site_title}"
    og = htmllib.unescape(re.search(r'<meta property="og:title" content="([^"]*)">', html).group(1))
    assert og == htmllib.unescape(heading).strip()  # the page's name as the reader sees it, not an internal one


def _kind_line(html: str) -> tuple[str, list[str]]:
    """The kind line of a thing's page: the kind's name, then the names of the classes after it."""
    line = re.search(r'<p class="kind">(.*?)</p>', html, re.S).group(1)
    kind, _, rest = line.partition(" · ")
    return htmllib.unescape(kind), [htmllib.unescape(t) for t in re.findall(r"<bdi>(.*?)</bdi>", rest)]


@pytest.mark.parametrize("lang,prefix", [("en", ""), ("ar", "ar/")])
def test_the_kind_line_names_each_kind_once(site: Path, lang: str, prefix: str):
    from builder.namespaces import SCHEMA, SEM
    from builder.views.termlabels import term_label
    lines = {p.parent.name: _kind_line(p.read_text(encoding="utf-8"))
             for p in (site / prefix / "id").glob("*/index.html")}
    assert lines
    for page, (kind, names) in lines.items():
        folded = [n.casefold() for n in [kind, *names]]
        assert len(folded) == len(set(folded)), (page, kind, names)  # no name said twice
    # the classes that only say the kind again are not listed after it ("Place · place, place")
    for page, classes in (("city", (SEM + "Place", SCHEMA + "Place")), ("ev-early", (SEM + "Event",)),
                          ("group", (SEM + "Actor",))):
        kind, names = lines[page]
        assert not {term_label(c, lang) for c in classes} & set(names), (page, kind, names)
    assert lines["town"][1] == [term_label(SCHEMA + "City", lang)]  # a more specific class still shows


STANDARD_CURIE = re.compile(r"<bdi>((?:skos|owl|rdfs|rdf|xsd):[A-Za-z]+)</bdi>")


@pytest.mark.parametrize("lang,prefix", [("en", ""), ("ar", "ar/")])
def test_standard_relations_are_named_in_the_page_language(site: Path, lang: str, prefix: str):
    from builder.namespaces import SKOS
    from builder.views.termlabels import term_label
    concept = _read(site, prefix + "vocab/Attack/index.html")
    backlinks = concept[concept.index('<section class="backlinks"'):]
    relations = [htmllib.unescape(t) for t in re.findall(r"<dt>.*?<bdi>(.*?)</bdi>.*?</dt>", backlinks)]
    name = term_label(SKOS + "hasTopConcept", lang)
    assert name and name != "skos:hasTopConcept"
    assert name[:1].upper() + name[1:] in relations, relations  # the scheme that lists it, by name
    if lang == "ar":
        assert all(re.search("[\u0600-\u06ff]", r) for r in relations), relations  # every relation in Arabic
    written = {m for p in (site / prefix / "vocab").rglob("index.html")
               for m in STANDARD_CURIE.findall(p.read_text(encoding="utf-8"))}
    assert written == set(), written  # no SKOS, RDFS, OWL or XSD term left as a CURIE on the vocabulary's pages


def _backlinks(html: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """"What links here": each relation's name with its (href, name) links, as the page lists them."""
    section = html[html.index('<section class="backlinks"'):]
    section = section[:section.index("</section>")]
    out = []
    for dt, dd in re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", section, re.S):
        links = [(href, htmllib.unescape(text)) for href, text in
                 re.findall(r'<a href="([^"]+)"[^>]*><bdi>(.*?)</bdi></a>', dd)]
        out.append((htmllib.unescape(re.sub(r"<[^>]+>", "", dt)), links))
    return out


@pytest.mark.parametrize("lang,prefix", [("en", ""), ("ar", "ar/")])
def test_what_links_here_lists_events_in_time_order_then_things_by_name(site: Path, lang: str, prefix: str):
    from builder.collation import sort_key
    timeline = re.findall(r'href="\.\./id/([^/"]+)/index\.html"', _read(site, prefix + "events/index.html"))
    in_time = list(dict.fromkeys(s for s in timeline if s.startswith("ev-")))
    groups = _backlinks(_read(site, prefix + "id/city/index.html"))
    assert [name for name, _ in groups] == sorted((name for name, _ in groups), key=lambda n: sort_key(n, lang))
    events = [links for _, links in groups if any("/ev-" in href for href, _ in links)]
    assert len(events) == 1 and len(events[0]) == 3
    assert [href.split("/")[-2] for href, _ in events[0]] == in_time  # the timeline's order, not the IRIs'
    others = [links for _, links in groups if not any("/ev-" in href for href, _ in links)]
    assert others and all(len(links) == 2 for links in others)
    for links in others:
        names = [name for _, name in links]
        assert names == sorted(names, key=lambda n: sort_key(n, lang))  # by name in the page's language


def test_every_page_links_an_icon_that_is_there(site: Path):
    """Without a linked icon a browser asks for /favicon.ico on every page and logs a 404."""
    import xml.etree.ElementTree as ET
    pages = [p for p in site.rglob("*.html") if not p.relative_to(site).as_posix().startswith(("static/", "pagefind/"))]
    assert pages
    icons = set()
    for page in pages:
        found = re.findall(r'<link rel="icon"[^>]* href="([^"]+)"', page.read_text(encoding="utf-8"))
        assert len(found) == 1, page
        href = found[0]
        target = (site / href.lstrip("/")) if href.startswith("/") else (page.parent / href)
        assert target.resolve().is_file(), (page, href)
        icons.add(target.resolve())
    for icon in icons:
        assert ET.parse(icon).getroot().tag == "{http://www.w3.org/2000/svg}svg"


SITES = {"site": SITE_TOML, "subpath_site": SUBPATH_TOML}


def _config(name: str) -> dict:
    config = tomllib.loads(SITES[name])
    config["root"] = "/" + config["base_url"].split("://", 1)[1].partition("/")[2]
    return config


@pytest.mark.parametrize("name", sorted(SITES))
def test_the_404_page_says_it_in_every_language_the_first_first(request, name: str):
    from builder.fragments import translate
    site, config = request.getfixturevalue(name), _config(name)
    html = _read(site, "404.html")
    first = config["languages"][0]
    assert re.search(r'<html lang="%s" dir="%s">' % (first, "rtl" if first == "ar" else "ltr"), html)
    assert _title(html) == f"{translate(first, 'Page not found')} · {config['title'][first]}"
    main = html[html.index("<main"):html.index("</main>")]
    blocks = re.findall(r'<div class="not-found" id="([^"]+)" lang="([^"]+)" dir="([^"]+)">(.*?)</div>', main, re.S)
    assert [lang for _, lang, _, _ in blocks] == config["languages"]  # every language, in site.toml's order
    texts = set()
    for block_id, lang, direction, body in blocks:
        assert direction == ("rtl" if lang == "ar" else "ltr")
        text = htmllib.unescape(re.sub(r"<[^>]+>", " ", body))
        for message in ("Page not found", "There is no page at this address.", "Go to the timeline"):
            assert translate(lang, message) in text, (lang, message)
        texts.add(text)
        # the language switch leads to each language's part of the page
        assert f'<a href="#{block_id}" hreflang="{lang}" lang="{lang}">' in html
    assert len(texts) == len(config["languages"])  # Arabic readers read Arabic


@pytest.mark.parametrize("name", sorted(SITES))
def test_the_404_page_links_from_the_site_root_path(request, name: str):
    """Hosts serve 404.html at the missing address (/id/nope/, /ar/x/y/): its links cannot be
    relative to where it is; they start from base_url's path and lead to the site's files."""
    site, root = request.getfixturevalue(name), _config(name)["root"]
    links = re.findall(r'(?:href|src)="([^"]+)"', _read(site, "404.html"))
    local = [link for link in links if not link.startswith(("#", "http://", "https://"))]
    assert local and all(link.startswith(root) for link in local), local
    for link in local:
        assert (site / link[len(root):]).is_file(), link
    assert "/static/style.css" in " ".join(local) and "/static/favicon.svg" in " ".join(local)


def test_other_pages_keep_relative_links(subpath_site: Path):
    for path in ("index.html", "id/city/index.html", "en/id/city/index.html"):
        assert not re.findall(r'(?:href|src)="/', _read(subpath_site, path)), path


def test_the_404_page_is_valid_html(site: Path, subpath_site: Path, tmp_path: Path):
    from test_validity import validator
    for name, built in (("root", site), ("subpath", subpath_site)):
        (tmp_path / name).mkdir()
        shutil.copy(built / "404.html", tmp_path / name / "404.html")
    run = subprocess.run(validator() + ["--root", str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.browser
@pytest.mark.parametrize("missing", ["id/nope/", "ar/x/y/z/"])
def test_the_404_page_keeps_its_style_and_links_at_any_depth(chromium, subpath_site: Path, tmp_path: Path,
                                                             missing: str):
    """As a host serves it: the page's bytes at a missing address deep under /tarikh/."""
    import os
    axe = Path(os.environ.get("TARIKH_AXE", Path(__file__).resolve().parent.parent / "node_modules" / "axe-core"
                              / "axe.min.js"))
    served = tmp_path / "served"
    shutil.copytree(subpath_site, served / "tarikh")
    (served / "tarikh" / missing).mkdir(parents=True)
    shutil.copy(subpath_site / "404.html", served / "tarikh" / missing / "index.html")
    with static_server(served) as url, watched_tab(chromium) as tab:
        tab.goto(url + "tarikh/" + missing)
        tab.wait_for_load_state("load")
        styled = tab.evaluate("""() => [...document.styleSheets].some(s => s.href && s.href.endsWith('/tarikh/static/style.css')
                                                                   && s.cssRules.length > 0)""")
        assert styled
        hrefs = tab.evaluate("() => [...document.querySelectorAll('a[href], link[href]')].map(a => a.href)")
        for href in sorted({h.partition("#")[0] for h in hrefs}):
            if href.startswith(url):
                assert tab.request.get(href).ok, href
        tab.add_script_tag(path=str(axe))
        result = tab.evaluate(
            "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
        assert [v["id"] for v in result["violations"]] == []
