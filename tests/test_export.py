"""Exports: each format read back with a standard reader, and the facts (ids, dates, places) round-tripped."""
from __future__ import annotations

import argparse
import csv
import io
import json
import math

import pytest
from icalendar import Calendar

from builder.engine import Engine
from builder.exporters import FORMATS, SITE_FILES, add_arguments, export, run, site_exports
from builder.extract import extract
from builder.importers import import_file
from builder.kb import open_kb
from builder.site import diagnose

from conftest import SHARED, make_kb

NS = "https://example.org/id/"
UCDP_ME = SHARED / "data" / "events" / "ucdp_ged_sample_middle_east.csv"
LONG_AR = "ضربة بطائرة مسيرة على مبنى في حي كفرسوسة بدمشق، والتلفزيون السوري ينسبها إلى إسرائيل"

KB = {"kb.ttl": f"""
    id:reuters a sem:Actor , schema:NewsMediaOrganization ; skos:prefLabel "Reuters"@en , "رويترز"@ar .
    id:israel a sem:Actor , schema:Country ; skos:prefLabel "Israel"@en , "إسرائيل"@ar .
    id:syrian-tv a sem:Actor , schema:NewsMediaOrganization ; skos:prefLabel "Syrian TV"@en , "التلفزيون السوري"@ar .
    id:civilians a sem:Actor ; skos:prefLabel "Civilians"@en , "مدنيون"@ar .
    id:src a prov:Entity , schema:NewsArticle ; dcterms:title "A report"@en ;
        dcterms:publisher id:reuters ; dcterms:issued "2024-03-01"^^edtf:EDTF .
    id:src-relay a prov:Entity , schema:NewsArticle ; dcterms:title "A report relaying the first"@en ;
        dcterms:publisher id:reuters ; prov:wasDerivedFrom id:src .
    id:src-other a prov:Entity , schema:NewsArticle ; dcterms:title "An independent report"@en ;
        dcterms:publisher id:reuters .
    id:damascus a sem:Place , schema:City ; skos:prefLabel "Damascus"@en , "دمشق"@ar ;
        schema:latitude 33.5102 ; schema:longitude 36.29128 ; tl:geoPrecision tl:Near .
    id:kafr-sousa a sem:Place ; skos:prefLabel "Kafr Sousa"@en , "كفرسوسة"@ar ;
        schema:containedInPlace id:damascus .

    id:ev-day a sem:Event ;
        skos:prefLabel "Strike on Kafr Sousa, with a comma; and a semicolon"@en , "{LONG_AR}"@ar ;
        sem:eventType tl:Airstrike ; dcterms:date "2024-02-21"^^edtf:EDTF ;
        tl:target id:civilians ; sem:hasPlace id:kafr-sousa ;
        tl:fatalities 3 ; tl:fatalitiesLow 2 ; tl:fatalitiesHigh 5 ;
        prov:wasDerivedFrom id:src-relay , id:src-other .
    id:ev-month a sem:Event ; skos:prefLabel "Something in February"@en , "شيء في فبراير"@ar ;
        dcterms:date "2024-02"^^edtf:EDTF ; sem:hasPlace id:damascus ; prov:wasDerivedFrom id:src .
    id:ev-year a sem:Event ; skos:prefLabel "Something in 1917"@en , "شيء في 1917"@ar ;
        dcterms:date "1917"^^edtf:EDTF ; prov:wasDerivedFrom id:src .
    id:ev-bce a sem:Event ; skos:prefLabel "Battle of Fei"@en , "معركة فاي"@ar ;
        dcterms:date "-0232"^^edtf:EDTF ; prov:wasDerivedFrom id:src .
    id:ev-span a sem:Event ; skos:prefLabel "Three days of talks"@en , "ثلاثة أيام من المحادثات"@ar ;
        dcterms:date "2024-01-27/2024-01-29"^^edtf:EDTF ; tl:participant id:israel ; prov:wasDerivedFrom id:src .
    id:ev-one-of a sem:Event ; skos:prefLabel "One of three days"@en , "أحد ثلاثة أيام"@ar ;
        dcterms:date "[2024-01-27..2024-01-29]"^^edtf:EDTF ; prov:wasDerivedFrom id:src .
    id:ev-next-day a sem:Event ; skos:prefLabel "The next day"@en , "في اليوم التالي"@ar ;
        tl:relativeDate [ tl:anchor id:ev-day ; tl:offset "P1D"^^xsd:dayTimeDuration ;
                          tl:phrase "the next day"@en ] ;
        prov:wasDerivedFrom id:src .

    id:claim-by-syrian-tv a tl:Claim ; rdf:subject id:ev-day ; rdf:predicate tl:perpetrator ;
        rdf:object id:israel ; sem:accordingTo id:syrian-tv ; tl:status tl:Attributed ;
        prov:wasDerivedFrom id:src .
    id:claim-by-israel a tl:Claim ; rdf:subject id:ev-day ; rdf:predicate tl:perpetrator ;
        rdf:object id:israel ; sem:accordingTo id:israel ; tl:status tl:Denied ;
        prov:wasDerivedFrom id:src-other .
"""}
EVENTS = {"ev-day", "ev-month", "ev-year", "ev-bce", "ev-span", "ev-one-of", "ev-next-day"}


