"""Locale formatting for the templates, through Babel: lists, numbers, language names, search variants.

Each is a Jinja filter or global registered by `render.environment()`; those that depend on the
page read its language (`lang`) and digits (`digits`, from `[digits]` in site.toml) from the
template context.
"""
from __future__ import annotations

from functools import cache

from babel.lists import format_list
from jinja2 import pass_context
from markupsafe import Markup, escape

from . import arabic
from .views.common import babel_locale, format_number, language_in


def list_markup(items, lang: str, style: str = "standard") -> Markup:
    """Join items (text or markup) as the language joins a list: "A, B, and C", "A وB وC"."""
    parts = [escape(item) for item in items]
    if not parts:
        return Markup("")
    if len(parts) == 1:
        return Markup(parts[0])
    pieces = _list_pattern(lang, len(parts), style)
    out = [pieces[0]]
    for part, piece in zip(parts, pieces[1:]):
        out += (str(part), piece)
    return Markup("".join(out))


@cache
def _list_pattern(lang: str, n: int, style: str) -> tuple[str, ...]:
    """The escaped text around n items of a list in a language: n + 1 pieces."""
    tokens = [f"\x00{i}\x00" for i in range(n)]
    try:
        joined = format_list(tokens, style=style, locale=babel_locale(lang))
    except (KeyError, ValueError):  # a style the locale's data lacks
        joined = format_list(tokens, style="standard", locale=babel_locale(lang))
    out = str(escape(joined))
    pieces = []
    for token in tokens:
        before, _, out = out.partition(token)
        pieces.append(before)
    return (*pieces, out)


@pass_context
def format_list_filter(ctx, items, style: str = "standard") -> Markup:
    """Jinja filter: a list in the page's language (Babel's list patterns)."""
    return list_markup(list(items), ctx["lang"], style)


@pass_context
def number_filter(ctx, value) -> str:
    """Jinja filter: a number in the page's language and digits."""
    if value is None:
        return ""
    return format_number(value, ctx["lang"], ctx.get("digits"))


@cache
def language_name(lang: str) -> str:
    """A language's name in that language ("English", "العربية", "فارسی"), else its code."""
    name = language_in(lang, lang)
    return (name[:1].upper() + name[1:]) if name else lang


def search_variants(*groups) -> list[str]:
    """The normalised forms of the Arabic-script texts given (Text values, strings, lists of them), and the
    ASCII forms of Latin ones with letters no search folds ("Şırnak" → "Sirnak"), for the index."""
    texts: list[str] = []
    for group in groups:
        items = group if isinstance(group, (list, tuple)) else [group]
        texts += [getattr(t, "text", t) for t in items if t]
    return arabic.variants(t for t in texts if isinstance(t, str))


FILTERS = {"format_list": format_list_filter, "number": number_filter, "language_name": language_name}
GLOBALS = {"search_variants": search_variants}
