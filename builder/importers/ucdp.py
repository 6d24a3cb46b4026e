"""Importing UCDP GED: a CSV of the UCDP Georeferenced Event Dataset in, blocks of a `Draft` out.

One row is one event, `id:ucdp-ged-<id>`, derived from its record `id:src-ucdp-ged-event-<id>`
(what UCDP published about it), which is part of the data set `id:src-ucdp-ged-<version>` and
relays the row's articles, which relay the row's original sources. docs/import-export.md has the
whole mapping; in short:

- `date_start`/`date_end` are the first and last day the event may have happened on (the
  codebook's "earliest possible" and "latest possible" dates); `date_prec` says how that came
  about. One day is written as that day; a range as the one-of form `[start..end]`, or as the
  month or year when the range is exactly one; the code itself goes into the description.
- `where_prec` 1 is `tl:Exact`, 2 (within about 25 km) `tl:Near`, 3–7 (a district, a province,
  a larger area, the country, international waters) `tl:Region`; a place used by several rows
  takes the coarsest, which is true of all of them.
- sides A and B are `tl:participant`s of state-based and non-state conflict (the codebook makes
  neither the attacker); in one-sided violence side A is the `tl:perpetrator` and side B (always
  "Civilians") the `tl:target`, as the codebook defines it.
"""
from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

from ..edtf import EDTFError, month_length, parse_edtf, ymd
from ..namespaces import DCTERMS, PROV, SCHEMA, SEM, SKOS, TL
from .common import (Draft, ImportFailure, SETTLEMENT, date_phrase, decimal, digest, edtf, integer, norm,
                     progress, script_lang, slugify, text)

REQUIRED = ("id", "relid", "type_of_violence", "conflict_name", "side_a", "side_a_new_id", "side_b",
            "side_b_new_id", "number_of_sources", "source_article", "source_office", "source_date",
            "source_headline", "source_original", "where_prec", "where_coordinates", "where_description",
            "adm_1", "adm_2", "latitude", "longitude", "country", "event_clarity", "date_prec", "date_start",
            "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low")
DOWNLOADS = "https://ucdp.uu.se/downloads/"
LICENCE = "https://creativecommons.org/licenses/by/4.0/"

DATE_PREC = {1: "the exact day is known", 2: "the day is known to within 2 to 6 days",
             3: "only the week is known", 4: "the day is known to within 8 to 30 days, or only the month",
             5: "the day is known only to within more than a month (at most a year)"}
WHERE_PREC = {1: "the exact location is known", 2: "the event was within about 25 km of the coded point",
              3: "only the district (second-order administrative division) is known",
              4: "only the province (first-order administrative division) is known",
              5: "only a part of the country larger than a province, or a line such as a border or road, is known",
              6: "only the country is known", 7: "the event was in international waters or airspace"}
GEO = {1: TL + "Exact", 2: TL + "Near"}
GEO_RANK = {TL + "Exact": 0, TL + "Near": 1, TL + "Region": 2}
VIOLENCE = {
    1: ("ucdp-state-based-conflict", "State-based armed conflict", "نزاع مسلح تكون الدولة طرفاً فيه",
        "UCDP type of violence 1: armed force between two organised parties, at least one of them the "
        "government of a state."),
    2: ("ucdp-non-state-conflict", "Non-state conflict", "نزاع بين أطراف من غير الدول",
        "UCDP type of violence 2: armed force between two organised armed groups, neither of them the "
        "government of a state."),
    3: ("ucdp-one-sided-violence", "One-sided violence", "عنف من طرف واحد",
        "UCDP type of violence 3: armed force by the government of a state or by a formally organised group "
        "against civilians."),
}
NEWS = {norm(n) for n in ("AFP", "Agence France Presse", "Agence France-Presse", "Reuters", "Reuters News",
                          "Associated Press", "Associated Press Newswires", "AP", "BBC", "BBC Monitoring",
                          "BBC Monitoring Middle East", "Xinhua", "Xinhua News Agency", "Anadolu Agency",
                          "Al Jazeera", "EFE", "dpa", "Deutsche Presse-Agentur", "ITAR-TASS", "Kurdistan24",
                          "Rudaw", "SANA", "The New York Times", "The Washington Post", "The Guardian",
                          "Press Trust of India", "Sudan Tribune", "Times of India", "The Times of India",
                          "Iraqi News", "Kurdistan 24", "Hürriyet Daily News", "Daily Sabah")}
