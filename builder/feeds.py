"""Feeds and discovery: the model in, `feeds/*.xml` (Atom) and `sitemap.xml` bytes out.

Atom needs absolute addresses and times: addresses come from `base_url`, and an entry's
`updated` is the last day its date allows (never the wall clock, so builds stay byte-identical).
RFC 3339 writes only the years 0001 to 9999: an entry whose date it cannot write (233 BCE) takes
the feed's own `updated` (the latest day any of its entries allows), never an invented date such
as the Unix epoch; a feed none of whose dates RFC 3339 can write says 0001-01-01, the nearest
time it can. The entry's summary always gives the date as the pages show it.
"""
from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from . import edtf
from .config import SiteConfig
from .datefmt import format_date
from .fragments import balance_bidi
from .model import Model
from .views.common import feed_path, label, slug_of  # noqa: F401 (feed_path: the pages' link)
from .views.hierarchy import events_under

ATOM = "http://www.w3.org/2005/Atom"


EARLIEST = "0001-01-01T00:00:00Z"  # the first time RFC 3339 can write


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
        entries.append(
            "<entry>"
            f"<id>{escape(iri)}</id>"
            f"<title>{escape(balance_bidi(label(model, iri, lang).text))}</title>"
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


def sitemap(paths: list[str], config: SiteConfig) -> bytes:
    """sitemap.xml: every HTML page, by its absolute address."""
    urls = sorted(config.base_url + p.removesuffix("index.html") for p in paths
                  if p.endswith(".html") and p != "404.html")
    body = "".join(f"<url><loc>{escape(u)}</loc></url>\n" for u in urls)
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + body + "</urlset>\n").encode("utf-8")