def model_of(kb):
    kb = open_kb(kb)
    problems, resolved, _ = diagnose(kb)
    assert not [p.format() for p in problems if p.is_error]
    return extract(Engine(kb.store), kb.config.id_ns, kb.config.languages, resolved)


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return model_of(make_kb(tmp_path_factory.mktemp("export"), KB))


def by_id(rows, key="id"):
    return {r[key]: r for r in rows}


def test_csv(model):
    rows = by_id(csv.DictReader(io.StringIO(export(model, "csv").decode("utf-8"), newline="")))
    assert set(rows) == EVENTS
    day = rows["ev-day"]
    assert day["iri"] == NS + "ev-day" and day["label_ar"] == LONG_AR
    assert day["label_en"] == "Strike on Kafr Sousa, with a comma; and a semicolon"
    assert (day["date_start"], day["date_end"], day["date_precision"], day["date_kind"]) == \
        ("2024-02-21", "2024-02-21", "day", "point")
    assert (day["targets"], day["place"], day["latitude"], day["longitude"], day["location_precision"]) == \
        ("Civilians", "Kafr Sousa", "33.5102", "36.29128", "region")  # coordinates of the city it is in
    assert (day["fatalities_low"], day["fatalities_best"], day["fatalities_high"]) == ("2", "3", "5")
    assert day["corroboration"] == "2" and day["disputed"] == "true" and day["perpetrators"] == ""
    month = rows["ev-month"]
    assert (month["date_start"], month["date_end"], month["date_precision"], month["date_text"]) == \
        ("2024-02-01", "2024-02-29", "month", "2024-02")
    assert month["location_precision"] == "near" and month["disputed"] == "false"
    assert (rows["ev-bce"]["date_start"], rows["ev-bce"]["date_end"]) == ("-0232-01-01", "-0232-12-31")
    assert rows["ev-span"]["date_kind"] == "span" and rows["ev-one-of"]["date_kind"] == "one-of"
    nxt = rows["ev-next-day"]
    assert (nxt["date_start"], nxt["date_end"], nxt["relative_to"], nxt["date_text"]) == \
        ("2024-02-22", "2024-02-22", NS + "ev-day", "")
    order = [r["id"] for r in csv.DictReader(io.StringIO(export(model, "csv").decode("utf-8")))]
    assert order.index("ev-bce") < order.index("ev-year") < order.index("ev-span")
    assert export(model, "csv").count(b"\r\n") == len(EVENTS) + 1


def test_json(model):
    doc = json.loads(export(model, "json"))
    events = by_id(doc["events"])
    assert set(events) == EVENTS and doc["columns"][0] == "id"
    day = events["ev-day"]
    assert day["targets"] == [{"iri": NS + "civilians", "label": "Civilians"}]
    assert day["latitude"] == 33.5102 and day["longitude"] == 36.29128
    assert day["fatalities_best"] == 3 and day["disputed"] is True
    assert {s["iri"] for s in day["sources"]} == {NS + "src-relay", NS + "src-other"}
    assert day["event_type"] == [{"iri": "https://w3id.org/tarikh/ns#Airstrike", "label": day["event_type"][0]["label"]}]
    assert events["ev-month"]["date_display"]["en"] == "February 2024"
    assert events["ev-year"]["latitude"] is None


