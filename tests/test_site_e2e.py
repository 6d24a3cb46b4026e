"""End to end: build the real kb/ and read the result as a reader would."""
from __future__ import annotations

import filecmp
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from builder.kb import open_kb
from builder.site import build
from builder.problems import KBError
from conftest import SEED_KB
from sitecheck import broken_links, parse, text_of

ID_NS = "https://example.org/id/"


def described_slugs() -> list[str]:
    """Every id: IRI the seed describes (is the subject of a statement)."""
    kb = open_kb(SEED_KB)
    rows = kb.store.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }", use_default_graph_as_union=True)
    return sorted(r["s"].value[len(ID_NS):] for r in rows if r["s"].value.startswith(ID_NS))


def test_every_thing_has_a_page_in_each_language(seed_site: Path):
    slugs = described_slugs()
    assert len(slugs) > 40
    for slug in slugs:
        for prefix in ("", "ar/"):
            page = seed_site / prefix / "id" / slug / "index.html"
            assert page.is_file(), f"no page for id:{slug} at {page}"
        assert (seed_site / "id" / slug / "index.ttl").is_file()
        assert (seed_site / "id" / slug / "index.jsonld").is_file()


def test_site_files_of_the_contract_exist(seed_site: Path):
    for rel in ["index.html", "ar/index.html", "events/index.html", "actors/index.html", "places/index.html",
                "sources/index.html", "claims/index.html", "disagreements/index.html", "vocab/index.html",
                "vocab/Meeting/index.html", "vocab/perpetrator/index.html", "timeline/2024/index.html",
                "timeline/2024/01/index.html", "ar/timeline/2024/01/index.html", "data/kb.ttl", "data/kb.nt",
                "data/kb.jsonld", "data/derived.ttl", "data/derived.nt", "404.html"]:
        assert (seed_site / rel).is_file(), rel


def test_every_internal_link_and_anchor_resolves(seed_site: Path):
    assert broken_links(seed_site) == []


def test_only_http_links_go_out(seed_site: Path):
    for page in seed_site.rglob("*.html"):
        for link in parse(page).links:
            scheme = re.match(r"^([a-z][a-z0-9+.-]*):", link, re.I)
            assert scheme is None or scheme.group(1).lower() in ("http", "https"), (page, link)


def test_timeline_follows_resolved_dates(seed_site: Path):
    html = (seed_site / "timeline" / "2024" / "01" / "index.html").read_text(encoding="utf-8")
    order = re.findall(r'href="\.\./\.\./\.\./id/([a-z0-9-]+)/index.html"><bdi>', html)
    meeting, suspension = order.index("ev-qaani-meets-factions-baghdad"), order.index("ev-kh-suspends-attacks")
    assert meeting < suspension
    derived = (seed_site / "data" / "derived.nt").read_text(encoding="utf-8")
    earliest = dict(re.findall(r"<https://example.org/id/([a-z0-9-]+)> <http://semanticweb.cs.vu.nl/2009/11/sem/"
                               r"hasEarliestBeginTimeStamp> \"([0-9-]+)\"", derived))
    listed = [s for s in order if s in earliest]
    assert [earliest[s] for s in listed] == sorted(earliest[s] for s in listed)


def test_kh_suspension_is_30_january_and_says_how(seed_site: Path):
    text = text_of(seed_site / "id" / "ev-kh-suspends-attacks" / "index.html")
    assert "30 January 2024 — the day after" in text
    assert "Qaani meets Iraqi armed factions at Baghdad airport" in text
    assert "في اليوم التالي" in text
    html = (seed_site / "id" / "ev-kh-suspends-attacks" / "index.html").read_text(encoding="utf-8")
    assert '<time datetime="2024-01-30">' in html
    assert 'href="../ev-qaani-meets-factions-baghdad/index.html"' in html
    ar = text_of(seed_site / "ar" / "id" / "ev-kh-suspends-attacks" / "index.html")
    assert "يناير" in ar and "في اليوم التالي" in ar


def test_each_relative_date_says_how_it_places_the_thing(seed_site: Path):
    """The State Department's statement is on or before the report that carries it and on or
    after Qaani's visit, which it declined to comment on: both are said, each anchor a link and
    its phrase quoted, not only the narrower one."""
    for lang, after, before in (("", "on or after ", "on or before "), ("ar/", "في يوم ", " أو قبله")):
        html = (seed_site / lang / "id" / "ev-state-department-statement" / "index.html").read_text(encoding="utf-8")
        derivation = re.search(r'<span class="derivation">(.*?)</span></dd>', html).group(1)
        assert 'href="../ev-qaani-meets-factions-baghdad/index.html"' in derivation
        assert 'href="../src-mena-monitor-bukamal/index.html"' in derivation
        assert after in derivation and before in derivation
        assert "<q" in derivation and ("Qaani" in derivation or "قاآني" in derivation)


