"""The pages of the saved queries: `/queries/` (each query, and the in-browser SPARQL console) and
`/queries/<name>/` (description, SPARQL, results as a table of links), in every language.

Input: the model, the site's configuration, the built store and the saved queries. Output: `Page`s.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .. import datefmt
from ..config import SiteConfig
from ..engine import Lit
from ..i18n import translations_for
from ..model import Model
from ..namespaces import XSD, all_prefixes
from ..saved import Results, SavedQuery, run_saved
from . import site as _site  # (a module, not names: views/site.py may import this module back)
from .common import Ref, Text, format_number, lang_prefix, literal_text, ref

NUMBERS = {XSD + t for t in ("integer", "decimal", "int", "long", "short", "double", "float",
                             "nonNegativeInteger", "positiveInteger")}

MAX_ROWS = 1000  # rows shown on a page; the downloads carry them all


@dataclass(frozen=True)
class QueryView:
    """One saved query as its page (and the index) shows it."""

    name: str
    href: str
    title: Text
    description: Text | None
    text: str
    kind: str
    variables: tuple[str, ...]
    rows: tuple[tuple[Ref | Text, ...], ...]
    boolean: bool | None
    count: int
    shown: int
    count_text: str  # the counts in the page's digits
    shown_text: str
    downloads: tuple[tuple[str, str], ...]  # (file name, site path)


def _in_lang(texts: dict[str, str], lang: str, languages: tuple[str, ...]) -> Text | None:
    for candidate in (lang, *languages, *sorted(texts)):
        if candidate in texts:
            return Text(texts[candidate], "" if candidate == lang else candidate)
    return None


def cell(model: Model, value: str | Lit | None, lang: str, digits: str | None) -> Ref | Text:
    """One result value: a reference (linked when it has a page) or text. A number is written as
    the query gave it, in the page's digits but without grouping: a result column is as likely to
    hold years (YEAR(?date): 2010, not 2,010) as counts."""
    if value is None:
        return Text("")
    if isinstance(value, Lit):
        if value.datatype in NUMBERS:
            return Text(datefmt.localise_digits(value.value, lang, digits), "")
        return literal_text(value, lang, digits)
    if value.startswith("_:"):
        return Text(value)
    return ref(model, value, lang)


def query_view(model: Model, q: SavedQuery, results: Results, lang: str, digits: str | None) -> QueryView:
    """A saved query and its results, for one language."""
    base = f"{lang_prefix(model, lang)}queries/{q.name}/"
    files = ("results.ttl", "results.nt") if results.kind == "graph" else ("results.csv", "results.json")
    rows = tuple(tuple(cell(model, v, lang, digits) for v in row) for row in results.rows[:MAX_ROWS])
    return QueryView(q.name, base, _in_lang(q.title, lang, model.languages) or Text(q.name),
                     _in_lang(q.description, lang, model.languages), q.body, results.kind, results.variables,
                     rows, results.boolean, len(results.rows), len(rows),
                     format_number(len(results.rows), lang, digits), format_number(len(rows), lang, digits),
                     tuple((f, f"queries/{q.name}/{f}") for f in files))


def query_pages(model: Model, config: SiteConfig, store: ox.Store, queries: list[SavedQuery]) -> list[_site.Page]:
    """`/queries/` (with the console, even when there are no saved queries) and `/queries/<name>/`,
    in every language."""
    results = {q.name: run_saved(store, q, config.id_ns) for q in queries}
    out = []
    for lang in config.languages:
        digits = config.digits.get(lang)
        gettext = translations_for(lang).gettext
        views = [query_view(model, q, results[q.name], lang, digits) for q in queries]
        base = "queries/index.html"
        out.append(_site.Page(lang_prefix(model, lang) + base, "queries.html",
                        {**_site.base_context(model, config, lang, base, gettext("Queries")), "queries": views,
                         "console": console_context(model, config, views)}, lang, base))
        for view in views:
            base = f"queries/{view.name}/index.html"
            out.append(_site.Page(lang_prefix(model, lang) + base, "query.html",
                            {**_site.base_context(model, config, lang, base, view.title.text), "query": view},
                            lang, base))
    return out


def console_context(model: Model, config: SiteConfig, views: list[QueryView]) -> dict:
    """What the in-browser console needs: the examples, the prefixes and the id: namespace."""
    return {
        "examples": [{"name": v.name, "title": v.title.text, "query": v.text} for v in views],
        "prefixes": all_prefixes(config.id_ns),
        "id_ns": config.id_ns,
    }