STOPWORDS = {"for", "of", "the", "and", "in", "on", "a"}
# The news agencies GED cites under several names (the first is the one used).
OUTLETS = (("Agence France-Presse", "Agence France Presse", "AFP"),
           ("Associated Press", "Associated Press Newswires", "AP"),
           ("Reuters", "Reuters News"))


class RowProblem(ValueError):
    """A row that cannot be imported as it is; it is skipped and named in the summary."""


def read(path: Path) -> list[dict[str, str]]:
    """Read a GED CSV file, in the order of its event ids."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
            if missing:
                raise ImportFailure("this is not a UCDP GED CSV file: it has no column "
                                    + ", ".join(missing[:6]) + (" …" if len(missing) > 6 else ""))
            rows = list(reader)
    except UnicodeDecodeError as exc:
        raise ImportFailure(f"the file is not UTF-8: {exc.reason}") from None
    except csv.Error as exc:
        raise ImportFailure(f"the CSV cannot be read: {exc}") from None
    return sorted(rows, key=lambda r: (_int(r["id"]) is None, _int(r["id"]) or 0))


def _int(value: str | None) -> int | None:
    try:
        return int(float(value)) if value not in (None, "") else None
    except ValueError:
        return None


def populate(rows: list[dict[str, str]], draft: Draft, options) -> None:
    """Add every row that is not in the knowledge base yet, and what it needs, to the draft."""
    version = getattr(options, "dataset_version", None) or "23.1"
    draft.aliases.update(aliases(rows))
    draft.aliases.update({norm(n): list(names) for names in OUTLETS for n in names})
    places = Places(draft)
    dataset = None
    for row in progress(rows, "ucdp"):
        draft.stats.rows += 1
        rid = _int(row["id"])
        if rid is None:
            draft.stats.skipped.append(f"a row without an id ({row['id']!r})")
            continue
        if draft.exists(draft.iri(f"ucdp-ged-{rid}")):
            draft.stats.present += 1
            continue
        dataset = dataset or dataset_node(draft, version)
        try:
            event(row, rid, draft, places, dataset)
            draft.stats.new_events += 1
        except RowProblem as exc:
            draft.stats.skipped.append(f"row {rid}: {exc}")
    places.finish()


# ---- the data set and its types ------------------------------------------------------------------------

def dataset_node(draft: Draft, version: str) -> str:
    """The data set as a source, published by UCDP, with its licence and citation."""
    iri = draft.iri("src-ucdp-ged-" + slugify(version))
    ucdp = draft.actor("Uppsala Conflict Data Program", slug="ucdp", alt=["UCDP"],
                       labels=[text("برنامج أوبسالا لبيانات النزاعات", "ar")],
                       description="The Uppsala Conflict Data Program, Department of Peace and Conflict Research, "
                                   "Uppsala University.")
    if draft.exists(iri):
        return iri
    title = f"UCDP Georeferenced Event Dataset (GED) Global version {version}"
    draft.new(iri, [PROV + "Entity", SCHEMA + "Dataset", SCHEMA + "CreativeWork"], "Data set") \
        .add(DCTERMS + "title", text(title, "en")) \
        .add(SKOS + "prefLabel", text(title, "en"),
             text(f"مجموعة بيانات الأحداث المحددة جغرافياً من UCDP (GED)، الإصدار العالمي {version}", "ar")) \
        .add(DCTERMS + "publisher", ucdp) \
        .add(DCTERMS + "license", LICENCE) \
        .add(DCTERMS + "bibliographicCitation", text(f"{title}, Uppsala Conflict Data Program", "en")) \
        .add(SCHEMA + "url", DOWNLOADS) \
        .add(DCTERMS + "description", text(
            "Events of organised violence, each at a given place and time, with the parties, the deaths "
            "and the sources UCDP coded them from. Licensed CC BY 4.0: cite it wherever its data is shown.", "en"))
    return iri


def violence_type(draft: Draft, code: int) -> str | None:
    """The event type of a UCDP type of violence, defined once in the knowledge base."""
    if code not in VIOLENCE:
        return None
    slug, en, ar, definition = VIOLENCE[code]
    iri = draft.iri(slug)
    if not draft.exists(iri):
        draft.new(iri, [SKOS + "Concept"], "Concepts") \
            .add(SKOS + "inScheme", TL + "EventTypes") \
            .add(SKOS + "prefLabel", text(en, "en"), text(ar, "ar")) \
            .add(SKOS + "definition", text(definition, "en"))
    return iri


# ---- one row -------------------------------------------------------------------------------------------

def event(row: dict[str, str], rid: int, draft: Draft, places: Places, dataset: str) -> None:
    """Add one row's event, with its actors, place and sources."""
    date = ged_date(row)
    missing = [f"side_{w}" for w in "ab" if not row[f"side_{w}"].strip()]
    if missing:
        raise RowProblem("it has no " + " and no ".join(missing))
    kind = _int(row["type_of_violence"])
    side_a, side_b = side(draft, row, "a"), side(draft, row, "b")
    place = places.of(row)
    record = record_node(draft, row, rid, dataset)
    where = row["where_coordinates"].strip() or row["adm_1"].strip() or row["country"].strip()
    if kind == 3:
        label = f"{row['side_a'].strip()} against civilians, {where} ({date_phrase(date)})"
    else:
        label = f"{row['side_a'].strip()} – {row['side_b'].strip()}, {where} ({date_phrase(date)})"
    block = draft.new(draft.iri(f"ucdp-ged-{rid}"), [SEM + "Event"], "Events")
    block.add(SKOS + "prefLabel", text(label, "en"))
    block.add(SEM + "eventType", violence_type(draft, kind))
    block.add(DCTERMS + "date", edtf(date))
    if kind == 3:
        block.add(TL + "perpetrator", side_a).add(TL + "target", side_b)
    else:
        block.add(TL + "participant", side_a, side_b)
    block.add(SEM + "hasPlace", place)
    fatalities(block, row, draft, rid)
    block.add(DCTERMS + "description", text(description(row, rid), "en"))
    block.add(PROV + "wasDerivedFrom", record)


