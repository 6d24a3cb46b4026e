"""The small pieces of HTML every page repeats (a link to a thing, a date, a list of links, a
timeline), made in Python rather than in Jinja macros.

A page of the site mentions hundreds of things; as Jinja macros these mentions cost most of the
rendering time (a macro call is a Python function call wrapped in a new context). Here each is
one f-string. They are Jinja globals (`render.environment()` registers them) and follow the same
rules as the templates: every text is escaped and bidi-balanced, every link goes through the
same relative-URL function as the `|url` filter, every interface string through the page
language's catalog. The primitives they stand on live here too: bidi balancing
(`balance_bidi`) and relative links (`relative_url`, and `link_base`, what a link's text depends
on, by which a made piece is reused); `render` uses the same ones for the templates.
"""
from __future__ import annotations

import re
from functools import cache, lru_cache
from types import SimpleNamespace

from jinja2 import pass_context
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup, escape

from .i18n import translations_for


try:  # markupsafe's own escaping of a str, without making a Markup of it
    from markupsafe._speedups import _escape_inner as _escape_str
except ImportError:  # pragma: no cover - the pure-Python markupsafe
    def _escape_str(text: str) -> str:
        return str(escape(text))

# Rendered mentions and timeline entries, reused on every page in the same folder; emptied when
# full, so memory stays bounded at any size.
_CACHE: dict = {}
_CACHE_LIMIT = 200_000


# Bidirectional embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI).
_BIDI = "\u202a-\u202e\u2066-\u2069"
BIDI_CONTROLS = re.compile(f"[{_BIDI}]")
# What no page may carry, since HTML makes each a parse error (the W3C Nu validator reports it):
# control characters but tab, line feed, form feed and carriage return (C0, DEL, C1), and
# noncharacters (U+FDD0 to U+FDEF, and the last two code points of every plane). Turtle lets a
# literal hold them ("a\u0001b", or the raw byte); the pages drop them, as the feeds and the
# exports drop what XML and iCalendar cannot hold, and `tarikh check` warns of each
# (control-character).
NONCHARACTERS = "\ufdd0-\ufdef" + "".join(chr(plane | 0xfffe) + chr(plane | 0xffff)
                                           for plane in range(0, 0x110000, 0x10000))
NOT_IN_HTML = "\x00-\x08\x0b\x0e-\x1f\x7f-\x9f" + NONCHARACTERS  # a character class's contents
NOT_HTML = re.compile(f"[{NOT_IN_HTML}]")
# Either kind, found with one search. Every one of them is a character str.isprintable() refuses,
# so a text it accepts (nearly every one: it costs a third of the search) needs no search. A
# superset: past the Basic Multilingual Plane it takes every character from U+1FFFE on, not only
# the noncharacters, which as 32 single characters would make every search several times slower;
# a text with such characters (rare ones: CJK extensions B to F, tags) takes the exact, slower way.
SPECIAL = re.compile(f"[{_BIDI}{NOT_IN_HTML[:NOT_IN_HTML.index(chr(0x1fffe))]}\U0001fffe-\U0010ffff]")
_OPENERS = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c", "\u202e": "\u202c",
            "\u2066": "\u2069", "\u2067": "\u2069", "\u2068": "\u2069"}


def balance_bidi(text: str) -> str:
    """Close every embedding, override and isolate a text opens, and drop closers it never opened.

    A label with an unclosed U+202E (RIGHT-TO-LEFT OVERRIDE) would otherwise reverse whatever
    follows it where no <bdi> can isolate it (the <title>, attributes); balanced, it can only
    reorder itself. Marks (U+200E, U+200F, U+061C) are left alone: they open nothing.
    """
    if not BIDI_CONTROLS.search(text):
        return text
    out, open_ = [], []
    for ch in text:
        if ch in _OPENERS:
            open_.append(ch)
        elif ch == "\u202c":  # PDF closes the innermost embedding or override, never an isolate
            if not open_ or open_[-1] not in "\u202a\u202b\u202d\u202e":
                continue
            open_.pop()
        elif ch == "\u2069":  # PDI closes the innermost isolate and the embeddings inside it
            if not any(c in "\u2066\u2067\u2068" for c in open_):
                continue
            while open_.pop() not in "\u2066\u2067\u2068":
                pass
        out.append(ch)
    return "".join(out) + "".join(_OPENERS[c] for c in reversed(open_))


