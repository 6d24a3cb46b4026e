"""Generate a knowledge base of N events for benchmarks: a count in, a `kb/` folder out.

Deterministic (seeded): the same N gives the same bytes. Files are split by month
(`events/YYYY-MM.ttl` with that month's sources and claims), plus `actors.ttl` and `places.ttl`.
Every form of the format appears: EDTF days, months, uncertain and approximate dates, spans,
relative dates (offset, range, weekday) and chains of them (an event dated from one that is itself
dated relatively), claims and disagreeing counter-claims, sources relaying sources, both languages.

    python -m benchmarks.gen 10000 /tmp/kb10k
"""
from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

PREFIXES = """@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix schema: <http://schema.org/> .
@prefix edtf: <http://id.loc.gov/datatypes/edtf/> .
@prefix tl: <https://w3id.org/tarikh/ns#> .
@prefix id: <https://example.org/id/> .

"""
SITE = """base_url = "https://example.org/"
languages = ["en", "ar"]
[title]
en = "A generated timeline"
ar = "خط زمني مولد"
"""
TYPES = ["Attack", "Airstrike", "DroneStrike", "Shelling", "Meeting", "Announcement", "Statement",
         "Accusation", "Threat", "Deployment", "Arrest"]
ROLES = ["perpetrator", "target", "participant", "speaker"]
STATUSES = ["Claimed", "Attributed", "Reported", "Confirmed", "Denied", "Disputed"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
AR = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def ar_word(rng: random.Random, n: int) -> str:
    """Make an Arabic-looking word of n letters."""
    return "".join(rng.choice(AR) for _ in range(n))


def actors(rng: random.Random, n: int) -> str:
    """Write n actors."""
    out = []
    for i in range(n):
        kind = rng.choice(["Organization", "Person", "Country", "NewsMediaOrganization"])
        out.append(f"""id:actor-{i} a sem:Actor , schema:{kind} ;
    skos:prefLabel "Actor {i}"@en , "{ar_word(rng, 5)} {i}"@ar ;
    skos:altLabel "Act. {i}"@en .
""")
    return PREFIXES + "\n".join(out)


def places(rng: random.Random, n: int) -> str:
    """Write n places with coordinates."""
    out = []
    for i in range(n):
        parent = f"\n    schema:containedInPlace id:place-{rng.randrange(i)} ;" if i > 5 else ""
        out.append(f"""id:place-{i} a sem:Place , schema:City ;
    skos:prefLabel "Place {i}"@en , "{ar_word(rng, 4)} {i}"@ar ;{parent}
    schema:latitude {rng.uniform(29, 37):.4f} ; schema:longitude {rng.uniform(38, 48):.4f} ;
    tl:geoPrecision tl:{rng.choice(["Exact", "Near", "Region"])} .
""")
    return PREFIXES + "\n".join(out)


def edtf_date(rng: random.Random, day: date) -> str:
    """Pick one of the EDTF forms for a day."""
    form = rng.random()
    if form < 0.55:
        return day.isoformat()
    if form < 0.7:
        return day.isoformat()[:7]
    if form < 0.8:
        return day.isoformat() + "?"
    if form < 0.85:
        return day.isoformat()[:7] + "~"
    return f"{day.isoformat()}/{(day + timedelta(days=rng.randrange(1, 4))).isoformat()}"


def relative(rng: random.Random, anchor: str) -> str:
    """Write a relative date to an anchor (offset, range or weekday)."""
    form = rng.random()
    if form < 0.5:
        body = f'tl:offset "P{rng.randrange(0, 4)}D"^^xsd:dayTimeDuration ; tl:phrase "later"@en , "لاحقا"@ar'
    elif form < 0.8:
        body = 'tl:earliestOffset "-P2D"^^xsd:dayTimeDuration ; tl:latestOffset "P0D"^^xsd:dayTimeDuration'
    else:
        body = f'time:dayOfWeek time:{rng.choice(WEEKDAYS)} ; tl:phrase "on that day"@en'
    return f"tl:relativeDate [ tl:anchor {anchor} ;\n        {body} ]"


def claims(rng: random.Random, k: int, src: str, n_actors: int) -> list[str]:
    """Write a claim about who did event k and, for half of them, a counter-claim that disagrees."""
    perpetrator, claimant = rng.randrange(n_actors), rng.randrange(n_actors)
    out = [f"""id:claim-{k} a tl:Claim ;
    rdf:subject id:ev-{k} ; rdf:predicate tl:perpetrator ; rdf:object id:actor-{perpetrator} ;
    sem:accordingTo id:actor-{claimant} ;
    tl:status tl:{rng.choice(STATUSES)} ;
    prov:wasDerivedFrom {src} .
"""]
    if rng.random() < 0.5:  # another actor names someone else, or denies it
        other = (perpetrator + 1 + rng.randrange(n_actors - 1)) % n_actors
        denied = rng.random() < 0.4
        out.append(f"""id:claim-{k}-b a tl:Claim ;
    rdf:subject id:ev-{k} ; rdf:predicate tl:perpetrator ; rdf:object id:actor-{perpetrator if denied else other} ;
    sem:accordingTo id:actor-{(claimant + 1) % n_actors} ;
    tl:status tl:{"Denied" if denied else rng.choice(["Claimed", "Attributed", "Disputed"])} ;
    prov:wasDerivedFrom {src} .
""")
    return out


def month_file(rng: random.Random, month: date, first: int, count: int, n_actors: int, n_places: int) -> str:
    """Write one month: its sources, events and claims (dates consistent with their sources)."""
    # prev: the last event a relative date may count from, the latest day its earliest bound can
    # be, and how many relative dates lead to it (chains stop at two, so sources stay later).
    out, prev, prev_issued = [], None, None
    for k in range(first, first + count):
        day = month + timedelta(days=rng.randrange(28))
        relative_to = prev if prev and rng.random() < 0.2 else None
        when = relative(rng, relative_to[0]) if relative_to else f'dcterms:date "{edtf_date(rng, day)}"^^edtf:EDTF'
        latest = max(day, relative_to[1]) + timedelta(days=3) if relative_to else day + timedelta(days=3)
        issued = latest + timedelta(days=rng.randrange(3))
        src = f"id:src-{k}"
        relayed = (f"\n    prov:wasDerivedFrom id:src-{k - 1} ;"
                   if prev_issued and prev_issued <= issued and rng.random() < 0.2 else "")
        out.append(f"""{src} a prov:Entity , schema:NewsArticle ;
    dcterms:title "Report {k}"@en ;
    dcterms:publisher id:actor-{rng.randrange(n_actors)} ;{relayed}
    dcterms:issued "{issued.isoformat()}"^^edtf:EDTF ;
    dcterms:language "en" ;
    schema:url <https://news.example.com/{k}> .
""")
        roles = " ;\n    ".join(f"tl:{rng.choice(ROLES)} id:actor-{rng.randrange(n_actors)}" for _ in range(rng.randrange(1, 4)))
        extra = f"\n    tl:fatalities {rng.randrange(50)} ;" if rng.random() < 0.3 else ""
        out.append(f"""id:ev-{k} a sem:Event ;
    skos:prefLabel "Event {k} at place {k % n_places}"@en , "{ar_word(rng, 6)} {k}"@ar ;
    sem:eventType tl:{rng.choice(TYPES)} ;
    {when} ;
    {roles} ;
    sem:hasPlace id:place-{rng.randrange(n_places)} ;{extra}
    dcterms:description "Something happened, **reportedly**."@en ;
    prov:wasDerivedFrom {src} .
""")
        if rng.random() < 0.3:
            out += claims(rng, k, src, n_actors)
        prev_issued = issued
        depth = relative_to[2] + 1 if relative_to else 0
        if depth < 2:
            prev = (f"id:ev-{k}", relative_to[1] + timedelta(days=3) if relative_to else day, depth)
    return PREFIXES + "\n".join(out)


def generate(n_events: int, out_dir: Path, seed: int = 1) -> Path:
    """Write a knowledge base of n_events events into out_dir; return it."""
    rng = random.Random(seed)
    n_actors, n_places = max(20, n_events // 30), max(10, n_events // 50)
    (out_dir / "events").mkdir(parents=True, exist_ok=True)
    (out_dir / "site.toml").write_text(SITE, encoding="utf-8")
    (out_dir / "actors.ttl").write_text(actors(rng, n_actors), encoding="utf-8")
    (out_dir / "places.ttl").write_text(places(rng, n_places), encoding="utf-8")
    months, per = 60, -(-n_events // 60)
    for m in range(months):
        first = m * per
        count = min(per, n_events - first)
        if count <= 0:
            break
        month = date(2020 + m // 12, m % 12 + 1, 1)
        text = month_file(rng, month, first, count, n_actors, n_places)
        (out_dir / "events" / f"{month.isoformat()[:7]}.ttl").write_text(text, encoding="utf-8")
    return out_dir


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
