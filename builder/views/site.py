"""Every page of the site, in every language: paths, templates and contexts."""
from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from babel.dates import get_month_names

from ..collation import sort_key as name_key
from ..config import SiteConfig
from ..edtf import ymd
from ..datefmt import format_day
from ..dates import extent, group_key, placement, sort_key, start_year
from ..model import Model
from ..fragments import N_, translate
from ..namespaces import DCTERMS, PROV, SCHEMA, SEM, SKOS, TL
from . import pages as kinds
from .client import filter_hierarchy
from .common import Ref, Text, direction, heading_label, label, lang_prefix, pick, ref, slug_of
from .common import feed_path, format_number
from .jsonld import site_jsonld, thing_jsonld
from .lists import TABLES
from .maps import map_context, map_page
from .search import search_pages
from .things import claim_groups, refs, timeline

# An actor that is also a place (sem:Actor and schema:Country) gets the actor's page: its events by role.
KIND_TEMPLATE = [("claim", "claim"), ("quantity", "quantity"), ("event", "event"), ("source", "source"),
                 ("actor", "actor"), ("place", "place"), ("concept", "concept"), ("term", "term")]
# The kind line of a thing's page ("Place · city"): the page kind's name, then the thing's classes,
# without those that only say the kind again (sem:Place and schema:Place on a place's page) and
# with each name once (two classes may have the same name).
KIND_NAMES = {"event": N_("Event"), "actor": N_("Actor"), "place": N_("Place"), "source": N_("Source"),
              "claim": N_("Claim"), "quantity": N_("Measurement"), "concept": N_("Concept"),
              "term": N_("Vocabulary term"), "thing": N_("Thing")}
KIND_CLASSES = {"event": {SEM + "Event", SCHEMA + "Event"}, "actor": {SEM + "Actor"},
                "place": {SEM + "Place", SCHEMA + "Place"}, "source": {PROV + "Entity"}, "claim": {TL + "Claim"},
                "quantity": {TL + "Quantity"}, "concept": {SKOS + "Concept"}}
LISTS = ("events", "actors", "places", "sources", "claims")
LIST_KIND = {"events": "event", "actors": "actor", "places": "place", "sources": "source", "claims": "claim"}


@dataclass(frozen=True)
class Page:
    """One file of the site: where it goes, which template lays it out, and what it shows."""

    path: str  # relative to the output folder, e.g. "ar/id/x/index.html"
    template: str
    context: dict
    lang: str
    base_path: str  # the same page without the language prefix (to find twins)
    search_with: str = ""  # the page whose search shard this one shares, when not its own (search_root)


def template_of(kinds_: frozenset[str]) -> str:
    """The template of a thing's page, by its most specific kind."""
    for kind, template in KIND_TEMPLATE:
        if kind in kinds_:
            return template
    return "thing"


@lru_cache(maxsize=1 << 14)
def period_text(year: int, month: int | None, lang: str, digits: str | None) -> str:
    """A year or month as a heading in the page's language."""
    shown = format_number(abs(year) if year <= 0 else year, lang, digits).replace(",", "").replace("٬", "")
    if year <= 0:
        shown = format_number(1 - year, lang, digits).replace(",", "").replace("٬", "")
        shown += " ق.م" if lang.startswith("ar") else " BCE"
    if month is None:
        return shown
    try:
        names = get_month_names("wide", "stand-alone", locale=lang)
    except Exception:  # unknown locale: fall back to English month names
        names = get_month_names("wide", "stand-alone", locale="en")
    return f"{names[month]} {shown}"


def year_slug(year: int) -> str:
    """A year as a path segment: four digits, a minus sign for astronomical years before 1."""
    return f"-{abs(year):04d}" if year < 0 else f"{year:04d}"


