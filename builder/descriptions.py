"""Markdown descriptions: a description's text in, sanitised HTML and the things it links to out.

Markdown is rendered (Python-Markdown, "extra") and then sanitised with nh3: only the tags of
ALLOWED_TAGS survive, and a link keeps its href only when it goes out over http(s) or to a page
of the site. A link to a thing of the knowledge base (an IRI of the id: namespace or of the
vocabulary, `id:<slug>` or `tl:<Term>`, or a relative reference such as a bare slug, which the
Turtle files' base IRI makes id:<slug>: `link`) is the thing's page, so it becomes a relative
link to that page (keeping a #fragment); a link whose href is dropped (another scheme,
a fragment, a thing with no page) becomes its text, since an <a> without href is invalid HTML.
The checker reports a link to a thing with no page (builder/check.py), and the thing linked to
lists the description's thing under "what links here" (builder/extract.py).
"""
from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from functools import lru_cache
from urllib.parse import urljoin

import markdown as md
import nh3

from .fragments import BIDI_CONTROLS, NOT_HTML, html_text
from .namespaces import TL

ALLOWED_TAGS = {"p", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre", "br", "h3", "h4",
                "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td", "del", "sup", "sub", "q", "cite"}
ATTRIBUTES = {"a": {"href", "title"}, "td": {"align"}, "th": {"align"}}
LINK_REL = "noopener noreferrer nofollow"  # on links out; the site's own links carry none
# nh3's output is serialised HTML: attribute values are quoted with '"' escaped and '<', '>' too,
# and text has '<' escaped, so an <a> start tag and its end tag can be found reliably (an <a>
# never nests in another once parsed)
_ANCHOR = re.compile(r'<a((?: [a-z-]+="[^"]*")*)>(.*?)</a>', re.S)
_HREF = re.compile(r' href="([^"]*)"')
# a link written without a scheme ("[text](slug)", "[ref]: slug"), with the prefix id: or tl:, or
# raw HTML: only a text with one of these, or naming the id: namespace or the vocabulary, can link
# to a thing (superset)
_MAY_LINK_INSIDE = re.compile(r"\]\s*[(:]\s*<?(?:id:|tl:|(?![A-Za-z][A-Za-z0-9+.-]*:|[#)\s]))|href|&#", re.I)
_NOT_IRI = re.compile(r'[\x00-\x20\x7f-\x9f<>"{}|\\^`]')
_LOCAL = threading.local()


def _markdown() -> md.Markdown:
    """One Markdown converter per thread (a converter keeps state while it converts; a preview
    renders in several threads), reset between texts: making one costs as much as using it."""
    converter = getattr(_LOCAL, "markdown", None)
    if converter is None:
        converter = _LOCAL.markdown = md.Markdown(extensions=["extra"], output_format="html")
    return converter


def _clean(text: str, href) -> str:
    """Markdown to sanitised HTML; `href(value)` decides each link's href (None drops it). The
    characters HTML forbids (fragments.NOT_HTML) are dropped from the text, and again from the
    HTML, where a character reference (`&#1;`, `&#xFDD0;`) has made them."""
    if "&#" in text:  # a bidi control written as a reference is balanced as one written as itself
        text = _CHARACTER_REFERENCE.sub(_bidi_itself, text)
    text = "\n".join(html_text(line) for line in text.split("\n"))
    html = _markdown().reset().convert(text)
    # "# Title" and "## Part" sit below the page's <h1> and the section's <h2>: they are <h3>,
    # not dropped tags whose text runs on into the next paragraph
    html = _TOP_HEADING.sub(r"<\1h3>", html)

    def attribute(tag: str, name: str, value: str) -> str | None:
        return href(value) if tag == "a" and name == "href" else value
    html = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https", "id", "tl"},
                     link_rel=LINK_REL, attribute_filter=attribute)
    return html if "&#" not in text else NOT_HTML.sub("", html)


_TOP_HEADING = re.compile(r"<(/?)h[12]\b[^>]*>")
_CHARACTER_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def _bidi_itself(m: re.Match) -> str:
    """A numeric character reference to a bidi control as the control itself (html_text then
    closes what it opens within its line); any other reference as it is."""
    code = int(m.group(1), 16) if m.group(1) else int(m.group(2))
    return chr(code) if code < 0x110000 and BIDI_CONTROLS.match(chr(code)) else m.group()


