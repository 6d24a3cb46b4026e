"""EDTF parsing and day arithmetic: every example of python-edtf's test data, and the format's own."""
from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from builder.edtf import (EDTFError, XSD, day_number, month_length, parse_edtf, parse_xsd, weekday,
                          xsd_date, ymd)

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "edtf" / \
    "edtf_examples_from_python-edtf.json"
EXAMPLES = json.loads(DATA.read_text(encoding="utf-8"))

# The examples python-edtf lists under level 2 that are level 2 indeed, and so rejected: partial
# qualification, unspecified digits followed by written ones, sets and lists, exponent years,
# significant digits, seasons past 24.
LEVEL2 = {
    "2004?-06-11", "2004-06~-11", "2004-06-~11", "2004-%06", "2004-?06-?11", "2004?-06-~11",
    "?2004-%06", "2004?-%06", "2004?-~06-~04", "2011-~06-~04",
    "156X-12-25", "15XX-12-25", "1560-XX-25", "15XX-12-XX", "XXXX-XX-23",
    "[1667, 1668, 1670..1672]", "[..1760-12-03]", "[1760-12..]", "[1760-01, 1760-02, 1760-12..]",
    "[1667, 1760-12]", "{1667,1668, 1670..1672}", "{1960, 1961-12}",
    "2004-06-~01/2004-06-~20", "Y17E7", "Y-17E7", "1950S2", "1953S2", "1953S3", "Y17101E4S3",
    "Y3388E2S3", "Y171010000S3", "2001-29", "2001-34",
    "?1945/1959", "?1945", "?1945-01", "?1945-01-01", "~1945/1959", "~1945", "~1945-01",
    "~1945-01-01", "%1945/1959", "%1945", "%1945-01", "%1945-01-01", "2004?-06-04",
}
# Where the format deliberately differs from python-edtf's expectations.
DIFFERENT = {
    # open and unknown ends stay unbounded instead of guessing ten years, or infinity
    "/2006": (None, "2006-12-31"), "2004-06-01/": ("2004-06-01", None),
    "../2006": (None, "2006-12-31"), "2004-01-01/..": ("2004-01-01", None),
    "1984-06-02?/": ("1984-06-02", None),
    # winter is December to February (python-edtf stops at 31 December)
    "2010-24": ("2010-12-01", "2011-02-28"),
}


def _day(iso: str) -> int:
    sign = -1 if iso.startswith("-") else 1
    y, m, d = iso.lstrip("-").split("-")
    return day_number(sign * int(y), int(m), int(d))


def _strict(expected: list[str]) -> tuple[str, str]:
    """python-edtf's strict bounds: one value is both; three values start with the strict day."""
    return (expected[0], expected[0]) if len(expected) in (1, 3) else (expected[0], expected[1])


def _bounds(e) -> tuple[str | None, str | None]:
    return (None if e.earliest is None else xsd_date(e.earliest),
            None if e.latest is None else xsd_date(e.latest))


@pytest.mark.parametrize("text,expected", [(t, e) for t, e in EXAMPLES["EXAMPLES"] if t not in LEVEL2])
def test_level_0_and_1_examples_give_their_bounds(text, expected):
    parsed = parse_edtf(text)
    assert _bounds(parsed) == DIFFERENT.get(text, _strict(expected))


@pytest.mark.parametrize("text", sorted(t for t, _ in EXAMPLES["EXAMPLES"] if t in LEVEL2))
def test_level_2_examples_are_rejected_saying_so(text):
    with pytest.raises(EDTFError, match="level 2 is not supported except the one-day range form") as err:
        parse_edtf(text)
    assert err.value.level2


@pytest.mark.parametrize("text", EXAMPLES["BAD_EXAMPLES"])
def test_bad_examples_are_rejected(text):
    with pytest.raises(EDTFError) as err:
        parse_edtf(text)
    assert "expected" in str(err.value) or "level 2" in str(err.value)


@pytest.mark.parametrize("text,flags", EXAMPLES["APPROXIMATE_UNCERTAIN_EXAMPLES"])
def test_qualifiers_are_kept(text, flags):
    if text in LEVEL2:
        with pytest.raises(EDTFError, match="level 2"):
            parse_edtf(text)
        return
    uncertain, approximate, both = flags
    parsed = parse_edtf(text)
    assert (parsed.uncertain, parsed.approximate) == (uncertain or both, approximate or both)