def ged_date(row: dict[str, str]) -> str:
    """The EDTF of a row's possible days: one day, a calendar month or year, or `[start..end]`."""
    start, end = row["date_start"].strip()[:10], row["date_end"].strip()[:10]
    try:
        lo, hi = parse_edtf(start), parse_edtf(end or start)
    except EDTFError:
        raise RowProblem(f"its dates {start!r} and {end!r} are not days (YYYY-MM-DD)") from None
    if lo.precision != "day" or hi.precision != "day":
        raise RowProblem(f"its dates {start!r} and {end!r} are not days (YYYY-MM-DD)")
    if lo.earliest == hi.earliest:
        return start
    if lo.earliest > hi.earliest:
        raise RowProblem(f"it ends ({end}) before it starts ({start})")
    (y0, m0, d0), (y1, m1, d1) = ymd(lo.earliest), ymd(hi.earliest)
    if y0 == y1 and m0 == m1 and d0 == 1 and d1 == month_length(y1, m1):
        return start[:7]
    if y0 == y1 and (m0, d0, m1, d1) == (1, 1, 12, 31):
        return start[:4]
    return f"[{start}..{end}]"


def side(draft: Draft, row: dict[str, str], which: str) -> str:
    """The actor of side A or B, one per UCDP actor id within an import, matched by name."""
    name = row[f"side_{which}"].strip()
    uid = _int(row.get(f"side_{which}_new_id"))
    if norm(name) == "civilians":
        return draft.actor("Civilians", types=(), key="ucdp:civilians",
                           description="Civilians, as UCDP names the target of one-sided violence.")
    said = f" (UCDP actor {uid})" if uid is not None else ""
    return draft.actor(name, key=f"ucdp:{uid}" if uid is not None else None, slug=slugify(name) or None,
                       description=f"A party to organised violence in the UCDP Georeferenced Event Dataset{said}.")