def grouped_timeline(model: Model, iris: list[str], lang: str, digits: str | None,
                     year: int | None = None) -> list[dict]:
    """Events grouped by year, then month, then day, never placing an event on a guessed day.

    Each year holds blocks in the order of their first event: a month (with its days, and
    runs of what no single day holds), a run of what no single month holds ("Summer 2021",
    cut where a month comes between), and one group of what lasts or may fall across several
    years, listed under the year it may start in. On a year's page (`year`), what is listed
    under another year but touches this one joins that group ("Across several years").
    A run is cut where a day or month comes between, to keep the order of time; the template
    gives each run a heading of its own, so that what follows a day or a month never reads
    as part of it.
    """
    prefix = lang_prefix(model, lang)
    groups: list[dict] = []
    made: dict[tuple, dict] = {}  # (year,), (year, month), (year, month, day), (year, "several"): its block
    for entry in timeline(model, iris, lang, digits):
        r = model.dates[entry.iri]
        y, m, d = group_key(r)
        listed = start_year(r) if y is None else y
        if year is not None and listed != year:
            y, listed = None, year
        group = _made(made, (listed,), groups, lambda: {
            "year": listed, "text": period_text(listed, None, lang, digits),
            "href": prefix + f"timeline/{year_slug(listed)}/", "blocks": []})
        if y is None:  # one group a year, however many months come between its events
            _made(made, (listed, "several"), group["blocks"],
                  lambda: {"kind": "several", "entries": []})["entries"].append(entry)
            continue
        if m is None:
            _run(group["blocks"], "entries", entry)
            continue
        month = _made(made, (y, m), group["blocks"], lambda: {
            "kind": "month", "text": period_text(y, m, lang, digits),
            "href": prefix + f"timeline/{year_slug(y)}/{m:02d}/", "blocks": []})
        if d is None:
            _run(month["blocks"], "entries", entry)
            continue
        _made(made, (y, m, d), month["blocks"], lambda: {
            "kind": "day", "text": format_day(placement(r)[0], lang, digits), "entries": []})["entries"].append(entry)
    return groups


def _made(made: dict, key: tuple, blocks: list, make) -> dict:
    """The one block of a year, month or day, made and appended where its first event comes."""
    block = made.get(key)
    if block is None:
        block = made[key] = make()
        blocks.append(block)
    return block


def _run(blocks: list, kind: str, entry) -> None:
    """Add to the last block when it is a run of this kind, else start a new run."""
    if not blocks or blocks[-1]["kind"] != kind:
        blocks.append({"kind": kind, "entries": []})
    blocks[-1]["entries"].append(entry)


def base_context(model: Model, config: SiteConfig, lang: str, base_path: str, title: str) -> dict:
    """What every page's layout needs: language, direction, title, navigation, twins."""
    return {
        "lang": lang, "dir": direction(lang), "title": title, "digits": config.digits.get(lang),
        "site_title": config.title.get(lang) or config.title[config.languages[0]],
        "home": lang_prefix(model, lang), "prefix": lang_prefix(model, lang),
        "twins": [{"lang": other, "href": lang_prefix(model, other) + base_path.removesuffix("index.html"),
                   "current": other == lang} for other in config.languages],
        "languages": config.languages,
        "jsonld": site_jsonld(config.title.get(lang) or config.title[config.languages[0]], lang),
        "canonical": config.base_url + lang_prefix(model, lang) + base_path.removesuffix("index.html"),
        "feed": "feeds/events.xml",
        "built": None if config.built_on is None else {
            "iso": "%04d-%02d-%02d" % ymd(config.built_on),
            "text": format_day(config.built_on, lang, config.digits.get(lang))},
    }


class Deferred(Mapping):
    """A page context computed when the page is rendered (in a worker), never kept: at 100,000
    events the contexts of every page would not fit in memory at once."""

    def __init__(self, make, *args):
        self._make, self._args = make, args

    def _value(self) -> dict:
        return self._make(*self._args)

    def __getitem__(self, key):
        return self._value()[key]

    def __iter__(self):
        return iter(self._value())

    def __len__(self) -> int:
        return len(self._value())

    def keys(self):
        return self._value().keys()

    def materialize(self) -> dict:
        """Compute the context once, for rendering."""
        return self._value()


# Pages of things known by their name: searched for it, they come before the claims and events
# that name them in their own labels (_thing.html weighs the name once more)
KNOWN_BY_NAME = frozenset({"actor", "place", "source", "concept"})


