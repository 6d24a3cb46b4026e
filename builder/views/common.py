"""What every view needs: labels with fallback, references to pages, values and dates as text."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from decimal import Decimal, InvalidOperation

from babel import Locale
from babel.core import UnknownLocaleError, get_global, parse_locale
from babel.numbers import UnsupportedNumberingSystemError, format_decimal

from .. import datefmt
from ..dates import Relative, Resolved
from ..engine import Lit
from ..i18n import translations_for
from ..model import Model
from ..namespaces import DCTERMS, EDTF_TYPE, PREFIXES, PROV, RDFS, SKOS, TL, XSD
from .termlabels import TERM_LABELS, term_label

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,199}$")
TERM_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,199}$")
LABEL_PROPS = (SKOS + "prefLabel", DCTERMS + "title", RDFS + "label")
RTL = {"ar", "fa", "he", "ur", "ps", "ckb", "yi", "dv", "sd", "ug"}


@dataclass(frozen=True)
class Text:
    """A piece of text and the language it is in ("" when unknown)."""

    text: str
    lang: str = ""


@dataclass(frozen=True)
class Description(Text):
    """A Markdown description, with the page of each thing of the knowledge base it links to
    (the render makes those links relative to the page: builder/descriptions.py)."""

    id_ns: str = ""
    links: tuple[tuple[str, str], ...] = ()  # (IRI, site-root-relative path of its page)


@dataclass(frozen=True)
class Ref:
    """A mention of a thing: its label, and where it links (None for no link)."""

    text: str
    href: str | None = None  # site-root-relative path, or an absolute http(s) URL
    lang: str = ""  # set when the label is not in the page's language
    external: bool = False


@dataclass(frozen=True)
class DateText:
    """A date as the page shows it, with the machine-readable value and derivation."""

    text: str
    datetime: str | None
    hijri: str | None = None
    derivation: tuple = ()  # when relative, one (before, Ref, after, phrase Text | None, …) per relative date
    kind: str = "point"


def direction(lang: str) -> str:
    """Text direction of a language."""
    return "rtl" if lang.split("-")[0] in RTL else "ltr"


RTL_SCRIPTS = {"arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg", "mand", "samr"}


def text_direction(tag: str) -> str:
    """The direction of a text tagged `tag`: "rtl" for "ar", "fa-IR"; "ltr" for "en", "ar-Latn";
    "auto" (let the text say) for a tag with no language. A text in a right-to-left language is
    laid out so even when it opens with a Latin name ("ISIS أعلن …"), which dir="auto" would not."""
    parts = tag.lower().split("-")
    if not parts[0]:
        return "auto"
    script = next((p for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    if script:
        return "rtl" if script in RTL_SCRIPTS else "ltr"
    return "rtl" if parts[0] in RTL else "ltr"


def slug_of(model: Model, iri: str) -> str | None:
    """The page folder of an IRI of this knowledge base or the vocabulary, if it may have one."""
    if iri.startswith(model.id_ns):
        local = iri[len(model.id_ns):]
        return f"id/{local}/" if SLUG_RE.match(local) else None
    if iri.startswith(TL):
        local = iri[len(TL):]
        return f"vocab/{local}/" if TERM_RE.match(local) else None
    return None


def lang_prefix(model: Model, lang: str) -> str:
    """The folder of a language's tree: "" for the first language, "<lang>/" for others."""
    return "" if lang == model.languages[0] else f"{lang}/"


def page_href(model: Model, iri: str, lang: str) -> str | None:
    """Site-relative path of a thing's page in a language, or None if it has none."""
    slug = slug_of(model, iri)
    if slug is None or iri not in model.things:
        return None
    return lang_prefix(model, lang) + slug