def test_geojson(model):
    doc = json.loads(export(model, "geojson"))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    features = {f["id"]: f for f in doc["features"]}
    assert set(features) == {NS + "ev-day", NS + "ev-month"}  # only located events
    for f in features.values():
        assert f["type"] == "Feature" and f["geometry"]["type"] == "Point"
        lon, lat = f["geometry"]["coordinates"]
        assert isinstance(lon, float) and -180 <= lon <= 180 and -90 <= lat <= 90
        assert "latitude" not in f["properties"]
    assert features[NS + "ev-day"]["geometry"]["coordinates"] == [36.29128, 33.5102]  # longitude first
    assert features[NS + "ev-day"]["properties"]["date_start"] == "2024-02-21"


def test_ics(model):
    data = export(model, "ics")
    assert data == export(model, "ics")  # no clock in it
    lines = data.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in data.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # the long Arabic label was folded
    cal = Calendar.from_ical(data)
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert NS + "ev-bce" not in events  # iCalendar has no year before 1
    day = events[NS + "ev-day"]
    assert (day.decoded("DTSTART").isoformat(), day.decoded("DTEND").isoformat()) == ("2024-02-21", "2024-02-22")
    assert str(day["SUMMARY"]) == "Strike on Kafr Sousa, with a comma; and a semicolon"
    assert LONG_AR in str(day["DESCRIPTION"])
    assert day.decoded("GEO") is not None and str(day["URL"]) == NS + "ev-day"
    month = events[NS + "ev-month"]
    assert (month.decoded("DTSTART").isoformat(), month.decoded("DTEND").isoformat()) == ("2024-02-01", "2024-03-01")
    assert "February 2024" in str(month["SUMMARY"]) and "not known more precisely" in str(month["DESCRIPTION"])
    one_of = events[NS + "ev-one-of"]
    assert (one_of.decoded("DTSTART").isoformat(), one_of.decoded("DTEND").isoformat()) == ("2024-01-27", "2024-01-30")
    assert "not known which day" in str(one_of["DESCRIPTION"])
    assert events[NS + "ev-year"].decoded("DTEND").isoformat() == "1918-01-01"
    assert all(str(e["DTSTAMP"].dt.year) == "1970" for e in events.values())


def test_timelinejs(model):
    doc = json.loads(export(model, "timelinejs", title="Test timeline"))
    events = by_id(doc["events"], "unique_id")
    assert doc["title"]["text"]["headline"] == "Test timeline" and set(events) == EVENTS
    assert events["ev-day"]["start_date"] == {"year": 2024, "month": 2, "day": 21, "display_date": "21 February 2024"}
    assert {k: v for k, v in events["ev-month"]["start_date"].items() if k != "display_date"} == {"year": 2024, "month": 2}
    assert {k: v for k, v in events["ev-year"]["start_date"].items() if k != "display_date"} == {"year": 1917}
    assert events["ev-bce"]["start_date"]["year"] == -233  # TimelineJS shows -233 as "233 BCE"
    assert events["ev-span"]["end_date"] == {"year": 2024, "month": 1, "day": 29}
    assert "end_date" not in events["ev-one-of"] and events["ev-one-of"]["start_date"]["month"] == 1
    assert "day" not in events["ev-one-of"]["start_date"]


def test_timelinejs_round_trip(model, tmp_path):
    """What the exporter writes, the importer reads back to the same dates."""
    out = tmp_path / "timeline.json"
    out.write_bytes(export(model, "timelinejs", title="Round trip"))
    kb = make_kb(tmp_path, {})
    import_file("timelinejs", out, kb)
    back = model_of(kb)
    prefix = NS + "tljs-round-trip-"
    dates = {i[len(prefix):]: (r.earliest, r.latest) for i, r in back.dates.items() if i.startswith(prefix)}
    for ev in ("ev-day", "ev-month", "ev-year", "ev-bce", "ev-span", "ev-next-day"):
        assert dates[ev] == (model.dates[NS + ev].earliest, model.dates[NS + ev].latest), ev