def thing_context(model: Model, config: SiteConfig, lang: str, iri: str) -> dict:
    """The context of one thing's page in one language."""
    thing = model.things[iri]
    slug = slug_of(model, iri)
    template = template_of(thing.kinds)
    make = getattr(kinds, f"{template}_page", kinds.thing_page)
    base = slug + "index.html"
    kind_name, types = kind_line(model, thing.types, template, lang)
    return {**base_context(model, config, lang, base, heading_label(model, iri, lang).text),
            **make(model, thing, lang, config.digits.get(lang)),
            "data_links": slug.startswith("id/"), "data_base": slug, "kind": template,
            "known_by_name": template in KNOWN_BY_NAME,
            "kind_name": kind_name, "types": types,
            "jsonld": thing_jsonld(model, thing, lang), "feed": feed_path(model, iri),
            **map_context(model, config, iri, lang)}


def kind_line(model: Model, types, kind: str, lang: str) -> tuple[str, tuple[Ref, ...]]:
    """The name of a page's kind and the classes shown after it, each name once."""
    name = translate(lang, KIND_NAMES[kind])
    seen = {name.casefold()}
    shown = []
    for r in refs(model, [t for t in types if t not in KIND_CLASSES.get(kind, ())], lang):
        if r.text.casefold() not in seen:
            seen.add(r.text.casefold())
            shown.append(r)
    return name, tuple(shown)


def thing_pages(model: Model, config: SiteConfig, lang: str) -> list[Page]:
    """The page of every thing of the knowledge base and the vocabulary, in one language."""
    out = []
    for iri in sorted(model.things):
        slug = slug_of(model, iri)
        if slug is None:
            continue
        base = slug + "index.html"
        context = Deferred(thing_context, model, config, lang, iri)
        root = search_root(model, iri)
        shared = slug_of(model, root) if root != iri else None
        out.append(Page(lang_prefix(model, lang) + base, template_of(model.things[iri].kinds) + ".html",
                        context, lang, base, shared + "index.html" if shared else ""))
    return out


def search_root(model: Model, iri: str) -> str:
    """The thing whose search shard a thing's page shares (Page.search_with): a claim's subject,
    whose label its statement shows, and a relatively dated thing's anchor, whose label its
    derivation shows; and theirs in turn. An edit then re-indexes one shard, not one per claim
    about the thing edited and per date counted from it.

    Each thing's is kept, and a walk stops at a thing whose root is known: every thing of a chain
    of N relative dates walking it to its end cost N² steps (5,000: 25 million, 20 s)."""
    roots = model.memo("search_root")
    path, at = [], {}
    while iri not in roots:
        if iri in at:  # round a cycle (the checker reports it): each thing on it is its own root
            for c in path[at[iri]:]:
                roots[c] = c
            break
        at[iri] = len(path)
        path.append(iri)
        up = _shares_with(model, iri)
        if up is None:
            roots[iri] = iri
            break
        iri = up
    for c in path:  # what leads to the root (or into the cycle) shares its shard
        roots.setdefault(c, roots[iri])
    return roots[path[0]] if path else roots[iri]


def _shares_with(model: Model, iri: str) -> str | None:
    """The thing whose shard a thing's page shares, one step up: a claim's subject, else a relative
    date's anchor."""
    claim = model.claims.get(iri)
    if claim is not None and claim.subject in model.things:
        return claim.subject
    resolved = model.dates.get(iri)
    relative = resolved.relative if resolved is not None else None
    if relative is not None and relative.anchor in model.things:
        return relative.anchor
    return None


def list_pages(model: Model, config: SiteConfig, lang: str) -> list[Page]:
    """Home, the lists by kind, the periods, the disagreements and the vocabulary index.

    Their contexts are deferred like those of thing pages: the home page, the lists and the
    periods hold every event's timeline entry, made where the page is rendered (in a worker,
    beside the other pages of its language), not before the build starts writing."""
    prefix = lang_prefix(model, lang)
    pages = [Page(prefix + "index.html", "home.html", Deferred(_home_context, model, config, lang), lang, "index.html")]
    for name in LISTS:
        base = f"{name}/index.html"
        pages.append(Page(prefix + base, "list.html", Deferred(_list_context, model, config, lang, name), lang, base))
    pages += period_pages(model, config, lang)
    base = "disagreements/index.html"
    pages.append(Page(prefix + base, "disagreements.html", Deferred(_disagreements_context, model, config, lang),
                      lang, base))
    base = "vocab/index.html"
    pages.append(Page(prefix + base, "vocab.html", Deferred(_vocab_context, model, config, lang), lang, base))
    base = "data/index.html"
    pages.append(Page(prefix + base, "data.html", Deferred(_data_context, model, config, lang), lang, base))
    return pages


