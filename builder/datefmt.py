"""Showing dates: a resolved date in, text in the page's language out, never more precise than it is.

Input: `builder.dates.Resolved` (and `Relative` for derivations), a language code Babel knows
("en", "ar", "ar-IQ", "fa"), and optionally a numbering system for digits ("arab", "latn").
Output: plain strings ("about December 2023", "يوم ما بين ٢٧ و٢٩ يناير ٢٠٢٤").

Month, weekday and era names, date patterns and default digits come from Babel's CLDR data
(English uses the British order: "21 February 2024"). The connecting words ("probably", "one day
between") are written here for English, Arabic and Persian; other languages use the English
words around their own names. Years are astronomical inside, and shown without a year zero:
-0232 is "233 BCE".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from babel import Locale, UnknownLocaleError
from hijridate import Gregorian

from .dates import Relative, Resolved
from .edtf import ymd

# Zero digit of each numbering system; the other nine follow it in Unicode.
_ZEROS = {"latn": "0", "arab": "\u0660", "arabext": "\u06f0", "deva": "\u0966", "beng": "\u09e6",
          "guru": "\u0a66", "gujr": "\u0ae6", "orya": "\u0b66", "tamldec": "\u0be6", "telu": "\u0c66",
          "knda": "\u0ce6", "mlym": "\u0d66", "thai": "\u0e50", "laoo": "\u0ed0", "tibt": "\u0f20",
          "mymr": "\u1040", "khmr": "\u17e0", "fullwide": "\uff10"}

_WORDS = {
    "en": {
        "probably": "probably {}", "about": "about {}", "both": "probably about {}",
        "one_day": "one day between {} and {}", "weekday_between": "a {} between {} and {}",
        "between": "between {} and {}", "on_or_after": "on or after {}", "on_or_before": "on or before {}",
        "from_open": "from {}, still going", "from_unknown": "from {}, end unknown",
        "until_open": "until {}", "until_unknown": "until {}, start unknown",
        # "the 2000s" would read as 2000–2009: a century of unknown digits (20XX) is said
        # "between 2000 and 2099", as millennia are and as Arabic says both
        "decade": "the {}s", "century": None, "bce": "{} BCE", "ce": "{} CE", "time": "{}, {}",
        "weekday_day": "{} {}", "season": "{} {}", "dash": "–", "spaced_dash": " – ",
        "seasons": ("spring", "summer", "autumn", "winter"), "ah": "AH",
    },
    "ar": {
        "probably": "على الأرجح {}", "about": "نحو {}", "both": "على الأرجح نحو {}",
        "one_day": "يوم ما بين {} و{}", "weekday_between": "يوم {} ما بين {} و{}",
        "between": "ما بين {} و{}", "on_or_after": "في {} أو بعده", "on_or_before": "في {} أو قبله",
        "from_open": "منذ {} ولا يزال مستمرًا", "from_unknown": "منذ {}، ونهايته غير معروفة",
        "until_open": "حتى {}", "until_unknown": "حتى {}، وبدايته غير معروفة",
        "decade": None, "century": None, "bce": "{} ق.م", "ce": "{} م", "time": "{}، الساعة {}",
        "weekday_day": "{} {}", "season": "{} {}", "dash": "–", "spaced_dash": " – ",
        "seasons": ("ربيع", "صيف", "خريف", "شتاء"), "ah": "هـ",
    },
    "fa": {
        "probably": "احتمالاً {}", "about": "حدود {}", "both": "احتمالاً حدود {}",
        "one_day": "روزی بین {} و {}", "weekday_between": "یک {} بین {} و {}",
        "between": "بین {} و {}", "on_or_after": "{} یا پس از آن", "on_or_before": "{} یا پیش از آن",
        "from_open": "از {} تاکنون", "from_unknown": "از {}، پایان نامعلوم",
        "until_open": "تا {}", "until_unknown": "تا {}، آغاز نامعلوم",
        "decade": "دههٔ {}", "century": None, "bce": None, "ce": None, "time": "{}، ساعت {}",
        "weekday_day": "{} {}", "season": "{} {}", "dash": "–", "spaced_dash": " – ",
        "seasons": ("بهار", "تابستان", "پاییز", "زمستان"), "ah": "ه‍.ق.",
    },
}


@dataclass(frozen=True)
class _Lang:
    """What formatting in one language needs: Babel's locale, our words, the digits."""

    code: str  # the locale's language ("ar" for "ar-IQ")
    tag: str  # the locale as Babel names it ("ar_IQ"), for its patterns
    locale: Locale
    words: dict
    zero: str

    def num(self, n: int) -> str:
        return self.digits(str(n))

    def digits(self, text: str) -> str:
        if self.zero == "0":
            return text
        return text.translate(_digit_table(self.zero))