def html_text(text: str) -> str:
    """A text as a page carries it: without the characters HTML forbids (NOT_HTML), bidi-balanced
    (balance_bidi). Every text printed into a page goes through it (render._finalize, _text)."""
    if text.isprintable() or not SPECIAL.search(text):
        return text
    return balance_bidi(NOT_HTML.sub("", text))


def relative_url(target: str, page_path: str) -> str:
    """Make a site-root-relative path relative to the page; leave http(s) URLs alone.

    A page a host serves at any address (404.html, for /id/nope/ or /ar/x/y/) has its path
    given from the server's root ("/tarikh/404.html", from base_url): its links start from
    the site's root path rather than from an address no one can know."""
    if target.startswith(("http://", "https://")):
        return target
    if target == "" or target.endswith("/"):
        target += "index.html"
    if page_path.startswith("/"):
        return page_path.rpartition("/")[0] + "/" + target
    return _relative(target, page_path.rpartition("/")[0])


@lru_cache(maxsize=1 << 16)
def _relative(target: str, base: str) -> str:
    """posixpath.relpath for clean site paths, without its cost (it runs for every link)."""
    to, here = target.split("/"), base.split("/") if base else []
    common = 0
    while common < min(len(to) - 1, len(here)) and to[common] == here[common]:
        common += 1
    return "../" * (len(here) - common) + "/".join(to[common:])


def link_base(page_path: str, targets) -> str:
    """What the links from a page to these site paths depend on: the folder around the page's
    own folder and how deep it is, unless a target lies inside the page's folder (then the page
    itself). Links that depend on the same thing are the same text, and fragments.py reuses them."""
    if page_path.startswith("/"):  # links from the server's root path: shared with no other page
        return page_path
    folder = page_path.rpartition("/")[0]
    if folder:
        inside = folder + "/"
        if any(t and t.startswith(inside) for t in targets):
            return page_path
    return folder.rpartition("/")[0] + "/" + str(page_path.count("/"))


def _text(value) -> str:
    """Escaped, bidi-balanced text without the characters HTML forbids (html_text; Markup passes
    through as it is, as in a template)."""
    if type(value) is str:
        if not value.isprintable() and SPECIAL.search(value):
            value = balance_bidi(NOT_HTML.sub("", value))
        return _escape_str(value)
    return str(escape(value))


def reset() -> None:
    """Forget what was made for the pages of an earlier build (its catalogs may have changed)."""
    _CACHE.clear()


def _remember(key, html: str) -> str:
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.clear()
    _CACHE[key] = html
    return html


def N_(message: str) -> str:
    """Mark an interface string for extraction (`python -m builder.i18n_tools update`)."""
    return message


@cache
def _gettext(translations, message: str) -> str:
    return translations.gettext(message)


@cache
def _markup(translations, message: str) -> Markup:
    """An interface string without arguments as the templates' `_()` gives it."""
    return Markup(_gettext(translations, message)) % {}


def translate(lang: str, message: str) -> str:
    """An interface string in a language, as the templates' `_()` gives it (catalogs are trusted
    markup: those a knowledge base brings are defanged when read, i18n.defang)."""
    return _gettext(translations_for(lang), message)


def _lang_attr(lang: str) -> str:
    return f' lang="{_text(lang)}"' if lang else ""