def _data_context(model: Model, config: SiteConfig, lang: str) -> dict:
    """The downloads, and the data sets the knowledge base draws on with their licences and
    citations (an import makes each one a schema:Dataset): whoever downloads their data is told."""
    datasets = []
    for iri, thing in sorted(model.things.items()):
        if not iri.startswith(model.id_ns) or SCHEMA + "Dataset" not in thing.types:
            continue
        licences = [ref(model, i, lang) for i in thing.iris(DCTERMS + "license")]
        licences += [Ref(t.value, None, t.lang if t.lang and t.lang.split("-")[0] != lang else "")
                     for t in thing.literals(DCTERMS + "license")]
        citation = pick(thing.literals(DCTERMS + "bibliographicCitation"), lang, model.languages)
        datasets.append({"ref": ref(model, iri, lang), "licences": licences,
                         "citation": Text(citation.value, citation.lang) if citation else None})
    return {**base_context(model, config, lang, "data/index.html", "data"), "datasets": datasets}


def _home_context(model: Model, config: SiteConfig, lang: str) -> dict:
    digits = config.digits.get(lang)
    return {**base_context(model, config, lang, "index.html", config.title.get(lang, "")),
            "years": grouped_timeline(model, model.events, lang, digits),
            "filter_hierarchy": filter_hierarchy(model, model.events, lang),
            "count": format_number(len(model.events), lang, digits), "count_n": len(model.events)}


def _list_context(model: Model, config: SiteConfig, lang: str, name: str) -> dict:
    digits = config.digits.get(lang)
    kind = LIST_KIND[name]
    members = sorted((i for i, t in model.things.items() if kind in t.kinds and i.startswith(model.id_ns)),
                     key=lambda i: (name_key(label(model, i, lang).text, lang), i))
    table = TABLES[kind](model, members, lang, digits)
    return {**base_context(model, config, lang, f"{name}/index.html", name), "list_name": name,
            "table": table, "count_n": len(members), "count": format_number(len(members), lang, digits)}


def _disagreements_context(model: Model, config: SiteConfig, lang: str) -> dict:
    digits = config.digits.get(lang)
    def order(subject: str) -> tuple:  # the timeline's order, the undated after, then by name
        r = model.dates.get(subject)
        when = (0, sort_key(r)[:-1]) if r is not None else (1, ())  # [:-1]: the name before the IRI
        return (*when, name_key(label(model, subject, lang).text, lang), subject)
    groups = [g for i in sorted(model.claims_about, key=order) for g in claim_groups(model, i, lang, digits) if g.differ]
    return {**base_context(model, config, lang, "disagreements/index.html", "disagreements"), "groups": groups}


def _vocab_context(model: Model, config: SiteConfig, lang: str) -> dict:
    terms = sorted((i for i in model.things if i.startswith(TL)), key=lambda i: (not i[len(TL)].isupper(), i))
    return {**base_context(model, config, lang, "vocab/index.html", "vocabulary"),
            "terms": tuple((ref(model, i, lang), model.things[i].kinds) for i in terms)}


def period_pages(model: Model, config: SiteConfig, lang: str) -> list[Page]:
    """A page per year and per month that has events, each linking the periods around it.

    An event is on the page of the year it is listed under (`grouped_timeline`) and, on its
    day or month, on that month's page. What lasts across several years (a span) also makes the
    page of the year its last day falls in; it, and what may fall in any of several years (`201X`),
    is on every year's page between that exists."""
    prefix = lang_prefix(model, lang)
    by_year, by_month = _periods(model)
    pages = []
    years = sorted(by_year)
    months = sorted(by_month)
    for i, y in enumerate(years):
        base = f"timeline/{year_slug(y)}/index.html"
        pages.append(Page(prefix + base, "period.html",
                          Deferred(_period_context, model, config, lang, years, i, by_year[y],
                                   [m for (yy, m) in months if yy == y]), lang, base))
    for i, (y, m) in enumerate(months):
        base = f"timeline/{year_slug(y)}/{m:02d}/index.html"
        pages.append(Page(prefix + base, "period.html",
                          Deferred(_period_context, model, config, lang, months, i, by_month[(y, m)], []), lang, base))
    return pages


