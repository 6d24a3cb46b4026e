"""EDTF dates as day bounds: levels 0 and 1, and one level 2 form (`[a..b]`, one day of a range).

Input: an EDTF string (`parse_edtf`) or an XSD date lexical form with its datatype IRI
(`parse_xsd`). Output: a frozen `EDTF` with the first and last possible day as day numbers.

Day numbers count days from 1970-01-01 (day 0) in the proleptic Gregorian calendar with
astronomical years (year 0 is 1 BCE), negative before 1970. No `datetime`: it stops at year 1
and year 9999, and the knowledge base has dates beyond both.

Deliberate choices, beyond the letter of EDTF level 1:
- unspecified digits are accepted wherever they run to the right end of the date (`2024-01-2X`,
  `1984-1X`, `19XX-XX`), since they still mean one contiguous run of days; an `X` followed by a
  written digit (`156X-12-25`) is level 2 and rejected;
- qualifiers (`?`, `~`, `%`) are kept but never widen the bounds;
- winter (`-24`) runs from December of its year to the end of February of the next.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

XSD = "http://www.w3.org/2001/XMLSchema#"
# Coarser precisions come later; an interval or range takes the coarser of its ends.
PRECISIONS = ("day", "days", "month", "months", "season", "year", "decade", "century",
              "millennium", "years")
SEASON_MONTHS = {21: (3, 5), 22: (6, 8), 23: (9, 11), 24: (12, 14)}  # 14: February of next year
LEVEL2 = "level 2 is not supported except the one-day range form [2024-01-27..2024-01-29]"
EXPECTED = "expected EDTF such as 2024-01-29, 2024-02, 2014, 2024-02-21?, 2024-01-2X, " \
           "2024-01-27/2024-01-29, 2014/.. or [2024-01-27..2024-01-29]"
_SHIFT = 719468  # days from 0000-03-01 to 1970-01-01


class EDTFError(ValueError):
    """A date that cannot be read; the message says what is wrong and what form is expected."""

    def __init__(self, message: str, level2: bool = False):
        super().__init__(message)
        self.level2 = level2


@dataclass(frozen=True)
class EDTF:
    """A parsed date: what was written, its kind, bounds (day numbers), precision, qualifiers."""

    text: str
    kind: str  # "date" | "interval" | "one-of"
    earliest: int | None
    latest: int | None
    precision: str
    uncertain: bool = False
    approximate: bool = False
    start: EDTF | None = None
    end: EDTF | None = None
    open_start: bool = False
    open_end: bool = False
    unknown_start: bool = False
    unknown_end: bool = False
    time: str | None = None
    unspecified: bool = False  # written with X digits
    season: int | None = None  # 21..24 when a season was written


# ---- day numbers -------------------------------------------------------------------------------

def is_leap(year: int) -> bool:
    """Tell whether an astronomical year is a leap year (proleptic Gregorian)."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def month_length(year: int, month: int) -> int:
    """Return the number of days in a month."""
    if month == 2:
        return 29 if is_leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def day_number(y: int, m: int, d: int) -> int:
    """Return the day number (days since 1970-01-01) of an astronomical year, month and day."""
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * ((m + 9) % 12) + 2) // 5 + d - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - _SHIFT


def ymd(n: int) -> tuple[int, int, int]:
    """Return the (astronomical year, month, day) of a day number."""
    n += _SHIFT
    era = n // 146097
    doe = n - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (m <= 2), m, d


def weekday(n: int) -> int:
    """Return the weekday of a day number: 0 is Monday, 6 is Sunday."""
    return (n + 3) % 7  # 1970-01-01 was a Thursday


def xsd_date(n: int) -> str:
    """Return the XSD 1.1 lexical form of a day ("-0330-01-01"; year 0000 is 1 BCE)."""
    y, m, d = ymd(n)
    return f"{'-' if y < 0 else ''}{abs(y):04d}-{m:02d}-{d:02d}"


# ---- EDTF ----------------------------------------------------------------------------------------

