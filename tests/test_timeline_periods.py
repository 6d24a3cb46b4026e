"""Where the timeline lists a date that is open at one end, lasts several years or shares its day
with others: on the home page, on the period pages, and in the feeds (QA of the dates)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from builder.site import build
from conftest import make_kb

KB = {
    "events.ttl": """
        id:paper a sem:Actor , schema:NewsMediaOrganization ; skos:prefLabel "Paper"@en , "الصحيفة"@ar .
        id:src a prov:Entity , schema:NewsArticle ; dcterms:title "Report"@en ; dcterms:publisher id:paper ;
            dcterms:issued "2023-03-10"^^edtf:EDTF .
        id:ev-report a sem:Event ; skos:prefLabel "Curfew"@en , "حظر التجول"@ar ;
            tl:relativeDate [ tl:anchor id:src ; tl:latestOffset "P0D"^^xsd:dayTimeDuration ] ;
            prov:wasDerivedFrom id:src .
        id:ev-mar9 a sem:Event ; skos:prefLabel "Clash"@en ; dcterms:date "2023-03-09"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src .
        id:ev-bce a sem:Event ; skos:prefLabel "Harbour founded"@en ; dcterms:date "-0232"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src .
        id:ev-decade a sem:Event ; skos:prefLabel "Warehouse"@en ; dcterms:date "201X"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src .
        id:ev-until a sem:Event ; skos:prefLabel "Strike"@en ; dcterms:date "/2019-11-15"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src .
        id:ev-until-month a sem:Event ; skos:prefLabel "Smuggling"@en ; dcterms:date "../2019-12"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src .
        id:ev-from a sem:Event ; skos:prefLabel "Ban"@en ; dcterms:date "2019-11-15/"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src .
        id:ev-long a sem:Event ; skos:prefLabel "Siege"@en ; dcterms:date "2019-03-01/2021-06-30"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src .
        id:ev-aug-a a sem:Event ; skos:prefLabel "Press conference"@en ; dcterms:date "2020-08-04"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src .
        id:ev-aug-b a sem:Event ; skos:prefLabel "Warning"@en ; dcterms:date "2020-08-04T09:30:00"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src .
        id:ev-aug-c a sem:Event ; skos:prefLabel "Collapse"@en ; dcterms:date "2020-08-04T18:07:00"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src .
        id:ev-summer a sem:Event ; skos:prefLabel "Summer talks"@en ; dcterms:date "2021-22"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src .
        id:ev-march a sem:Event ; skos:prefLabel "Blast"@en ; dcterms:date "2021-03-09"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src .
    """,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("periods")
    out = root / "out"
    build(make_kb(root, KB), out)
    return out


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def labels(html: str) -> list[str]:
    """The events of a page's timeline, in the order shown."""
    main = html[html.index("<main"):]
    return re.findall(r'<span class="label"><a [^>]*><bdi>([^<]*)</bdi>', main)


def section(html: str, cls: str, heading: str) -> str:
    """The HTML of the first <section class=cls> whose heading reads `heading`."""
    for m in re.finditer(rf'<section class="{cls}">\s*<h\d>(?:<a [^>]*>)?{re.escape(heading)}<', html):
        depth, i = 0, m.start()
        for tag in re.finditer(r"<(/?)section\b", html[m.start():]):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                return html[m.start():m.start() + tag.end()]
    raise AssertionError(f"no section {cls} {heading!r}")


def test_on_or_before_a_report_is_on_the_period_pages_of_its_known_bound(site):
    for path in ("timeline/2023", "timeline/2023/03"):
        html = page(site, path)
        assert "Curfew" in labels(html), path
    day = section(page(site, "timeline/2023/03"), "day", "10 March 2023")
    assert "Curfew" in labels("<main" + day) and "on or before 10 March 2023" in day
    assert "في 10 مارس 2023 أو قبله" in page(site, "ar/timeline/2023/03")


def test_an_open_end_is_placed_at_its_known_end(site):
    assert "Strike" in labels(page(site, "timeline/2019/11"))  # until 15 November 2019, start unknown
    assert "Ban" in labels(page(site, "timeline/2019/11"))  # from 15 November 2019, end unknown
    assert "Smuggling" in labels(page(site, "timeline/2019/12"))  # until December 2019


