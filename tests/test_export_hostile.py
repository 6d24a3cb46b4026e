"""Exports of a hostile knowledge base, read back with strict readers: control characters, bidi
controls, tiny coordinates, and dates known at one end only or only probably."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest
from icalendar import Calendar

from builder.exporters import export

from conftest import make_kb
from test_export import model_of

NS = "https://example.org/id/"
RLO, PDF = "\u202e", "\u202c"

KB = {"kb.ttl": r"""
    id:pub a sem:Actor , schema:NewsMediaOrganization ; skos:prefLabel "Pub"@en , "ناشر"@ar .
    id:src a prov:Entity , schema:NewsArticle ; dcterms:title "A report"@en ; dcterms:publisher id:pub ;
        dcterms:issued "2024-03-10"^^edtf:EDTF .
    id:spoofer a sem:Actor , schema:Person ; skos:prefLabel "evil\u202Eabc"@en , "شخص"@ar .
    id:zz-other a sem:Actor , schema:Person ; skos:prefLabel "Other"@en , "آخر"@ar .
    id:null-island a sem:Place ; skos:prefLabel "Near null island\u0001"@en , "مكان"@ar ;
        schema:latitude 0.0000001 ; schema:longitude -0.00000005 ; tl:geoPrecision tl:Exact .

    id:ev-ctrl a sem:Event ; skos:prefLabel "ctrl\u0001 \u000B \u007F end"@en , "حدث"@ar ;
        dcterms:date "2024-01-29"^^edtf:EDTF ; sem:hasPlace id:null-island ; prov:wasDerivedFrom id:src .
    id:ev-spoof a sem:Event ; skos:prefLabel "Label \u202Ereversed"@en , "حدث ثان"@ar ;
        dcterms:date "2024-02"^^edtf:EDTF ; tl:perpetrator id:spoofer , id:zz-other ; prov:wasDerivedFrom id:src .
    id:ev-until a sem:Event ; skos:prefLabel "Until a day"@en , "حتى يوم"@ar ;
        dcterms:date "../2019-11-15"^^edtf:EDTF ; prov:wasDerivedFrom id:src .
    id:ev-probably a sem:Event ; skos:prefLabel "Probably that day"@en , "على الأرجح ذلك اليوم"@ar ;
        dcterms:date "2024-02-21?"^^edtf:EDTF ; prov:wasDerivedFrom id:src .
    id:ev-about a sem:Event ; skos:prefLabel "About that day"@en , "نحو ذلك اليوم"@ar ;
        dcterms:date "2023-12-05~"^^edtf:EDTF ; prov:wasDerivedFrom id:src .
    id:ev-sure a sem:Event ; skos:prefLabel "That day"@en , "ذلك اليوم"@ar ;
        dcterms:date "2023-12-06"^^edtf:EDTF ; prov:wasDerivedFrom id:src .
"""}

# RFC 5545 3.3.5: float = (["+"] / "-") 1*DIGIT ["." 1*DIGIT]
FLOAT = r"[+-]?[0-9]+(\.[0-9]+)?"
# RFC 5545 3.3.11: TEXT holds no control character but a tab (line breaks are written \n)
CONTROL = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return model_of(make_kb(tmp_path_factory.mktemp("hostile-export"), KB))


def _unfold(data: bytes) -> list[bytes]:
    return data.replace(b"\r\n ", b"").split(b"\r\n")


def _events(data: bytes) -> dict:
    return {str(e["UID"])[len(NS):]: e for e in Calendar.from_ical(data).walk("VEVENT")}


def test_ics_coordinates_are_rfc_5545_floats_and_csv_writes_them_as_digits(model):
    """str() of a Decimal writes 0.0000001 as 1E-7, which no calendar reads as a GEO float."""
    data = export(model, "ics")
    geo = [line for line in _unfold(data) if line.startswith(b"GEO:")]
    assert geo == [b"GEO:0.0000001;-0.00000005"]
    assert re.fullmatch(f"GEO:{FLOAT};{FLOAT}", geo[0].decode())
    row = next(r for r in csv.DictReader(io.StringIO(export(model, "csv").decode("utf-8"), newline=""))
               if r["id"] == "ev-ctrl")
    assert (row["latitude"], row["longitude"]) == ("0.0000001", "-0.00000005")
    feature = json.loads(export(model, "geojson"))["features"][0]
    assert feature["geometry"]["coordinates"] == [-0.00000005, 0.0000001]


def test_ics_text_holds_no_control_characters(model):
    data = export(model, "ics")
    for line in _unfold(data):
        assert not CONTROL.search(line), line
    ctrl = _events(data)["ev-ctrl"]
    assert str(ctrl["SUMMARY"]) == "ctrl   end" and str(ctrl["LOCATION"]) == "Near null island"


def test_bidi_controls_a_label_opens_are_closed_where_it_ends(model):
    """An override left open in a label would reverse the date a calendar's summary adds after it,
    and the next actor of a CSV cell: each label is closed as the site closes it."""
    spoof = _events(export(model, "ics"))["ev-spoof"]
    assert str(spoof["SUMMARY"]) == f"Label {RLO}reversed{PDF} (February 2024)"
    assert f"Perpetrators: evil{RLO}abc{PDF}; Other" in str(spoof["DESCRIPTION"])
    row = next(r for r in csv.DictReader(io.StringIO(export(model, "csv").decode("utf-8"), newline=""))
               if r["id"] == "ev-spoof")
    assert row["perpetrators"] == f"evil{RLO}abc{PDF}; Other"
    assert row["label_en"] == f"Label {RLO}reversed{PDF}"
    tl = next(e for e in json.loads(export(model, "timelinejs"))["events"] if e["unique_id"] == "ev-spoof")
    assert tl["text"]["headline"] == f"Label {RLO}reversed{PDF}"
    assert f"evil{RLO}abc{PDF} · Other" in tl["text"]["text"]


def test_timelinejs_keeps_an_event_known_only_at_its_end(model):
    """"../2019-11-15" has no start; TimelineJS needs one, so the event stands at the end it has,
    saying "until", as the site's timeline places it; it was left out."""
    events = {e["unique_id"]: e for e in json.loads(export(model, "timelinejs"))["events"]}
    until = events["ev-until"]
    assert until["start_date"] == {"year": 2019, "month": 11, "day": 15, "display_date": "until 15 November 2019"}
    assert "end_date" not in until and until["display_date"] == "until 15 November 2019"
    rows = list(csv.DictReader(io.StringIO(export(model, "csv").decode("utf-8"), newline="")))
    assert len(events) == len(rows)  # every event of the CSV is on the timeline


def test_ics_summary_says_a_day_is_only_probable_or_approximate(model):
    events = _events(export(model, "ics"))
    assert str(events["ev-probably"]["SUMMARY"]) == "Probably that day (probably 21 February 2024)"
    assert str(events["ev-about"]["SUMMARY"]) == "About that day (about 5 December 2023)"
    assert str(events["ev-sure"]["SUMMARY"]) == "That day"
    assert events["ev-probably"].decoded("DTSTART").isoformat() == "2024-02-21"
