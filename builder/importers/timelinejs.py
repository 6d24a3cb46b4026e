"""Importing TimelineJS JSON: a timeline's JSON (its documented format) in, blocks of a `Draft` out.

The title slide becomes the source every event derives from; each event becomes an event dated
at the precision its `start_date` gives (a year, a month, a day, a time of day), and a span
(`start/end`) when it has an `end_date`. Its headline is the label, its text the description
(HTML reduced to Markdown), its `group` the event type when one of that name exists (else a
keyword), its media a link.

Years: TimelineJS shows a negative year -N as "N BCE", so -N is read as N BCE, which is the
astronomical year 1-N in EDTF (-500 → "-0499"); the exporter does the reverse.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from ..edtf import EDTFError, parse_edtf
from ..namespaces import DCTERMS, PROV, RDFS, SCHEMA, SEM, SKOS
from .common import Draft, ImportFailure, digest, edtf, progress, script_lang, slugify, text

IMAGE = re.compile(r"\.(jpe?g|png|gif|svg|webp|tiff?)(\?.*)?$", re.I)


def read(path: Path) -> dict:
    """Read a TimelineJS JSON file: an object with a list of events."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ImportFailure(f"the file is not UTF-8: {exc.reason}") from None
    except json.JSONDecodeError as exc:
        raise ImportFailure(f"the file is not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise ImportFailure('this is not a TimelineJS file: expected an object with a list of "events"')
    return data


def populate(data: dict, draft: Draft, options) -> None:
    """Add the title slide as a source and each event not in the knowledge base yet."""
    lang = getattr(options, "lang", None) or "en"
    title = _headline(data.get("title")) or Path(getattr(options, "file", "timeline")).stem
    prefix = "tljs-" + (slugify(title, 30) or digest(title))
    source = None
    seen: dict[str, int] = {}  # the IRI tails of this file's events so far -> the event that took it first
    for n, ev in enumerate(progress(data["events"], "timelinejs"), 1):
        draft.stats.rows += 1
        if not isinstance(ev, dict):
            draft.stats.skipped.append(f"event {n}: not an object")
            continue
        headline = _headline(ev)
        uid = str(ev.get("unique_id") or "").strip()
        tail = slugify(uid, 40) if uid else (slugify(headline, 40) + "-" + digest(json.dumps(
            ev.get("start_date"), sort_keys=True), headline, length=6)).strip("-")
        if tail in seen:  # a unique_id used twice (or two that slug alike): two slides, two events
            first, k = seen[tail], 2
            while f"{tail}-{k}" in seen:
                k += 1
            draft.note(f"event {n} ({headline or uid or 'untitled'}) has the identifier of event {first}; "
                       f"it is imported as {prefix}-{tail}-{k}")
            tail = f"{tail}-{k}"
        seen[tail] = n
        iri = draft.iri(f"{prefix}-{tail}")
        if draft.exists(iri):
            draft.stats.present += 1
            continue
        try:
            written = event_date(ev)
        except ValueError as exc:
            draft.stats.skipped.append(f"event {n} ({headline or uid or 'untitled'}): {exc}")
            continue
        source = source or source_node(draft, data, title, prefix, lang, options)
        event(draft, ev, iri, written, headline or uid or f"Event {n}", lang, source)
        draft.stats.new_events += 1
    if data.get("eras"):
        draft.note(f"{len(data['eras'])} era(s) are not imported: they are periods, not events")


def event(draft: Draft, ev: dict, iri: str, written: str, label: str, lang: str, source: str) -> None:
    """One TimelineJS event as an event of the knowledge base."""
    block = draft.new(iri, [SEM + "Event"], "Events")
    block.add(SKOS + "prefLabel", text(label, script_lang(label, lang)))
    group = str(ev.get("group") or "").strip()
    if group:
        concept = draft.find("event-type", [group])
        if concept:
            block.add(SEM + "eventType", concept)
        else:
            block.add(SCHEMA + "keywords", text(group, script_lang(group, lang)))
    block.add(DCTERMS + "date", edtf(written))
    body = markdown(((ev.get("text") or {}).get("text")) if isinstance(ev.get("text"), dict) else "", draft)
    shown = str(ev.get("display_date") or (ev.get("start_date") or {}).get("display_date") or "").strip()
    if shown:
        body = (body + "\n\n" if body else "") + f"The timeline shows its date as “{html.unescape(shown)}”."
    media = ev.get("media") if isinstance(ev.get("media"), dict) else {}
    url = str(media.get("url") or "").strip()
    if url.startswith(("http://", "https://")):
        block.add(SCHEMA + "image" if IMAGE.search(url) else RDFS + "seeAlso", url)
        said = " — ".join(x for x in (_plain(media.get("caption")), _plain(media.get("credit"))) if x)
        if said:
            body = (body + "\n\n" if body else "") + f"Media: {said}"
    if body:
        block.add(DCTERMS + "description", text(body, script_lang(body, lang)))
    block.add(PROV + "wasDerivedFrom", source)


def source_node(draft: Draft, data: dict, title: str, prefix: str, lang: str, options) -> str:
    """The timeline itself, from its title slide, as the source of its events."""
    iri = draft.iri("src-" + prefix)
    if draft.exists(iri):
        return iri
    slide = data.get("title") if isinstance(data.get("title"), dict) else {}
    credit = _plain((slide.get("media") or {}).get("credit")) if isinstance(slide.get("media"), dict) else ""
    name = getattr(options, "publisher", None) or credit
    publisher = draft.actor(name) if name else draft.unidentified_publisher()
    block = draft.new(iri, [PROV + "Entity", SCHEMA + "CreativeWork"], "Data set")
    block.add(DCTERMS + "title", text(title, script_lang(title, lang)))
    block.add(DCTERMS + "publisher", publisher)
    intro = markdown((slide.get("text") or {}).get("text") if isinstance(slide.get("text"), dict) else "", draft)
    block.add(DCTERMS + "description", text(intro, script_lang(intro, lang)) if intro else None)
    return iri


def event_date(ev: dict) -> str:
    """The EDTF of an event: its start at the precision given, or a span to its end."""
    start = _date(ev.get("start_date"), "start_date")
    if ev.get("end_date") in (None, "", {}):
        return start
    end = _date(ev["end_date"], "end_date")
    try:
        parsed = parse_edtf(f"{start}/{end}")
    except EDTFError as exc:
        raise ValueError(str(exc)) from None
    if parsed.start and parsed.end and parsed.start.earliest > parsed.end.latest:
        raise ValueError(f"it ends ({end}) before it starts ({start})")
    return f"{start}/{end}"


def _date(value, what: str) -> str:
    """One TimelineJS date object as EDTF at its own precision."""
    if not isinstance(value, dict) or str(value.get("year", "")).strip() in ("", "None"):
        raise ValueError(f"its {what} has no year")
    parts = {}
    for key in ("year", "month", "day", "hour", "minute", "second"):
        raw = str(value.get(key, "")).strip()
        if raw and not re.fullmatch(r"[+-]?\d+", raw):
            raise ValueError(f"its {what} has a {key} that is not a number: {raw!r}")
        parts[key] = int(raw) if raw else None
    year = parts["year"] + 1 if parts["year"] < 0 else parts["year"]  # TimelineJS -N is N BCE
    if abs(year) > 9999:
        return f"Y{year}"
    out = f"{'-' if year < 0 else ''}{abs(year):04d}"
    if parts["month"] is not None:
        out += f"-{parts['month']:02d}"
        if parts["day"] is not None:
            out += f"-{parts['day']:02d}"
            if parts["hour"] is not None:
                out += f"T{parts['hour']:02d}:{parts['minute'] or 0:02d}:{parts['second'] or 0:02d}"
    try:
        parse_edtf(out)
    except EDTFError:
        raise ValueError(f"its {what} is not a real date ({out})") from None
    return out


def _headline(obj) -> str:
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), dict):
        return ""
    return _plain(obj["text"].get("headline"))


