"""What every importer shares: the knowledge base's index, a draft of new Turtle, slugs, matching.

Input: a knowledge-base folder, read once with `open_kb` (what it describes, the labels of its
actors, places and concepts). Output: a `Draft` of new blocks that the importer fills, written as
one new Turtle file under the folder, or no file at all when everything is already there. An
existing file is never opened for writing.
"""
from __future__ import annotations

import hashlib
import math
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .. import arabic
from ..engine import Lit
from ..extract import KIND_TYPES
from ..namespaces import (DCTERMS, EDTF_TYPE, PREFIXES, RDF, RDFS, SCHEMA, SEM, SKOS, TL, XSD, all_prefixes,
                          compact)

IMPORT_DIR = "imported"
NEAR_KM = 50.0  # two places of one name farther apart than this are two places
LABEL_PROPS = (SKOS + "prefLabel", SKOS + "altLabel", RDFS + "label")
SETTLEMENT = re.compile(r"\s+(village|town|city|camp|hamlet)$")
# Latin letters without an ASCII decomposition, and apostrophes (dropped: "Kata'ib" is "kataib").
_LATIN = str.maketrans({"ı": "i", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ß": "ss",
                        "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "ð": "d",
                        "'": None, "’": None, "ʼ": None, "ʾ": None, "ʿ": None, "`": None})
_PN_LOCAL = re.compile(r"^[A-Za-z][A-Za-z0-9]*:[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_IRI_BAD = re.compile(r"[\x00-\x20<>\"{}|^`\\]")


class ImportFailure(Exception):
    """A file that cannot be imported; the message says what is wrong with it."""


# ---- text ------------------------------------------------------------------------------------------

def norm(text: str) -> str:
    """A label with case, accents, punctuation and Arabic letter forms folded (as search folds them)."""
    folded = unicodedata.normalize("NFKD", arabic.normalise(text.translate(arabic.LATIN_LETTERS)).casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", folded).split())


def slugify(text: str, limit: int = 60) -> str:
    """An ASCII slug (`[a-z0-9-]`) of a text; empty when nothing of it is Latin."""
    folded = unicodedata.normalize("NFKD", text.translate(_LATIN))
    spaced = "".join(c if c.isalnum() or unicodedata.combining(c) else " " for c in folded)
    ascii_text = spaced.encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] or slug[:limit]
    return slug


def digest(*parts: str, length: int = 8) -> str:
    """A short stable hash of some texts, for slugs of things that have no id of their own."""
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:length]


def script_lang(text: str, default: str) -> str:
    """The language tag of a text: "ar" when it is written in Arabic script, else the default."""
    letters = [c for c in text if c.isalpha()]
    arabic = sum("\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f" for c in letters)
    return "ar" if letters and arabic * 2 > len(letters) else default


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in kilometres between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def date_phrase(edtf_text: str, lang: str = "en") -> str:
    """An EDTF date as the site says it ("June 2016", "one day between 11 and 12 September 2017")."""
    from ..dates import Resolved, _precision
    from ..datefmt import format_date
    from ..edtf import parse_edtf
    e = parse_edtf(edtf_text)
    if e.kind == "interval":
        r = Resolved("", e.earliest, e.latest, "span", written=e, precision=e.precision,
                     start_bounds=(e.start.earliest, e.start.latest) if e.start else None,
                     end_bounds=(e.end.earliest, e.end.latest) if e.end else None,
                     open_start=e.open_start, open_end=e.open_end,
                     unknown_start=e.unknown_start, unknown_end=e.unknown_end)
    else:
        r = Resolved("", e.earliest, e.latest, "one-of" if e.kind == "one-of" else "point", written=e,
                     precision=_precision(e.earliest, e.latest, e), uncertain=e.uncertain,
                     approximate=e.approximate, time=e.time)
    return format_date(r, lang)


def integer(value: int) -> Lit:
    return Lit(str(value), "", XSD + "integer")


def decimal(text: str) -> Lit:
    """An xsd:decimal from a number as written ("35.763369", "38", "-9.5")."""
    value = text.strip()
    if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", value):
        value = repr(float(value))
    if "." not in value:
        value += ".0"
    return Lit(value, "", XSD + "decimal")


def edtf(text: str) -> Lit:
    return Lit(text, "", EDTF_TYPE)


def text(value: str, lang: str) -> Lit:
    return Lit(value, lang)


# ---- the knowledge base as it is --------------------------------------------------------------------

