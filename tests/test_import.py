"""Imports: real UCDP and Wikidata files into a fresh knowledge base, built into a site and read back."""
from __future__ import annotations

import argparse
import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest

from builder.importers import ImportFailure, add_arguments, import_file, run
from builder.importers.common import norm, progress, slugify
from builder.importers.timelinejs import event_date, markdown
from builder.importers.ucdp import ged_date, original_names, same_party
from builder.importers.wikidata import wikidata_date
from builder.kb import open_kb
from builder.problems import KBError

from conftest import SHARED, make_kb

EVENTS = SHARED / "data" / "events"
UCDP_ME = EVENTS / "ucdp_ged_sample_middle_east.csv"
WD_SUBSET = EVENTS / "wikidata_events_iraq_syria_subset.json"
WD_ALL = EVENTS / "wikidata_historicEvents_9125.json"
NS = "https://example.org/id/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
TL = "https://w3id.org/tarikh/ns#"

EXISTING = {
    "existing.ttl": """
        # Written by hand before any import: the importers must match these, never rewrite them.
        id:syrian-government a sem:Actor , schema:Organization ;
            skos:prefLabel "Syrian government"@en , "الحكومة السورية"@ar ;
            skos:altLabel "Government of Syria"@en .
        id:damascus a sem:Place , schema:City ;
            skos:prefLabel "Damascus"@en , "دمشق"@ar ;
            schema:latitude 33.5102 ; schema:longitude 36.29128 ; tl:geoPrecision tl:Near .
        id:hand-source a prov:Entity , schema:NewsArticle ;
            dcterms:title "A hand-written source"@en ; dcterms:publisher id:syrian-government .
        id:ev-hand a sem:Event ;
            skos:prefLabel "A hand-written event"@en , "حدث مكتوب باليد"@ar ;
            dcterms:date "2024-02"^^edtf:EDTF ; sem:hasPlace id:damascus ;
            prov:wasDerivedFrom id:hand-source .
        """,
}