def fatalities(block, row: dict[str, str], draft: Draft, rid: int) -> None:
    """Best, low and high estimates, and who died, by side; low and high only when in order."""
    best, low, high = _int(row["best"]), _int(row["low"]), _int(row["high"])
    if best is None:
        return
    block.add(TL + "fatalities", integer(best))
    if low is not None and high is not None and low <= best <= high:
        block.add(TL + "fatalitiesLow", integer(low)).add(TL + "fatalitiesHigh", integer(high))
    elif low is not None or high is not None:
        draft.note(f"row {rid}: the estimates low {low}, best {best}, high {high} are not in order; "
                   "only the best estimate is kept")
    parts = [(row["side_a"].strip(), row["deaths_a"]), (row["side_b"].strip(), row["deaths_b"]),
             ("civilians", row["deaths_civilians"]), ("side unknown", row["deaths_unknown"])]
    if norm(row["side_b"]) == "civilians":
        del parts[1]  # one-sided violence: its victims are counted as civilians
    counted = [f"{who} {n}" for who, raw in parts if (n := _int(raw))]
    if counted:
        block.add(TL + "fatalitiesOf", text("by side, best estimate: " + ", ".join(counted), "en"))


def description(row: dict[str, str], rid: int) -> str:
    """What the row says beyond the statements: its ids, the conflict, the location, the precision codes."""
    dp, wp = _int(row["date_prec"]), _int(row["where_prec"])
    admin = ", ".join(x for x in (row["adm_1"].strip(), row["adm_2"].strip()) if x)
    parts = [f"UCDP GED event {rid} ({row['relid'].strip()}), in the conflict “{row['conflict_name'].strip()}”."]
    if row["where_description"].strip():
        parts.append(f"UCDP describes the location as “{' '.join(row['where_description'].split())}”"
                     + (f" ({admin})." if admin else "."))
    start, end = row["date_start"].strip(), row["date_end"].strip()
    if dp in DATE_PREC:
        parts.append(f"Date precision {dp}: {DATE_PREC[dp]}"
                     + (f"; UCDP gives {start} as the earliest and {end} as the latest day." if start != end else "."))
    if wp in WHERE_PREC:
        parts.append(f"Location precision {wp}: {WHERE_PREC[wp]}.")
    if _int(row["event_clarity"]) == 2:
        parts.append("UCDP codes its clarity as low (2): the event may sum up several incidents reported together.")
    return " ".join(parts)


# ---- places --------------------------------------------------------------------------------------------