@dataclass
class KBIndex:
    """What the knowledge base already describes, and its labels by kind, to match against."""

    id_ns: str
    described: set[str]
    labels: dict[str, dict[str, set[str]]]  # kind -> normalised label -> IRIs
    preferred: dict[str, set[str]]  # normalised prefLabel -> IRIs
    kinds: dict[str, set[str]]  # IRI -> kinds
    coords: dict[str, tuple[float, float]]

    @classmethod
    def from_store(cls, store: ox.Store, id_ns: str) -> KBIndex:
        """Read the described IRIs, kinds, labels and coordinates from a loaded store."""
        described = {q.subject.value for q in store.quads_for_pattern(None, None, None)
                     if isinstance(q.subject, ox.NamedNode)}
        kinds: dict[str, set[str]] = defaultdict(set)
        for q in store.quads_for_pattern(None, ox.NamedNode(RDF + "type"), None):
            if not isinstance(q.subject, ox.NamedNode):
                continue
            kinds[q.subject.value].update(k for k, ts in KIND_TYPES.items() if q.object.value in ts)
            if q.object.value == SCHEMA + "Country":
                kinds[q.subject.value].add("country")
            if q.object.value == SEM + "Place":
                kinds[q.subject.value].add("sem:Place")
        for prop in (SKOS + "inScheme", SKOS + "topConceptOf"):
            for q in store.quads_for_pattern(None, ox.NamedNode(prop), ox.NamedNode(TL + "EventTypes")):
                kinds[q.subject.value].add("event-type")
        labels: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        preferred: dict[str, set[str]] = defaultdict(set)
        for prop in LABEL_PROPS:
            for q in store.quads_for_pattern(None, ox.NamedNode(prop), None):
                if not isinstance(q.subject, ox.NamedNode) or not isinstance(q.object, ox.Literal):
                    continue
                key = norm(q.object.value)
                for kind in kinds.get(q.subject.value, ()):
                    labels[kind][key].add(q.subject.value)
                if prop == SKOS + "prefLabel":
                    preferred[key].add(q.subject.value)
        coords = {}
        for q in store.quads_for_pattern(None, ox.NamedNode(SCHEMA + "latitude"), None):
            lon = next(store.quads_for_pattern(q.subject, ox.NamedNode(SCHEMA + "longitude"), None), None)
            try:
                coords[q.subject.value] = (float(q.object.value), float(lon.object.value))
            except (AttributeError, ValueError):
                continue
        return cls(id_ns, described, labels, preferred, dict(kinds), coords)


# ---- the draft ------------------------------------------------------------------------------------

@dataclass
class Block:
    """One subject to write: its types, then its statements in the order they were added."""

    iri: str
    types: list[str]
    section: str
    props: dict[str, list[str | Lit]] = field(default_factory=dict)

    def add(self, predicate: str, *objects: str | Lit | None) -> Block:
        """Add statements (None and repeated objects are skipped)."""
        for obj in objects:
            if obj is None:
                continue
            values = self.props.setdefault(predicate, [])
            if obj not in values:
                values.append(obj)
        return self

    def has(self, predicate: str) -> bool:
        return bool(self.props.get(predicate))


SECTIONS = ("Data set", "Concepts", "Actors", "Places", "Sources", "Events")


@dataclass
class Stats:
    """What an import did, for the summary line."""

    rows: int = 0
    new_events: int = 0
    present: int = 0
    skipped: list[str] = field(default_factory=list)
    matched: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # what one importer alone reports (geonames: its matches)

    def closing_lines(self) -> list[str]:
        """The last lines of every summary: what was skipped and why, then the notes."""
        return [f"  skipped {why}" for why in self.skipped] + [f"  note: {note}" for note in self.notes]