@cache
def _digit_table(zero: str) -> dict[int, str]:
    return {ord("0") + i: chr(ord(zero) + i) for i in range(10)}


@cache
def _lang(lang: str, digits: str | None = None) -> _Lang:
    """The formatting context of a language code, falling back to its base language, then English."""
    locale = None
    for code in (lang.replace("-", "_"), lang.split("-")[0].split("_")[0], "en"):
        try:
            locale = Locale.parse(code)
            break
        except (UnknownLocaleError, ValueError):
            continue
    words = _WORDS.get(locale.language, _WORDS["en"])
    system = digits or locale.default_numbering_system or "latn"
    return _Lang(locale.language, str(locale), locale, words, _ZEROS.get(system, "0"))


# ---- calendar pieces, through CLDR patterns ------------------------------------------------------

@cache
def _pattern(code: str, kind: str) -> str:
    """A CLDR pattern: "day" (d MMMM y), "day_month" (d MMMM), "month_year" (MMMM y)."""
    loc = Locale.parse("en_GB" if code == "en" else code)  # English: "21 February 2024"
    if kind == "day":
        return loc.date_formats["long"].pattern
    found = loc.datetime_skeletons.get({"day_month": "MMMMd", "month_year": "yMMMM"}[kind])
    return getattr(found, "pattern", found) or {"day_month": "d MMMM", "month_year": "MMMM y"}[kind]


_TOKEN = re.compile(r"'[^']*'|([A-Za-z])\1*|.")


@cache
def _tokens(pattern: str) -> tuple[str, ...]:
    return tuple(tok[0] for tok in _TOKEN.finditer(pattern))


def _render(pattern: str, L: _Lang, y: int | None, m: int | None, d: str | None) -> str:
    """Fill a CLDR pattern's year, month and day fields (d may be a ready text such as "27–29")."""
    out = []
    for t in _tokens(pattern):
        if t.startswith("'"):
            out.append(t[1:-1] or "'")
        elif t[0] == "y":
            out.append(L.num(y if y > 0 else 1 - y) if y is not None else "")
        elif t[0] in "ML":
            context = "stand-alone" if t[0] == "L" else "format"
            width = {1: None, 2: None, 3: "abbreviated"}.get(len(t), "wide")
            out.append(L.locale.months[context][width][m] if width else L.num(m))
        elif t[0] == "d":
            out.append(d if d is not None else "")
        elif t[0] in "GEc":
            continue
        else:
            out.append(t)
    return re.sub(r"\s+", " ", "".join(out)).strip(" ,،")


def _bce(text: str, y: int, L: _Lang) -> str:
    if y > 0:
        return text
    form = L.words["bce"] or "{} " + L.locale.eras["abbreviated"][0]
    return form.format(text)


def _ce(text: str, lo: int | None, hi: int | None, L: _Lang) -> str:
    """Mark the later end of what runs from BCE into CE ("1000 BCE – 999 CE"): without it, the
    end reads as BCE too. Anything else is left as it is."""
    if lo is None or hi is None or not ymd(lo)[0] < 1 <= ymd(hi)[0]:
        return text
    form = L.words.get("ce") or "{} " + L.locale.eras["abbreviated"][1]
    return form.format(text)


def _day(n: int, L: _Lang) -> str:
    y, m, d = ymd(n)
    return _bce(_render(_pattern(L.tag, "day"), L, y, m, L.num(d)), y, L)


def _day_month(n: int, L: _Lang) -> str:
    _, m, d = ymd(n)
    return _render(_pattern(L.tag, "day_month"), L, None, m, L.num(d))


def _month_year(y: int, m: int, L: _Lang) -> str:
    return _bce(_render(_pattern(L.tag, "month_year"), L, y, m, None), y, L)


def _month(m: int, L: _Lang) -> str:
    return L.locale.months["format"]["wide"][m]


def _year(y: int, L: _Lang) -> str:
    return _bce(L.num(y if y > 0 else 1 - y), y, L)


def _weekday(wd: int, L: _Lang, indefinite: bool = False) -> str:
    name = L.locale.days["format"]["wide"][wd]
    if indefinite and L.code == "ar" and name.startswith("ال"):
        return name[2:]  # "يوم أربعاء": a Wednesday
    return name