def _periods(model: Model) -> tuple[dict[int, list[str]], dict[tuple[int, int], list[str]]]:
    """The events of each year's page and of each month's page."""
    by_year: dict[int, list[str]] = defaultdict(list)
    by_month: dict[tuple[int, int], list[str]] = defaultdict(list)
    several = []
    for iri in model.events:
        r = model.dates[iri]
        y, m, _ = group_key(r)
        by_year[start_year(r) if y is None else y].append(iri)
        if y is not None and m is not None:
            by_month[(y, m)].append(iri)
        lo, hi = extent(r)
        first, last = ymd(lo)[0], ymd(hi)[0]
        if first != last:
            several.append((first, last, iri))
            if r.kind == "span":  # it lasted into that year; `2XXX` may fall in 2999, which makes no page
                by_year.setdefault(last, [])
    years = sorted(by_year)
    for first, last, iri in several:
        for y in years[bisect_right(years, first):bisect_right(years, last)]:
            by_year[y].append(iri)
    return by_year, by_month


def _period_context(model: Model, config: SiteConfig, lang: str, periods: list, i: int, events: list[str],
                    months: list[int]) -> dict:
    """A year's page (periods are years, `months` those with events) or a month's ((year, month) pairs)."""
    digits = config.digits.get(lang)
    prefix = lang_prefix(model, lang)

    def describe(v) -> tuple[str, str]:
        if isinstance(v, tuple):
            return f"timeline/{year_slug(v[0])}/{v[1]:02d}/", period_text(v[0], v[1], lang, digits)
        return f"timeline/{year_slug(v)}/", period_text(v, None, lang, digits)
    path, text = describe(periods[i])
    y = periods[i][0] if isinstance(periods[i], tuple) else periods[i]
    return {**base_context(model, config, lang, path + "index.html", text),
            "years": grouped_timeline(model, events, lang, digits, None if isinstance(periods[i], tuple) else y),
            "filter_hierarchy": filter_hierarchy(model, events, lang),
            **_neighbours(periods, i, describe, prefix),
            "months": [Ref(period_text(y, m, lang, digits), prefix + f"timeline/{year_slug(y)}/{m:02d}/")
                       for m in months]}


def _neighbours(keys: list, i: int, describe, prefix: str) -> dict:
    def link(j: int) -> Ref | None:
        if 0 <= j < len(keys):
            path, text = describe(keys[j])
            return Ref(text, prefix + path)
        return None
    return {"previous": link(i - 1), "next": link(i + 1)}


def pages(model: Model, config: SiteConfig) -> list[Page]:
    """Every page of the site, every language."""
    out: list[Page] = []
    for lang in config.languages:  # a language's pages together: they share timeline entries
        out += thing_pages(model, config, lang)
        out += list_pages(model, config, lang)
        out.append(map_page(model, config, lang))
    out += search_pages(model, config)
    out.append(not_found_page(model, config))
    return out


def not_found_page(model: Model, config: SiteConfig) -> Page:
    """The 404 page: one file (404.html, at the root) that hosts serve at any missing address,
    /id/nope/ as /ar/x/y/. Its links start from base_url's path ("/tarikh/static/style.css"), so
    it keeps its style and its links lead somewhere at any depth; and it says what it says in
    every language of the site, the first first, each in its own language and direction, since
    the host cannot know which language the reader wanted."""
    first = config.languages[0]
    root = "/" + config.base_url.split("://", 1)[1].partition("/")[2]  # base_url's path, ending in "/"
    sections = [{"lang": lang, "dir": direction(lang), "id": f"lang-{lang}",
                 "title": translate(lang, N_("Page not found")),
                 "text": translate(lang, N_("There is no page at this address.")),
                 "home": lang_prefix(model, lang), "home_text": translate(lang, N_("Go to the timeline"))}
                for lang in config.languages]
    context = {**base_context(model, config, first, "404.html", sections[0]["title"]),
               "link_path": root + "404.html", "twins": [], "canonical": None, "sections": sections}
    return Page("404.html", "404.html", context, first, "404.html")