_DATE = re.compile(r"(?P<year>-?[0-9X]{4})(?:-(?P<month>[0-9X]{2})(?:-(?P<day>[0-9X]{2}))?)?")
_LONG_YEAR = re.compile(r"Y(?P<year>-?[1-9][0-9]{4,})")
_TIME = re.compile(r"(?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)"
                   r"(?:Z|[+-](?:0[0-9]|1[0-4])(?::[0-5][0-9])?)?")
_RANGE = re.compile(r"\[(?P<a>[^\[\]{},.\s][^\[\]{},\s]*?)\.\.(?P<b>[^\[\]{},.\s][^\[\]{},\s]*)\]")


def _bad(text: str, why: str) -> EDTFError:
    return EDTFError(f"{text!r} is not a date Tarikh can read: {why}; {EXPECTED}")


def _level2(text: str, feature: str) -> EDTFError:
    return EDTFError(f"{text!r} uses {feature}, a feature of EDTF level 2: {LEVEL2}", level2=True)


def _level2_feature(s: str) -> str | None:
    """Name the level 2 feature a single date (or set) uses, if any."""
    if "{" in s or "}" in s:
        return "a set of dates in braces"
    if "[" in s or "]" in s or "," in s:
        return "a list of possible dates"
    if re.search(r"Y-?[0-9]+E[0-9]", s):
        return "a year with an exponent"
    if re.search(r"[0-9X]S[0-9]", s):
        return "significant digits"
    if any(c in "?~%" for c in s[:-1]):
        return "a qualifier on part of a date (level 1 allows one only at the end)"
    if re.search(r"X-?[0-9]", s.split("T")[0]) and not s.startswith("Y"):
        return "unspecified digits followed by written ones (such as 156X-12-25)"
    return None


@lru_cache(maxsize=1 << 16)  # the same dates recur across a knowledge base; an EDTF is immutable
def parse_edtf(text: str) -> EDTF:
    """Parse an EDTF string (levels 0 and 1, and `[a..b]`) into bounds; raise EDTFError."""
    if not isinstance(text, str):
        raise _bad(repr(text), "a date must be text")
    if not text:
        raise _bad(text, "the date is empty")
    if "{" in text:
        raise _level2(text, "a set of dates in braces")
    if text.startswith("[") and (" " in text or "," in text):
        raise _level2(text, "a list of possible dates")
    if text != text.strip() or " " in text:
        raise _bad(text, "it contains spaces")
    if "(" in text or ")" in text:
        raise _bad(text, "parentheses are not EDTF (they come from an old draft); "
                         "qualify a whole date with ?, ~ or % at its end")
    if text.startswith("["):
        return _parse_range(text)
    if "/" in text:
        return _parse_interval(text)
    return _parse_date(text, text)


def _parse_range(text: str) -> EDTF:
    m = _RANGE.fullmatch(text)
    if not m:
        raise _level2(text, "a list of possible dates other than a closed range")
    a, b = (_parse_date(m[g], text) for g in ("a", "b"))
    if a.time or b.time:
        raise _bad(text, "the ends of a range are days, months or years, without a time of day")
    if a.earliest > b.latest:
        raise _bad(text, "the range ends before it starts")
    return EDTF(text, "one-of", a.earliest, b.latest, _coarser(a.precision, b.precision),
                a.uncertain or b.uncertain, a.approximate or b.approximate, start=a, end=b)


def _parse_interval(text: str) -> EDTF:
    if text.count("/") != 1:
        raise _bad(text, "an interval has exactly one '/'")
    a, b = text.split("/")
    if a in ("", "..") and b in ("", ".."):
        raise _bad(text, "an interval needs a date on at least one side")
    start = _parse_date(a, text) if a not in ("", "..") else None
    end = _parse_date(b, text) if b not in ("", "..") else None
    if start and end and start.earliest > end.latest:
        raise _bad(text, "the interval ends before it starts")
    ends = [e for e in (start, end) if e]
    precision = ends[0].precision if len(ends) == 1 else _coarser(ends[0].precision, ends[1].precision)
    return EDTF(text, "interval", start.earliest if start else None, end.latest if end else None,
                precision, any(e.uncertain for e in ends), any(e.approximate for e in ends),
                start=start, end=end, open_start=a == "..", open_end=b == "..",
                unknown_start=a == "", unknown_end=b == "")