# ---- public ----------------------------------------------------------------------------------------

def localise_digits(text: str, lang: str, digits: str | None = None) -> str:
    """Write a text's Western digits in the numbering system given, else the language's own."""
    return _lang(lang, digits).digits(text)


def format_day(n: int, lang: str, digits: str | None = None) -> str:
    """Write one day ("21 February 2024", "٢١ فبراير ٢٠٢٤")."""
    return _day(n, _lang(lang, digits))


_FORMATTED: dict = {}  # (id(resolved), lang, digits) -> (resolved, text): a date is shown on many pages


def format_date(r: Resolved, lang: str, digits: str | None = None) -> str:
    """Write a resolved date at the precision it has, with its qualifiers and time of day."""
    key = (id(r), lang, digits)
    found = _FORMATTED.get(key)
    if found is not None and found[0] is r:
        return found[1]
    if len(_FORMATTED) > 400_000:
        _FORMATTED.clear()
    text = _format_date(r, lang, digits)
    _FORMATTED[key] = (r, text)
    return text


def _format_date(r: Resolved, lang: str, digits: str | None = None) -> str:
    L = _lang(lang, digits)
    if r.kind == "span":
        return _span_text(r, L)
    text = _bounded(r.earliest, r.latest, r.precision, L, r.weekday)
    if r.time and r.precision == "day":
        text = L.words["time"].format(text, _time(r.time, L))
    return _qualify(text, r.uncertain, r.approximate, L)


def _time(time: str, L: _Lang) -> str:
    shown = time[:-1] + " UTC" if time.endswith("Z") else re.sub(r"([+-]\d\d(:\d\d)?)$", r" UTC\1", time)
    return L.digits(shown)


def _qualify(text: str, uncertain: bool, approximate: bool, L: _Lang) -> str:
    key = "both" if uncertain and approximate else "probably" if uncertain else "about" if approximate else None
    return L.words[key].format(text) if key else text