def _plain(value) -> str:
    """Text of a little HTML, on one line."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", str(value or ""))).split())


def markdown(value, draft: Draft | None = None) -> str:
    """A TimelineJS text (HTML) as Markdown: paragraphs, line breaks and links kept, other tags dropped.

    With the draft, only links that can work in the knowledge base are kept: http(s), and not to a
    thing of its id: namespace that it does not describe (the checker would refuse those; a
    timeline exported by Tarikh links each event to its page on the site it came from)."""
    s = str(value or "").replace("\0", "")

    def link(m: re.Match) -> str:
        href = html.unescape(m[2]).strip()
        if draft is not None and (not href.lower().startswith(("http://", "https://"))
                                  or (href.startswith(draft.id_ns) and not draft.taken(href))):
            return _plain(m[3])
        return f"[{_plain(m[3])}]({m[2]})"
    s = re.sub(r"""<a\s[^>]*href=(["'])((?:(?!\1).)+)\1[^>]*>(.*?)</a>""", link, s, flags=re.I | re.S)
    s = re.sub(r"<br\s*/?>", "\0", s, flags=re.I)  # a line break, told apart from the HTML's own line ends
    s = re.sub(r"</p\s*>|<p[^>]*>", "\n\n", s, flags=re.I)
    s = html.unescape(re.sub(r"<[^>]+>", "", s))
    # within a paragraph, each line break (<br>) is a Markdown hard break: two spaces, then the line end
    paragraphs = ["  \n".join(line for line in (" ".join(x.split()) for x in p.split("\0")) if line)
                  for p in re.split(r"\n\s*\n", s)]
    return "\n\n".join(p for p in paragraphs if p)