@pytest.mark.parametrize("text", EXAMPLES["BENCHMARK_EXAMPLES"])
def test_benchmark_examples_parse_or_are_level_2(text):
    if text in LEVEL2:
        with pytest.raises(EDTFError, match="level 2"):
            parse_edtf(text)
    else:
        parsed = parse_edtf(text)
        assert parsed.earliest is not None or parsed.latest is not None


def test_every_example_is_classified():
    texts = {t for t, _ in EXAMPLES["EXAMPLES"]} | {t for t, _ in EXAMPLES["APPROXIMATE_UNCERTAIN_EXAMPLES"]}
    assert LEVEL2 <= texts | set(EXAMPLES["BENCHMARK_EXAMPLES"])


# ---- the format's own table and the forms issue 4 names ------------------------------------------

@pytest.mark.parametrize("text,first,last,precision", [
    ("2024-01-29", "2024-01-29", "2024-01-29", "day"),
    ("2024-02", "2024-02-01", "2024-02-29", "month"),
    ("2014", "2014-01-01", "2014-12-31", "year"),
    ("2024-02-21?", "2024-02-21", "2024-02-21", "day"),
    ("2023-12~", "2023-12-01", "2023-12-31", "month"),
    ("-0232", "-0232-01-01", "-0232-12-31", "year"),
    ("2024-01-2X", "2024-01-20", "2024-01-29", "days"),
    ("2024-02-2X", "2024-02-20", "2024-02-29", "days"),
    ("2023-02-2X", "2023-02-20", "2023-02-28", "days"),
    ("2024-01-3X", "2024-01-30", "2024-01-31", "days"),
    ("2024-01-0X", "2024-01-01", "2024-01-09", "days"),
    ("1984-1X", "1984-10-01", "1984-12-31", "months"),
    ("1984-0X", "1984-01-01", "1984-09-30", "months"),
    ("1984-1X-XX", "1984-10-01", "1984-12-31", "months"),
    ("2024-XX", "2024-01-01", "2024-12-31", "year"),
    ("2024-01-XX", "2024-01-01", "2024-01-31", "month"),
    ("199X", "1990-01-01", "1999-12-31", "decade"),
    ("19XX-XX", "1900-01-01", "1999-12-31", "century"),
    ("1XXX", "1000-01-01", "1999-12-31", "millennium"),
    ("XXXX", "0000-01-01", "9999-12-31", "years"),
    ("-0XXX", "-0999-01-01", "-0001-12-31", "years"),
    ("2001-21", "2001-03-01", "2001-05-31", "season"),
    ("2023-24", "2023-12-01", "2024-02-29", "season"),
    ("Y170000002", "170000002-01-01", "170000002-12-31", "year"),
    ("Y-170000002", "-170000002-01-01", "-170000002-12-31", "year"),
    ("Y12345", "12345-01-01", "12345-12-31", "year"),
])
def test_bounds_and_precision(text, first, last, precision):
    parsed = parse_edtf(text)
    assert (_bounds(parsed), parsed.precision, parsed.kind) == ((first, last), precision, "date")


def test_qualifiers_never_widen():
    for text in ("2024-02-21?", "2024-02-21~", "2024-02-21%"):
        assert _bounds(parse_edtf(text)) == ("2024-02-21", "2024-02-21")
    assert (parse_edtf("2024-02-21?").uncertain, parse_edtf("2024-02-21?").approximate) == (True, False)
    assert (parse_edtf("2023-12~").uncertain, parse_edtf("2023-12~").approximate) == (False, True)
    assert (parse_edtf("1984%").uncertain, parse_edtf("1984%").approximate) == (True, True)


def test_closed_interval():
    e = parse_edtf("2024-01-27/2024-01-29")
    assert (e.kind, _bounds(e), e.precision) == ("interval", ("2024-01-27", "2024-01-29"), "day")
    assert (e.start.text, e.end.text, e.start.kind) == ("2024-01-27", "2024-01-29", "date")
    assert not (e.open_start or e.open_end or e.unknown_start or e.unknown_end)