class Places:
    """A row's place and its containing district, province and country; coarsest precision wins."""

    def __init__(self, draft: Draft):
        self.draft = draft
        self.chain: dict[tuple, str] = {}
        self.rank: dict[str, str] = {}
        self.unlocated: dict[str, int] = {}  # a place of the knowledge base without coordinates -> rows at it

    def of(self, row: dict[str, str]) -> str:
        """The place of a row's event (a place of the knowledge base where one matches)."""
        country, adm1, adm2 = (row[k].strip() for k in ("country", "adm_1", "adm_2"))
        where = row["where_coordinates"].strip() or adm2 or adm1 or country
        lat, lon = row["latitude"].strip(), row["longitude"].strip()
        near = (float(lat), float(lon)) if lat and lon else None
        parent = None
        named: dict[str, str] = {}
        for level, name in (("country", country), ("adm1", adm1), ("adm2", adm2)):
            if name:
                parent = self._region(level, name, parent)
                named[norm(name)] = parent
        iri = named.get(norm(where)) or self._point(where, parent, near)
        mine = self.draft.blocks.get(iri)
        if mine is not None and SEM + "Place" in mine.types and near and not mine.has(SCHEMA + "latitude"):
            mine.add(SCHEMA + "latitude", decimal(lat)).add(SCHEMA + "longitude", decimal(lon))
        if near and mine is None and self.draft.exists(iri) and iri not in self.draft.index.coords:
            self.unlocated[iri] = self.unlocated.get(iri, 0) + 1
        if mine is not None and mine.has(SCHEMA + "latitude"):
            geo = GEO.get(_int(row["where_prec"]), TL + "Region")
            if GEO_RANK[geo] >= GEO_RANK.get(self.rank.get(iri, TL + "Exact"), 0):
                self.rank[iri] = geo
        return iri

    def _region(self, level: str, name: str, parent: str | None) -> str:
        key = (level, norm(name), parent)
        if key not in self.chain:
            kinds = ("place", "country") if level == "country" else ("place",)
            iri = next((i for k in kinds if (i := self.draft.find(k, [name]))), None)
            if iri is None:
                iri = self._new(name, SCHEMA + ("Country" if level == "country" else "AdministrativeArea"), parent)
            self.chain[key] = self._as_place(iri)
        return self.chain[key]

    def _point(self, name: str, parent: str | None, near: tuple[float, float] | None) -> str:
        found = self.draft.find("place", [name, SETTLEMENT.sub("", name)], near)
        return self._as_place(found) if found else self._new(name, SCHEMA + "Place", parent)

    def _as_place(self, iri: str) -> str:
        """A matched thing, made a sem:Place where the knowledge base has it only as a country actor."""
        if "sem:Place" not in self.draft.index.kinds.get(iri, ()) and iri not in self.draft.blocks:
            self.draft.new(iri, [SEM + "Place"], "Places")
        return iri

    def _new(self, name: str, kind: str, parent: str | None) -> str:
        draft = self.draft
        iri = draft.iri(draft.free_slug(slugify(name) or "place-" + digest(name)))
        draft.new(iri, [SEM + "Place", kind], "Places") \
            .add(SKOS + "prefLabel", text(name, script_lang(name, "en"))) \
            .add(SCHEMA + "containedInPlace", parent)
        draft.remember("place", name, iri)
        return iri

    def finish(self) -> None:
        """Write each new place's precision: the coarsest of the rows located at it; say which
        places of the knowledge base the rows were matched to without taking their coordinates
        (an import adds nothing to a thing it matched), so that they can be added by hand."""
        for iri, geo in sorted(self.rank.items()):
            self.draft.blocks[iri].add(TL + "geoPrecision", geo)
        for iri, n in sorted(self.unlocated.items()):
            short = "id:" + iri[len(self.draft.id_ns):]
            self.draft.note(f"{n} event(s) placed at {short}, which has no coordinates in the knowledge base: "
                            f"UCDP's coordinates were not added to it (an import adds nothing to a thing it "
                            f"matched); give it schema:latitude and schema:longitude by hand to map them")


# ---- sources -------------------------------------------------------------------------------------------