def ref_html(r, page_path: str) -> str:
    """A mention of a thing: a link to its page (or out to the web), or plain text."""
    if r.href:
        key = (r, link_base(page_path, (r.href,)))
        found = _CACHE.get(key)
        if found is not None:
            return found
        external = ' rel="external noopener"' if r.external else ""
        return _remember(key, f'<a href="{_text(relative_url(r.href, page_path))}"{_lang_attr(r.lang)}{external}>'
                              f'<bdi>{_text(r.text)}</bdi></a>')
    return f"<bdi{_lang_attr(r.lang)}>{_text(r.text)}</bdi>"


def text_html(t) -> str:
    """A text in its language, isolated from the text around it."""
    return f"<bdi{_lang_attr(t.lang)}>{_text(t.text)}</bdi>"


def value_html(v, page_path: str) -> str:
    """A statement's value: a reference or a literal."""
    return ref_html(v, page_path) if hasattr(v, "href") else text_html(v)


def refs_html(rs, lang: str, page_path: str, conjunction: bool = True) -> str:
    """References joined as the language joins a list ("A, B, and C"), or by commas."""
    from .localise import list_markup
    parts = [Markup(ref_html(r, page_path)) for r in rs]
    if conjunction:
        return str(list_markup(parts, lang))
    return translate(lang, ", ").join(parts)


def date_html(d) -> str:
    """A date at its precision, with its machine-readable value where it has one."""
    if not d:
        return ""
    inner = f'<time datetime="{_text(d.datetime)}">{_text(d.text)}</time>' if d.datetime else _text(d.text)
    return f'<span class="date date-{_text(d.kind)}">{inner}</span>'


def date_full_html(d, lang: str, page_path: str) -> str:
    """A date with its Hijri equivalent and, for a relative date, how it was derived."""
    if not d:
        return ""
    out = [date_html(d)]
    if d.hijri:
        out.append(f' <span class="hijri">({_text(d.hijri)})</span>')
    if d.derivation:
        from .localise import list_markup
        each = [Markup(_derivation_html(one, lang, page_path)) for one in d.derivation]
        out.append(f' <span class="derivation">— {list_markup(each, lang)}</span>')
    return "".join(out)


def _derivation_html(derivation: tuple, lang: str, page_path: str) -> str:
    """How one relative date places a thing: its anchor a link, the source's words quoted."""
    before, anchor, after, *phrases = derivation
    out = [f"{_text(before)}{ref_html(anchor, page_path)}{_text(after)}"]
    phrase = phrases[0] if phrases else None
    if phrase:
        attrs = f' lang="{_text(phrase.lang)}" dir="auto"' if phrase.lang else ""
        out.append(f" (<q{attrs}>{_text(phrase.text)}</q>")
        second = phrases[1] if len(phrases) > 1 else None
        if second:
            out.append(f'{translate(lang, ", ")}<q lang="{_text(second.lang)}">{_text(second.text)}</q>')
        out.append(")")
    return "".join(out)


def entry_html(e, lang: str, page_path: str, filters: bool = True) -> str:
    """One event of a timeline: date, label, role, types, places, actors, disagreement."""
    targets = [r.href for r in (e.event, e.role, *e.types, *e.places, *e.actors) if r is not None]
    key = (id(e), lang, link_base(page_path, targets), filters)
    found = _CACHE.get(key)
    if found is not None and found[0] is e:
        return found[1]
    return _remember(key, (e, _entry_html(e, lang, page_path, filters)))[1]


def _entry_html(e, lang: str, page_path: str, filters: bool = True) -> str:
    # Without filters (no static/filters.js on the page) only the key stays: the rest is for the
    # widgets, and it is a third of a long list's bytes (2.4 of /events/' 8.2 MB at 10,000 events).
    data = _data_attributes(e, filters)
    out = [f'<span class="label">{ref_html(e.event, page_path)}</span>']
    if e.role:
        out.append(f'<span class="role">{ref_html(e.role, page_path)}</span>')
    if e.types:
        out.append(f'<span class="types">{refs_html(e.types, lang, page_path, False)}</span>')
    if e.places:
        out.append(f'<span class="places">{translate(lang, AT)} {refs_html(e.places, lang, page_path)}</span>')
    if e.actors:
        out.append(f'<span class="actors">{refs_html(e.actors, lang, page_path)}</span>')
    if e.disputed:
        out.append(_disputed_mark(lang))
    # the label apart from the date; role, types, places and actors side by side (spaced by the
    # stylesheet, and by a space, so that their words do not run together for a screen reader, a copy
    # or the search index)
    return (f'<li class="entry{" disputed" if e.disputed else ""}"{data}>{date_html(e.date)} '
            + " ".join(out) + "</li>\n")


