"""Shared by the timeline, filter and map tests: a small knowledge base with every shape a date
and a location can take (twenty days in a row, a month, an uncertain day, a span, a time of day,
233 BCE, the year 50; exact, near and region places, and a place located by the one containing
it), and a way to build it or the seed into a site with the widgets wired in."""
from __future__ import annotations

from pathlib import Path

from conftest import SEED_KB, SITE_TOML, make_kb

DAYS = 20  # "Day N event" on 2024-01-N; odd days at the exact city, even days nowhere


def _days() -> str:
    out = []
    for n in range(1, DAYS + 1):
        place = "\n    sem:hasPlace id:city ;" if n % 2 else ""
        out.append(f"""
id:day-{n:02d} a sem:Event ;
    skos:prefLabel "Day {n} event"@en ;
    sem:eventType {"tl:Meeting" if n % 2 else "tl:Attack"} ;
    tl:participant {"id:faction-x" if n % 2 else "id:faction-y"} ;{place}
    dcterms:date "2024-01-{n:02d}"^^edtf:EDTF ;
    prov:wasDerivedFrom id:src-a .
""")
    return "".join(out)


TIMELINE_KB = {
    "things.ttl": """
        id:agency-a a sem:Actor , schema:NewsMediaOrganization ; skos:prefLabel "Agency A"@en , "الوكالة أ"@ar .
        id:agency-b a sem:Actor , schema:NewsMediaOrganization ; skos:prefLabel "Agency B"@en , "الوكالة ب"@ar .
        id:faction-x a sem:Actor , schema:Organization ; skos:prefLabel "Faction X"@en , "الفصيل س"@ar .
        id:faction-y a sem:Actor , schema:Organization ; skos:prefLabel "Faction Y"@en , "الفصيل ص"@ar .

        id:src-a a prov:Entity , schema:NewsArticle ; dcterms:title "Report A"@en ; dcterms:publisher id:agency-a .
        id:src-b a prov:Entity , schema:NewsArticle ; dcterms:title "Report B"@en ; dcterms:publisher id:agency-b .

        id:city a sem:Place , schema:City ; skos:prefLabel "Exact City"@en , "المدينة"@ar ;
            schema:latitude 33.3 ; schema:longitude 44.4 ; tl:geoPrecision tl:Exact .
        id:village a sem:Place , schema:Place ; skos:prefLabel "Near Village"@en , "القرية"@ar ;
            schema:latitude 34.45 ; schema:longitude 40.92 ; tl:geoPrecision tl:Near .
        id:province a sem:Place , schema:Place ; skos:prefLabel "Some Province"@en , "المحافظة"@ar ;
            schema:latitude 35.33 ; schema:longitude 40.14 ; tl:geoPrecision tl:Region .
        id:compound a sem:Place , schema:Place ; skos:prefLabel "Unlocated Compound"@en , "المجمع"@ar ;
            schema:containedInPlace id:city .
        """,
    "events.ttl": """
        id:ev-month a sem:Event ;
            skos:prefLabel "Month event"@en , "حدث الشهر"@ar ;
            sem:eventType tl:Statement ;
            tl:speaker id:faction-x ;
            sem:hasPlace id:village ;
            dcterms:date "2024-02"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src-a , id:src-b .

        id:ev-bce a sem:Event ;
            skos:prefLabel "Ancient event"@en , "حدث قديم"@ar ;
            sem:eventType tl:Deployment ;
            sem:hasPlace id:province ;
            dcterms:date "-0232"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src-a .

        id:ev-early a sem:Event ;
            skos:prefLabel "Early event"@en ;
            sem:eventType tl:Deployment ;
            dcterms:date "0050-06-15"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src-a .

        id:ev-uncertain a sem:Event ;
            skos:prefLabel "Uncertain event"@en ;
            sem:eventType tl:Shelling ;
            sem:hasPlace id:compound ;
            dcterms:date "2024-03-05?"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src-b .

        id:ev-span a sem:Event ;
            skos:prefLabel "Span event"@en ;
            sem:eventType tl:Attack ;
            dcterms:date "2024-03-10/2024-03-12"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src-b .

        id:ev-timed a sem:Event ;
            skos:prefLabel "Timed event"@en ;
            sem:eventType tl:Announcement ;
            dcterms:date "2024-03-20T10:00:00Z"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src-b .

        id:claim-x a tl:Claim ;
            rdf:subject id:ev-month ; rdf:predicate tl:perpetrator ; rdf:object id:faction-x ;
            sem:accordingTo id:faction-x ; tl:status tl:Claimed ; prov:wasDerivedFrom id:src-a .
        id:claim-y a tl:Claim ;
            rdf:subject id:ev-month ; rdf:predicate tl:perpetrator ; rdf:object id:faction-x ;
            sem:accordingTo id:faction-y ; tl:status tl:Denied ; prov:wasDerivedFrom id:src-b .
        """ + _days(),
}


def timeline_kb(root: Path) -> Path:
    """Write the timeline knowledge base under root; return its folder."""
    return make_kb(root, TIMELINE_KB, site_toml=SITE_TOML + '[digits]\nar = "arab"\n')


def build_site(kb: Path, out: Path) -> Path:
    """Build a knowledge base with the real builder; return the output folder."""
    from builder.site import build
    build(kb, out)
    return out


def build_seed(out: Path) -> Path:
    """Build the real kb/."""
    return build_site(SEED_KB, out)


def shared_site(tmp_path_factory) -> Path:
    """The timeline knowledge base built once per test session (several modules read it)."""
    root = tmp_path_factory.getbasetemp() / "timeline-site"
    out = root / "output"
    if not (out / "index.html").exists():
        root.mkdir(exist_ok=True)
        build_site(timeline_kb(root), out)
    return out


def seed_widgets_site(request, tmp_path_factory) -> Path:
    """The seed site, built once per session."""
    return request.getfixturevalue("seed_site")