def record_node(draft: Draft, row: dict[str, str], rid: int, dataset: str) -> str:
    """The row as UCDP published it: part of the data set, relaying the row's articles."""
    iri = draft.iri(f"src-ucdp-ged-event-{rid}")
    if draft.exists(iri):  # its event was deleted and is imported again: the record stays as it is
        return iri
    block = draft.new(iri, [PROV + "Entity", SCHEMA + "CreativeWork"], "Sources")
    block.add(SKOS + "prefLabel", text(f"UCDP GED event {rid}", "en"), text(f"حدث UCDP GED رقم {rid}", "ar"))
    block.add(DCTERMS + "publisher", draft.actor("Uppsala Conflict Data Program", slug="ucdp", alt=["UCDP"]))
    block.add(DCTERMS + "isPartOf", dataset)
    count = _int(row["number_of_sources"])
    articles = [article_node(draft, *a) for a in parse_articles(row)]
    if count is not None and count > 0:
        # UCDP counts the articles it lists: only sources beyond them are unnamed (tl:sourceCount)
        block.add(DCTERMS + "description",
                  text(f"UCDP counts {count} source{'s' if count != 1 else ''} for this event.", "en"),
                  text(f"يعدّ UCDP لهذا الحدث {count} من المصادر.", "ar"))
        unnamed = count - len(articles)
        if unnamed > 0:
            block.add(TL + "sourceCount", integer(unnamed))
            block.add(TL + "sourcing", text(f"{unnamed} of the {count} sources UCDP counts are not listed", "en"),
                      text(f"{unnamed} من المصادر التي يعدّها UCDP ({count}) غير مذكورة", "ar"))
    originals = original_names(row)
    own = {a: [o for o in originals if same_party(office, o)] for a, office in articles}
    covered = {o for os in own.values() for o in os}
    for art, _ in articles:
        relayed = own[art] or [o for o in originals if o not in covered] or originals
        if art in draft.blocks:  # an article the knowledge base has already keeps its statements
            draft.blocks[art].add(PROV + "wasDerivedFrom", *(original_node(draft, o) for o in relayed))
    block.add(PROV + "wasDerivedFrom", *(a for a, _ in articles))
    if not articles:
        block.add(PROV + "wasDerivedFrom", *(original_node(draft, o) for o in originals))
    return iri


def original_names(row: dict[str, str]) -> list[str]:
    """The parties UCDP names as the original sources of a row ("SOHR; VDC", "SOHR\\nVDC"), without
    the numbering some rows give them ("source 2: opposition sources", "Second Source:"); "unknown"
    names no party."""
    names = (" ".join(NUMBERING.sub("", x).split()).strip(" .\"'")
             for x in re.split(r"[;,/+\n]", row["source_original"]))
    return [o for o in dict.fromkeys(names) if o and re.search(r"\w", o) and o.lower() != "unknown"]


# "source 2:", "Second Source:", "Source:" before a name of `source_original`
NUMBERING = re.compile(r"^\s*(?:(?:first|second|third|fourth|fifth|\d+(?:st|nd|rd|th)?)\s+)?source\s*\d*\s*:\s*", re.I)


def aliases(rows: list[dict[str, str]]) -> dict[str, list[str]]:
    """Names of one party across the file: an office and an original source that are one by initials.

    Each name maps to [the longest name, the others], so "SOHR" and "Syrian Observatory for Human
    Rights" become one actor, whichever row comes first.
    """
    parent: dict[str, str] = {}
    shown: dict[str, str] = {}

    def root(k: str) -> str:
        while parent.setdefault(k, k) != k:
            k = parent[k]
        return k
    for row in rows:
        offices = [o if o else leading_outlet(h) for o, _, h in parse_articles(row)]
        for office in filter(None, offices):
            for original in original_names(row):
                if norm(office) != norm(original) and same_party(office, original):
                    for name in (office, original):
                        shown.setdefault(norm(name), name)
                    parent[root(norm(office))] = root(norm(original))
    groups: dict[str, list[str]] = defaultdict(list)
    for key in shown:
        groups[root(key)].append(shown[key])
    out = {}
    for names in groups.values():
        names.sort(key=lambda n: (-len(n.split()), n))
        out.update({norm(n): names for n in names})
    return out