class Draft:
    """New blocks for one import, over the index of the knowledge base they add to."""

    def __init__(self, index: KBIndex):
        self.index = index
        self.blocks: dict[str, Block] = {}
        self.stats = Stats()
        self.aliases: dict[str, list[str]] = {}  # normalised name -> [the name to use, other names]
        self._mine: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))

    @property
    def id_ns(self) -> str:
        return self.index.id_ns

    def iri(self, slug: str) -> str:
        return self.id_ns + slug

    def exists(self, iri: str) -> bool:
        """True when the knowledge base already describes the IRI."""
        return iri in self.index.described

    def taken(self, iri: str) -> bool:
        return iri in self.index.described or iri in self.blocks

    def free_slug(self, base: str) -> str:
        """The slug itself, or with -2, -3 … when another thing has it."""
        base = base or "thing"
        slug, n = base, 1
        while self.taken(self.iri(slug)):
            n += 1
            slug = f"{base}-{n}"
        return slug

    def new(self, iri: str, types: Iterable[str], section: str) -> Block:
        """Start a block for a new subject (or return the one started earlier)."""
        if iri not in self.blocks:
            self.blocks[iri] = Block(iri, list(types), section)
        return self.blocks[iri]

    def remember(self, kind: str, label: str, iri: str) -> None:
        """Make a thing created by this import findable by its label."""
        self._mine[kind][norm(label)].append(iri)

    def find(self, kind: str, names: Iterable[str], near: tuple[float, float] | None = None) -> str | None:
        """A thing of this kind with one of these labels, in the knowledge base or this import."""
        keys = [k for k in dict.fromkeys(norm(n) for n in names if n) if k]
        for key in keys:
            found = self._pick(self.index.labels.get(kind, {}).get(key, set()), key, near)
            if found:
                self.stats.matched.add(found)
                return found
        for key in keys:
            for iri in self._mine[kind].get(key, []):
                if self._close_enough(iri, near):
                    return iri
        return None

    def _pick(self, candidates: set[str], key: str, near: tuple[float, float] | None) -> str | None:
        """The best of several same-labelled things: prefLabel over altLabel, then the first IRI."""
        fitting = sorted(c for c in candidates if self._close_enough(c, near))
        if not fitting:
            return None
        pref = [c for c in fitting if c in self.index.preferred.get(key, ())]
        return (pref or fitting)[0]

    def _close_enough(self, iri: str, near: tuple[float, float] | None) -> bool:
        at = self.index.coords.get(iri) or self._coords_of(iri)
        return near is None or at is None or km_between(at, near) <= NEAR_KM

    def _coords_of(self, iri: str) -> tuple[float, float] | None:
        block = self.blocks.get(iri)
        if block and block.has(SCHEMA + "latitude") and block.has(SCHEMA + "longitude"):
            return float(block.props[SCHEMA + "latitude"][0].value), float(block.props[SCHEMA + "longitude"][0].value)
        return None

    def note(self, message: str) -> None:
        self.stats.notes.append(message)

    # ---- common things -------------------------------------------------------------------------

    def actor(self, name: str, types: Iterable[str] = (SCHEMA + "Organization",), *, key: str | None = None,
              alt: Iterable[str] = (), description: str | None = None, same_as: str | None = None,
              slug: str | None = None, labels: Iterable[Lit] = ()) -> str:
        """The actor of this name: matched by label and other spellings, else a new one."""
        if key and (found := self._mine["actor-key"].get(key)):
            return found[0]
        if norm(name) in self.aliases:
            name, *others = self.aliases[norm(name)]
            alt = [*others, *alt]
        iri = self.find("actor", [name, *alt])
        if iri is None and slug and self.exists(self.iri(slug)) and "actor" in self.index.kinds.get(self.iri(slug), ()):
            iri = self.iri(slug)  # ours from an earlier import, relabelled by an editor since
        if iri is None:
            iri = self.iri(self.free_slug(slug or slugify(name) or "actor-" + digest(name)))
            block = self.new(iri, [SEM + "Actor", *types], "Actors")
            block.add(SKOS + "prefLabel", text(name, script_lang(name, "en")), *labels)
            block.add(SKOS + "altLabel", *(text(a, script_lang(a, "en")) for a in alt if norm(a) != norm(name)))
            if description:
                block.add(DCTERMS + "description", text(description, "en"))
            block.add("http://www.w3.org/2002/07/owl#sameAs", same_as)
            for label in (name, *alt):
                self.remember("actor", label, iri)
        if key:
            self._mine["actor-key"][key].append(iri)
        return iri


    def unidentified_publisher(self) -> str:
        """The one actor that stands for "who published this is not said" (a source needs a publisher)."""
        return self.actor("Publisher not identified", types=(), slug="unidentified-publisher",
                          labels=[text("ناشر غير محدد", "ar")],
                          description="Who published a source, where the source does not say it plainly.")


# ---- writing ----------------------------------------------------------------------------------------

def term(value: str | Lit, prefixes: dict[str, str]) -> str:
    """Write one object (or subject) in Turtle."""
    if isinstance(value, Lit):
        return literal(value, prefixes)
    short = compact(value, prefixes)
    if _PN_LOCAL.match(short) and not short.startswith("<"):
        return short
    return "<" + _IRI_BAD.sub(lambda m: "%{:02X}".format(ord(m.group())), value) + ">"


