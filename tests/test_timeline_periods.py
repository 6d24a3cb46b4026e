"""Where the timeline lists a date that is open at one end, lasts several years or shares its day
with others: on the home page, on the period pages, and in the feeds (QA of the dates)."""
from __future__ import annotations

import re
from html.parser import HTMLParser
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
    events = page(site, "events")  # a table, its rows in the same order
    body = events[events.index("<tbody>"):]
    events = re.findall(r'<th scope="row"[^>]*><a [^>]*><bdi>([^<]*)</bdi>', body)
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


# What a run of entries no single day (or month) holds looks like once a day (or month) group has
# closed before it, and where what lasts across several years goes when there is more than one.
RUNS_KB = {
    "a.ttl": """
        id:p a sem:Actor , schema:Organization ; skos:prefLabel "P"@en , "ب"@ar .
        id:src a prov:Entity , schema:Report ; dcterms:title "R"@en ; dcterms:publisher id:p .
        id:ev-siege a sem:Event ; skos:prefLabel "Siege"@en ; dcterms:date "2019-03-01/2021-06-30"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src .
        id:ev-year a sem:Event ; skos:prefLabel "Some day of 2021"@en ; dcterms:date "2021"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src .
        id:ev-years a sem:Event ; skos:prefLabel "2021 or 2022"@en ; dcterms:date "[2021..2022]"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src .
        id:ev-dock a sem:Event ; skos:prefLabel "Dock inspection"@en ; dcterms:date "2021-03"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src .
        id:ev-blast a sem:Event ; skos:prefLabel "First blast"@en ; dcterms:date "2021-03-09"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src .
        id:ev-second a sem:Event ; skos:prefLabel "Second blast"@en ;
            dcterms:date "[2021-03-09..2021-03-10]"^^edtf:EDTF ; prov:wasDerivedFrom id:src .
        id:ev-speech a sem:Event ; skos:prefLabel "Speech"@en ; dcterms:date "2021-03-11"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src .
        id:ev-june a sem:Event ; skos:prefLabel "Airstrike"@en ; dcterms:date "2021-06-01"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src .
        id:ev-summer a sem:Event ; skos:prefLabel "Summer talks"@en ; dcterms:date "2021-22"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src .
        id:ev-july a sem:Event ; skos:prefLabel "Rally"@en ; dcterms:date "2021-07-04"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src .
        id:ev-turn a sem:Event ; skos:prefLabel "Turn of the year"@en ;
            dcterms:date "[2021-12-30..2022-01-02]"^^edtf:EDTF ; prov:wasDerivedFrom id:src .
    """,
}


class _Outline(HTMLParser):
    """The grouped timeline of a page as a tree: each section's class, its own heading and what it
    holds, in order: sections, and lists of entries (their labels)."""

    def __init__(self):
        super().__init__()
        self.root = {"class": None, "heading": None, "children": []}
        self.stack = [self.root]
        self.text: list[str] | None = None  # the heading or label being read
        self.in_list = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        node = self.stack[-1]
        if tag == "section" and (len(self.stack) > 1 or a.get("class") == "year"):
            child = {"class": a.get("class"), "heading": None, "children": []}
            node["children"].append(child)
            self.stack.append(child)
        elif len(self.stack) == 1:
            return
        elif tag in ("h2", "h3", "h4"):
            assert node["heading"] is None and not node["children"], f"{tag} is not the first in its section"
            self.text = []
        elif tag == "ol" and "timeline" in (a.get("class") or "").split():
            node["children"].append([])
            self.in_list = True
        elif tag == "span" and a.get("class") == "label" and self.in_list:
            self.text = []

    def handle_endtag(self, tag):
        if len(self.stack) == 1:
            return
        node = self.stack[-1]
        if tag == "section":
            self.stack.pop()
        elif tag in ("h2", "h3", "h4") and self.text is not None:
            node["heading"] = " ".join("".join(self.text).split())
            self.text = None
        elif tag == "ol" and self.in_list:
            self.in_list = False
        elif tag == "span" and self.text is not None and self.in_list:
            node["children"][-1].append("".join(self.text).strip())
            self.text = None

    def handle_data(self, data):
        if self.text is not None:
            self.text.append(data)


