"""Lexical forms of typed literals: a literal's text and datatype in, what is wrong with it out.

pyoxigraph (like rdflib) accepts ill-typed literals such as "3.5"^^xsd:integer and
"2024-02-30"^^xsd:date without a word, so the checker reads the lexical forms itself. Dates go
through builder/edtf.py (EDTF, and the XSD date types as the same-digit EDTF date).
"""
from __future__ import annotations

import re
from functools import cache

from .namespaces import EDTF_TYPE, XSD

_INTEGER = re.compile(r"[+-]?[0-9]+")
_RANGES = {  # the XSD integer types and their bounds (None: unbounded)
    "integer": (None, None), "nonNegativeInteger": (0, None), "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0), "negativeInteger": (None, -1),
    "long": (-2**63, 2**63 - 1), "int": (-2**31, 2**31 - 1), "short": (-2**15, 2**15 - 1), "byte": (-128, 127),
    "unsignedLong": (0, 2**64 - 1), "unsignedInt": (0, 2**32 - 1), "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 255),
}
_FORMS = {
    "decimal": (re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"), "a decimal number such as 33.31"),
    "double": (re.compile(r"[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|INF)|NaN"), "a number such as 1.5e3"),
    "float": (re.compile(r"[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|INF)|NaN"), "a number such as 1.5e3"),
    "boolean": (re.compile(r"true|false|1|0"), "true or false"),
    "dayTimeDuration": (re.compile(r"-?P(?=[0-9T])(?:[0-9]+D)?(?:T(?=[0-9])(?:[0-9]+H)?(?:[0-9]+M)?(?:[0-9]+(?:\.[0-9]+)?S)?)?"),
                        'a duration in days such as "P1D" or "-P2D" (not months or years: "P30D", not "P1M")'),
    "duration": (re.compile(r"-?P(?=[0-9T])(?:[0-9]+Y)?(?:[0-9]+M)?(?:[0-9]+D)?(?:T(?=[0-9])(?:[0-9]+H)?(?:[0-9]+M)?(?:[0-9]+(?:\.[0-9]+)?S)?)?"),
                 'a duration such as "P1D"'),
    "anyURI": (re.compile(r"[^\s<>\"{}|\\^`]*"), "an IRI without spaces"),
}
_XSD_DATES = {"date", "gYearMonth", "gYear", "dateTime"}


def problem_with(lexical: str, datatype: str) -> tuple[str, str] | None:
    """Return (code, message) when the lexical form is not valid for its datatype, else None."""
    if datatype == EDTF_TYPE:
        return _date_problem(lexical, None)
    if not datatype.startswith(XSD):
        return None
    name = datatype[len(XSD):]
    if name in _XSD_DATES:
        return _date_problem(lexical, datatype)
    if name in _RANGES:
        return _integer_problem(lexical, name)
    form = _FORMS.get(name)
    if form and not form[0].fullmatch(lexical):
        return "bad-literal", f"{lexical!r} is not a valid xsd:{name}: expected {form[1]}"
    return None


def _integer_problem(lexical: str, name: str) -> tuple[str, str] | None:
    """Check an integer's form and its type's range."""
    if not _INTEGER.fullmatch(lexical):
        return "bad-literal", f"{lexical!r} is not a valid xsd:{name}: expected a whole number such as 12"
    low, high = _RANGES[name]
    n = int(lexical)
    if (low is not None and n < low) or (high is not None and n > high):
        return "bad-literal", f"{lexical!r} is out of range for xsd:{name}"
    return None


def _date_problem(lexical: str, datatype: str | None) -> tuple[str, str] | None:
    """Parse a date with builder/edtf.py; skip the check while that module is missing."""
    try:
        from . import edtf
    except ImportError:  # written by another stage; until it exists there is nothing to parse with
        return None
    try:
        edtf.parse_edtf(lexical) if datatype is None else edtf.parse_xsd(lexical, datatype)
    except edtf.EDTFError as exc:
        return "bad-date", str(exc)
    return None


def offset_problem(lexical: str) -> str | None:
    """Return why an offset is not a whole number of days, or None."""
    m = re.fullmatch(r"-?P(?:([0-9]+)D)?(?:T(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9.]+)S)?)?", lexical)
    if not m or lexical in ("P", "-P") or lexical.endswith("T"):
        return f"{lexical!r} is not a duration; write whole days such as \"P1D\", \"-P2D\" or \"P0D\""
    if any(g and float(g) for g in m.groups()[1:]) and _seconds(m) % 86400:
        return (f"{lexical!r} is not a whole number of days; offsets are days, such as \"P2D\" "
                "(\"less than 48 hours before\" is tl:earliestOffset \"-P2D\", tl:latestOffset \"P0D\")")
    return None


def _seconds(m: re.Match) -> float:
    days, hours, minutes, seconds = (float(g or 0) for g in m.groups())
    return ((days * 24 + hours) * 60 + minutes) * 60 + seconds


_LANG = re.compile(r"(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|[0-9]{3}))?"
                   r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*(?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*(?:-x(?:-[a-z0-9]{1,8})+)?"
                   r"|x(?:-[a-z0-9]{1,8})+", re.I)


def language_tag_problem(tag: str) -> str | None:
    """Return why a language tag is not a well-formed BCP 47 tag for a language, or None."""
    if not _LANG.fullmatch(tag):
        return f"the language tag @{tag} is not well formed (BCP 47)"
    primary = tag.split("-")[0]
    if not 2 <= len(primary) <= 3:
        return f"the language tag @{tag} does not start with a two- or three-letter language code"
    return None


def language_code_for(written: str) -> str | None:
    """The BCP 47 code a person most likely meant by a dcterms:language that is not one: "ar_SY"
    is "ar-SY", "Arabic" and "english" (a language's English or Arabic name, as CLDR gives it
    through Babel) are "ar" and "en". None when nothing fits."""
    text = written.strip()
    dashed = text.replace("_", "-")
    if dashed and not language_tag_problem(dashed):
        return "-".join(p.lower() if i == 0 else p.title() if len(p) == 4 else p.upper() if len(p) == 2 else p
                        for i, p in enumerate(dashed.split("-")))
    return _language_names().get(" ".join(text.casefold().split()))


@cache
def _language_names() -> dict[str, str]:
    """A language's name, case-folded, in English and in Arabic -> its code (codes alone, not "ar_001")."""
    from babel import Locale
    out: dict[str, str] = {}
    for names in (Locale("ar").languages, Locale("en").languages):  # English names win a clash
        out.update((name.casefold(), code) for code, name in names.items() if "_" not in code)
    return out
