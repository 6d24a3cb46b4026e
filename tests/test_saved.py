"""Saved queries: their headers, their results as plain Python, their downloads, and their pages."""
from __future__ import annotations

import csv
import io
import json
import posixpath
import re
from pathlib import Path

import pytest

from builder.engine import Lit
from builder.query import open_query_store
from builder.saved import SavedQuery, check_saved, downloads, load_saved, parse_header, run_saved
from sparqlkit import build_site, small_kb

ID = "https://example.org/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    return small_kb(tmp_path_factory.mktemp("saved"))


@pytest.fixture(scope="module")
def store(kb):
    return open_query_store(kb)[0].store


@pytest.fixture(scope="module")
def site(kb, tmp_path_factory):
    return build_site(kb, tmp_path_factory.mktemp("saved-site") / "output")


def test_header_titles_descriptions_and_continuations():
    title, description = parse_header("# title@en: Events\n# title@ar: الأحداث\n# description@en: One\n"
                                      "#   two.\n# description@AR: واحد\nSELECT * {}\n# title@fr: not header\n")
    assert title == {"en": "Events", "ar": "الأحداث"}
    assert description == {"en": "One two.", "ar": "واحد"}


def test_load_saved_in_name_order_with_paths_as_typed(kb):
    saved, problems = load_saved(kb, "kb")
    assert [q.name for q in saved] == ["event-count", "events-by-actor"]
    assert saved[1].shown == "kb/queries/events-by-actor.rq" and not problems
    assert saved[1].body.startswith("SELECT ?event")


def test_a_name_that_cannot_be_an_address_is_an_error(tmp_path):
    kb = small_kb(tmp_path, **{"queries/Bad Name.rq": "SELECT * {}"})
    _, problems = load_saved(kb, "kb")
    assert [(p.path, p.code) for p in problems] == [("kb/queries/Bad Name.rq", "saved-query-name")]


def test_check_names_the_line_of_a_broken_saved_query_and_missing_titles(store):
    bad = SavedQuery("bad", "kb/queries/bad.rq", {"en": "Bad"}, {}, "# title@en: Bad\nSELECT * WHERE {\n  ?s ?p\n}\n")
    problems = check_saved(store, [bad], ID, ("en", "ar"))
    assert [(p.path, p.line, p.column, p.severity) for p in problems] == [
        ("kb/queries/bad.rq", 1, 1, "warning"), ("kb/queries/bad.rq", 3, 3, "error")]