def test_kafr_sousa_is_a_wednesday_over_the_range_the_article_allows(seed_site: Path):
    page = seed_site / "id" / "ev-kafr-sousa-strike" / "index.html"
    text = text_of(page)
    assert "a Wednesday between 31 January and 28 February 2024" in text
    assert "Wednesday" in text and "src-mena-monitor-bukamal" in page.read_text(encoding="utf-8")
    html = page.read_text(encoding="utf-8")
    assert not re.search(r'datetime="2024-0[12]-\d\d"', html.split("<main", 1)[1].split("Previous", 1)[0])
    derived = (seed_site / "data" / "derived.nt").read_text(encoding="utf-8")
    assert ('<https://example.org/id/ev-kafr-sousa-strike> <http://semanticweb.cs.vu.nl/2009/11/sem/'
            'hasEarliestBeginTimeStamp> "2024-01-31"') in derived
    assert ('<https://example.org/id/ev-kafr-sousa-strike> <http://semanticweb.cs.vu.nl/2009/11/sem/'
            'hasLatestEndTimeStamp> "2024-02-28"') in derived


def test_month_precision_never_appears_as_a_day(seed_site: Path):
    page = seed_site / "id" / "ev-embassy-mortar-attack" / "index.html"
    text = text_of(page)
    assert "December 2023" in text
    assert not re.search(r"\b1 December 2023\b", text)
    assert 'datetime="2023-12"' in page.read_text(encoding="utf-8")
    home = text_of(seed_site / "index.html")
    assert "December 2023 Mortar attack on the US embassy in Baghdad" in home
    assert not re.search(r"\b1 December 2023 Mortar", home)
    source = text_of(seed_site / "id" / "src-mena-monitor-bukamal" / "index.html")
    assert "February 2024" in source and not re.search(r"\b1 February 2024\b", source)


def test_arabic_pages_are_rtl_and_link_their_twins(seed_site: Path):
    html = (seed_site / "ar" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in html
    assert 'hreflang="en" href="../index.html"' in html
    en = (seed_site / "id" / "kataib-hezbollah" / "index.html").read_text(encoding="utf-8")
    assert 'hreflang="ar" href="../../ar/id/kataib-hezbollah/index.html"' in en


def test_two_builds_give_identical_bytes(tmp_path: Path, seed_site: Path):
    again = tmp_path / "again"
    build(SEED_KB, again)
    cmp = filecmp.dircmp(seed_site, again)
    mismatched = []

    def walk(c):
        mismatched.extend(c.left_only + c.right_only + c.diff_files)
        _, diff, errors = filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)
        mismatched.extend(diff + errors)
        for sub in c.subdirs.values():
            walk(sub)
    walk(cmp)
    assert mismatched == []


def test_same_bytes_under_another_hash_seed(tmp_path: Path, seed_site: Path):
    out = tmp_path / "seeded"
    env = {"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-m", "builder.cli", "build", "--kb", str(SEED_KB), "--out", str(out)],
                   check=True, env=env, capture_output=True)
    for rel in ["index.html", "ar/index.html", "data/kb.nt", "data/derived.ttl", "id/ev-tower-22-attack/index.html"]:
        assert (out / rel).read_bytes() == (seed_site / rel).read_bytes(), rel