def parse_articles(row: dict[str, str]) -> list[tuple[str | None, str | None, str]]:
    """The row's articles as (office, date, headline); an older free-text citation as (None, None, text)."""
    raw = row["source_article"].strip()
    if not raw:
        return []
    items = raw[1:-1].split('";"') if raw.startswith('"') and raw.endswith('"') else [raw]
    out = []
    for item in items:
        m = re.match(r"^(.*?),\s*(\d{4}-\d{2}-\d{2})\s*,(.*)$", item, re.S)
        if m and m.group(1).strip():
            out.append((m.group(1).strip(), m.group(2), " ".join(m.group(3).split()).strip('" ')))
        elif row["source_office"].strip() == "" or len(items) == 1:
            out.append((None, None, " ".join(raw.split())))
            break
    return out


def article_node(draft: Draft, office: str | None, date: str | None, headline: str) -> tuple[str, str | None]:
    """An article (or a free-text citation) as a source; the same one is shared by every row citing it."""
    if office is None:
        iri = draft.iri(f"src-ucdp-citation-{digest(headline, length=10)}")
        publisher = leading_outlet(headline)
    else:
        iri = draft.iri(f"src-{slugify(office, 30) or 'outlet'}-{date}-{digest(office, date, headline, length=6)}")
        publisher = office
    if draft.taken(iri):
        return iri, publisher
    if publisher:
        kind = "NewsMediaOrganization" if norm(publisher) in NEWS else "Organization"
        outlet = draft.actor(publisher, (SCHEMA + kind,))
    else:
        outlet = draft.unidentified_publisher()
    if office is None:
        block = draft.new(iri, [PROV + "Entity", SCHEMA + "CreativeWork"], "Sources")
        block.add(SKOS + "prefLabel", text(headline, "en"))
        block.add(DCTERMS + "description", text("A source as UCDP cites it, in its own words.", "en"))
    else:
        block = draft.new(iri, [PROV + "Entity", SCHEMA + "NewsArticle"], "Sources")
        title = headline or f"{office}, {date}"
        block.add(DCTERMS + "title", text(title, script_lang(title, "en")))
        block.add(DCTERMS + "issued", edtf(date))
    block.add(DCTERMS + "publisher", outlet)
    return iri, publisher


def leading_outlet(citation: str) -> str | None:
    """The outlet a free-text citation starts with ("AFP 2006-04-12 …" → "AFP"), when it plainly does."""
    if citation.startswith(("(", "http")):
        return None
    m = re.match(r"^([A-Za-z][A-Za-z.&'’ -]*?)\s*(?=[,(\"]|\d| on |$)", citation)
    name = m.group(1).strip(" -.") if m else ""
    return name if name and len(name.split()) <= 5 else None


def original_node(draft: Draft, name: str) -> str:
    """What an original source (UCDP's `source_original`) reported, as a source it published."""
    iri = draft.iri("src-ucdp-original-" + (slugify(name, 50) or digest(name)))
    if not draft.taken(iri):
        kind = (SCHEMA + "Organization",) if name[:1].isupper() else ()
        draft.new(iri, [PROV + "Entity", SCHEMA + "CreativeWork"], "Sources") \
            .add(SKOS + "prefLabel", text(f"Reports by {name}", "en")) \
            .add(DCTERMS + "publisher", draft.actor(name, kind)) \
            .add(DCTERMS + "description", text(
                f"What {name} reported, as UCDP names it the original source of the articles that relay it.", "en"))
    return iri


def same_party(office: str | None, original: str) -> bool:
    """True when an article's office is the original source itself (by name or by initials)."""
    if not office:
        return False
    a, b = norm(office), norm(original)
    return a == b or _initials(a) == b or _initials(b) == a


def _initials(name: str) -> str | None:
    """The initials of a name of several words ("syrian observatory for human rights" → "sohr")."""
    words = [w for w in name.split() if w not in STOPWORDS]
    return "".join(w[0] for w in words) if len(words) >= 2 else None