def _data_attributes(e, filters: bool = True) -> str:
    """An entry's data-* attributes for the widgets (views/client.py); without filters, its key only."""
    return "".join(f' data-{_text(name)}="{_text(v)}"' for name, v in e.data if filters or name == "key")


def _disputed_mark(lang: str) -> str:
    return f'<strong class="mark-disputed">{translate(lang, DISAGREE)}</strong>'


def timeline_html(entries, lang: str, page_path: str, filters: bool = True) -> str:
    """Events in time order as a list (data-* attributes for the filters: views/client.py; with
    `filters` false, for a page that has none, only each entry's data-key)."""
    return '<ol class="timeline">\n' + "".join(entry_html(e, lang, page_path, filters) for e in entries) + "</ol>"


# Interface strings of the pieces below (outside f-strings, where the extractor finds them).
AT, DISAGREE, SITE = N_("at"), N_("sources disagree"), N_("Site")
NAV = (("events/", N_("Events")), ("actors/", N_("Actors")), ("places/", N_("Places")),
       ("sources/", N_("Sources")), ("claims/", N_("Claims")), ("disagreements/", N_("Disagreements")),
       ("vocab/", N_("Vocabulary")), ("map/", N_("Map")), ("queries/", N_("Queries")), ("data/", N_("Data")),
       ("search/", N_("Search")))


def site_nav_html(lang: str, prefix: str, page_path: str) -> str:
    """The site's navigation, the same on every page of a folder (made once per folder)."""
    key = ("nav", lang, prefix, link_base(page_path, [prefix + path for path, _ in NAV]))
    found = _CACHE.get(key)
    if found is not None:
        return found
    items = "".join(f'      <li><a href="{_text(relative_url(prefix + path, page_path))}">{translate(lang, name)}</a></li>\n'
                    for path, name in NAV)
    return _remember(key, f'<nav aria-label="{translate(lang, SITE)}">\n    <ul>\n{items}    </ul>\n  </nav>\n')


# Sources and their reporting chains. A chain reads as a sentence while it is one line ("A,
# relaying B, relaying C"); where it branches, each branch is an item of a list nested under the
# source that relays them, so that what a branch relays never reads as relayed by its neighbour.

RELAYING, RELAYING_LIST = N_(", relaying "), N_(", relaying:")


def relayed_html(nodes, lang: str, page_path: str) -> str:
    """What a source relays, after its name (views/things.Relay)."""
    if len(nodes) == 1:
        return (translate(lang, RELAYING) + ref_html(nodes[0].source, page_path)
                + relayed_html(nodes[0].relays, lang, page_path))
    if nodes:
        return translate(lang, RELAYING_LIST) + relay_list_html(nodes, lang, page_path)
    return ""


def relay_list_html(nodes, lang: str, page_path: str) -> str:
    """The sources a source relays: a list where there are several (each with its own chain)."""
    items = [ref_html(n.source, page_path) + relayed_html(n.relays, lang, page_path) for n in nodes]
    if len(nodes) > 1:
        return '<ul class="relays">' + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
    return "".join(items)


def source_view_html(s, lang: str, page_path: str) -> str:
    """A cited source (views/things.SourceView): publisher, the chain it relays, unnamed sources."""
    out = [ref_html(s.source, page_path)]
    if s.publisher:
        out.append(f" ({ref_html(s.publisher, page_path)})")
    out.append(relayed_html(s.chain, lang, page_path))
    if s.sourcing:
        out.append(translate(lang, ", ") + text_html(s.sourcing))
    elif s.count:
        plural = translations_for(lang).ngettext(", citing %(num)s unnamed source", ", citing %(num)s unnamed sources",
                                                 s.count_n or 0)
        out.append(str(Markup(plural) % {"num": s.count}))
    return "".join(out)