def test_results_are_plain_python(kb, store):
    saved, _ = load_saved(kb)
    results = run_saved(store, saved[1], ID)
    assert results.kind == "select" and results.variables == ("event", "actor", "label", "from")
    assert results.rows[0] == (ID + "ev-two", ID + "alpha", Lit("Alpha", "en", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"),
                               Lit("2024-01-01", "", XSD + "date"))


def test_downloads_are_w3c_csv_and_json_and_stable(kb, store):
    saved, _ = load_saved(kb)
    files = downloads(store, saved, ID)
    assert set(files) == {"queries/event-count/results.csv", "queries/event-count/results.json",
                          "queries/events-by-actor/results.csv", "queries/events-by-actor/results.json",
                          "data/vocab.nt"}
    rows = list(csv.reader(io.StringIO(files["queries/events-by-actor/results.csv"].decode(), newline="")))
    assert rows[0] == ["event", "actor", "label", "from"] and rows[1][:2] == [ID + "ev-two", ID + "alpha"]
    doc = json.loads(files["queries/event-count/results.json"])
    assert doc["results"]["bindings"] == [{"events": {"type": "literal", "value": "3", "datatype": XSD + "integer"}}]
    assert files == downloads(open_query_store(kb)[0].store, saved, ID)  # byte-identical on a fresh load


def _links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


@pytest.mark.parametrize("lang_dir", ["", "ar/"])
def test_query_page_shows_description_sparql_and_linked_results(site, lang_dir):
    page = site / lang_dir / "queries" / "events-by-actor" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "<pre" in html and "sem:hasEarliestBeginTimeStamp" in html
    assert ("Every event with each of its actors and its earliest date." in html) == (lang_dir == "")
    hrefs = _links(html.split('<main id="main">', 1)[1].split("</main>", 1)[0])  # this page's own links
    assert "../../id/ev-two/index.html" in hrefs and "../../id/alpha/index.html" in hrefs
    assert any(h.endswith("results.csv") for h in hrefs) and any(h.endswith("results.json") for h in hrefs)
    for href in hrefs:
        if not href.startswith(("http:", "https:", "#")):
            target = Path(posixpath.normpath(posixpath.join(str(page.parent), href)))
            assert target.is_file(), f"{page}: {href} leads nowhere"


def test_index_lists_the_queries_and_holds_the_console(site):
    html = (site / "queries" / "index.html").read_text(encoding="utf-8")
    assert 'href="events-by-actor/index.html"' in html and 'href="event-count/index.html"' in html
    assert 'src="../static/sparql-console.js"' in html and 'id="console-query"' in html
    data = json.loads(re.search(r'<script type="application/json" id="console-data">(.*?)</script>', html, re.S).group(1))
    assert [e["name"] for e in data["examples"]] == ["event-count", "events-by-actor"]
    assert data["prefixes"]["id"] == ID
    assert 'data-kb="../data/kb.nt"' in html and 'data-id-href="../id/SLUG/index.html"' in html


def test_the_console_is_loaded_on_no_other_page(site):
    pages = [p for p in site.rglob("*.html") if "queries" not in p.relative_to(site).parts[:2]]
    assert pages and not [p for p in pages if "sparql-console" in p.read_text(encoding="utf-8")]


def test_without_saved_queries_the_console_page_is_still_there(kb):
    from builder.kb import open_kb
    from builder.query import derive_into
    from builder.render import render
    from builder.views.queries import query_pages
    loaded = open_kb(kb)
    model = derive_into(loaded)
    pages = query_pages(model, loaded.config, loaded.store, [])
    assert [p.path for p in pages] == ["queries/index.html", "ar/queries/index.html"]
    html = render(pages[0])
    assert 'id="console-query"' in html and 'id="console-example"' not in html


def test_numbers_in_results_keep_their_digits_as_the_query_gave_them(kb):
    """A result column of YEAR(?date) reads 2010, not 2,010; the page's digits still apply."""
    from builder.engine import Lit
    from builder.model import Model
    from builder.namespaces import XSD
    from builder.views.queries import cell
    model = Model.__new__(Model)
    year, count = Lit("2010", "", XSD + "integer"), Lit("12345", "", XSD + "integer")
    assert cell(model, year, "en", None).text == "2010" and cell(model, count, "en", None).text == "12345"
    assert cell(model, year, "ar", "arab").text == "٢٠١٠" and cell(model, Lit("2.5", "", XSD + "decimal"), "ar", "latn").text == "2.5"
    assert cell(model, Lit("2010", "en"), "en", None).text == "2010"


def test_events_per_month_orders_months_in_time_bce_and_early_years_included(tmp_path):
    """As text, 962-12 sorted after 2024-01 and -104-10 before -1207-06."""
    from builder.query import run
    from conftest import ROOT, make_kb
    kb_dir = make_kb(tmp_path, {"e.ttl": """
        id:src a prov:Entity , schema:Report ; dcterms:title "R"@en ; dcterms:publisher id:p .
        id:p a sem:Actor , schema:Organization ; skos:prefLabel "P"@en .
        """ + "".join(f"""
        id:e{i} a sem:Event ; skos:prefLabel "E{i}"@en ; dcterms:date "{d}"^^edtf:EDTF ; prov:wasDerivedFrom id:src .
        """ for i, d in enumerate(["2024-01-05", "0962-12-27", "-0104-10-01", "-1207-06-02", "-0104-10-09"]))})
    kb, fatal = open_query_store(kb_dir)
    assert not fatal
    query = (ROOT / "kb" / "queries" / "events-per-month.rq").read_text(encoding="utf-8")
    rows = [tuple(term.value for term in row) for row in run(kb.store, query, kb.id_ns)]
    assert rows == [("-1207-06", "1"), ("-0104-10", "2"), ("0962-12", "1"), ("2024-01", "1")]
