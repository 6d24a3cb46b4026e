"""Date display: every form issue 4 names, in English and Arabic, plus derivations and Hijri dates."""
from __future__ import annotations

import pytest

from builder.datefmt import datetime_attr, derivation, format_date, format_day, hijri
from builder.dates import DateInput, Relative, Resolved, Where, resolve
from builder.edtf import day_number, parse_edtf

WED = 2
HERE = Where("kb/t.ttl", 1, 1)
BASE = {
    "id:qaani": DateInput("id:qaani", ((parse_edtf("2024-01-29"), HERE),)),
    "id:mena": DateInput("id:mena", ((parse_edtf("2024-02"), HERE),)),
    "id:d22": DateInput("id:d22", ((parse_edtf("2024-02-22"), HERE),)),
}


def resolved(text: str | None = None, *relatives: Relative) -> Resolved:
    """Resolve one thing written `text` (EDTF) and/or dated relative to the BASE things."""
    written = ((parse_edtf(text), HERE),) if text else ()
    inputs = {**BASE, "id:x": DateInput("id:x", written, tuple(relatives))}
    res, problems = resolve(inputs)
    assert problems == []
    return res["id:x"]


def on(anchor: str, **kw) -> Relative:
    return Relative(anchor=anchor, where=HERE, **kw)