def source_list_html(sources, lang: str, page_path: str) -> str:
    """The sources of one claim, a list item each: "; " only ever parts the branches of one
    reporting chain, so two sources cited side by side do not read as one source's two branches."""
    items = [source_view_html(s, lang, page_path) for s in sources]
    if len(sources) > 1:
        return '<ul class="source-list">' + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
    return "".join(items)


CLAIM_COLUMNS = (N_("Value"), N_("According to"), N_("Status"), N_("Claimed on"), N_("Source"), N_("Claim"))
ASSERTED, SUPERSEDED_BY = N_("asserted by this knowledge base"), N_("superseded by")


def claim_table_html(g, lang: str, page_path: str) -> str:
    """The claims on one subject and predicate (views/things.ClaimGroup), side by side. On a
    narrow screen the table scrolls sideways in its frame, a shadow at the edge that hides
    columns (style.css); its links take the keyboard's focus, so the frame need not."""
    comma = translate(lang, ", ")
    differ = f' <strong class="mark-disputed">{translate(lang, DISAGREE)}</strong>' if g.differ else ""
    heads = "".join(f'<th scope="col">{translate(lang, name)}</th>' for name in CLAIM_COLUMNS)
    out = ['<div class="table-scroll">\n',
           f'<table class="claims{" differ" if g.differ else ""}">\n',
           f"  <caption>{ref_html(g.subject, page_path)} — {ref_html(g.predicate, page_path)}{differ}</caption>\n",
           f"  <thead><tr>{heads}</tr></thead>\n  <tbody>\n"]
    if g.asserted:
        values = comma.join(value_html(v, page_path) for v in g.asserted)
        out.append(f'  <tr class="asserted"><td>{values}</td><td colspan="5">{translate(lang, ASSERTED)}</td></tr>\n')
    for r in g.rows:
        value = value_html(r.value, page_path)
        superseded = r.superseded_by
        out.append(f'  <tr class="status-{_text(str(r.status_key).lower())}{" superseded" if superseded else ""}">\n'
                   f"    <td>{f'<del>{value}</del>' if superseded else value}</td>\n"
                   f"    <td>{refs_html(r.by, lang, page_path)}</td>\n"
                   f"    <td>{ref_html(r.status, page_path) if r.status else ''}</td>\n"
                   f"    <td>{date_html(r.date)}</td>\n"
                   f'    <td class="sources">{source_list_html(r.sources, lang, page_path)}</td>\n'
                   f"    <td>{ref_html(r.claim, page_path)}"
                   + (f" ({translate(lang, SUPERSEDED_BY)} {refs_html(superseded, lang, page_path)})" if superseded else "")
                   + "</td>\n  </tr>\n")
    if g.more:
        # Translators: below a table of claims cut short; %(subject)s is a link to the page that lists them all
        more = Markup(translations_for(lang).ngettext("and %(num)s more claim: see %(subject)s",
                                                      "and %(num)s more claims: see %(subject)s", g.more))
        out.append(f'  <tr class="more"><td colspan="6">'
                   f'{more % {"num": g.more_text, "subject": Markup(ref_html(g.subject, page_path))}}</td></tr>\n')
    out.append("  </tbody>\n</table>\n</div>")
    return "".join(out)


# Translators: the heading of events dated within this month ("March 2021") but to no single day
WITHIN_MONTH = N_("%(month)s, no single day")
# Translators: the heading of events dated within this year ("2021") but to no single month
WITHIN_YEAR = N_("%(year)s, no single month")
SEVERAL_YEARS = N_("Across several years")