def test_what_lasts_several_years_is_on_each_year_page_it_touches(site):
    for year in ("2010", "2019"):  # 201X: the year it may start in, the year it may end in
        several = section(page(site, f"timeline/{year}"), "several", "Across several years")
        assert "Warehouse" in labels("<main" + several), year
    assert not (site / "timeline" / "2015").exists()  # no page is made for the years between
    assert "Siege" in labels(page(site, "timeline/2019/03"))  # listed where it starts …
    for year in ("2020", "2021"):  # … and under "Across several years" on the other years it lasts
        several = section(page(site, f"timeline/{year}"), "several", "Across several years")
        assert labels("<main" + several) == ["Siege"], year
    assert "Siege" not in labels(page(site, "timeline/2021/03"))


def test_home_and_list_are_chronological_open_starts_never_first(site):
    home = labels(page(site, ""))
    assert home[:2] == ["Harbour founded", "Warehouse"]
    assert home.index("Clash") < home.index("Curfew") == len(home) - 1
    assert home.index("Smuggling") < home.index("Press conference")
    events = labels(page(site, "events"))
    assert events[:2] == ["Harbour founded", "Warehouse"] and events[-1] == "Curfew"


def test_events_of_one_day_are_grouped_under_that_day(site):
    home = page(site, "")
    day = section(home, "day", "4 August 2020")
    assert labels("<main" + day) == ["Press conference", "Warning", "Collapse"]
    assert "<h4>" in day and home.count("<h4>4 August 2020</h4>") == 1


def test_a_season_follows_the_months_before_it(site):
    home = labels(page(site, ""))
    assert home.index("Blast") < home.index("Summer talks")  # 9 March 2021, then summer 2021
    year = section(page(site, ""), "year", "2021")
    assert year.index("March 2021") < year.index("Summer talks")


def test_atom_never_dates_an_entry_it_cannot_write_at_the_epoch(site):
    feed = (site / "feeds" / "events.xml").read_text(encoding="utf-8")
    assert "1970-01-01" not in feed
    updated = re.search(r"<feed [^>]*>.*?<updated>([^<]*)</updated>", feed).group(1)
    assert updated == "2023-03-10T00:00:00Z"  # the latest day any entry allows
    bce = re.search(r"<entry>(?:(?!</entry>).)*Harbour founded.*?</entry>", feed).group(0)
    assert f"<updated>{updated}</updated>" in bce and "<summary>233 BCE</summary>" in bce
    stamps = re.findall(r"<updated>([^<]*)</updated>", feed)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00Z", s) for s in stamps)


def test_rfc_3339_stamps_are_written_only_for_the_years_0001_to_9999():
    from builder.feeds import EARLIEST, _stamp
    from builder.edtf import day_number
    assert _stamp(day_number(-232, 1, 1)) is None and _stamp(day_number(10000, 1, 1)) is None
    assert _stamp(day_number(1, 1, 1)) == EARLIEST == "0001-01-01T00:00:00Z"


def test_a_date_that_may_fall_in_any_of_many_years_makes_no_page_for_the_last(tmp_path):
    """2XXX is some year from 2000 to 2999: it is listed from 2000 and on the years between that
    have pages, but no page for 2999 is made (a span, which lasted into its last year, makes one)."""
    kb = make_kb(tmp_path, {"a.ttl": """
        id:src a prov:Entity , schema:Report ; dcterms:title "R"@en ; dcterms:publisher id:p .
        id:p a sem:Actor , schema:Organization ; skos:prefLabel "P"@en .
        id:ev-now a sem:Event ; skos:prefLabel "Now"@en ; dcterms:date "2024-01-05"^^edtf:EDTF ; prov:wasDerivedFrom id:src .
        id:ev-millennium a sem:Event ; skos:prefLabel "Some time"@en ; dcterms:date "2XXX"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src .
        """})
    out = tmp_path / "out"
    build(kb, out)
    assert (out / "timeline" / "2000" / "index.html").is_file()
    assert not (out / "timeline" / "2999").exists()
    several = section(page(out, "timeline/2024"), "several", "Across several years")
    assert "Some time" in labels("<main" + several)