FORMS = [
    # (EDTF, relative dates, English, Arabic with Arabic-Indic digits)
    ("2023-12", (), "December 2023", "ديسمبر ٢٠٢٣"),
    ("2023-12~", (), "about December 2023", "نحو ديسمبر ٢٠٢٣"),
    ("2024-02-21?", (), "probably 21 February 2024", "على الأرجح ٢١ فبراير ٢٠٢٤"),
    ("2024-02-21%", (), "probably about 21 February 2024", "على الأرجح نحو ٢١ فبراير ٢٠٢٤"),
    ("2024-01-29", (), "29 January 2024", "٢٩ يناير ٢٠٢٤"),
    ("[2024-01-27..2024-01-29]", (), "one day between 27 and 29 January 2024", "يوم ما بين ٢٧ و٢٩ يناير ٢٠٢٤"),
    (None, (on("id:qaani", earliest_offset=-2, latest_offset=0),),
     "one day between 27 and 29 January 2024", "يوم ما بين ٢٧ و٢٩ يناير ٢٠٢٤"),
    ("2024-01-2X", (), "one day between 20 and 29 January 2024", "يوم ما بين ٢٠ و٢٩ يناير ٢٠٢٤"),
    ("[2023-12-30..2024-01-02]", (), "one day between 30 December 2023 and 2 January 2024",
     "يوم ما بين ٣٠ ديسمبر ٢٠٢٣ و٢ يناير ٢٠٢٤"),
    # a range written in years or months is said in them, never in days the file does not give
    ("[-0499..-0496]", (), "between 500 BCE and 497 BCE", "ما بين ٥٠٠ ق.م و٤٩٧ ق.م"),
    ("[2024-01..2024-03]", (), "between January and March 2024", "ما بين يناير ومارس ٢٠٢٤"),
    ("[1990..2010-05]", (), "between January 1990 and May 2010", "ما بين يناير ١٩٩٠ ومايو ٢٠١٠"),
    ("2024-01-27/2024-01-29", (), "27–29 January 2024", "٢٧–٢٩ يناير ٢٠٢٤"),
    ("2024-01-27/2024-02-02", (), "27 January – 2 February 2024", "٢٧ يناير – ٢ فبراير ٢٠٢٤"),
    ("2023-12-30/2024-01-02", (), "30 December 2023 – 2 January 2024", "٣٠ ديسمبر ٢٠٢٣ – ٢ يناير ٢٠٢٤"),
    ("2023-12/2024-02", (), "December 2023 – February 2024", "ديسمبر ٢٠٢٣ – فبراير ٢٠٢٤"),
    ("2004-06/2004-08", (), "June – August 2004", "يونيو – أغسطس ٢٠٠٤"),
    ("1964/2008", (), "1964–2008", "١٩٦٤–٢٠٠٨"),
    ("1984~/2004-06", (), "about 1984 – June 2004", "نحو ١٩٨٤ – يونيو ٢٠٠٤"),
    (None, (on("id:mena", weekday=WED),), "a Wednesday between 31 January and 28 February 2024",
     "يوم أربعاء ما بين ٣١ يناير و٢٨ فبراير ٢٠٢٤"),
    ("2024-02", (on("id:mena", weekday=WED),), "a Wednesday between 7 and 28 February 2024",
     "يوم أربعاء ما بين ٧ و٢٨ فبراير ٢٠٢٤"),
    (None, (on("id:d22", weekday=WED),), "Wednesday 21 February 2024", "الأربعاء ٢١ فبراير ٢٠٢٤"),
    (None, (on("id:qaani", offset=1),), "30 January 2024", "٣٠ يناير ٢٠٢٤"),
    ("2024-01", (on("id:qaani", offset=2),), "31 January 2024", "٣١ يناير ٢٠٢٤"),
    (None, (on("id:mena", offset=0),), "February 2024", "فبراير ٢٠٢٤"),
    ("2014", (), "2014", "٢٠١٤"),
    ("199X", (), "the 1990s", "ما بين ١٩٩٠ و١٩٩٩"),
    # a century of unknown digits is 100 years: "the 1900s" would read as 1900–1909
    ("19XX", (), "between 1900 and 1999", "ما بين ١٩٠٠ و١٩٩٩"),
    ("20XX", (), "between 2000 and 2099", "ما بين ٢٠٠٠ و٢٠٩٩"),
    ("20XX-XX", (), "between 2000 and 2099", "ما بين ٢٠٠٠ و٢٠٩٩"),
    ("2XXX", (), "between 2000 and 2999", "ما بين ٢٠٠٠ و٢٩٩٩"),
    ("201X", (), "the 2010s", "ما بين ٢٠١٠ و٢٠١٩"),
    ("000X", (), "between 1 BCE and 9 CE", "ما بين ١ ق.م و٩ م"),  # year 0 is 1 BCE: never "the 0s"
    ("001X", (), "between 10 and 19", "ما بين ١٠ و١٩"),  # "the 10s" would read as the 1910s or 2010s
    ("099X", (), "between 990 and 999", "ما بين ٩٩٠ و٩٩٩"),
    ("-023X", (), "between 240 BCE and 231 BCE", "ما بين ٢٤٠ ق.م و٢٣١ ق.م"),
    ("2024-XX", (), "2024", "٢٠٢٤"),
    ("2024-XX-XX", (), "2024", "٢٠٢٤"),
    ("2024-0X", (), "between January and September 2024", "ما بين يناير وسبتمبر ٢٠٢٤"),
    ("2024-01-XX", (), "January 2024", "يناير ٢٠٢٤"),
    # a span whose ends are the same day, month or year is that day, month or year
    ("2019-03-01/2019-03-01", (), "1 March 2019", "١ مارس ٢٠١٩"),
    ("2019-03/2019-03", (), "March 2019", "مارس ٢٠١٩"),
    ("2019/2019", (), "2019", "٢٠١٩"),
    ("2019-03-01~/2019-03-01~", (), "about 1 March 2019", "نحو ١ مارس ٢٠١٩"),
    ("1984-1X", (), "between October and December 1984", "ما بين أكتوبر وديسمبر ١٩٨٤"),
    ("-0232", (), "233 BCE", "٢٣٣ ق.م"),
    ("0000", (), "1 BCE", "١ ق.م"),
    ("-0330-03-15", (), "15 March 331 BCE", "١٥ مارس ٣٣١ ق.م"),
    ("-0232-01/-0232-03", (), "January 233 BCE – March 233 BCE", "يناير ٢٣٣ ق.م – مارس ٢٣٣ ق.م"),
    ("Y170000002", (), "170000002", "١٧٠٠٠٠٠٠٢"),
    ("2001-21", (), "spring 2001", "ربيع ٢٠٠١"),
    ("2014/..", (), "from 2014, still going", "منذ ٢٠١٤ ولا يزال مستمرًا"),
    ("2014/", (), "from 2014, end unknown", "منذ ٢٠١٤، ونهايته غير معروفة"),
    ("../2006", (), "until 2006", "حتى ٢٠٠٦"),
    ("/2006", (), "until 2006, start unknown", "حتى ٢٠٠٦، وبدايته غير معروفة"),
    (None, (on("id:qaani", earliest_offset=0),), "on or after 29 January 2024", "في ٢٩ يناير ٢٠٢٤ أو بعده"),
    (None, (on("id:mena", latest_offset=0),), "on or before 29 February 2024", "في ٢٩ فبراير ٢٠٢٤ أو قبله"),
    ("2024-01-29T10:00:00Z", (), "29 January 2024, 10:00:00 UTC", "٢٩ يناير ٢٠٢٤، الساعة ١٠:٠٠:٠٠ UTC"),
    ("2024-01-29T10:00:00+03:00", (), "29 January 2024, 10:00:00 UTC+03:00",
     "٢٩ يناير ٢٠٢٤، الساعة ١٠:٠٠:٠٠ UTC+٠٣:٠٠"),
]