def _coarser(p: str, q: str) -> str:
    return max(p, q, key=PRECISIONS.index)


def _parse_date(s: str, text: str) -> EDTF:
    """Parse one date (no interval) of the whole `text`."""
    feature = _level2_feature(s)
    if feature:
        raise _level2(text, feature)
    body, _, time = s.partition("T")
    if "T" in s and not _TIME.fullmatch(time):
        raise _bad(text, "a time of day is written hh:mm:ss, optionally followed by Z or +hh:mm")
    qualifier = body[-1] if body and body[-1] in "?~%" else ""
    body = body[:len(body) - len(qualifier)]
    if time and qualifier:
        raise _bad(text, "a date with a time of day cannot carry a qualifier")
    earliest, latest, precision, season = _bounds(body, text)
    unspecified = "X" in body
    if time and (precision != "day" or unspecified):
        raise _bad(text, "a time of day needs a complete date (year, month and day)")
    return EDTF(s, "date", earliest, latest, precision, qualifier in "?%" and bool(qualifier),
                qualifier in "~%" and bool(qualifier), time=time or None,
                unspecified=unspecified, season=season)


def _bounds(body: str, text: str) -> tuple[int, int, str, int | None]:
    """Return earliest, latest, precision and season of a date without qualifier or time."""
    long_year = _LONG_YEAR.fullmatch(body)
    if long_year:
        y = int(long_year["year"])
        return day_number(y, 1, 1), day_number(y, 12, 31), "year", None
    if body.startswith("Y"):
        if re.fullmatch(r"Y-?[0-9]{1,4}", body):
            raise _bad(text, "Y marks a year of more than four digits; write shorter years with four digits, as 2024")
        raise _bad(text, "a year after Y has more than four digits and stands alone, without month or day")
    m = _DATE.fullmatch(body)
    if not m:
        raise _bad(text, "a date is a four-digit year, then optionally -month and -day")
    y0, y1, precision = _year_range(m["year"], text)
    if m["month"] is None:
        return day_number(y0, 1, 1), day_number(y1, 12, 31), precision, None
    month = m["month"]
    if month.isdigit() and 21 <= int(month) <= 41:
        return _season(y0, int(month), m["day"], text)
    m0, m1 = _month_range(month, text)
    if "X" not in m["year"]:
        precision = "year" if month == "XX" else "months" if "X" in month else "month"
    if m["day"] is None:
        return day_number(y0, m0, 1), day_number(y1, m1, month_length(y1, m1)), precision, None
    d0, d1 = _day_range(m["day"], y1, m1, text)
    if "X" not in m["day"]:
        precision = "day"
    elif m["day"] != "XX":
        precision = "days"
    last = month_length(y1, m1) if m["day"] == "XX" else d1
    return day_number(y0, m0, d0), day_number(y1, m1, last), precision, None


def _year_range(year: str, text: str) -> tuple[int, int, str]:
    negative = year.startswith("-")
    digits = year.lstrip("-")
    lo, hi = int(digits.replace("X", "0")), int(digits.replace("X", "9"))
    unknown = digits.count("X")
    if negative and hi == 0:
        raise _bad(text, "-0000 is not a year: year 0 is written 0000 (1 BCE)")
    if negative:
        lo, hi = -hi, -max(lo, 1)
        return lo, hi, "year" if unknown == 0 else "years"
    return lo, hi, ("year", "decade", "century", "millennium", "years")[unknown]