def outline(html: str) -> list[dict]:
    """The year sections of a page's grouped timeline."""
    parser = _Outline()
    parser.feed(html[html.index("<main"):])
    return parser.root["children"]


def shape(node) -> object:
    """A section as (class, heading, [what it holds]), a list of entries as the list of its labels."""
    if isinstance(node, list):
        return node
    return (node["class"], node["heading"], [shape(c) for c in node["children"]])


def assert_every_run_has_its_heading(years: list[dict]) -> None:
    """Each list of entries is the only thing a section holds beneath its own heading: no list sits
    after a closed day or month group, where it would read as part of it."""
    def walk(node):
        lists = [c for c in node["children"] if isinstance(c, list)]
        assert node["heading"], node
        if lists:
            assert node["children"] == lists and len(lists) == 1, shape(node)
        for c in node["children"]:
            if isinstance(c, dict):
                walk(c)
    for year in years:
        walk(year)


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("runs")
    out = root / "out"
    build(make_kb(root, RUNS_KB), out)
    return out


def test_what_no_day_or_month_holds_has_a_heading_of_its_own_on_the_year_page(runs):
    years = outline(page(runs, "timeline/2021"))
    assert_every_run_has_its_heading(years)
    assert [shape(y) for y in years] == [("year", "2021", [
        # one group of what lasts or may fall across several years, where its first event comes
        ("several", "Across several years", [["Siege", "2021 or 2022", "Turn of the year"]]),
        ("within", "2021, no single month", [["Some day of 2021"]]),
        ("month", "March 2021", [
            ("within", "March 2021, no single day", [["Dock inspection"]]),
            ("day", "9 March 2021", [["First blast"]]),
            ("within", "March 2021, no single day", [["Second blast"]]),
            ("day", "11 March 2021", [["Speech"]]),
        ]),
        ("month", "June 2021", [("day", "1 June 2021", [["Airstrike"]])]),
        ("within", "2021, no single month", [["Summer talks"]]),
        ("month", "July 2021", [("day", "4 July 2021", [["Rally"]])]),
    ])]


def test_what_no_day_holds_has_a_heading_of_its_own_on_the_month_page(runs):
    years = outline(page(runs, "timeline/2021/03"))
    assert_every_run_has_its_heading(years)
    assert [shape(y) for y in years] == [("year", "2021", [("month", "March 2021", [
        ("within", "March 2021, no single day", [["Dock inspection"]]),
        ("day", "9 March 2021", [["First blast"]]),
        ("within", "March 2021, no single day", [["Second blast"]]),
        ("day", "11 March 2021", [["Speech"]]),
    ])])]


def test_the_home_page_has_one_several_years_group_a_year_and_a_heading_for_every_run(runs):
    years = outline(page(runs, ""))
    assert_every_run_has_its_heading(years)
    by_year = {y["heading"]: y for y in years}
    assert list(by_year) == ["2019", "2021"]
    blocks = [(b["class"], b["heading"]) for b in by_year["2021"]["children"]]
    assert blocks == [("within", "2021, no single month"), ("several", "Across several years"),
                      ("month", "March 2021"), ("month", "June 2021"), ("within", "2021, no single month"),
                      ("month", "July 2021")]
    several = by_year["2021"]["children"][1]
    assert shape(several) == ("several", "Across several years", [["2021 or 2022", "Turn of the year"]])


def test_the_run_headings_are_translated(runs):
    years = outline(page(runs, "ar/timeline/2021"))
    assert_every_run_has_its_heading(years)
    headings = [b["heading"] for b in years[0]["children"]]
    assert headings.count("على امتداد عدة سنوات") == 1
    assert headings.count("2021، دون شهر بعينه") == 2  # before March, and after June
    march = next(b for b in years[0]["children"] if b["class"] == "month")
    assert [c["heading"] for c in march["children"]] == [
        "مارس 2021، دون يوم بعينه", "9 مارس 2021", "مارس 2021، دون يوم بعينه", "11 مارس 2021"]