@pytest.mark.parametrize("text,relatives,english,arabic", FORMS)
def test_every_form_in_english_and_arabic(text, relatives, english, arabic):
    r = resolved(text, *relatives)
    assert format_date(r, "en") == english
    assert format_date(r, "ar", "arab") == arabic


@pytest.mark.parametrize("text,relatives,english,arabic", FORMS)
def test_arabic_with_western_digits_has_no_arabic_indic_digits(text, relatives, english, arabic):
    shown = format_date(resolved(text, *relatives), "ar", "latn")
    assert shown == arabic.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))


def test_month_names_come_from_the_locale():
    r = resolved("2024-02-21")
    assert format_date(r, "ar-IQ", "latn") == "21 شباط 2024"
    assert format_date(r, "fa") == "۲۱ فوریهٔ ۲۰۲۴"
    assert format_date(resolved("2023-12~"), "fa") == "حدود دسامبر ۲۰۲۳"
    assert format_date(r, "de") == "21. Februar 2024"
    assert format_date(r, "xx-unknown") == "21 February 2024"


def test_no_year_zero_is_shown():
    assert format_day(day_number(0, 6, 1), "en") == "1 June 1 BCE"
    assert format_day(day_number(1, 6, 1), "en") == "1 June 1"
    assert format_day(day_number(-1, 6, 1), "ar", "latn") == "1 يونيو 2 ق.م"


def test_format_day():
    assert format_day(day_number(2024, 2, 21), "en") == "21 February 2024"
    assert format_day(day_number(2024, 2, 21), "ar", "arab") == "٢١ فبراير ٢٠٢٤"
    assert format_day(day_number(12345, 1, 2), "en") == "2 January 12345"


@pytest.mark.parametrize("text,relatives,value", [
    ("2024-02", (), "2024-02"), ("2024-02-21", (), "2024-02-21"), ("2014", (), "2014"),
    ("0033", (), "0033"), ("Y12345", (), "12345"),
    ("2024-02-21?", (), "2024-02-21"), ("2024-01-29T10:00:00Z", (), "2024-01-29T10:00:00Z"),
    (None, (on("id:mena", offset=0),), "2024-02"),
    ("-0232", (), None), ("0000", (), None), ("[2024-01-27..2024-01-29]", (), None), ("199X", (), None),
    ("2024-01-27/2024-01-29", (), None), ("2019-03-01/2019-03-01", (), "2019-03-01"), ("2014/..", (), None), ("2001-21", (), None),
    (None, (on("id:mena", weekday=WED),), None), (None, (on("id:qaani", earliest_offset=0),), None),
])
def test_datetime_attr(text, relatives, value):
    assert datetime_attr(resolved(text, *relatives)) == value


# ---- derivations -------------------------------------------------------------------------------------