def pick(texts: list[Lit], lang: str, languages: tuple[str, ...]) -> Lit | None:
    """Choose a literal in the page's language, else another site language, else any."""
    if not texts:
        return None
    by_lang = {}
    for t in sorted(texts):
        by_lang.setdefault(t.lang.lower(), t)
    for candidate in (lang, *languages):
        if candidate in by_lang:
            return by_lang[candidate]
    for key, t in sorted(by_lang.items()):
        if key.split("-")[0] in (lang, *languages):
            return t
    return by_lang.get("") or next(iter(sorted(by_lang.values())))


def local_name(iri: str) -> str:
    """The last segment of an IRI, for when nothing better names it."""
    return re.split(r"[/#:]", iri.rstrip("/#"))[-1] or iri


def label(model: Model, iri: str, lang: str) -> Text:
    """A thing's label in a language, falling back as the format says (made once per thing and
    language: lists, timelines and references ask for the same labels again and again)."""
    found = model.memo("label").get((iri, lang))
    return found if found is not None else _once(model, "label", _label, iri, lang)


def _once(model: Model, name: str, make, iri: str, lang: str):
    """`make(model, iri, lang)`, made once per thing and language and kept in the model's memo."""
    memo = model.memo(name)
    found = memo.get((iri, lang))
    if found is None:
        found = memo[(iri, lang)] = make(model, iri, lang)
    return found


def _label(model: Model, iri: str, lang: str) -> Text:
    thing = model.things.get(iri)
    if thing is not None:
        for prop in LABEL_PROPS:
            found = pick(thing.literals(prop), lang, model.languages)
            if found is not None:
                return Text(found.value, found.lang)
    if iri.startswith(model.id_ns):
        return Text(local_name(iri), "")
    return Text(term_label(iri, lang) or compact_iri(iri), "")


def compact_iri(iri: str) -> str:
    """prefix:local for the format's namespaces, else the IRI."""
    for name, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{name}:{iri[len(ns):]}"
    return iri


def safe_url(url: str) -> str | None:
    """Only http(s) URLs may become links."""
    return url if re.match(r"^https?://[^\s<>\"']+$", url, re.I) else None


def ref(model: Model, iri: str, lang: str) -> Ref:
    """A reference to a thing: a link to its page, out to the web, or plain text (made once per
    thing and language: a thing is mentioned on many pages)."""
    found = model.memo("ref").get((iri, lang))
    return found if found is not None else _once(model, "ref", _ref, iri, lang)


MAX_MENTION = 200  # characters of a label a mention shows: a longer one is cut at a word, with "…"


