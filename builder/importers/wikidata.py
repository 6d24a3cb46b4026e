"""Importing a Wikidata Query Service result: its JSON in, blocks of a `Draft` out.

Both JSON forms the Query Service gives are read: the W3C SPARQL results form
(`{"head": …, "results": {"bindings": […]}}`) and its plain download (a list of objects of
strings). Each item becomes `id:wd-q<number>` (so five items labelled "Battle of Ramadi" stay
five), `owl:sameAs` the Wikidata IRI, derived from the result as a data set published by
Wikidata (CC0).

A result carries no precision for its dates: a date of 1 January at midnight is how Wikidata
writes a year (and how the Query Service writes a day that really is 1 January), so it is
imported as the year alone, with a note in both languages, rather than as a day nobody gave.
Years are astronomical, as the Query Service writes them (`-0232` is 233 BCE).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from ..namespaces import DCTERMS, OWL, PROV, RDFS, SCHEMA, SEM, SKOS, WD
from .common import Draft, ImportFailure, digest, edtf, progress, script_lang, slugify, text

ITEM_VARS = ("item", "event", "entity", "subject", "s")
LABEL_VARS = ("itemLabel", "eventLabel", "entityLabel", "label", "name")
DATE_VARS = ("date", "pointInTime", "point_in_time", "time", "startTime", "start", "inception")
IMAGE_VARS = ("image", "img", "picture")
ARTICLE_VARS = ("article", "sitelink", "wikipedia", "url")
QUERY_SERVICE = "https://query.wikidata.org/"
LICENCE = "https://creativecommons.org/publicdomain/zero/1.0/"
_DATE = re.compile(r"^(?P<sign>[+-]?)(?P<year>\d{1,16})-(?P<month>\d\d)-(?P<day>\d\d)"
                   r"(?:T(?P<time>\d\d:\d\d:\d\d)(?:\.\d+)?(?P<zone>Z|[+-]\d\d:\d\d)?)?$")
YEAR_NOTE = {
    "en": "Wikidata gives this date as 1 January {year} without saying how precise it is. Wikidata writes "
          "a date known only to the year that way, so only the year is kept here.",
    "ar": "يذكر ويكي بيانات هذا التاريخ على أنه 1 يناير {year} من غير أن يبيّن دقته، وهكذا يكتب التاريخ "
          "المعروف بسنته فقط؛ لذا لا تُحفظ هنا إلا السنة.",
}


def read(path: Path) -> list[dict[str, dict[str, str]]]:
    """Read a Query Service result as rows of {variable: {"value", "lang"}}, in either JSON form."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ImportFailure(f"the file is not UTF-8: {exc.reason}") from None
    except json.JSONDecodeError as exc:
        raise ImportFailure(f"the file is not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    if isinstance(data, dict) and isinstance(data.get("results"), dict):
        rows = [{k: {"value": str(v.get("value", "")), "lang": v.get("xml:lang", "")}
                 for k, v in b.items() if isinstance(v, dict)} for b in data["results"].get("bindings", [])]
    elif isinstance(data, list) and all(isinstance(r, dict) for r in data):
        rows = [{k: {"value": str(v), "lang": ""} for k, v in r.items() if v is not None} for r in data]
    else:
        raise ImportFailure("this is not a Wikidata Query Service result: expected a SPARQL JSON result "
                            "({\"head\", \"results\"}) or a list of objects")
    if rows and _var(rows, ITEM_VARS, _is_item) is None:
        raise ImportFailure("no column holds Wikidata items (http://www.wikidata.org/entity/Q…): name it "
                            + " or ".join(ITEM_VARS))
    return rows


def _is_item(value: str) -> bool:
    return bool(re.fullmatch(re.escape(WD) + r"Q[0-9]+", value))


def _var(rows: list[dict], names: tuple[str, ...], test=lambda v: True) -> str | None:
    """The first of the usual variable names that the rows use (and whose values pass the test)."""
    present = {k for r in rows for k in r}
    for name in names:
        if name in present and any(test(r[name]["value"]) for r in rows if name in r):
            return name
    return None


def populate(rows: list[dict], draft: Draft, options) -> None:
    """Add each item not in the knowledge base yet (one per item, whatever the rows repeat)."""
    item_var = _var(rows, ITEM_VARS, _is_item)
    date_var = _var(rows, DATE_VARS, lambda v: bool(_DATE.match(v)))
    label_var, image_var = _var(rows, LABEL_VARS), _var(rows, IMAGE_VARS)
    article_var = _var(rows, ARTICLE_VARS, lambda v: v.startswith(("http://", "https://")))
    lang = getattr(options, "lang", None) or "en"
    items: dict[str, list[dict]] = {}
    for row in rows:
        if item_var in row and _is_item(row[item_var]["value"]):
            items.setdefault(row[item_var]["value"], []).append(row)
        else:
            shown = json.dumps({k: v["value"] for k, v in row.items()}, ensure_ascii=False)[:80]
            draft.stats.skipped.append(f"a row without a Wikidata item: {shown}")
    draft.stats.rows = len(rows)
    dataset = None
    for item, group in progress(list(items.items()), "wikidata"):
        qid = item[len(WD):]
        iri = draft.iri(f"wd-{qid.lower()}")
        if draft.exists(iri):
            draft.stats.present += 1
            continue
        dates = sorted({r[date_var]["value"] for r in group if date_var in r}, key=_in_time_order)
        if not dates:
            draft.stats.skipped.append(f"{qid}: no date")
            continue
        try:
            written, year_only = wikidata_date(dates[0])
        except ValueError as exc:
            draft.stats.skipped.append(f"{qid}: {exc}")
            continue
        if len(dates) > 1:
            draft.note(f"{qid}: the result gives {len(dates)} dates; the earliest ({dates[0]}) is kept")
        dataset = dataset or dataset_node(draft, options)
        block = draft.new(iri, [SEM + "Event"], "Events")
        labels = _labels(group, label_var, lang, qid)
        block.add(SKOS + "prefLabel", *labels)
        block.add(DCTERMS + "date", edtf(written))
        if year_only:
            block.add(RDFS + "comment", *(text(note.format(year=_year_words(written, lg)), lg)
                                          for lg, note in YEAR_NOTE.items()))
        block.add(OWL + "sameAs", item)
        block.add(RDFS + "seeAlso", *sorted({r[article_var]["value"] for r in group if article_var in r}))
        block.add(SCHEMA + "image", *sorted({r[image_var]["value"] for r in group
                                            if image_var in r and r[image_var]["value"].startswith("http")}))
        block.add(PROV + "wasDerivedFrom", dataset)
        draft.stats.new_events += 1


def _labels(group: list[dict], label_var: str | None, lang: str, qid: str):
    """One label per language (the Query Service's own tag where it gives one)."""
    by_lang = {}
    for row in group:
        if label_var in row and row[label_var]["value"] and row[label_var]["value"] != qid:
            value = row[label_var]["value"]
            by_lang.setdefault(row[label_var]["lang"] or script_lang(value, lang), value)
    return [text(v, lg) for lg, v in sorted(by_lang.items())] or [text(qid, "en")]


def _in_time_order(value: str) -> tuple:
    """A Query Service date's place in time (-0500 before -0100, as strings would not have it);
    what is not a date comes last."""
    m = _DATE.match(value.strip())
    if not m:
        return (1, 0, 0, 0, "", value)
    return (0, int(m["year"]) * (-1 if m["sign"] == "-" else 1), int(m["month"]), int(m["day"]), m["time"] or "", value)


def wikidata_date(value: str) -> tuple[str, bool]:
    """The EDTF of a Query Service date, and whether it was 1 January at midnight (kept as the year)."""
    m = _DATE.match(value.strip())
    if not m:
        raise ValueError(f"{value!r} is not a date")
    year = int(m["year"]) * (-1 if m["sign"] == "-" else 1)
    month, day = int(m["month"]), int(m["day"])
    if not (1 <= month <= 12 and 1 <= day <= _days_in(year, month)):
        raise ValueError(f"{value!r} is not a date: {year:04d}-{month:02d} has no day {day}"
                         if 1 <= month <= 12 and day >= 1 else f"{value!r} is not a date")
    y = f"Y{year}" if abs(year) > 9999 else f"{'-' if year < 0 else ''}{abs(year):04d}"
    midnight = m["time"] in (None, "00:00:00")
    if month == 1 and day == 1 and midnight:
        return y, True
    if abs(year) > 9999:
        return y, False  # EDTF writes long years alone
    return f"{y}-{month:02d}-{day:02d}", False


def _days_in(year: int, month: int) -> int:
    """Days in a month of the proleptic Gregorian calendar, years numbered astronomically (0 is 1 BCE)."""
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _year_words(edtf_year: str, lang: str) -> str:
    """A year as the note says it ("2004", "233 BCE")."""
    n = int(edtf_year.lstrip("Y"))
    if n > 0:
        return str(n)
    return f"{1 - n} BCE" if lang == "en" else f"{1 - n} ق.م"


def dataset_node(draft: Draft, options) -> str:
    """The result as a data set: published by Wikidata, CC0, named after its file."""
    name = Path(getattr(options, "file", "result.json")).name
    stem = slugify(Path(name).stem, 50)
    iri = draft.iri("src-wikidata-" + (stem.removeprefix("wikidata-") or digest(name)))
    wikidata = draft.actor("Wikidata", slug="wikidata", labels=[text("ويكي بيانات", "ar")], same_as=WD + "Q2013",
                           description="The free knowledge base of the Wikimedia Foundation.")
    if not draft.exists(iri):
        draft.new(iri, [PROV + "Entity", SCHEMA + "Dataset", SCHEMA + "CreativeWork"], "Data set") \
            .add(DCTERMS + "title", text(f"Wikidata Query Service result ({name})", "en")) \
            .add(SKOS + "prefLabel", text(f"Wikidata Query Service result ({name})", "en"),
                 text(f"نتيجة استعلام من ويكي بيانات ({name})", "ar")) \
            .add(DCTERMS + "publisher", wikidata) \
            .add(DCTERMS + "license", LICENCE) \
            .add(DCTERMS + "bibliographicCitation", text("Wikidata (CC0), via the Wikidata Query Service", "en")) \
            .add(SCHEMA + "url", QUERY_SERVICE)
    return iri