def grouped_html(years, lang: str, page_path: str) -> str:
    """A timeline grouped by year, month and day (views/site.grouped_timeline), each period's
    heading a link to its page; what no single day (month) holds under a heading of its own."""
    out = []

    def link(block: dict) -> str:
        return f'<a href="{_text(relative_url(block["href"], page_path))}">{_text(block["text"])}</a>'

    def timeline(entries, indent: str) -> None:
        out.append(f"{indent}{timeline_html(entries, lang, page_path)}\n")
    for y in years:
        out.append(f'<section class="year">\n  <h2>{link(y)}</h2>\n')
        for b in y["blocks"]:
            if b["kind"] == "month":
                out.append(f'  <section class="month">\n    <h3>{link(b)}</h3>\n')
                for c in b["blocks"]:
                    if c["kind"] == "day":
                        out.append(f'    <section class="day">\n      <h4>{_text(c["text"])}</h4>\n')
                    else:
                        heading = Markup(translate(lang, WITHIN_MONTH)) % {"month": b["text"]}
                        out.append(f'    <section class="within">\n      <h4>{heading}</h4>\n')
                    timeline(c["entries"], "      ")
                    out.append("    </section>\n")
                out.append("  </section>\n")
            elif b["kind"] == "several":
                out.append(f'  <section class="several">\n    <h3>{translate(lang, SEVERAL_YEARS)}</h3>\n')
                timeline(b["entries"], "    ")
                out.append("  </section>\n")
            else:
                heading = Markup(translate(lang, WITHIN_YEAR)) % {"year": y["text"]}
                out.append(f'  <section class="within">\n    <h3>{heading}</h3>\n')
                timeline(b["entries"], "    ")
                out.append("  </section>\n")
        out.append("</section>\n")
    return "".join(out)


# The map widget's interface strings (for static/map.js, as JSON) and the coordinates table's
MAP, COORDINATES, PLACE, LATITUDE, LONGITUDE, PRECISION, NOT_STATED = (
    N_("Map"), N_("Coordinates"), N_("Place"), N_("Latitude"), N_("Longitude"), N_("Precision"), N_("not stated"))
MORE, EVENTS, DRAWN_WHERE = N_("and %(n)s more"), N_("%(n)s events"), N_("drawn where %(place)s is")
ZOOM_IN, ZOOM_OUT = N_("Zoom in"), N_("Zoom out")  # the map's buttons (Leaflet's own are in English)
MAP_PRECISION = {"exact": N_("exact location"), "near": N_("near this point"), "region": N_("somewhere in this region"),
                 "unspecified": N_("location of unstated precision")}
MAP_FILES = ('<link rel="stylesheet" href="{}">', "static/vendor/leaflet/leaflet.css"), \
    ('<link rel="stylesheet" href="{}">', "static/widgets.css"), \
    ('<script defer src="{}"></script>', "static/vendor/leaflet/leaflet.js"), \
    ('<script defer src="{}"></script>', "static/filters.js"), ('<script defer src="{}"></script>', "static/map.js")


def _map_ui(lang: str) -> str:
    """The map script's interface strings, as the attribute's JSON (made once per language)."""
    key = ("map-ui", lang)
    found = _CACHE.get(key)
    if found is None:
        def fill(message: str) -> str:
            return Markup(translate(lang, message)) % {"n": "{n}"}
        ui = {"more": fill(MORE), "events": fill(EVENTS),
              "zoom_in": translate(lang, ZOOM_IN), "zoom_out": translate(lang, ZOOM_OUT),
              "precision": {name: translate(lang, message) for name, message in MAP_PRECISION.items()}}
        found = _remember(key, str(htmlsafe_json_dumps(ui, sort_keys=True)))
    return found


def _point_notes(point, lang: str, page_path: str) -> tuple[str, str]:
    """What a located point's row says besides its place and coordinates: where it is drawn when
    it lends a containing place's position (" (drawn where X is)"), and its precision."""
    via = (" (" + Markup(translate(lang, DRAWN_WHERE)) % {"place": Markup(ref_html(point.via, page_path))} + ")"
           if point.via else "")
    precision = ref_html(point.precision_ref, page_path) if point.precision_ref else translate(lang, NOT_STATED)
    return via, precision