def _month_range(month: str, text: str) -> tuple[int, int]:
    ranges = {"XX": (1, 12), "0X": (1, 9), "1X": (10, 12)}
    if month in ranges:
        return ranges[month]
    if "X" in month or not 1 <= int(month) <= 12:
        raise _bad(text, f"{month} is not a month (01 to 12, or a season 21 to 24)")
    return int(month), int(month)


def _day_range(day: str, year: int, month: int, text: str) -> tuple[int, int]:
    last = month_length(year, month)
    if "X" in day:
        lo = 1 if day in ("XX", "0X") else int(day[0]) * 10
        hi = last if day == "XX" else min(int(day[0]) * 10 + 9, last)
    else:
        lo = hi = int(day)
    if not 1 <= lo <= hi <= last:
        raise _bad(text, f"day {day} does not exist in {year:04d}-{month:02d}, which has {last} days")
    return lo, hi


def _season(year: int, season: int, day: str | None, text: str) -> tuple[int, int, str, int]:
    if season > 24:
        raise _level2(text, f"season {season} (level 1 has only 21 to 24)")
    if day is not None:
        raise _bad(text, "a season (21 to 24) has no day")
    first, last = SEASON_MONTHS[season]
    end_year, end_month = (year + 1, last - 12) if last > 12 else (year, last)
    return (day_number(year, first, 1), day_number(end_year, end_month, month_length(end_year, end_month)),
            "season", season)


# ---- XSD -----------------------------------------------------------------------------------------

_XSD_YEAR = r"(?P<year>-?(?:[1-9][0-9]{4,}|[0-9]{4}))"
_XSD_TZ = r"(?P<tz>Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
_XSD_FORMS = {
    "date": re.compile(_XSD_YEAR + r"-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})" + _XSD_TZ),
    "gYearMonth": re.compile(_XSD_YEAR + r"-(?P<month>[0-9]{2})" + _XSD_TZ),
    "gYear": re.compile(_XSD_YEAR + _XSD_TZ),
    "dateTime": re.compile(_XSD_YEAR + r"-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})"
                           r"T(?P<time>(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?)" + _XSD_TZ),
}


@lru_cache(maxsize=1 << 16)
def parse_xsd(lexical: str, datatype: str) -> EDTF:
    """Parse an xsd:date, gYearMonth, gYear or dateTime literal as the same-digit EDTF date."""
    name = datatype[len(XSD):] if datatype.startswith(XSD) else datatype
    form = _XSD_FORMS.get(name)
    if form is None:
        raise EDTFError(f"{datatype} is not a date type; use edtf:EDTF, xsd:date, xsd:gYearMonth or xsd:gYear")
    m = form.fullmatch(lexical)
    if not m:
        raise EDTFError(f"{lexical!r} is not a valid xsd:{name} (expected for example "
                        f"{ {'date': '2024-02-21', 'gYearMonth': '2024-02', 'gYear': '2024'}.get(name, '2024-02-21T10:00:00Z')})")
    y = int(m["year"])
    if m["year"] == "-0000":
        raise EDTFError(f"{lexical!r}: -0000 is not a year; year 0 is written 0000 (1 BCE)")
    month = int(m["month"]) if "month" in form.groupindex else None
    if month is not None and not 1 <= month <= 12:
        raise EDTFError(f"{lexical!r} is not a valid xsd:{name}: {month:02d} is not a month (01 to 12)")
    if month is None:
        return EDTF(lexical, "date", day_number(y, 1, 1), day_number(y, 12, 31), "year")
    if "day" not in form.groupindex:
        return EDTF(lexical, "date", day_number(y, month, 1), day_number(y, month, month_length(y, month)), "month")
    day = int(m["day"])
    if not 1 <= day <= month_length(y, month):
        raise EDTFError(f"{lexical!r} is not a valid xsd:{name}: day {day:02d} does not exist in "
                        f"{m['year']}-{month:02d}, which has {month_length(y, month)} days")
    n = day_number(y, month, day)
    time = (m["time"] + (m["tz"] or "")) if "time" in form.groupindex else None
    return EDTF(lexical, "date", n, n, "day", time=time)