def literal(lit: Lit, prefixes: dict[str, str]) -> str:
    """Write a literal: bare numbers and booleans, quoted strings with their tag or datatype."""
    value = lit.value
    if lit.datatype == XSD + "integer" and re.fullmatch(r"-?[0-9]+", value):
        return value
    if lit.datatype == XSD + "decimal" and re.fullmatch(r"-?[0-9]+\.[0-9]+", value):
        return value
    if lit.datatype == XSD + "boolean" and value in ("true", "false"):
        return value
    if "\n" in value:
        body = value.replace("\r", "").replace("\\", "\\\\").replace('"', '\\"')
        quoted = f'"""{body}"""'
    else:
        body = value.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r").replace("\t", "\\t")
        quoted = f'"{body}"'
    if lit.lang:
        return f"{quoted}@{lit.lang}"
    if lit.datatype and lit.datatype != XSD + "string":
        return f"{quoted}^^{term(lit.datatype, prefixes)}"
    return quoted


def render_block(block: Block, prefixes: dict[str, str]) -> str:
    """One subject as a Turtle statement, a predicate per line."""
    lines = [term(block.iri, prefixes) + (" a " + " , ".join(term(t, prefixes) for t in block.types)
                                         if block.types else "")]
    preds = [(p, vs) for p, vs in block.props.items() if vs]
    if not block.types and not preds:
        return ""
    for i, (pred, values) in enumerate(preds):
        sep = " ;" if block.types or i else ""
        objs = " , ".join(term(v, prefixes) for v in values)
        if block.types or i:
            lines[-1] += sep
            lines.append(f"    {term(pred, prefixes)} {objs}")
        else:
            lines[-1] += f" {term(pred, prefixes)} {objs}"
    return "\n".join(lines) + " .\n"


def render(draft: Draft, header: list[str]) -> str:
    """The whole new file: a comment header, the prefixes, then each section's blocks."""
    prefixes = all_prefixes(draft.id_ns)
    out = [f"# {line}".rstrip() for line in header]
    out.append("")
    width = max(len(p) for p in prefixes)
    out += [f"@prefix {name + ':':<{width + 1}} <{ns}> ." for name, ns in {**PREFIXES, "id": draft.id_ns}.items()]
    out.append("")
    by_section: dict[str, list[Block]] = defaultdict(list)
    for block in draft.blocks.values():
        by_section[block.section].append(block)
    for section in (*SECTIONS, *sorted(set(by_section) - set(SECTIONS))):
        blocks = by_section.get(section)
        if not blocks:
            continue
        out += [f"# ---- {section.lower()} " + "-" * max(4, 90 - len(section)), ""]
        out += [text.rstrip("\n") + "\n" for b in blocks if (text := render_block(b, prefixes))]
    return "\n".join(out).rstrip("\n") + "\n"


def check_syntax(turtle: str, id_ns: str) -> None:
    """Parse the text written, so that a bug here never leaves a broken file in the knowledge base."""
    try:
        ox.parse(turtle.encode("utf-8"), ox.RdfFormat.TURTLE, base_iri=id_ns)
    except SyntaxError as exc:  # a bug in the writer, not in the user's data
        raise AssertionError(f"the importer wrote Turtle that does not parse: {exc}") from None


def write_new(kb_root: Path, stem: str, turtle: str) -> Path:
    """Write a new file `imported/<stem>.ttl` (then -2, -3 …), never replacing one that exists."""
    folder = kb_root / IMPORT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    n = 1
    while True:
        path = folder / (f"{stem}.ttl" if n == 1 else f"{stem}-{n}.ttl")
        try:
            with open(path, "x", encoding="utf-8", newline="\n") as f:
                f.write(turtle)
            return path
        except FileExistsError:
            n += 1


# ---- progress ---------------------------------------------------------------------------------------

def progress(items: list, label: str, stream=None) -> Iterator:
    """Yield the items, drawing a bar on standard error when it is a terminal and the list is long."""
    stream = stream or sys.stderr
    total = len(items)
    show = total >= 200 and hasattr(stream, "isatty") and stream.isatty()
    step = max(1, total // 100)
    for i, item in enumerate(items, 1):
        yield item
        if show and (i % step == 0 or i == total):
            filled = 30 * i // total
            stream.write(f"\r{label} [{'#' * filled}{'.' * (30 - filled)}] {i}/{total}")
            stream.flush()
    if show:
        stream.write("\n")
