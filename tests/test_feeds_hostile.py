"""Atom feeds and the sitemap of a hostile, bilingual site, read with a strict XML parser and
checked against RFC 4287, RFC 3339 and sitemaps.org."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from builder import feeds
from builder.config import load_config
from builder.site import build

from conftest import PREFIXES, make_kb

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")
BASE = "https://example.org/تاريخ/"
BASE_URI = "https://example.org/%D8%AA%D8%A7%D8%B1%D9%8A%D8%AE/"
SITE_TOML = f"""\
base_url = "{BASE}"
languages = ["en", "ar"]
[title]
en = "Feeds & <things>"
ar = "خلاصات"
"""
ID = f"<{BASE}id/>"

KB = {"kb.ttl": PREFIXES.replace("<https://example.org/id/>", ID) + f"""
    id:pub a sem:Actor , schema:NewsMediaOrganization ; skos:prefLabel "Pub & <co>"@en , "ناشر"@ar .
    id:src a prov:Entity , schema:NewsArticle ; dcterms:title "A report"@en ; dcterms:publisher id:pub .
    id:ev-ar a sem:Event ; skos:prefLabel "هجوم على قاعدة البرج 22"@ar ;
        dcterms:date "2024-01-28"^^edtf:EDTF ; tl:perpetrator id:pub ; prov:wasDerivedFrom id:src .
    id:ev-ctrl a sem:Event ; skos:prefLabel "pasted\\u0001 \\u000B\\uFFFE label ]]> <x>"@en , "حدث"@ar ;
        dcterms:date "2024-02"^^edtf:EDTF ; tl:perpetrator id:pub ; prov:wasDerivedFrom id:src .
    id:ev-bce a sem:Event ; skos:prefLabel "Battle"@en , "معركة"@ar ;
        dcterms:date "-0232"^^edtf:EDTF ; prov:wasDerivedFrom id:src .
"""}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("feeds")
    kb = make_kb(root, KB, site_toml=SITE_TOML, prefixes=False)
    out = root / "output"
    build(kb, out)
    return out


def _feed_files(site: Path) -> list[Path]:
    return sorted((site / "feeds").rglob("*.xml"))


def test_every_feed_is_well_formed_atom(site: Path):
    """RFC 4287: a feed has id, title, updated and an author (here the feed's, for every entry);
    an entry has id, title, updated and an alternate link; times are RFC 3339; links absolute."""
    files = _feed_files(site)
    assert {f.name for f in files} >= {"events.xml", "pub.xml"}
    for path in files:
        feed = ET.parse(path).getroot()  # raises on a feed that is not well-formed
        assert feed.tag == f"{ATOM}feed" and feed.get(XML_LANG) == "en"
        for child in ("id", "title", "updated"):
            assert (feed.findtext(f"{ATOM}{child}") or "").strip(), (path, child)
        assert feed.find(f"{ATOM}author/{ATOM}name") is not None
        assert RFC3339.fullmatch(feed.findtext(f"{ATOM}updated"))
        assert feed.find(f"{ATOM}link[@rel='self']").get("href").startswith(BASE)
        for entry in feed.findall(f"{ATOM}entry"):
            assert entry.findtext(f"{ATOM}id").startswith(BASE + "id/")
            assert entry.findtext(f"{ATOM}title").strip()
            assert RFC3339.fullmatch(entry.findtext(f"{ATOM}updated"))
            link = entry.find(f"{ATOM}link[@rel='alternate']")
            assert link.get("href").startswith(BASE + "id/") and link.get("href").endswith("/")


def test_a_label_pasted_with_control_characters_leaves_the_feed_well_formed(site: Path):
    feed = ET.parse(site / "feeds" / "events.xml").getroot()
    titles = {e.findtext(f"{ATOM}id"): e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")}
    assert titles[BASE + "id/ev-ctrl"] == "pasted  label ]]> <x>"


def test_an_entry_in_another_language_than_the_feed_says_so(site: Path):
    """An event labelled in Arabic only, in the English feed: its title carries xml:lang="ar"."""
    feed = ET.parse(site / "feeds" / "actors" / "pub.xml").getroot()
    entries = {e.findtext(f"{ATOM}id"): e for e in feed.findall(f"{ATOM}entry")}
    ar = entries[BASE + "id/ev-ar"].find(f"{ATOM}title")
    assert ar.get(XML_LANG) == "ar" and ar.text == "هجوم على قاعدة البرج 22"
    assert entries[BASE + "id/ev-ctrl"].find(f"{ATOM}title").get(XML_LANG) is None


def test_the_sitemap_lists_every_page_as_an_escaped_absolute_uri(site: Path):
    root = ET.parse(site / "sitemap.xml").getroot()
    assert root.tag == f"{SM}urlset"
    locs = [u.findtext(f"{SM}loc") for u in root.findall(f"{SM}url")]
    assert [c.tag for c in root] == [f"{SM}url"] * len(locs) and len(locs) == len(set(locs))
    for loc in locs:
        assert loc.isascii() and loc.startswith(BASE_URI) and 12 <= len(loc) <= 2048, loc
        assert not re.search(r"[\s<>\"{}|\\^`]", loc), loc
    assert BASE_URI in locs and BASE_URI + "id/ev-ar/" in locs and BASE_URI + "ar/id/ev-ar/" in locs
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")} - {"404.html"}
    assert len(locs) == len([p for p in pages if not p.startswith("pagefind/")])


def test_a_site_of_more_pages_than_a_sitemap_may_list_gets_a_sitemap_index(tmp_path: Path):
    """sitemaps.org: at most 50,000 URLs a file; beyond, sitemap.xml is an index of files at the root."""
    config, problems = load_config(make_kb(tmp_path, {}, site_toml=SITE_TOML), "kb")
    assert config is not None and not problems
    paths = ["index.html", "404.html", *(f"id/ev-{n}/index.html" for n in range(7))]
    files = feeds.sitemap(paths, config, limit=3)
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]
    index = ET.fromstring(files["sitemap.xml"])
    assert index.tag == f"{SM}sitemapindex"
    assert [s.findtext(f"{SM}loc") for s in index] == [f"{BASE_URI}sitemap-{n}.xml" for n in (1, 2, 3)]
    listed = [u.findtext(f"{SM}loc") for name in ("sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml")
              for u in ET.fromstring(files[name])]
    assert len(listed) == 8 and len(set(listed)) == 8
    assert max(len(ET.fromstring(files[n])) for n in files if n != "sitemap.xml") == 3
    assert list(feeds.sitemap(paths, config)) == ["sitemap.xml"]  # under the limit: one file, as before