def map_widget_html(geo, digits: str | None, lang: str, page_path: str) -> str:
    """A map (static/map.js, on Leaflet) of a page's located things (views/maps.MapView), and the
    table of their coordinates: the map for readers without JavaScript or tiles. Tiles are the
    only thing a page may fetch from elsewhere, from site.toml's [map]."""
    if not geo:
        return ""
    digits_attr = f' data-digits="{_text(digits)}"' if digits else ""
    out = ['<section class="tl-map-widget" aria-labelledby="tl-map-title">\n',
           f'  <h2 id="tl-map-title">{translate(lang, MAP)}</h2>\n',
           f'  <div class="tl-map" hidden dir="ltr"{digits_attr} data-tiles="{_text(geo.tiles)}" '
           f"data-attribution=\"{_text(geo.attribution)}\" data-ui='{_map_ui(lang)}'></div>\n"]
    if geo.points:
        heads = "".join(f'<th scope="col">{translate(lang, name)}</th>' for name in (PLACE, LATITUDE, LONGITUDE, PRECISION))
        out.append(f'  <table class="tl-coordinates">\n    <caption>{translate(lang, COORDINATES)}</caption>\n'
                   f"    <thead><tr>{heads}</tr></thead>\n    <tbody>\n")
        for p in geo.points:
            via, precision = _point_notes(p, lang, page_path)
            out.append(f'      <tr class="tl-geo-point" data-geo="{_text(p.lat)},{_text(p.lon)},{_text(p.precision)},'
                       f'{_text(p.key)}">\n'
                       f'        <td class="place">{ref_html(p.place, page_path)}{via}</td>\n'
                       f"        <td><bdi>{_text(p.lat_text)}</bdi></td><td><bdi>{_text(p.lon_text)}</bdi></td>\n"
                       f"        <td>{precision}</td>\n      </tr>\n")
        out.append("    </tbody>\n  </table>\n")
    out.append("</section>\n")
    out += [f"{element.format(_text(relative_url(path, page_path)))}\n" for element, path in MAP_FILES]
    return "".join(out)


def list_rows_html(rows, lang: str, page_path: str) -> str:
    """The rows of a list page's table (/events/, /actors/ …; views/lists.py): the first cell a
    name heading, then numbers, dates, statements and references. Made here rather than in a
    template loop: the events list has a row for every event."""
    out = []
    for row in rows:
        cells = ["<tr>"]
        for i, c in enumerate(row.cells):
            if i == 0:
                sort = "" if c.sort is None else f' data-sort="{_text(c.sort)}"'
                cells.append(f'<th scope="row"{sort}>{refs_html(c.values, lang, page_path, False)}</th>\n')
            elif c.number is not None:
                cells.append(f'<td class="num" data-sort="{_text(c.sort)}">{_text(c.number)}</td>\n')
            elif c.date:
                cells.append(f'<td data-sort="{_text(c.sort)}">{date_html(c.date)}</td>\n')
            elif c.joiner == "statement":
                cells.append("<td>" + " — ".join(value_html(v, page_path) for v in c.values) + "</td>\n")
            else:
                cells.append(f"<td>{refs_html(c.values, lang, page_path)}</td>\n")
        cells.append("</tr>\n")
        out.append("".join(cells))
    return "".join(out)


