"""Feeds and discovery: the model in, `feeds/*.xml` (Atom) and `sitemap.xml` bytes out.

Atom needs absolute addresses and times: addresses come from `base_url`, and an entry's
`updated` is the last day its date allows (never the wall clock, so builds stay byte-identical).
RFC 3339 writes only the years 0001 to 9999: an entry whose date it cannot write (233 BCE) takes
the feed's own `updated` (the latest day any of its entries allows), never an invented date such
as the Unix epoch; a feed none of whose dates RFC 3339 can write says 0001-01-01, the nearest
time it can. The entry's summary always gives the date as the pages show it. A title in
another language than the feed's (an event with an Arabic label only, in an English feed) says
its language with `xml:lang`. Characters XML 1.0 cannot hold (control characters pasted with a
label) are left out, so that every feed stays well-formed whatever the labels hold.

The sitemap follows sitemaps.org: URLs percent-encoded as RFC 3986 asks (a base_url may hold
non-ASCII characters), at most 50,000 to a file; a bigger site gets `sitemap.xml` as a sitemap
index of `sitemap-1.xml`, `sitemap-2.xml` … beside it (a sitemap may only list URLs under its
own folder, so they sit at the root).
"""
from __future__ import annotations

import re
from urllib.parse import quote
from xml.sax.saxutils import escape as _escape, quoteattr as _quoteattr

from . import edtf
from .config import SiteConfig
from .datefmt import format_date
from .fragments import balance_bidi
from .model import Model
from .views.common import feed_path, label, slug_of  # noqa: F401 (feed_path: the pages' link)
from .views.hierarchy import events_under

ATOM = "http://www.w3.org/2005/Atom"


EARLIEST = "0001-01-01T00:00:00Z"  # the first time RFC 3339 can write
SITEMAP_URLS = 50_000  # the most URLs one sitemap may list (sitemaps.org)
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"

# what XML 1.0 cannot hold (its Char production): C0 controls but tab and line breaks,
# lone surrogates, U+FFFE and U+FFFF
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape(text: str) -> str:
    """Character data for XML: escaped, and without the characters XML 1.0 cannot hold."""
    return _escape(_NOT_XML.sub("", text))


def quoteattr(text: str) -> str:
    """An attribute value for XML, quoted, as escape() does for character data."""
    return _quoteattr(_NOT_XML.sub("", text))


def _lang_attr(text_lang: str, feed_lang: str) -> str:
    """` xml:lang="ar"` for a text in another language than the feed's; nothing otherwise."""
    if not text_lang or text_lang.lower() == feed_lang.lower():
        return ""
    return f" xml:lang={quoteattr(text_lang)}"


def _stamp(day: int | None) -> str | None:
    """An RFC 3339 time for a day number, or None where RFC 3339 cannot write it (BCE, after 9999)."""
    if day is None:
        return None
    y, m, d = edtf.ymd(day)
    return f"{y:04d}-{m:02d}-{d:02d}T00:00:00Z" if 1 <= y <= 9999 else None


def _last_day(model: Model, iri: str) -> int | None:
    r = model.dates[iri]
    return r.latest if r.latest is not None else r.earliest


def _page_url(config: SiteConfig, model: Model, iri: str) -> str:
    return config.base_url + (slug_of(model, iri) or "")


def atom(model: Model, config: SiteConfig, events: list[str], feed_id: str, title: str, self_path: str) -> bytes:
    """An Atom feed of events, newest first."""
    lang = config.default_language
    last = {i: _last_day(model, i) for i in events}
    ordered = sorted(events, key=lambda i: (last[i] if last[i] is not None else 0, i), reverse=True)
    stamps = {i: _stamp(last[i]) for i in events}
    updated = max((s for s in stamps.values() if s), default=EARLIEST)
    entries = []
    for iri in ordered:
        r = model.dates[iri]
        when = format_date(r, lang, config.digits.get(lang))
        name = label(model, iri, lang)
        entries.append(
            "<entry>"
            f"<id>{escape(iri)}</id>"
            f"<title{_lang_attr(name.lang, lang)}>{escape(balance_bidi(name.text))}</title>"
            f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(_page_url(config, model, iri))}/>"
            f"<updated>{stamps[iri] or updated}</updated>"
            f"<summary>{escape(when)}</summary>"
            "</entry>")
    head = (f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="{ATOM}" xml:lang="{escape(lang)}">'
            f"<id>{escape(feed_id)}</id><title>{escape(title)}</title>"
            f"<link rel=\"self\" href={quoteattr(config.base_url + self_path)}/>"
            f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(config.base_url)}/>"
            f"<updated>{updated}</updated><author><name>{escape(config.title[lang])}</name></author>")
    return (head + "\n" + "\n".join(entries) + "\n</feed>\n").encode("utf-8")


def feeds(model: Model, config: SiteConfig) -> dict[str, bytes]:
    """All events; each actor's and each place's events."""
    lang = config.default_language
    out = {"feeds/events.xml": atom(model, config, model.events, config.base_url + "feeds/events.xml",
                                    config.title[lang], "feeds/events.xml")}
    for iri, thing in sorted(model.things.items()):
        slug = slug_of(model, iri)
        if not slug or not slug.startswith("id/"):
            continue
        name = slug[3:-1]
        if "actor" in thing.kinds:
            events = [s for p, s in model.incoming.get(iri, []) if p in model.actor_roles and s in model.dates]
            path = f"feeds/actors/{name}.xml"
        elif "place" in thing.kinds:
            # as the place's page lists them: the events there and in every place within it
            events = [s for s in events_under(model, iri, "place") if s in model.dates]
            path = f"feeds/places/{name}.xml"
        else:
            continue
        out[path] = atom(model, config, sorted(set(events)), config.base_url + path,
                         f"{balance_bidi(label(model, iri, lang).text)} · {config.title[lang]}", path)
    return out


def uri(iri: str) -> str:
    """An IRI as the URI a sitemap wants (RFC 3987 3.1): non-ASCII and other characters a URI
    cannot hold percent-encoded as UTF-8; what is already a URI stays as it is."""
    return quote(iri, safe=":/?#[]@!$&'()*+,;=%~-._")


def sitemap(paths: list[str], config: SiteConfig, limit: int = SITEMAP_URLS) -> dict[str, bytes]:
    """sitemap.xml: every HTML page, by its absolute address; over `limit` pages, an index of
    sitemap-1.xml, sitemap-2.xml … each of at most `limit` (path -> bytes)."""
    urls = sorted(uri(config.base_url + p.removesuffix("index.html")) for p in paths
                  if p.endswith(".html") and p != "404.html")
    head = '<?xml version="1.0" encoding="utf-8"?>\n'
    if len(urls) <= limit:
        return {"sitemap.xml": _urlset(urls)}
    out = {f"sitemap-{n + 1}.xml": _urlset(urls[i:i + limit]) for n, i in enumerate(range(0, len(urls), limit))}
    body = "".join(f"<sitemap><loc>{escape(uri(config.base_url) + name)}</loc></sitemap>\n" for name in out)
    out["sitemap.xml"] = (head + f'<sitemapindex xmlns="{SITEMAP_NS}">\n' + body + "</sitemapindex>\n").encode("utf-8")
    return out


def _urlset(urls: list[str]) -> bytes:
    body = "".join(f"<url><loc>{escape(u)}</loc></url>\n" for u in urls)
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            f'<urlset xmlns="{SITEMAP_NS}">\n' + body + "</urlset>\n").encode("utf-8")