@pytest.mark.parametrize("text,flags,bounds", [
    ("2014/..", (False, True, False, False), ("2014-01-01", None)),
    ("2014/", (False, False, False, True), ("2014-01-01", None)),
    ("../2014", (True, False, False, False), (None, "2014-12-31")),
    ("/2014", (False, False, True, False), (None, "2014-12-31")),
])
def test_open_and_unknown_ends(text, flags, bounds):
    e = parse_edtf(text)
    assert (e.open_start, e.open_end, e.unknown_start, e.unknown_end) == flags
    assert _bounds(e) == bounds
    assert (e.start is None, e.end is None) == (bounds[0] is None, bounds[1] is None)


def test_interval_precision_is_the_coarser_end_and_qualifiers_come_from_either_end():
    e = parse_edtf("2004-02-01/2005~")
    assert (e.precision, e.approximate, e.uncertain) == ("year", True, False)
    assert e.start.precision == "day" and e.end.approximate


def test_one_of_range():
    e = parse_edtf("[2024-01-27..2024-01-29]")
    assert (e.kind, _bounds(e), e.precision) == ("one-of", ("2024-01-27", "2024-01-29"), "day")
    assert (e.start.text, e.end.text) == ("2024-01-27", "2024-01-29")
    assert _bounds(parse_edtf("[2023-12..2024-02]")) == ("2023-12-01", "2024-02-29")


def test_time_of_day_is_kept_as_text():
    assert parse_edtf("2024-01-29T10:00:00").time == "10:00:00"
    assert parse_edtf("2024-01-29T10:00:00Z").time == "10:00:00Z"
    e = parse_edtf("2024-01-29T10:00:00+03:00")
    assert (e.time, _bounds(e), e.precision) == ("10:00:00+03:00", ("2024-01-29", "2024-01-29"), "day")
    assert parse_edtf("2024-01-29").time is None


@pytest.mark.parametrize("text,why", [
    ("2024-02-30", "day 30 does not exist"),
    ("2023-02-29", "day 29 does not exist"),
    ("2024-13", "13 is not a month"),
    ("2024-00", "00 is not a month"),
    ("2024-02-3X", "does not exist"),
    ("2024-2X", "is not a month"),
    ("24-01-01", "four-digit year"),
    ("2024/01/29", "exactly one '/'"),
    ("2024-01-29 ", "spaces"),
    ("../..", "at least one side"),
    ("/", "at least one side"),
    ("2024-01-29/2024-01-27", "ends before it starts"),
    ("[2024-01-29..2024-01-27]", "ends before it starts"),
    ("2024-01-29T25:00:00", "hh:mm:ss"),
    ("2024-01T10:00:00", "complete date"),
    ("2024-01-29T10:00:00?", "hh:mm:ss"),
    ("Y2024", "more than four digits"),
    ("Y12345-01", "stands alone"),
    ("2001-21-03", "no day"),
    ("-0000", "1 BCE"),
    ("2024-01-29??", "level 2"),
])
def test_invalid_dates_say_what_is_wrong(text, why):
    with pytest.raises(EDTFError) as err:
        parse_edtf(text)
    assert why in str(err.value)


@pytest.mark.parametrize("text", ["{2024-01-27..2024-01-29}", "[2024-01-27,2024-01-29]",
                                  "[2024-01-27, 2024-01-29]", "[..2024-01-29]", "[2024-01-27..]",
                                  "Y-17E7", "2001-25", "2024-X1-01", "2024?-01", "?2024-01-29"])
def test_other_level_2_forms_are_rejected_with_the_level_2_message(text):
    with pytest.raises(EDTFError, match="level 2 is not supported") as err:
        parse_edtf(text)
    assert err.value.level2


def test_a_range_without_brackets_is_not_a_date():
    with pytest.raises(EDTFError, match="expected EDTF such as") as err:
        parse_edtf("2024-01-27..2024-01-29")
    assert not err.value.level2


def test_level_2_message_names_the_accepted_form():
    with pytest.raises(EDTFError) as err:
        parse_edtf("{2024-01-27,2024-01-29}")
    assert "level 2 is not supported except the one-day range form [2024-01-27..2024-01-29]" in str(err.value)


# ---- XSD literals ----------------------------------------------------------------------------------

