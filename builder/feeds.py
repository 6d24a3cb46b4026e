"""Feeds and discovery: the model in, `feeds/*.xml` (Atom) and `sitemap.xml` bytes out.

Atom needs absolute addresses and times: addresses come from `base_url`, and an entry's
`updated` is the last day its date allows (never the wall clock, so builds stay byte-identical).
"""
from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from . import edtf
from .config import SiteConfig
from .datefmt import format_date
from .model import Model
from .namespaces import SEM, SCHEMA
from .views.common import feed_path, label, slug_of  # noqa: F401 (feed_path: the pages' link)

ATOM = "http://www.w3.org/2005/Atom"


def _stamp(day: int | None) -> str:
    """An RFC 3339 time for a day number (BCE and open dates fall back to the epoch)."""
    if day is None:
        return "1970-01-01T00:00:00Z"
    y, m, d = edtf.ymd(day)
    return f"{y:04d}-{m:02d}-{d:02d}T00:00:00Z" if 1 <= y <= 9999 else "1970-01-01T00:00:00Z"


def _page_url(config: SiteConfig, model: Model, iri: str) -> str:
    return config.base_url + (slug_of(model, iri) or "")


def atom(model: Model, config: SiteConfig, events: list[str], feed_id: str, title: str, self_path: str) -> bytes:
    """An Atom feed of events, newest first."""
    lang = config.default_language
    ordered = sorted(events, key=lambda i: (model.dates[i].latest or model.dates[i].earliest or 0, i), reverse=True)
    entries = []
    for iri in ordered:
        r = model.dates[iri]
        when = format_date(r, lang, config.digits.get(lang))
        entries.append(
            "<entry>"
            f"<id>{escape(iri)}</id>"
            f"<title>{escape(label(model, iri, lang).text)}</title>"
            f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(_page_url(config, model, iri))}/>"
            f"<updated>{_stamp(r.latest if r.latest is not None else r.earliest)}</updated>"
            f"<summary>{escape(when)}</summary>"
            "</entry>")
    updated = max((_stamp(model.dates[i].latest) for i in events), default="1970-01-01T00:00:00Z")
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
            events = [s for p, s in model.incoming.get(iri, []) if p == SEM + "hasPlace" and s in model.dates]
            path = f"feeds/places/{name}.xml"
        else:
            continue
        out[path] = atom(model, config, sorted(set(events)), config.base_url + path,
                         f"{label(model, iri, lang).text} · {config.title[lang]}", path)
    return out


def sitemap(paths: list[str], config: SiteConfig) -> bytes:
    """sitemap.xml: every HTML page, by its absolute address."""
    urls = sorted(config.base_url + p.removesuffix("index.html") for p in paths
                  if p.endswith(".html") and p != "404.html")
    body = "".join(f"<url><loc>{escape(u)}</loc></url>\n" for u in urls)
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + body + "</urlset>\n").encode("utf-8")