def ucdp_rows() -> list[dict[str, str]]:
    with open(UCDP_ME, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def bce_sample(path: Path) -> Path:
    """A few BCE and CE items of the 9,125-item result (none of them in the Iraq–Syria subset)."""
    items = json.loads(WD_ALL.read_text(encoding="utf-8"))
    subset = {x["event"] for x in json.loads(WD_SUBSET.read_text(encoding="utf-8"))}
    bce = [x for x in items if x["date"].startswith("-") and x["event"] not in subset][:6]
    ce = [x for x in items if not x["date"].startswith("-") and x["event"] not in subset][:4]
    path.write_text(json.dumps(ce[:2] + bce + ce[2:], ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def snapshot(kb: Path) -> dict[str, bytes]:
    return {p.relative_to(kb).as_posix(): p.read_bytes() for p in sorted(kb.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """A knowledge base with a hand-written file, the UCDP, Wikidata and BCE imports, and its site."""
    from builder.site import build
    root = tmp_path_factory.mktemp("imported")
    kb = make_kb(root, EXISTING)
    before = snapshot(kb)
    bce_file = bce_sample(root / "wikidata_bce_sample.json")
    results = {name: import_file(fmt, path, kb) for name, fmt, path in
               (("ucdp", "ucdp", UCDP_ME), ("wikidata", "wikidata", WD_SUBSET), ("bce", "wikidata", bce_file))}
    out = root / "output"
    problems, _ = build(kb, out)
    return {"kb": kb, "out": out, "before": before, "results": results, "bce_file": bce_file,
            "store": open_kb(kb).store, "problems": problems}


def objects(store: ox.Store, s: str, p: str) -> list:
    return [q.object for q in store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None)]


# ---- the site ----------------------------------------------------------------------------------------

def test_imports_write_new_files_and_build_without_errors(imported):
    paths = {name: r.path for name, r in imported["results"].items()}
    assert all(p is not None and p.parent == imported["kb"] / "imported" for p in paths.values())
    assert not [p for p in imported["problems"] if p.is_error]


def test_every_row_and_item_has_its_page(imported):
    out = imported["out"]
    for row in ucdp_rows():
        assert (out / "id" / f"ucdp-ged-{int(float(row['id']))}" / "index.html").is_file(), row["id"]
    for item in json.loads(WD_SUBSET.read_text(encoding="utf-8")):
        qid = item["event"].rsplit("/", 1)[1].lower()
        assert (out / "id" / f"wd-{qid}" / "index.html").is_file(), item["event"]


class _SectionLinks(HTMLParser):
    """The links inside the page's <section class="events">."""

    def __init__(self):
        super().__init__()
        self.depth, self.links = 0, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section" and (self.depth or "events" in (a.get("class") or "").split()):
            self.depth += 1
        elif self.depth and tag == "a" and a.get("href"):
            self.links.append(a["href"])

    def handle_endtag(self, tag):
        if tag == "section" and self.depth:
            self.depth -= 1


def actor_by_label(store: ox.Store, name: str) -> str:
    found = {q.subject.value for prop in ("prefLabel", "altLabel")
             for q in store.quads_for_pattern(None, ox.NamedNode(SKOS + prop), None)
             if q.object.value == name and q.subject.value.startswith(NS)
             and any(True for _ in store.quads_for_pattern(q.subject, None, ox.NamedNode(
                 "http://semanticweb.cs.vu.nl/2009/11/sem/Actor")))}
    assert len(found) == 1, (name, found)
    return found.pop()


def test_each_actor_page_lists_exactly_its_events(imported):
    expected: dict[str, set[str]] = {}
    for row in ucdp_rows():
        for side in ("side_a", "side_b"):
            expected.setdefault(row[side], set()).add(f"ucdp-ged-{int(float(row['id']))}")
    assert actor_by_label(imported["store"], "Government of Syria") == NS + "syrian-government"
    for name, events in expected.items():
        slug = actor_by_label(imported["store"], name)[len(NS):]
        parser = _SectionLinks()
        parser.feed((imported["out"] / "id" / slug / "index.html").read_text(encoding="utf-8"))
        listed = {m[1] for href in parser.links if (m := re.match(r"^\.\./(ucdp-ged-\d+)/index\.html$", href))}
        assert listed == events, name


def test_bce_dates_sort_before_ce(imported):
    from builder.engine import Engine
    from builder.extract import extract
    from builder.site import diagnose
    kb = open_kb(imported["kb"])
    _, resolved, _ = diagnose(kb)
    model = extract(Engine(kb.store), kb.config.id_ns, kb.config.languages, resolved)
    sample = json.loads(imported["bce_file"].read_text(encoding="utf-8"))
    bce = {NS + "wd-" + x["event"].rsplit("/", 1)[1].lower() for x in sample if x["date"].startswith("-")}
    ce = {NS + "wd-" + x["event"].rsplit("/", 1)[1].lower() for x in sample if not x["date"].startswith("-")}
    order = {iri: n for n, iri in enumerate(model.events)}
    assert max(order[i] for i in bce) < min(order[i] for i in ce)
    by_order = sorted(bce, key=order.get)
    assert [model.dates[i].earliest for i in by_order] == sorted(model.dates[i].earliest for i in bce)
    # and on the page that lists every event, in the same order
    page = (imported["out"] / "events" / "index.html").read_text(encoding="utf-8")
    first_ce = min(page.index(f"../id/{i[len(NS):]}/") for i in ce)
    assert all(page.index(f"../id/{i[len(NS):]}/") < first_ce for i in bce)


def test_battle_of_ramadi_stays_five(imported):
    store = imported["store"]
    ramadi = {q.subject.value for q in store.quads_for_pattern(None, ox.NamedNode(SKOS + "prefLabel"),
                                                               ox.Literal("Battle of Ramadi", language="en"))}
    assert len(ramadi) == 5
    same = {objects(store, i, "http://www.w3.org/2002/07/owl#sameAs")[0].value for i in ramadi}
    assert len(same) == 5 and all(re.fullmatch(r"http://www\.wikidata\.org/entity/Q\d+", s) for s in same)
    assert all((imported["out"] / "id" / i[len(NS):] / "index.html").is_file() for i in ramadi)


def test_reimport_changes_nothing(imported):
    kb = imported["kb"]
    before = snapshot(kb)
    for fmt, path in (("ucdp", UCDP_ME), ("wikidata", WD_SUBSET), ("wikidata", imported["bce_file"])):
        result = import_file(fmt, path, kb)
        assert result.path is None and result.stats.new_events == 0 and result.stats.present > 0
    assert snapshot(kb) == before


def test_reimport_after_relabelling_an_imported_actor_reuses_it(tmp_path):
    """An editor renames an imported actor ("IS" -> "Islamic State", its IRI id:is kept, as IRIs
    are) and deletes an event; importing the file again brings the event back with id:is, not a
    second actor id:is-2 for the same UCDP party."""
    kb = make_kb(tmp_path, {})
    rows = ucdp_rows()
    first = import_file("ucdp", UCDP_ME, kb).path
    text = first.read_text(encoding="utf-8")
    assert 'id:is a sem:Actor , schema:Organization ;\n    skos:prefLabel "IS"@en ;' in text
    text = text.replace('id:is a sem:Actor , schema:Organization ;\n    skos:prefLabel "IS"@en ;',
                        'id:is a sem:Actor , schema:Organization ;\n    skos:prefLabel "Islamic State"@en ;')
    row = next(r for r in rows if r["side_b"] == "IS")
    rid = int(float(row["id"]))
    start = text.index(f"id:ucdp-ged-{rid} a sem:Event")
    text = text[:start] + text[text.index("\n\n", start) + 2:]
    first.write_text(text, encoding="utf-8")
    again = import_file("ucdp", UCDP_ME, kb)
    assert again.stats.new_events == 1
    added = again.path.read_text(encoding="utf-8")
    assert "id:is-2" not in added and re.search(r"id:is(?![\w-])", added), added

def test_reimport_after_deleting_an_event_builds(tmp_path):
    """The docs' own workflow: delete an imported event (its record, the UCDP row as a source, stays)
    and import the file again. The event came back with its record written a second time, in the
    new file, and the checker refused the knowledge base (two skos:prefLabels in one language)."""
    from builder.site import diagnose
    kb = make_kb(tmp_path, {})
    first = import_file("ucdp", UCDP_ME, kb).path
    text = first.read_text(encoding="utf-8")
    start = text.index("id:ucdp-ged-300380 a sem:Event")
    first.write_text(text[:start] + text[text.index("\n\n", start) + 2:], encoding="utf-8")
    again = import_file("ucdp", UCDP_ME, kb)
    assert again.stats.new_events == 1
    added = again.path.read_text(encoding="utf-8")
    assert "id:ucdp-ged-300380 a sem:Event" in added and "id:src-ucdp-ged-event-300380 a" not in added
    assert "prov:wasDerivedFrom id:src-ucdp-ged-event-300380" in added
    problems, _, _ = diagnose(open_kb(kb))
    assert not [p for p in problems if p.is_error], [p.format() for p in problems if p.is_error]

def test_existing_files_are_never_overwritten(imported):
    after = snapshot(imported["kb"])
    for name, data in imported["before"].items():
        assert after[name] == data
    # a second file of the same name goes beside the first, never over it
    kb = make_kb(imported["kb"].parent / "other", EXISTING)
    taken = kb / "imported" / "ucdp-ged-sample-middle-east.ttl"
    taken.parent.mkdir()
    taken.write_text("# someone else's file\n", encoding="utf-8")
    result = import_file("ucdp", UCDP_ME, kb, dry_run=False)
    assert taken.read_text(encoding="utf-8") == "# someone else's file\n"
    assert result.path.name == "ucdp-ged-sample-middle-east-2.ttl"


# ---- what the files say ------------------------------------------------------------------------------

def test_ucdp_mapping(imported):
    store = imported["store"]
    ev = NS + "ucdp-ged-248414"  # date_prec 2: 11 or 12 September 2017
    assert [o.value for o in objects(store, ev, "http://purl.org/dc/terms/date")] == ["[2017-09-11..2017-09-12]"]
    assert [o.value for o in objects(store, ev, TL + "participant")]  # state-based: both sides take part
    one_sided = next(r for r in ucdp_rows() if r["type_of_violence"] == "3.0")
    ev3 = NS + f"ucdp-ged-{int(float(one_sided['id']))}"
    assert [o.value for o in objects(store, ev3, TL + "target")] == [NS + "civilians"]
    assert len(objects(store, ev3, TL + "perpetrator")) == 1 and not objects(store, ev3, TL + "participant")
    # fatalities: best, low, high as given
    row = next(r for r in ucdp_rows() if r["id"] == "300380.0")
    ev1 = NS + "ucdp-ged-300380"
    assert objects(store, ev1, TL + "fatalities")[0].value == str(int(float(row["best"])))
    # where_prec 1 -> an exact place with the row's coordinates; 4 -> a region
    place = objects(store, ev1, "http://semanticweb.cs.vu.nl/2009/11/sem/hasPlace")[0]
    assert objects(store, place.value, TL + "geoPrecision")[0].value == TL + "Exact"
    assert objects(store, place.value, "http://schema.org/latitude")[0].value == row["latitude"]
    region_row = next(r for r in ucdp_rows() if r["where_prec"] == "4.0")
    region = objects(store, NS + f"ucdp-ged-{int(float(region_row['id']))}",
                     "http://semanticweb.cs.vu.nl/2009/11/sem/hasPlace")[0]
    assert objects(store, region.value, TL + "geoPrecision")[0].value == TL + "Region"


def test_ucdp_reporting_chain(imported):
    store = imported["store"]
    derived = "http://www.w3.org/ns/prov#wasDerivedFrom"
    record = objects(store, NS + "ucdp-ged-300380", derived)
    assert [r.value for r in record] == [NS + "src-ucdp-ged-event-300380"]
    assert objects(store, record[0].value, "http://purl.org/dc/terms/isPartOf")[0].value == NS + "src-ucdp-ged-23-1"
    articles = [a.value for a in objects(store, record[0].value, derived)]
    assert len(articles) == 2  # Support Kurds in Syria and VDC, both of 3 January 2013
    originals = {o.value for a in articles for o in objects(store, a, derived)}
    assert originals == {NS + "src-ucdp-original-sohr", NS + "src-ucdp-original-vdc"}
    dataset = NS + "src-ucdp-ged-23-1"
    assert objects(store, dataset, "http://purl.org/dc/terms/license")[0].value == "https://creativecommons.org/licenses/by/4.0/"
    assert "Uppsala Conflict Data Program" in objects(store, dataset, "http://purl.org/dc/terms/bibliographicCitation")[0].value


def test_the_terms_imports_write_are_named_on_the_pages(imported):
    """The data set's citation (which its CC BY licence asks readers to see), a record's data set
    and an item's image are named in the page's language, as the format's own terms are: they
    read as `dcterms:bibliographicCitation`, `dcterms:isPartOf` and `schema:image`, on Arabic
    pages too. (TimelineJS's groups that are no event type go in schema:keywords.)"""
    from builder.views.termlabels import term_label
    out = imported["out"]
    raw = re.compile(r">(?:dcterms|schema|prov|skos|sem|owl|rdfs):[A-Za-z]+<")
    pages = [out / "id" / "src-ucdp-ged-23-1" / "index.html", out / "ar" / "id" / "src-ucdp-ged-23-1" / "index.html",
             out / "id" / "src-ucdp-ged-event-300380" / "index.html", out / "id" / "wd-q2889747" / "index.html"]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not raw.findall(html), (page, raw.findall(html))
    for term in ("http://purl.org/dc/terms/bibliographicCitation", "http://purl.org/dc/terms/isPartOf",
                 "http://schema.org/image", "http://schema.org/keywords"):
        assert term_label(term, "en") and term_label(term, "ar") != term_label(term, "en"), term

@pytest.mark.parametrize("prefix", ["", "ar/"])
def test_the_data_page_links_the_exports_and_cites_the_data_sets(imported, prefix):
    """The data page is where readers download the knowledge base, UCDP's CC BY data in it: it
    links the exports the site publishes beside the dumps (they were there, unlinked) and names each
    data set with its licence and citation."""
    out = imported["out"]
    html = (out / prefix / "data" / "index.html").read_text(encoding="utf-8")
    for name in ("events.csv", "events.json", "events.geojson", "events.ics", "timelinejs.json"):
        href = name if not prefix else "../../data/" + name  # the data files are published once, at the root
        assert f'href="{href}"' in html and (out / "data" / name).is_file(), name
    assert 'href="../id/src-ucdp-ged-23-1/index.html"' in html
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in html
    assert "UCDP Georeferenced Event Dataset (GED) Global version 23.1, Uppsala Conflict Data Program" in html
    assert 'href="../id/src-wikidata-events-iraq-syria-subset/index.html"' in html
    assert 'href="https://creativecommons.org/publicdomain/zero/1.0/"' in html

def test_ucdp_sources_it_names_are_not_counted_as_unnamed(imported):
    """tl:sourceCount is the unnamed sources a source cites (kb-format); UCDP's number_of_sources
    counts the very articles the row names, so the record's page read "Unnamed sources: 2 — UCDP
    counts 2 sources for this event" under the two articles. The count is said in its description."""
    store, out = imported["store"], imported["out"]
    record = NS + "src-ucdp-ged-event-300380"  # number_of_sources 2: the two articles it lists
    assert not objects(store, record, TL + "sourceCount") and not objects(store, record, TL + "sourcing")
    notes = {o.language: o.value for o in objects(store, record, "http://purl.org/dc/terms/description")}
    assert "UCDP counts 2 sources for this event" in notes["en"] and set(notes) == {"en", "ar"}
    for page in (out / "id" / "src-ucdp-ged-event-300380" / "index.html", out / "id" / "ucdp-ged-300380" / "index.html"):
        html = page.read_text(encoding="utf-8")
        assert "Unnamed sources" not in html and "unnamed source" not in html, page

def test_letters_without_an_accent_to_drop_are_folded_for_matching_and_search(imported):
    """UCDP and GeoNames write Turkish and other names with letters that are no accented forms of
    ASCII ones (ı, ł, ø, đ, ß): the importer matched "Sirnak" to "Şırnak" by its rules (case and
    accents ignored, "the rules of the site's search"), and the search page found "Şırnak
    province" only when typed with its dotless ı."""
    assert norm("Şırnak") == norm("Sirnak") and norm("Łódź") == norm("Lodz") and norm("Ørsted") == norm("Orsted")
    html = (imported["out"] / "id" / "sirnak-province" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<p hidden data-pagefind-weight="10">.*?<bdi>Sirnak province</bdi>.*?</p>', html, re.S), html[:200]

def test_wikidata_first_of_january_is_a_year_with_a_note(imported):
    store = imported["store"]
    year = NS + "wd-q4872157"  # Battle of Ramadi, "2004-01-01T00:00:00Z"
    assert [o.value for o in objects(store, year, "http://purl.org/dc/terms/date")] == ["2004"]
    notes = {o.language: o.value for o in objects(store, year, "http://www.w3.org/2000/01/rdf-schema#comment")}
    assert set(notes) == {"en", "ar"} and "1 January 2004" in notes["en"]
    day = NS + "wd-q2889747"  # "2006-11-15T00:00:00Z" stays a day, without a note
    assert [o.value for o in objects(store, day, "http://purl.org/dc/terms/date")] == ["2006-11-15"]
    assert not objects(store, day, "http://www.w3.org/2000/01/rdf-schema#comment")


def test_wikidata_keeps_the_earliest_date_in_time_and_skips_days_that_do_not_exist(tmp_path):
    """-0500 is earlier than -0100 (as strings it is not), and 30 February is no day: that row is
    skipped with its reason rather than written for the checker to refuse."""
    WD = "http://www.wikidata.org/entity/"
    rows = [{"event": WD + "Q900001", "eventLabel": "Two dates", "date": "-0100-05-03T00:00:00Z"},
            {"event": WD + "Q900001", "eventLabel": "Two dates", "date": "-0500-05-03T00:00:00Z"},
            {"event": WD + "Q900002", "eventLabel": "No such day", "date": "2021-02-30T00:00:00Z"},
            {"event": WD + "Q900003", "eventLabel": "A leap day", "date": "2020-02-29T00:00:00Z"}]
    data = tmp_path / "q.json"
    data.write_text(json.dumps(rows), encoding="utf-8")
    kb = make_kb(tmp_path, {})
    result = import_file("wikidata", data, kb)
    assert 'dcterms:date "-0500-05-03"^^edtf:EDTF' in result.turtle and "-0100-05-03" not in result.turtle.split("rdfs:comment")[0]
    assert '"2020-02-29"^^edtf:EDTF' in result.turtle and "2021-02-30" not in result.turtle
    assert any(s.startswith("Q900002:") and "no day 30" in s for s in result.stats.skipped)
    from builder.site import diagnose
    assert [p for p in diagnose(open_kb(kb))[0] if p.is_error] == []
    with pytest.raises(ValueError):
        wikidata_date("2023-02-29T00:00:00Z")
    assert wikidata_date("-0400-02-29T00:00:00Z") == ("-0400-02-29", False)  # 401 BCE, a leap year


def test_ucdp_says_which_matched_places_lack_the_coordinates_it_had(tmp_path):
    """A row matched to a place of the knowledge base adds nothing to it, so its coordinates are
    lost for the map: the import says so, place by place, rather than silently."""
    kb = make_kb(tmp_path, {"places.ttl": """
        id:syria a sem:Place , schema:Country ; skos:prefLabel "Syria"@en , "سوريا"@ar .
        """})
    result = import_file("ucdp", UCDP_ME, kb)
    [note] = [n for n in result.stats.notes if "placed at id:syria" in n]
    assert re.match(r"\d+ event\(s\) placed at id:syria, which has no coordinates", note)
    assert "schema:latitude" in note and not (kb / "places.ttl").read_text(encoding="utf-8").count("latitude")


def test_dates_and_names_units():
    assert wikidata_date("-0232-01-01T00:00:00Z") == ("-0232", True)
    assert wikidata_date("0962-12-27T00:00:00Z") == ("0962-12-27", False)
    assert wikidata_date("2004-01-01T12:00:00Z") == ("2004-01-01", False)
    assert ged_date({"date_start": "2016-06-01", "date_end": "2016-06-30"}) == "2016-06"
    assert ged_date({"date_start": "2016-01-01", "date_end": "2016-12-31"}) == "2016"
    assert ged_date({"date_start": "2016-06-03", "date_end": "2016-06-10"}) == "[2016-06-03..2016-06-10]"
    assert norm("أبو كمال") == norm("ابو كمال") == norm("أبُو كَمال")
    assert norm("مدينةٌ") == norm("مدينه") and norm("مصطفى") == norm("مصطفي") and norm("بـغداد") == norm("بغداد")
    assert norm("Ālbū Kamāl") == norm("albu kamal") and norm("Kata'ib") == norm("Kata’ib")
    assert same_party("SOHR", "Syrian Observatory for Human Rights") and not same_party("AFP", "SOHR")
    assert slugify("Ḥayʾat Taḥrīr al-Shām") == "hayat-tahrir-al-sham" and slugify("دمشق") == ""



def test_ucdp_original_sources_split_at_line_breaks_and_lose_their_numbering():
    """GED writes several original sources on lines of their own ("SOHR\nVDC") and numbers some
    ("source 2: opposition sources", "source 3: unknown"): each line is a party, the numbering is no
    part of its name, and "unknown" names none (they were one actor "SOHR VDC", one origin where there
    are two, and actors called "source 3: unknown")."""
    def names(text):
        return original_names({"source_original": text})
    assert names("SOHR\nVDC") == ["SOHR", "VDC"]
    assert names("Witnesses\nHRW") == ["Witnesses", "HRW"]
    assert names("SOHR, source 2: opposition sources, source 3: unknown") == ["SOHR", "opposition sources"]
    assert names("Syrian Observatory for Human Rights\n\nSecond Source:\nrebel military council") == [
        "Syrian Observatory for Human Rights", "rebel military council"]
    assert names("Source: Sri Lanka Ministry of Defence") == ["Sri Lanka Ministry of Defence"]
    assert names("SOHR; VDC") == ["SOHR", "VDC"] and names("Hezbollah sources") == ["Hezbollah sources"]

# ---- TimelineJS --------------------------------------------------------------------------------------

TIMELINE = {
    "title": {"text": {"headline": "A test timeline", "text": "<p>Made by hand.</p>"},
              "media": {"url": "", "credit": "Test Desk"}},
    "events": [
        {"unique_id": "year", "start_date": {"year": "1917"}, "text": {"headline": "A year"}},
        {"unique_id": "month", "start_date": {"year": 2024, "month": 2}, "text": {"headline": "A month"},
         "group": "Attack"},
        {"unique_id": "day", "start_date": {"year": "2024", "month": "01", "day": "29"},
         "text": {"headline": "<b>A day</b>", "text": "<p>First.</p><p>See <a href=\"https://example.com/x\">x</a>.</p>"}},
        {"unique_id": "span", "start_date": {"year": 2024, "month": 1, "day": 27},
         "end_date": {"year": 2024, "month": 1, "day": 29}, "text": {"headline": "A span"}},
        {"unique_id": "bce", "start_date": {"year": -233}, "text": {"headline": "Battle of Fei"}},
        {"unique_id": "arabic", "start_date": {"year": 2024, "month": 2, "day": 21},
         "text": {"headline": "ضربة في كفرسوسة"}},
        {"unique_id": "bad", "start_date": {"year": 2024, "month": 2, "day": 30}, "text": {"headline": "No such day"}},
    ],
}


def test_timelinejs_import(tmp_path):
    kb = make_kb(tmp_path, EXISTING)
    src = tmp_path / "timeline.json"
    src.write_text(json.dumps(TIMELINE), encoding="utf-8")
    result = import_file("timelinejs", src, kb)
    assert result.stats.new_events == 6 and len(result.stats.skipped) == 1
    store = open_kb(kb).store
    dates = {q.subject.value[len(NS):]: q.object.value
             for q in store.quads_for_pattern(None, ox.NamedNode("http://purl.org/dc/terms/date"), None)
             if q.subject.value.startswith(NS + "tljs-")}
    assert dates == {"tljs-a-test-timeline-year": "1917", "tljs-a-test-timeline-month": "2024-02",
                     "tljs-a-test-timeline-day": "2024-01-29", "tljs-a-test-timeline-span": "2024-01-27/2024-01-29",
                     "tljs-a-test-timeline-bce": "-0232", "tljs-a-test-timeline-arabic": "2024-02-21"}
    label = objects(store, NS + "tljs-a-test-timeline-arabic", SKOS + "prefLabel")[0]
    assert label.language == "ar"
    assert objects(store, NS + "tljs-a-test-timeline-month", "http://semanticweb.cs.vu.nl/2009/11/sem/eventType")[0].value == TL + "Attack"
    desc = objects(store, NS + "tljs-a-test-timeline-day", "http://purl.org/dc/terms/description")[0].value
    assert desc == "First.\n\nSee [x](https://example.com/x)."
    from builder.site import diagnose
    problems, _, _ = diagnose(open_kb(kb))
    assert not [p for p in problems if p.is_error]
    assert import_file("timelinejs", src, kb).path is None


def test_timelinejs_events_sharing_an_identifier_stay_apart(tmp_path):
    """Two slides with one unique_id (or two that slug alike, "A" and "a") were written as one
    event with two labels and two dates, which the checker refuses: the knowledge base no longer
    built. Each slide is its own event, the later one under a numbered IRI, with a note; importing
    the file again adds nothing."""
    kb = make_kb(tmp_path, EXISTING)
    src = tmp_path / "timeline.json"
    src.write_text(json.dumps({"title": {"text": {"headline": "Dup"}}, "events": [
        {"unique_id": "a", "start_date": {"year": 2024, "month": 2, "day": 21}, "text": {"headline": "First"}},
        {"unique_id": "a", "start_date": {"year": 2024, "month": 2, "day": 22}, "text": {"headline": "Second"}},
        {"unique_id": "A", "start_date": {"year": 2024, "month": 2, "day": 23}, "text": {"headline": "Third"}},
    ]}), encoding="utf-8")
    result = import_file("timelinejs", src, kb)
    assert result.stats.new_events == 3
    assert sum("has the identifier of event 1" in n for n in result.stats.notes) == 2, result.stats.notes
    store = open_kb(kb).store
    labels = {q.subject.value[len(NS):]: q.object.value
              for q in store.quads_for_pattern(None, ox.NamedNode(SKOS + "prefLabel"), None)
              if q.subject.value.startswith(NS + "tljs-dup-")}
    assert labels == {"tljs-dup-a": "First", "tljs-dup-a-2": "Second", "tljs-dup-a-3": "Third"}
    from builder.site import diagnose
    problems, _, _ = diagnose(open_kb(kb))
    assert not [p for p in problems if p.is_error], [p.format() for p in problems if p.is_error]
    assert import_file("timelinejs", src, kb).path is None

def test_timelinejs_line_breaks_stay_line_breaks():
    """A <br> in a slide's text is a line break in the description (a Markdown hard break), as
    the docs say: it was folded into a space, so an address or a list of names ran on one line."""
    from builder.descriptions import to_html
    text = markdown("<p>Ministry of Defence<br>Baghdad<br/>Iraq</p><p>Next\n  paragraph,\nwrapped</p>")
    assert text == "Ministry of Defence  \nBaghdad  \nIraq\n\nNext paragraph, wrapped"
    assert to_html(text, NS, ()).count("<br") == 2

def test_timelinejs_links_in_single_quotes_stay_links():
    """A link written href='…' (single quotes save escaping inside a JSON string) lost its address
    and kept only its text; it is a link like one written href="…", and the same schemes are refused."""
    assert markdown("<p>See <a href='https://example.com/r'>the report</a>.</p>") == "See [the report](https://example.com/r)."
    from types import SimpleNamespace
    draft = SimpleNamespace(id_ns=NS, taken=lambda iri: False)
    assert markdown("<p><a href='javascript:alert(1)'>bad</a> <a href=\"https://x.org/\">ok</a></p>", draft) == "bad [ok](https://x.org/)"

def test_timelinejs_dates_unit():
    assert event_date({"start_date": {"year": -500}}) == "-0499"
    assert event_date({"start_date": {"year": 2024, "month": 1, "day": 29, "hour": 10, "minute": 5}}) == "2024-01-29T10:05:00"
    with pytest.raises(ValueError):
        event_date({"start_date": {"year": 2024, "month": 3}, "end_date": {"year": 2024, "month": 1}})


# ---- the command -------------------------------------------------------------------------------------

def _args(*argv: str):
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(argv)


def test_command_exit_codes(tmp_path, capsys):
    kb = make_kb(tmp_path, EXISTING)
    bad = tmp_path / "not-ucdp.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    assert run(_args("ucdp", str(bad), "--kb", str(kb))) == 2
    assert "not a UCDP GED CSV" in capsys.readouterr().err
    assert run(_args("wikidata", str(tmp_path / "missing.json"), "--kb", str(kb))) == 2
    assert run(_args("wikidata", str(WD_SUBSET), "--kb", str(tmp_path / "nowhere"))) == 2
    assert run(_args("wikidata", str(WD_SUBSET), "--kb", str(kb))) == 0
    assert "imported 42 new event(s)" in capsys.readouterr().err
    assert run(_args("wikidata", str(WD_SUBSET), "--kb", str(kb))) == 0
    assert "nothing new" in capsys.readouterr().err
    (kb / "broken.ttl").write_text("id:x a sem:Event", encoding="utf-8")
    assert run(_args("wikidata", str(WD_SUBSET), "--kb", str(kb))) == 1
    with pytest.raises(KBError):
        import_file("wikidata", WD_SUBSET, kb)
    with pytest.raises(ImportFailure):
        import_file("timelinejs", bad, tmp_path)


def test_progress_bar_only_on_a_terminal():
    class Stream(io.StringIO):
        def __init__(self, tty):
            super().__init__()
            self.tty = tty

        def isatty(self):
            return self.tty
    for tty in (True, False):
        stream = Stream(tty)
        assert list(progress(list(range(500)), "rows", stream)) == list(range(500))
        assert ("500/500" in stream.getvalue()) is tty