def map_rows_html(rows, lang: str, page_path: str) -> str:
    """The rows of the map page's table of located events (views/maps.py), one for each event
    at each of its located places, with the entry's data-* attributes for the filters on its
    first row, and its data-key alone on the others (the filters read an entry's first element,
    and only count the others as its: an event of N places repeated all N on each of its N rows)."""
    out, seen = [], set()
    for r in rows:
        e, point = r.entry, r.point
        data = _data_attributes(e, e.iri not in seen)
        seen.add(e.iri)
        disputed = " " + _disputed_mark(lang) if e.disputed else ""
        via, precision = _point_notes(point, lang, page_path)
        out.append(f'    <tr class="entry{" disputed" if e.disputed else ""}"{data}>\n'
                   f"      <td>{date_html(e.date)}</td>\n"
                   f'      <td class="label">{ref_html(e.event, page_path)}{disputed}</td>\n'
                   f'      <td class="types">{refs_html(e.types, lang, page_path)}</td>\n'
                   f'      <td class="actors">{refs_html(e.actors, lang, page_path)}</td>\n'
                   f'      <td class="places">{ref_html(point.place, page_path)}{via}</td>\n'
                   f"      <td><bdi>{_text(point.lat_text)}</bdi></td>\n"
                   f"      <td><bdi>{_text(point.lon_text)}</bdi></td>\n"
                   f"      <td>{precision}</td>\n"
                   "    </tr>\n")
    return "".join(out)


# The templates' functions (`h.ref(r)`): each reads the page's language and path from the template context.

@pass_context
def ref(ctx, r) -> Markup:
    return Markup(ref_html(r, ctx["page_path"]))


@pass_context
def value(ctx, v) -> Markup:
    return Markup(value_html(v, ctx["page_path"]))


@pass_context
def refs(ctx, rs, conjunction: bool = True) -> Markup:
    return Markup(refs_html(rs, ctx["lang"], ctx["page_path"], conjunction))


def text(t) -> Markup:
    return Markup(text_html(t))


def date(d) -> Markup:
    return Markup(date_html(d))


@pass_context
def date_full(ctx, d) -> Markup:
    return Markup(date_full_html(d, ctx["lang"], ctx["page_path"]))


@pass_context
def site_nav(ctx, prefix: str) -> Markup:
    return Markup(site_nav_html(ctx["lang"], prefix, ctx["page_path"]))


@pass_context
def timeline(ctx, entries, filters: bool = True) -> Markup:
    return Markup(timeline_html(entries, ctx["lang"], ctx["page_path"], filters))


def _in_page(make):
    """A piece made by `make(*args, lang, page_path)` as a template function: the page's language
    and path read from the template context."""
    @pass_context
    def piece(ctx, *args) -> Markup:
        return Markup(make(*args, ctx["lang"], ctx["page_path"]))
    return piece


# h.source_view(s), h.relay_list(nodes), h.claim_table(g), h.grouped(years), h.map_widget(geo, digits),
# h.list_rows(rows), h.map_rows(rows)
source_view, relay_list, claim_table, grouped, map_widget, list_rows, map_rows = (
    _in_page(make) for make in (source_view_html, relay_list_html, claim_table_html, grouped_html, map_widget_html,
                                list_rows_html, map_rows_html))


def gettext_globals(lang: str) -> dict:
    """`_`, `gettext` and `ngettext` for a language's templates, as jinja2.ext.i18n's new-style
    functions behave (the translation is markup, its %(name)s arguments are escaped) but without
    a context lookup per call: an interface string is looked up once per build."""
    translations = translations_for(lang)

    def gettext_(__message: str, **variables) -> Markup:
        if not variables:  # most calls: the same markup every time, made once
            return _markup(translations, __message)
        return Markup(_gettext(translations, __message)) % variables

    def ngettext_(__singular: str, __plural: str, __num: int, **variables) -> Markup:
        variables.setdefault("num", __num)
        return Markup(translations.ngettext(__singular, __plural, __num)) % variables

    return {"_": gettext_, "gettext": gettext_, "ngettext": ngettext_}


# One name in the templates, `h`, so that no page's own variables (`date`, `timeline`) hide them.
GLOBALS = {"h": SimpleNamespace(ref=ref, value=value, refs=refs, text=text, date=date, date_full=date_full,
                                timeline=timeline, site_nav=site_nav, source_view=source_view,
                                relay_list=relay_list, claim_table=claim_table, grouped=grouped,
                                map_widget=map_widget, list_rows=list_rows, map_rows=map_rows)}
