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
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
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
    """Escaped, bidi-balanced text (Markup passes through as it is, as in a template)."""
    if type(value) is str:
        if BIDI_CONTROLS.search(value):
            value = balance_bidi(value)
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
        before, anchor, after, *phrases = d.derivation
        out.append(f' <span class="derivation">— {_text(before)}{ref_html(anchor, page_path)}{_text(after)}')
        phrase = phrases[0] if phrases else None
        if phrase:
            attrs = f' lang="{_text(phrase.lang)}" dir="auto"' if phrase.lang else ""
            out.append(f" (<q{attrs}>{_text(phrase.text)}</q>")
            second = phrases[1] if len(phrases) > 1 else None
            if second:
                out.append(f'{translate(lang, ", ")}<q lang="{_text(second.lang)}">{_text(second.text)}</q>')
            out.append(")")
        out.append("</span>")
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
    data = "".join(f' data-{_text(name)}="{_text(v)}"' for name, v in e.data if filters or name == "key")
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
        out.append(f'<strong class="mark-disputed">{translate(lang, DISAGREE)}</strong>')
    # the label apart from the date; role, types, places and actors side by side (spaced by the stylesheet)
    return (f'<li class="entry{" disputed" if e.disputed else ""}"{data}>{date_html(e.date)} '
            + out[0] + " " + "".join(out[1:]) + "</li>\n")


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


def gettext_globals(lang: str) -> dict:
    """`_`, `gettext` and `ngettext` for a language's templates, as jinja2.ext.i18n's new-style
    functions behave (the translation is markup, its %(name)s arguments are escaped) but without
    a context lookup per call: an interface string is looked up once per build."""
    translations = translations_for(lang)

    def gettext_(__message: str, **variables) -> Markup:
        return Markup(_gettext(translations, __message)) % variables

    def ngettext_(__singular: str, __plural: str, __num: int, **variables) -> Markup:
        variables.setdefault("num", __num)
        return Markup(translations.ngettext(__singular, __plural, __num)) % variables

    return {"_": gettext_, "gettext": gettext_, "ngettext": ngettext_}


# One name in the templates, `h`, so that no page's own variables (`date`, `timeline`) hide them.
GLOBALS = {"h": SimpleNamespace(ref=ref, value=value, refs=refs, text=text, date=date, date_full=date_full,
                                timeline=timeline, site_nav=site_nav)}
