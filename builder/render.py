"""Rendering: pages (template + context) in, HTML text out. Jinja2 with autoescape and StrictUndefined.

Links are made relative to the page by one filter (`|url`), so the site works under any path and
from a file system. Markdown is rendered and then sanitised with nh3: only http(s) links survive.
"""
from __future__ import annotations

import json
import posixpath
from functools import cache
from pathlib import Path

import markdown as md
import nh3
from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup

from .i18n import translations_for
from .views import Page

TEMPLATES = Path(__file__).resolve().parent.parent / "site_templates"
ALLOWED_TAGS = {"p", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre", "br", "h3", "h4",
                "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td", "del", "sup", "sub", "q", "cite"}


def relative_url(target: str, page_path: str) -> str:
    """Make a site-root-relative path relative to the page; leave http(s) URLs alone."""
    if target.startswith(("http://", "https://")):
        return target
    if target == "" or target.endswith("/"):
        target += "index.html"
    base = posixpath.dirname(page_path)
    return posixpath.relpath(target, base or ".")


@pass_context
def url_filter(ctx, target: str | None) -> str:
    """Jinja filter: a link from the current page to a site path."""
    return relative_url(target or "", ctx["page_path"])


def _link_attrs(tag: str, name: str, value: str) -> str | None:
    if tag == "a" and name == "href":
        return value if value.lower().startswith(("http://", "https://")) else None
    return value


def markdown_filter(text: str) -> Markup:
    """Render Markdown from the knowledge base, then sanitise it (no raw HTML, only http(s) links)."""
    html = md.markdown(text, extensions=["extra"], output_format="html")
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}, "td": {"align"}, "th": {"align"}},
                      url_schemes={"http", "https"}, link_rel="noopener noreferrer nofollow",
                      attribute_filter=_link_attrs)
    return Markup(clean)


def jsonld_filter(data: object) -> Markup:
    """Serialise JSON-LD for a <script> element, with every '<', '>' and '&' escaped."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


@cache
def environment(lang: str, templates: str = str(TEMPLATES)) -> Environment:
    """One Jinja environment per language, with its message catalog installed."""
    env = Environment(loader=FileSystemLoader(templates), autoescape=True, undefined=StrictUndefined,
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    translations: Translations | NullTranslations = translations_for(lang)
    env.install_gettext_translations(translations, newstyle=True)
    env.filters.update(url=url_filter, markdown=markdown_filter, jsonld=jsonld_filter)
    return env


def render(page: Page) -> str:
    """Render one page to HTML."""
    env = environment(page.lang)
    template = env.get_template(page.template)
    return template.render(**page.context, page_path=page.path)