def _bounded(lo: int | None, hi: int | None, precision: str, L: _Lang, weekday: int | None = None) -> str:
    """Write the bare text of a point date's bounds at a precision."""
    w = L.words
    if lo is None or hi is None:
        return w["on_or_after"].format(_day(lo, L)) if hi is None else w["on_or_before"].format(_day(hi, L))
    (y0, m0, _), (y1, m1, _) = ymd(lo), ymd(hi)
    if precision == "day" or lo == hi:
        text = _day(lo, L)
        return w["weekday_day"].format(_weekday(weekday, L), text) if weekday is not None else text
    if precision == "month":
        return _month_year(y0, m0, L)
    if precision == "season":
        return w["season"].format(w["seasons"][(m0 // 3 - 1) % 4], _year(y0, L))
    if precision == "year":
        return _year(y0, L)
    # "the 10s" would read as the 1910s or the 2010s: a decade before 1000 is said "between 10 and 19"
    if precision in ("decade", "century") and y0 >= 1000 and w[precision]:
        return w[precision].format(L.num(y0))
    if precision in ("decade", "century", "millennium", "years"):
        return w["between"].format(_year(y0, L), _ce(_year(y1, L), lo, hi, L))
    if precision == "months":
        first = _month(m0, L) if y0 == y1 else _month_year(y0, m0, L)
        return w["between"].format(first, _ce(_month_year(y1, m1, L), lo, hi, L))
    a, b = _pair(lo, hi, L)
    b = _ce(b, lo, hi, L)
    if weekday is not None:
        return w["weekday_between"].format(_weekday(weekday, L, indefinite=True), a, b)
    return w["one_day"].format(a, b)


def _pair(lo: int, hi: int, L: _Lang) -> tuple[str, str]:
    """Two days as a range says them: "27" and "29 January 2024", or both in full."""
    (y0, m0, d0), (y1, m1, _) = ymd(lo), ymd(hi)
    if (y0, m0) == (y1, m1):
        return L.num(d0), _day(hi, L)
    if y0 == y1 and y0 > 0:
        return _day_month(lo, L), _day(hi, L)
    return _day(lo, L), _day(hi, L)


def _span_text(r: Resolved, L: _Lang) -> str:
    """Write a span: "27–29 January 2024", "from 2014, still going"."""
    w, e = L.words, r.written
    start = _end_text(e.start if e else None, r.start_bounds, L)
    end = _end_text(e.end if e else None, r.end_bounds, L)
    if start and end:
        # both ends the same day, month or year ("2019-03-01/2019-03-01"): that day, not "1–1 March"
        return start if start == end else _join(start, _ce(end, r.start_bounds[0], r.end_bounds[1], L), r, L)
    if start:
        return w["from_open" if r.open_end else "from_unknown"].format(start)
    return w["until_open" if r.open_start else "until_unknown"].format(end or "")


def _end_text(written, bounds, L: _Lang) -> str | None:
    """One end of a span, at its written precision unless other statements narrowed it."""
    if bounds is None or bounds == (None, None):
        return None
    if written is not None and (written.earliest, written.latest) == bounds:
        text = _bounded(*bounds, written.precision, L)
        return _qualify(text, written.uncertain, written.approximate, L)
    return _bounded(*bounds, "range", L)


def _join(start: str, end: str, r: Resolved, L: _Lang) -> str:
    """Join two ends, sharing the month and year when both ends are plain days, months or years."""
    w, e = L.words, r.written
    shared = _shared_unit(r)
    if shared is None:
        return start + w["spaced_dash"] + end
    (y0, m0, d0), (y1, m1, d1) = ymd(e.start.earliest), ymd(e.end.latest)
    if shared == "day" and (y0, m0) == (y1, m1):
        return _render(_pattern(L.tag, "day"), L, y0, m0, f"{L.num(d0)}{w['dash']}{L.num(d1)}")
    if shared == "day" and y0 == y1:
        return _day_month(e.start.earliest, L) + w["spaced_dash"] + end
    if shared == "month" and y0 == y1:
        return _month(m0, L) + w["spaced_dash"] + end
    if shared == "year":
        return start + w["dash"] + end
    return start + w["spaced_dash"] + end


def _shared_unit(r: Resolved) -> str | None:
    """The precision both ends of a span share, when both are shown as written, unqualified, CE."""
    e = r.written
    if e is None or e.start is None or e.end is None or e.uncertain or e.approximate:
        return None
    if (e.start.earliest, e.start.latest) != r.start_bounds or (e.end.earliest, e.end.latest) != r.end_bounds:
        return None
    if e.start.precision != e.end.precision or ymd(e.start.earliest)[0] < 1:
        return None
    return e.start.precision


def time_ok(time: str | None) -> bool:
    """A time of day that ISO 8601 consumers read (no leap second nor 24:00, which most refuse)."""
    return bool(time) and ":60" not in time and not time.startswith("24")


def datetime_attr(r: Resolved) -> str | None:
    """Return the HTML <time datetime> value of a date, or None where HTML cannot say it."""
    if r.earliest is None or r.latest is None or (r.kind == "span" and r.earliest != r.latest):
        return None  # a span of one day is that day
    y, m, d = ymd(r.earliest)
    if y < 1:
        return None
    if r.precision == "day":
        time = f"T{r.time}" if time_ok(r.time) else ""
        return f"{y:04d}-{m:02d}-{d:02d}{time}"
    if r.precision == "month":
        return f"{y:04d}-{m:02d}"
    if r.precision == "year":
        return f"{y:04d}"
    return None


# ---- derivations -----------------------------------------------------------------------------------

_EN_NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def derivation(rel: Relative, lang: str, digits: str | None = None) -> str:
    """Say how a relative date was derived, with an "{anchor}" placeholder for the anchor's link."""
    L = _lang(lang, digits)
    say = {"ar": _Arabic, "fa": _Persian}.get(L.code, _English)(L)
    if rel.weekday is not None:
        return say.weekday(_weekday(rel.weekday, L, indefinite=True))
    if rel.offset is not None:
        return say.exact(rel.offset)
    lo, hi = rel.earliest_offset, rel.latest_offset
    if lo is not None and hi is not None:
        return say.exact(lo) if lo == hi else say.between(lo, hi)
    return say.after(lo) if lo is not None else say.before(hi)


@dataclass(frozen=True)
class _English:
    L: _Lang

    def days(self, n: int) -> str:
        n = abs(n)
        count = _EN_NUMBERS[n] if n < len(_EN_NUMBERS) else self.L.num(n)
        return f"{count} day{'s' if n != 1 else ''}"

    def relative(self, n: int) -> str:
        if n == 0:
            return "the day of"
        if abs(n) == 1:
            return "the day after" if n > 0 else "the day before"
        return f"{self.days(n)} {'after' if n > 0 else 'before'}"

    def exact(self, n: int) -> str:
        return "the same day as {anchor}" if n == 0 else self.relative(n) + " {anchor}"

    def between(self, lo: int, hi: int) -> str:
        return f"between {self.relative(lo)} and {self.relative(hi)} {{anchor}}"

    def after(self, lo: int) -> str:
        return "on or after {anchor}" if lo == 0 else self.exact(lo) + " or later"

    def before(self, hi: int) -> str:
        return "on or before {anchor}" if hi == 0 else self.exact(hi) + " or earlier"

    def weekday(self, name: str) -> str:
        return f"the last {name} on or before {{anchor}}"


@dataclass(frozen=True)
class _Arabic:
    L: _Lang

    def by(self, n: int) -> str:
        """The measure after قبل/بعد: بيوم، بيومين، بـ٣ أيام، بـ١٥ يومًا."""
        n = abs(n)
        if n <= 2:
            return ("بيوم", "بيومين")[n - 1]
        noun = "أيام" if 3 <= n % 100 <= 10 else "يومًا" if n % 100 > 10 else "يوم"
        return f"بـ{self.L.num(n)} {noun}"

    def exact(self, n: int) -> str:
        if n == 0:
            return "في يوم {anchor} نفسه"
        if abs(n) == 1:
            return "في اليوم التالي لـ{anchor}" if n > 0 else "في اليوم السابق لـ{anchor}"
        return f"{'بعد' if n > 0 else 'قبل'} {{anchor}} {self.by(n)}"

    def between(self, lo: int, hi: int) -> str:
        first = "يوم {anchor}" if lo == 0 else f"{'بعد' if lo > 0 else 'قبل'} {{anchor}} {self.by(lo)}"
        second = "يومه" if hi == 0 else f"{'بعده' if hi > 0 else 'قبله'} {self.by(hi)}"
        return f"في الفترة من {first} إلى {second}"

    def after(self, lo: int) -> str:
        return "في يوم {anchor} أو بعده" if lo == 0 else self.exact(lo) + " أو بعد ذلك"

    def before(self, hi: int) -> str:
        return "في يوم {anchor} أو قبله" if hi == 0 else self.exact(hi) + " أو قبل ذلك"

    def weekday(self, name: str) -> str:
        return f"آخر {name} في يوم {{anchor}} أو قبله"


@dataclass(frozen=True)
class _Persian:
    L: _Lang

    def days(self, n: int) -> str:
        return f"{'یک' if abs(n) == 1 else self.L.num(abs(n))} روز {'پس' if n > 0 else 'پیش'} از"

    def exact(self, n: int) -> str:
        return "همان روزِ {anchor}" if n == 0 else self.days(n) + " {anchor}"

    def between(self, lo: int, hi: int) -> str:
        second = "همان روز" if hi == 0 else self.days(hi) + " آن"
        first = "روزِ {anchor}" if lo == 0 else self.exact(lo)
        return f"بین {first} و {second}"

    def after(self, lo: int) -> str:
        return ("روزِ {anchor}" if lo == 0 else self.exact(lo)) + " یا پس از آن"

    def before(self, hi: int) -> str:
        return ("روزِ {anchor}" if hi == 0 else self.exact(hi)) + " یا پیش از آن"

    def weekday(self, name: str) -> str:
        return f"آخرین {name} تا روزِ {{anchor}}"


# ---- Hijri -----------------------------------------------------------------------------------------

def hijri(r: Resolved, lang: str, digits: str | None = None) -> str | None:
    """Write the Umm al-Qura date at the same precision: a day, or the Hijri months spanned."""
    lo, hi = (r.start_bounds[0], r.end_bounds[1]) if r.kind == "span" else (r.earliest, r.latest)
    if lo is None or hi is None:
        return None
    try:
        h0, h1 = (Gregorian(*ymd(n)).to_hijri() for n in (lo, hi))
    except (OverflowError, ValueError):
        return None
    L = _lang(lang, digits)
    names = "ar" if L.code in ("ar", "fa", "ur", "ps", "ckb", "ku", "sd", "ug") else "en"
    ah = L.words["ah"] if L.code in _WORDS else "AH"
    if lo == hi:
        return f"{L.num(h0.day)} {h0.month_name(names)} {L.num(h0.year)} {ah}"
    if (h0.year, h0.month) == (h1.year, h1.month):
        return f"{h0.month_name(names)} {L.num(h0.year)} {ah}"
    first = h0.month_name(names) if h0.year == h1.year else f"{h0.month_name(names)} {L.num(h0.year)}"
    return f"{first} – {h1.month_name(names)} {L.num(h1.year)} {ah}"