@pytest.mark.parametrize("lexical,datatype,edtf", [
    ("2024-02-21", "date", "2024-02-21"), ("2024-02", "gYearMonth", "2024-02"),
    ("2024", "gYear", "2024"), ("-0330", "gYear", "-0330"), ("0000-01-01", "date", "0000-01-01"),
    ("2024-02-21Z", "date", "2024-02-21"), ("2024-02-21+03:00", "date", "2024-02-21"),
])
def test_xsd_means_the_same_as_the_same_digits_in_edtf(lexical, datatype, edtf):
    a, b = parse_xsd(lexical, XSD + datatype), parse_edtf(edtf)
    assert (a.earliest, a.latest, a.precision) == (b.earliest, b.latest, b.precision)


def test_xsd_datetime_and_long_years():
    e = parse_xsd("2024-01-29T10:00:00Z", XSD + "dateTime")
    assert (_bounds(e), e.time, e.precision) == (("2024-01-29", "2024-01-29"), "10:00:00Z", "day")
    assert _bounds(parse_xsd("12345", XSD + "gYear")) == ("12345-01-01", "12345-12-31")


@pytest.mark.parametrize("lexical,datatype", [
    ("2024-02-30", "date"), ("2024-13", "gYearMonth"), ("24", "gYear"), ("2024-02", "date"),
    ("-0000", "gYear"), ("2024-02-21T10:00", "dateTime"), ("02024", "gYear"), ("2024", "string"),
])
def test_ill_typed_xsd_is_an_error(lexical, datatype):
    with pytest.raises(EDTFError):
        parse_xsd(lexical, XSD + datatype)


# ---- day numbers -------------------------------------------------------------------------------------

def test_known_day_numbers():
    assert day_number(1970, 1, 1) == 0
    assert ymd(0) == (1970, 1, 1)
    assert day_number(2024, 2, 21) - day_number(2024, 1, 29) == 23
    assert weekday(day_number(2024, 2, 21)) == 2  # a Wednesday
    assert weekday(day_number(2024, 1, 29)) == 0  # a Monday
    assert day_number(1, 1, 1) - day_number(0, 12, 31) == 1
    assert day_number(0, 3, 1) - day_number(0, 2, 28) == 2  # year 0 (1 BCE) is a leap year
    assert month_length(-4, 2) == 29 and month_length(-1, 2) == 28 and month_length(1900, 2) == 28


@pytest.mark.parametrize("y,m,d,text", [
    (2024, 2, 21, "2024-02-21"), (-330, 1, 1, "-0330-01-01"), (0, 12, 31, "0000-12-31"),
    (-1, 1, 1, "-0001-01-01"), (12345, 6, 7, "12345-06-07"), (33, 4, 3, "0033-04-03"),
])
def test_xsd_date_forms(y, m, d, text):
    assert xsd_date(day_number(y, m, d)) == text


@st.composite
def calendar_days(draw, low=-9999, high=99999):
    y = draw(st.integers(low, high))
    m = draw(st.integers(1, 12))
    return y, m, draw(st.integers(1, month_length(y, m)))


@given(calendar_days())
def test_day_number_round_trips(day):
    assert ymd(day_number(*day)) == day


@given(st.integers(day_number(-9999, 1, 1), day_number(99999, 12, 31)))
def test_ymd_round_trips_and_days_are_consecutive(n):
    assert day_number(*ymd(n)) == n
    assert weekday(n + 1) == (weekday(n) + 1) % 7
    y, m, d = ymd(n)
    ny, nm, nd = ymd(n + 1)
    assert (ny, nm, nd) == ((y, m, d + 1) if d < month_length(y, m) else
                            (y, m + 1, 1) if m < 12 else (y + 1, 1, 1))


@given(calendar_days(1, 9999))
def test_day_numbers_and_weekdays_agree_with_datetime_where_it_works(day):
    date = datetime.date(*day)
    assert day_number(*day) == date.toordinal() - datetime.date(1970, 1, 1).toordinal()
    assert weekday(day_number(*day)) == date.weekday()


@given(calendar_days())
def test_weekday_repeats_every_400_years(day):
    y, m, d = day
    assert weekday(day_number(y + 400, m, d)) == weekday(day_number(y, m, d))
    assert day_number(y + 400, m, d) - day_number(y, m, d) == 146097


@given(calendar_days())
def test_xsd_date_round_trips_through_parse_xsd(day):
    n = day_number(*day)
    assert parse_xsd(xsd_date(n), XSD + "date").earliest == n