def test_site_exports_and_command(model, tmp_path, capsys):
    files = site_exports(model, title="T")
    assert set(files) == set(SITE_FILES.values()) and all(isinstance(v, bytes) and v for v in files.values())
    kb = make_kb(tmp_path, KB)
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    for fmt in FORMATS:
        target = tmp_path / f"events.{fmt}"
        assert run(parser.parse_args([fmt, "--kb", str(kb), "-o", str(target)])) == 0
        assert target.read_bytes() == export(model, fmt, title="Test timeline")
    assert run(parser.parse_args(["csv", "--kb", str(tmp_path / "nowhere")])) == 2
    (kb / "bad.ttl").write_text('@prefix id: <https://example.org/id/> .\nid:x id:y "z" .\nid:ev a <http://semanticweb.cs.vu.nl/2009/11/sem/Event> .\n', encoding="utf-8")
    assert run(parser.parse_args(["csv", "--kb", str(kb)])) == 1
    assert "nothing was exported" in capsys.readouterr().err


def test_ucdp_import_round_trips(tmp_path):
    """The UCDP rows come out of every export with their ids, days and coordinates."""
    kb = make_kb(tmp_path, {})
    import_file("ucdp", UCDP_ME, kb)
    model = model_of(kb)
    with open(UCDP_ME, encoding="utf-8", newline="") as f:
        source = {f"ucdp-ged-{int(float(r['id']))}": r for r in csv.DictReader(f)}
    rows = by_id(csv.DictReader(io.StringIO(export(model, "csv").decode("utf-8"))))
    assert set(rows) == set(source)
    features = {f["id"][len(NS):]: f for f in json.loads(export(model, "geojson"))["features"]}
    cal = {str(e["UID"])[len(NS):]: e for e in Calendar.from_ical(export(model, "ics")).walk("VEVENT")}
    for key, src in source.items():
        row = rows[key]
        assert (row["date_start"], row["date_end"]) == (src["date_start"], src["date_end"]), key
        assert row["fatalities_best"] == str(int(float(src["best"])))
        assert cal[key].decoded("DTSTART").isoformat() == src["date_start"]
        lon, lat = features[key]["geometry"]["coordinates"]
        if src["where_prec"] in ("1.0", "2.0"):  # a point of its own, shared by rows within 50 km
            assert _km((lat, lon), (float(src["latitude"]), float(src["longitude"]))) <= 50, key


def _km(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


def test_output_inside_the_knowledge_base_is_refused(tmp_path, capsys):
    """`-o kb/events.ttl` would replace a file of the knowledge base with CSV: refused before
    anything is read or written (exit 2), whatever the path's spelling."""
    kb = make_kb(tmp_path, KB)
    before = {p: p.read_bytes() for p in kb.rglob("*") if p.is_file()}
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    victim = next(p for p in before if p.suffix == ".ttl")
    for target in (victim, kb / "events.csv", kb / "sub" / "x.json", kb, tmp_path / "x" / ".." / kb.name / "y.ics"):
        assert run(parser.parse_args(["csv", "--kb", str(kb), "-o", str(target)])) == 2, target
        assert "inside the knowledge base" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in kb.rglob("*") if p.is_file()} == before
    beside = tmp_path / "events.csv"
    assert run(parser.parse_args(["csv", "--kb", str(kb), "-o", str(beside)])) == 0 and beside.read_bytes()


def test_output_dash_is_standard_output(tmp_path, monkeypatch, capsysbinary):
    kb = make_kb(tmp_path, KB)
    monkeypatch.chdir(tmp_path)
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    assert run(parser.parse_args(["csv", "--kb", str(kb), "-o", "-"])) == 0
    assert capsysbinary.readouterr().out.startswith(b"id,iri,label_en")
    assert not (tmp_path / "-").exists()