def target(href: str, id_ns: str) -> str | None:
    """The IRI of the knowledge base or the vocabulary a link's href names, else None (see `link`)."""
    found = link(href, id_ns)
    return found[0] if found else None


def link(href: str, id_ns: str) -> tuple[str, str] | None:
    """The IRI of the knowledge base or the vocabulary a link's href names, and the fragment to
    keep on the link to its page ("" for none); None when it names neither.

    A thing is named by its IRI (`https://example.org/id/kataib-hezbollah`), by the prefixed name
    the Turtle files use (`id:kataib-hezbollah`, `tl:Airstrike`), or by a relative reference,
    resolved against the id: namespace, the base IRI of every Turtle file (RFC 3986), so
    `[text](kataib-hezbollah)` and `[text](./kataib-hezbollah)` name id:kataib-hezbollah. One
    trailing "/" is dropped (`kataib-hezbollah/` is the folder of its page) and a `#fragment`
    after a thing's name is kept for the link, not taken as part of the name. A relative
    reference that resolves outside the id: namespace (`../x`) still names `id:../x`, which has
    no page, so the checker reports it rather than letting it vanish. What is not an IRI reference
    (spaces; a colon before the first "/", RFC 3986 4.2) names nothing, nor does a fragment alone.
    """
    href = href.strip()
    if not id_ns or not href or href.startswith(("#", "//", "\\")) or _NOT_IRI.search(href):
        return None
    if href.startswith(TL):
        return href, ""  # the vocabulary's namespace ends in "#": the fragment is the term
    prefix, colon, rest = href.partition(":")
    if colon and prefix == "tl" and rest:
        return TL + rest, ""
    if colon and prefix == "id":
        iri = id_ns + rest
    elif href.startswith(id_ns):
        iri = href
    elif ":" in href.split("/", 1)[0]:
        return None  # another scheme (such a link becomes its text)
    else:
        iri = urljoin(id_ns, href)
        if not iri.startswith(id_ns):
            return id_ns + href, ""
    name, _, fragment = iri[len(id_ns):].partition("#")
    if name.endswith("/"):
        name = name[:-1]
    return id_ns + name, fragment


def link_targets(text: str, id_ns: str) -> tuple[str, ...]:
    """The IRIs of the knowledge base and the vocabulary a description links to, each once, in order."""
    if not (id_ns in text or TL in text or _MAY_LINK_INSIDE.search(text)):
        return ()  # most descriptions: no Markdown to render at all
    found = (target(h, id_ns) for h in _hrefs(text))
    return tuple(dict.fromkeys(t for t in found if t))


@lru_cache(maxsize=1 << 14)  # the checks and the extraction read the same texts
def _hrefs(text: str) -> tuple[str, ...]:
    """Every link's href as the page's HTML would have it (Markdown links and raw <a> alike)."""
    seen: list[str] = []
    _clean(text, lambda value: seen.append(value))
    return tuple(seen)


@lru_cache(maxsize=1024)
def to_html(text: str, id_ns: str = "", links: tuple[tuple[str, str], ...] = ()) -> str:
    """A description as sanitised HTML. `links` gives, for each thing it may link to, the URL of
    its page (relative to the page it is shown on, or absolute); a link to a thing of `id_ns` or
    the vocabulary not among them, to another scheme or to a fragment alone becomes its text."""
    urls: Mapping[str, str] = dict(links)

    def href(value: str) -> str | None:
        found = link(value, id_ns)
        if found is not None:
            url = urls.get(found[0])
            return url + "#" + found[1] if url and found[1] else url
        return value if value.lower().startswith(("http://", "https://")) else None
    return _ANCHOR.sub(_anchor, _clean(text, href))


def _anchor(m: re.Match) -> str:
    """An <a> as nh3 left it: its text alone without an href; no rel on a link within the site."""
    attrs, inner = m.group(1), m.group(2)
    found = _HREF.search(attrs)
    if found is None:
        return inner
    if not found.group(1).lower().startswith(("http://", "https://")):
        attrs = attrs.replace(f' rel="{LINK_REL}"', "")
    return f"<a{attrs}>{inner}</a>"


def hrefs_by_target(text: str, id_ns: str) -> dict[str, tuple[str, ...]]:
    """The hrefs of a description's links by the IRI each names (as link_targets reads them), in order."""
    found: dict[str, list[str]] = {}
    for h in _hrefs(text):
        iri = target(h, id_ns)
        if iri:
            found.setdefault(iri, []).append(h)
    return {iri: tuple(hs) for iri, hs in found.items()}