def test_syntax_error_leaves_previous_output_and_names_file_and_line(tmp_path: Path):
    kb = tmp_path / "kb"
    shutil.copytree(SEED_KB, kb)
    out = tmp_path / "out"
    build(kb, out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    bad = kb / "events-2024.ttl"
    lines = bad.read_text(encoding="utf-8").splitlines()
    lines.insert(5, 'id:broken a sem:Event ; skos:prefLabel "unterminated .')
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(KBError) as caught:
        build(kb, out)
    first = caught.value.problems[0]
    assert first.path.endswith("events-2024.ttl") and first.line == 6 and first.severity == "error"
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_cli_build_exit_codes(tmp_path: Path):
    kb = tmp_path / "kb"
    shutil.copytree(SEED_KB, kb)
    (kb / "zz.ttl").write_text("@prefix id: <https://example.org/id/> .\nid:x id:y \n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "builder.cli", "build", "--kb", str(kb), "--out", str(tmp_path / "o")],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert re.search(rf"{re.escape(str(kb))}/zz.ttl:\d+:\d+: error: ", run.stderr)
    assert not (tmp_path / "o").exists()
    missing = subprocess.run([sys.executable, "-m", "builder.cli", "build", "--kb", str(tmp_path / "nope")],
                             capture_output=True, text=True)
    assert missing.returncode == 2


def test_atom_feeds_and_sitemap(seed_site: Path):
    import xml.etree.ElementTree as ET
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(seed_site / "feeds" / "events.xml").getroot()
    assert feed.tag == f"{atom}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{atom}{required}") is not None
    entries = feed.findall(f"{atom}entry")
    assert len(entries) == len(list((seed_site / "events").parent.glob("id/ev-*")))
    for entry in entries:
        assert re.match(r"^\d{4}-\d\d-\d\dT00:00:00Z$", entry.find(f"{atom}updated").text)
        assert entry.find(f"{atom}link").get("href").startswith("https://example.org/id/")
    kh = ET.parse(seed_site / "feeds" / "actors" / "kataib-hezbollah.xml").getroot()
    titles = [e.find(f"{atom}title").text for e in kh.findall(f"{atom}entry")]
    assert "Kataib Hezbollah announces it will suspend its attacks" in titles
    assert (seed_site / "feeds" / "places" / "baghdad-airport.xml").is_file()
    urls = re.findall(r"<loc>([^<]+)</loc>", (seed_site / "sitemap.xml").read_text(encoding="utf-8"))
    pages = [p.relative_to(seed_site).as_posix() for p in seed_site.rglob("index.html")]
    assert {"https://example.org/" + p.removesuffix("index.html") for p in pages} <= set(urls)
    html = (seed_site / "id" / "kataib-hezbollah" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml" href="../../feeds/actors/kataib-hezbollah.xml">' in html
    assert '<meta property="og:url" content="https://example.org/id/kataib-hezbollah/">' in html


def test_pages_embed_jsonld_that_reads_back(seed_site: Path):
    import json

    from rdflib import Graph, URIRef
    html = (seed_site / "id" / "ev-kh-suspends-attacks" / "index.html").read_text(encoding="utf-8")
    data = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    doc = json.loads(data)
    assert doc["@context"] == {"@vocab": "http://schema.org/"} and doc["@type"] == "Event"
    g = Graph().parse(data=data, format="json-ld")
    s = URIRef("https://example.org/id/ev-kh-suspends-attacks")
    assert str(g.value(s, URIRef("http://schema.org/startDate"))) == "2024-01-30"
    assert (s, URIRef("http://schema.org/actor"), URIRef("https://example.org/id/kataib-hezbollah")) in g


def test_a_things_own_data_marks_what_was_derived(seed_site: Path):
    """kb-format: what the builder derives is published "marked as derived". In a thing's
    index.jsonld it is the named graph tl:derived (as in the store and data/derived.*); in its
    index.ttl, which has no graphs, a block under a comment saying so. Together they hold what
    kb/ says of the thing and what data/derived.nt says of it, nothing more."""
    import pyoxigraph as ox
    event = ID_NS + "ev-kh-suspends-attacks"
    derived_graph = ox.NamedNode("https://w3id.org/tarikh/ns#derived")
    folder = seed_site / "id" / "ev-kh-suspends-attacks"
    quads = list(ox.parse(path=str(folder / "index.jsonld"), format=ox.RdfFormat.JSON_LD))
    in_derived = {(q.predicate.value, q.object.value) for q in quads if q.graph_name == derived_graph}
    in_default = {(q.predicate.value, q.object.value) for q in quads if q.graph_name != derived_graph}
    sem = "http://semanticweb.cs.vu.nl/2009/11/sem/"
    assert {(sem + "hasEarliestBeginTimeStamp", "2024-01-30"), (sem + "hasTimeStamp", "2024-01-30")} <= in_derived
    assert not any(p.startswith(sem + "has") and p.endswith("TimeStamp") for p, _ in in_default)
    assert any(p == sem + "eventType" for p, _ in in_default)
    derived_nt = {(q.subject.value, q.predicate.value, q.object.value)
                  for q in ox.parse(path=str(seed_site / "data" / "derived.nt"), format=ox.RdfFormat.N_TRIPLES)}
    assert {(event, p, o) for p, o in in_derived} == {t for t in derived_nt if t[0] == event}

    text = (folder / "index.ttl").read_text(encoding="utf-8")
    asserted_part, note, derived_part = text.partition("# Derived by the builder")
    assert note and "TimeStamp" not in asserted_part and "hasTimeStamp" in derived_part
    assert "tl:corroboration" in derived_part and "tl:corroboration" not in asserted_part
    triples = {(t.subject.value, t.predicate.value, t.object.value)
               for t in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE)}
    assert {t for t in triples if t[0] == event and "TimeStamp" in t[1]} == {
        t for t in derived_nt if t[0] == event and "TimeStamp" in t[1]}


def test_a_terms_page_does_not_list_its_own_label_under_other_languages(seed_site: Path):
    """A vocabulary term is headed by its label with a capital ("Meeting" for "meeting"): the
    label it was made from is the heading, not a name "in other languages"."""
    def other_labels(rel: str) -> str:
        page = (seed_site / rel).read_text(encoding="utf-8")
        found = re.search(r'<p class="other-labels">(.*?)</p>', page, re.S)
        return re.sub(r"<[^>]+>", " ", found.group(1)) if found else ""
    english = other_labels("vocab/Meeting/index.html")
    assert "اجتماع" in english and "meeting" not in english.lower()
    assert "meeting" in other_labels("ar/vocab/Meeting/index.html")