def mention_text(text: str) -> str:
    """A label as a mention shows it: whole up to MAX_MENTION characters, else cut at the last
    space before it (or at it), with "…". The thing's own page shows it whole; a label pasted in
    from a description (20 KB, named by 1,000 events) made each page that names it as long."""
    if len(text) <= MAX_MENTION:
        return text
    cut = text[:MAX_MENTION - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > MAX_MENTION // 2 else cut).rstrip() + "…"


def _ref(model: Model, iri: str, lang: str) -> Ref:
    if iri.startswith("_:"):
        return Ref("…")
    text = label(model, iri, lang)
    text = replace(text, text=mention_text(text.text))
    fallback = text.lang if text.lang and text.lang.split("-")[0] != lang else ""
    href = page_href(model, iri, lang)
    if href is not None:
        return Ref(text.text, href, fallback)
    if iri.startswith(model.id_ns) or iri.startswith(TL):
        return Ref(text.text, None, fallback)
    url = safe_url(iri)
    return Ref(text.text, url, fallback, external=url is not None)


def heading_label(model: Model, iri: str, lang: str) -> Text:
    """A thing's label as the heading (and title) of its page: a term of the tl: vocabulary,
    named in lower case to sit inside sentences ("perpetrator"), begins with a capital there."""
    found = label(model, iri, lang)
    if iri.startswith(TL) and found.text[:1].islower():
        return replace(found, text=found.text[:1].upper() + found.text[1:])
    return found


def label_ref(model: Model, iri: str, lang: str) -> Ref:
    """A reference to a term that stands as a label (the <dt> of a role or a relation): begun with
    a capital, as the interface's own labels are ("Perpetrator", "Derived from"), when its name is
    one the format ships, a label of the tl: vocabulary or a standard term's name in the catalogs,
    which are written in lower case to sit inside sentences. A name from the knowledge base, and
    a term with no name (written as a CURIE), stay as they are written; so does a script without
    case."""
    found = ref(model, iri, lang)
    if not (iri.startswith(TL) or iri in TERM_LABELS) or not found.text[:1].islower():
        return found
    thing = model.things.get(iri)
    named = term_label(iri, lang) is not None or (thing is not None and any(thing.literals(p) for p in LABEL_PROPS))
    return replace(found, text=found.text[:1].upper() + found.text[1:]) if named else found


@lru_cache(maxsize=1024)
def language_in(tag: str, lang: str) -> str | None:
    """The name of the language of a tag in the page's language, with its script, region and
    variant as Babel's display names put them ("ar" → "Arabic", "ar-Latn" → "Arabic (Latin)",
    "en-GB" → "English (United Kingdom)"; a language's usual script is left unsaid: "ar-Arab" →
    "Arabic"), or None when the page's locale does not name the language.

    The names come from the page's locale (CLDR, through Babel); the tag is only split, not looked
    up, since Babel has no locale data for most language-script pairs and `Locale.parse` would
    drop the script ("ar-Latn" would read "Arabic")."""
    try:
        language, territory, script, variant = parse_locale(tag.strip().replace("-", "_"))[:4]
    except (ValueError, TypeError, AttributeError):
        return None
    names = babel_locale(lang)
    name = names.languages.get(language)
    if not name:
        return None
    if script and _usual_script(language) == script.title():
        script = None  # "ar-Arab" is just Arabic
    details = [found for found in (names.scripts.get(script) if script else None,
                                   names.territories.get(territory) if territory else None,
                                   names.variants.get(variant) if variant else None) if found]
    if not details:
        return name
    # the page language's comma ("، " in Arabic), not Babel's ", " whatever the language
    return f"{name} ({translations_for(lang).gettext(', ').join(details)})"


@cache
def _usual_script(language: str) -> str | None:
    """The script a language is written in unless a tag says otherwise (CLDR's likely subtags)."""
    likely = get_global("likely_subtags").get(language.lower(), "")
    parts = likely.split("_")
    return parts[1] if len(parts) > 1 and len(parts[1]) == 4 else None


@cache
def babel_locale(lang: str) -> Locale:
    """The Babel locale of a language tag (English when Babel does not know it), made once."""
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def format_number(value: str | int, lang: str, digits: str | None) -> str:
    """A number in the page's locale and digits (Babel): the locale's own digits unless [digits] names others."""
    return _format_number(str(value), lang, digits)


@lru_cache(maxsize=1 << 16)
def _format_number(value: str, lang: str, digits: str | None) -> str:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    try:  # Babel gives the system's separators but always Western digits: those are ours to write
        text = format_decimal(number, locale=lang, numbering_system=digits or "default")
    except (UnknownLocaleError, ValueError, KeyError, UnsupportedNumberingSystemError):
        text = format_decimal(number, locale="en")
    return datefmt.localise_digits(text, lang, digits)


@lru_cache(maxsize=1 << 16)
def format_coordinate(value: str | float, lang: str, digits: str | None) -> str:
    """A latitude or longitude as `format_number` writes numbers (the page's digits and decimal
    sign, one system throughout), but with every decimal kept and no grouping."""
    try:
        number = Decimal(value if isinstance(value, str) else repr(value))
    except InvalidOperation:
        return str(value)
    options = {"decimal_quantization": False, "group_separator": False}
    try:
        text = format_decimal(number, locale=babel_locale(lang), numbering_system=digits or "default", **options)
    except (UnknownLocaleError, ValueError, KeyError, UnsupportedNumberingSystemError):
        text = format_decimal(number, locale="en", **options)
    return datefmt.localise_digits(text, lang, digits)


def literal_text(lit: Lit, lang: str, digits: str | None) -> Text:
    """A literal as text: numbers in the page's digits, others as written."""
    if lit.datatype in (XSD + "integer", XSD + "decimal", XSD + "int", XSD + "double"):
        return Text(format_number(lit.value, lang, digits), "")
    if lit.datatype == XSD + "boolean":
        return Text(lit.value, "")
    return Text(lit.value, lit.lang)


def statement_text(lit: Lit, lang: str, digits: str | None) -> Text:
    """A statement's literal value as the page shows it: as `literal_text`, but a date as the
    page's language writes dates, at its written precision (a claim that something happened
    "0969-08" shows "August 969", "أغسطس ٩٦٩")."""
    written = _written_date(lit.value, lit.datatype) if lit.datatype in _DATE_TYPES else None
    if written is not None:
        return Text(datefmt.format_date(written, lang, digits), "")
    return literal_text(lit, lang, digits)


_DATE_TYPES = {EDTF_TYPE} | {XSD + t for t in ("date", "gYearMonth", "gYear", "dateTime")}


@lru_cache(maxsize=4096)
def _written_date(value: str, datatype: str) -> Resolved | None:
    """A date literal resolved on its own, as a thing dated by it alone would be; None if it does
    not parse (the checker reports it, and the page shows it as written)."""
    from ..dates import NOWHERE, DateInput, resolve
    from ..derive import parse_date_literal
    from ..edtf import EDTFError
    try:
        written = parse_date_literal(Lit(value, "", datatype))
    except EDTFError:
        return None
    resolved, _ = resolve({"_:value": DateInput("_:value", written=((written, NOWHERE),))})
    return resolved.get("_:value")


def date_text(model: Model, r: Resolved | None, lang: str, digits: str | None) -> DateText | None:
    """A resolved date as the page shows it, with its derivation when it is relative."""
    if r is None:
        return None
    derivation = []
    for rel in r.relatives:  # each one: together they give the date ("on or after A and on or before B")
        before, _, after = datefmt.derivation(rel, lang, digits).partition("{anchor}")
        derivation.append((before, ref(model, rel.anchor, lang), after, *_phrases(model, r.iri, rel, lang)))
    hijri = datefmt.hijri(r, lang, digits) if lang.split("-")[0] in ("ar", "fa") else None
    return DateText(datefmt.format_date(r, lang, digits), datefmt.datetime_attr(r), hijri, tuple(derivation), r.kind)


def original_language(model: Model, iri: str) -> str | None:
    """The language of the sources a thing derives from (dcterms:language), if they say."""
    thing = model.things.get(iri)
    for source in sorted(thing.iris(PROV + "wasDerivedFrom")) if thing else []:
        found = model.things.get(source)
        lit = found.first_literal(DCTERMS + "language") if found else None
        if lit is not None:
            return lit.value.split("-")[0].lower()
    return None


def _phrases(model: Model, iri: str, rel: Relative, lang: str) -> tuple[Text | None, Text | None]:
    """The source's own words for a relative date of `iri`, and their rendering in the page's language."""
    phrases = [Lit(t, lng) for lng, t in rel.phrases]
    if not phrases:
        return None, None
    original = original_language(model, iri)
    own = next((p for p in phrases if original and p.lang.split("-")[0] == original), None)
    own = own or pick(phrases, lang, model.languages)
    here = next((p for p in phrases if p.lang.split("-")[0] == lang and p != own), None)
    return Text(own.value, own.lang), (Text(here.value, here.lang) if here else None)


def is_tl(iri: str, name: str) -> bool:
    return iri == TL + name


def feed_path(model: Model, iri: str) -> str | None:
    """The feed of a thing's page, if it has one (actors and places)."""
    thing = model.things.get(iri)
    slug = slug_of(model, iri)
    if thing is None or not slug or not slug.startswith("id/"):
        return None
    if "actor" in thing.kinds:
        return f"feeds/actors/{slug[3:-1]}.xml"
    if "place" in thing.kinds:
        return f"feeds/places/{slug[3:-1]}.xml"
    return None