DERIVATIONS = [
    (dict(offset=0), "the same day as {anchor}", "في يوم {anchor} نفسه"),
    (dict(offset=1), "the day after {anchor}", "في اليوم التالي لـ{anchor}"),
    (dict(offset=-1), "the day before {anchor}", "في اليوم السابق لـ{anchor}"),
    (dict(offset=-2), "two days before {anchor}", "قبل {anchor} بيومين"),
    (dict(offset=7), "seven days after {anchor}", "بعد {anchor} بـ٧ أيام"),
    (dict(offset=15), "15 days after {anchor}", "بعد {anchor} بـ١٥ يومًا"),
    (dict(earliest_offset=-2, latest_offset=0), "between two days before and the day of {anchor}",
     "في الفترة من قبل {anchor} بيومين إلى يومه"),
    (dict(earliest_offset=1, latest_offset=3), "between the day after and three days after {anchor}",
     "في الفترة من بعد {anchor} بيوم إلى بعده بـ٣ أيام"),
    (dict(earliest_offset=2, latest_offset=2), "two days after {anchor}", "بعد {anchor} بيومين"),
    (dict(earliest_offset=0), "on or after {anchor}", "في يوم {anchor} أو بعده"),
    (dict(earliest_offset=1), "the day after {anchor} or later", "في اليوم التالي لـ{anchor} أو بعد ذلك"),
    (dict(latest_offset=0), "on or before {anchor}", "في يوم {anchor} أو قبله"),
    (dict(latest_offset=-3), "three days before {anchor} or earlier", "قبل {anchor} بـ٣ أيام أو قبل ذلك"),
    (dict(weekday=WED), "the last Wednesday on or before {anchor}", "آخر أربعاء في يوم {anchor} أو قبله"),
    (dict(weekday=4), "the last Friday on or before {anchor}", "آخر جمعة في يوم {anchor} أو قبله"),
]


@pytest.mark.parametrize("kw,english,arabic", DERIVATIONS)
def test_derivation_in_english_and_arabic(kw, english, arabic):
    rel = on("id:qaani", **kw)
    assert derivation(rel, "en") == english
    assert derivation(rel, "ar", "arab") == arabic
    assert derivation(rel, "fa").count("{anchor}") == 1


def test_derivation_placeholder_formats_with_a_link():
    text = derivation(on("id:qaani", offset=1), "en").format(anchor="<a>Qaani meets the factions</a>")
    assert text == "the day after <a>Qaani meets the factions</a>"
    assert derivation(on("id:q", offset=1), "fa") == "یک روز پس از {anchor}"


# ---- Hijri -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,relatives,english,arabic", [
    ("2024-01-29", (), "17 Rajab 1445 AH", "١٧ رجب ١٤٤٥ هـ"),
    ("2024-02", (), "Rajab – Sha'ban 1445 AH", "رجب – شعبان ١٤٤٥ هـ"),
    ("2024-02-10", (), "29 Rajab 1445 AH", "٢٩ رجب ١٤٤٥ هـ"),
    ("[2024-01-27..2024-01-29]", (), "Rajab 1445 AH", "رجب ١٤٤٥ هـ"),
    (None, (on("id:mena", weekday=WED),), "Rajab – Sha'ban 1445 AH", "رجب – شعبان ١٤٤٥ هـ"),
    ("2023-07", (), "Dhu al-Hijjah 1444 – Muharram 1445 AH", "ذو الحجة ١٤٤٤ – محرم ١٤٤٥ هـ"),
    ("2023-12/2024-02", (), "Jumada al-Ula – Sha'ban 1445 AH", "جمادى الأولى – شعبان ١٤٤٥ هـ"),
])
def test_hijri_at_the_same_precision(text, relatives, english, arabic):
    r = resolved(text, *relatives)
    assert hijri(r, "en") == english
    assert hijri(r, "ar", "arab") == arabic


@pytest.mark.parametrize("text", ["-0232", "1900", "2200-01-01", "2014/.."])
def test_hijri_is_none_outside_the_umm_al_qura_range_or_when_open(text):
    assert hijri(resolved(text), "ar") is None
