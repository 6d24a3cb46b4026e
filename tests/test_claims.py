"""Who says so: claims side by side, reporting chains, corroboration and corrections (issue 5)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from builder.site import build
from sitecheck import text_of

CLAIMS_KB = {
    "sources.ttl": """
        id:agency a sem:Actor , schema:NewsMediaOrganization ; skos:prefLabel "Agency"@en , "الوكالة"@ar .
        id:paper a sem:Actor , schema:NewsMediaOrganization ; skos:prefLabel "Paper"@en , "الصحيفة"@ar .
        id:blog a sem:Actor , schema:NewsMediaOrganization ; skos:prefLabel "Blog"@en , "المدونة"@ar .
        id:monitor a sem:Actor , schema:NewsMediaOrganization ; skos:prefLabel "Monitor"@en , "المرصد"@ar .
        id:src-agency a prov:Entity , schema:NewsArticle ; dcterms:title "Agency wire"@en ;
            dcterms:publisher id:agency ; dcterms:issued "2024-03-01"^^edtf:EDTF ;
            tl:sourceCount 10 ; tl:sourcing "citing ten sources"@en , "نقلاً عن عشرة مصادر"@ar .
        id:src-paper a prov:Entity , schema:NewsArticle ; dcterms:title "Paper story"@en ;
            dcterms:publisher id:paper ; dcterms:issued "2024-03-02"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src-agency .
        id:src-blog a prov:Entity , schema:NewsArticle ; dcterms:title "Blog post"@en ;
            dcterms:publisher id:blog ; dcterms:issued "2024-03-03"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src-paper .
        id:src-monitor a prov:Entity , schema:Report ; dcterms:title "Monitor report"@en ;
            dcterms:publisher id:monitor ; dcterms:issued "2024-03"^^edtf:EDTF .
    """,
    "things.ttl": """
        id:group-a a sem:Actor , schema:Organization ; skos:prefLabel "Group A"@en , "المجموعة أ"@ar .
        id:group-b a sem:Actor , schema:Organization ; skos:prefLabel "Group B"@en , "المجموعة ب"@ar .
        id:town-x a sem:Place , schema:City ; skos:prefLabel "Town X"@en , "البلدة س"@ar .
        id:town-y a sem:Place , schema:City ; skos:prefLabel "Town Y"@en , "البلدة ص"@ar .
        id:ev-blast a sem:Event ; skos:prefLabel "The blast"@en , "الانفجار"@ar ;
            sem:eventType tl:Attack ; dcterms:date "2024-02-28"^^edtf:EDTF ; sem:hasPlace id:town-x ;
            prov:wasDerivedFrom id:src-blog , id:src-monitor .
        id:ev-single a sem:Event ; skos:prefLabel "A single-sourced event"@en , "حدث من مصدر واحد"@ar ;
            dcterms:date "2024-02"^^edtf:EDTF ; prov:wasDerivedFrom id:src-blog , id:src-paper .
    """,
    "claims.ttl": """
        id:claim-by-a a tl:Claim ; rdf:subject id:ev-blast ; rdf:predicate tl:perpetrator ; rdf:object id:group-a ;
            sem:accordingTo id:group-a ; tl:status tl:Claimed ; dcterms:date "2024-02-29"^^edtf:EDTF ;
            tl:quote "نحن فعلناها"@ar , "We did it"@en ; prov:wasDerivedFrom id:src-agency .
        id:claim-by-b a tl:Claim ; rdf:subject id:ev-blast ; rdf:predicate tl:perpetrator ; rdf:object id:group-b ;
            sem:accordingTo id:agency ; tl:status tl:Attributed ; dcterms:date "2024-03-01"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src-agency .
        id:claim-denial a tl:Claim ; rdf:subject id:ev-blast ; rdf:predicate tl:perpetrator ; rdf:object id:group-b ;
            sem:accordingTo id:group-b ; tl:status tl:Denied ; prov:wasDerivedFrom id:src-monitor .
        id:claim-place-y a tl:Claim ; rdf:subject id:ev-blast ; rdf:predicate sem:hasPlace ; rdf:object id:town-y ;
            sem:accordingTo id:monitor ; tl:status tl:Reported ; prov:wasDerivedFrom id:src-monitor .
        id:claim-toll-5 a tl:Claim ; rdf:subject id:ev-blast ; rdf:predicate tl:fatalities ; rdf:object 5 ;
            sem:accordingTo id:agency ; tl:status tl:Reported ; dcterms:date "2024-03-01"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src-agency .
        id:claim-toll-7 a tl:Claim ; rdf:subject id:ev-blast ; rdf:predicate tl:fatalities ; rdf:object 7 ;
            sem:accordingTo id:agency ; tl:status tl:Reported ; dcterms:date "2024-03-02"^^edtf:EDTF ;
            tl:supersedes id:claim-toll-5 ; prov:wasDerivedFrom id:src-paper .
        id:claim-toll-9 a tl:Claim ; rdf:subject id:ev-blast ; rdf:predicate tl:fatalities ; rdf:object 9 ;
            sem:accordingTo id:monitor ; tl:status tl:Reported ; prov:wasDerivedFrom id:src-monitor .
    """,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from conftest import make_kb
    root = tmp_path_factory.mktemp("claims")
    kb = make_kb(root, CLAIMS_KB)
    out = root / "out"
    build(kb, out)
    return out


def _derived(site: Path, slug: str, prop: str) -> str | None:
    nt = (site / "data" / "derived.nt").read_text(encoding="utf-8")
    m = re.search(rf"<https://example.org/id/{slug}> <{re.escape(prop)}> \"(\d+)\"", nt)
    return m.group(1) if m else None


def test_disagreement_on_perpetrator_is_side_by_side(site: Path):
    html = (site / "id" / "ev-blast" / "index.html").read_text(encoding="utf-8")
    table = html[html.index("perpetrator"):]
    table = table[:table.index("</table>")]
    assert "differ" in html and "sources disagree" in table
    for who in ("Group A", "Group B"):
        assert who in table
    for status in ("claimed", "attributed", "denied"):
        assert status in table.lower()
    assert "claim-by-a" in table and "claim-denial" in table
    claim = (site / "id" / "claim-by-a" / "index.html").read_text(encoding="utf-8")
    assert '<blockquote lang="ar" dir="rtl"><p>نحن فعلناها</p></blockquote>' in claim and "We did it" in claim


def test_disagreement_on_place_and_fatalities(site: Path):
    text = text_of(site / "id" / "ev-blast" / "index.html")
    assert "Town Y" in text and "asserted by this knowledge base" in text
    html = (site / "id" / "ev-blast" / "index.html").read_text(encoding="utf-8")
    assert html.count('class="claims differ"') >= 3  # perpetrator, place (vs the KB's own Town X), fatalities


def test_disagreements_page_lists_the_subject(site: Path):
    text = text_of(site / "disagreements" / "index.html")
    assert "The blast" in text and "Group B" in text and "Town Y" in text


def test_superseded_claim_is_struck_through_on_both_pages(site: Path):
    html = (site / "id" / "ev-blast" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<tr class="[^"]*superseded[^"]*">\s*<td><del>', html)
    old = text_of(site / "id" / "claim-toll-5" / "index.html")
    new = text_of(site / "id" / "claim-toll-7" / "index.html")
    assert "Superseded by" in old and "claim-toll-7" in (site / "id" / "claim-toll-5" / "index.html").read_text()
    assert "Supersedes" in new and "1 March 2024" in text_of(site / "id" / "ev-blast" / "index.html")


def test_reporting_chain_of_three_sources(site: Path):
    text = text_of(site / "id" / "src-blog" / "index.html")
    assert "Paper story" in text and "Agency wire" in text
    cited = text_of(site / "id" / "ev-blast" / "index.html")
    assert re.search(r"Blog post.*relaying.*Paper story.*relaying.*Agency wire", cited)
    agency = text_of(site / "id" / "src-agency" / "index.html")
    assert "Paper story" in agency  # relayed by
    assert "citing ten sources" in agency


def test_corroboration_collapses_chains(site: Path):
    # the blast: the blog (-> paper -> agency) and the monitor: two independent origins
    assert _derived(site, "ev-blast", "https://w3id.org/tarikh/ns#corroboration") == "2"
    # blog relays paper: one origin
    assert _derived(site, "ev-single", "https://w3id.org/tarikh/ns#corroboration") == "1"
    assert "2 independent origins" in text_of(site / "id" / "ev-blast" / "index.html")
    assert "Single source" in text_of(site / "id" / "ev-single" / "index.html")


def test_claims_appear_on_claimant_and_source_pages(site: Path):
    assert "claim-by-b" in (site / "id" / "agency" / "index.html").read_text(encoding="utf-8")
    assert "claim-denial" in (site / "id" / "src-monitor" / "index.html").read_text(encoding="utf-8")
    agency = text_of(site / "id" / "agency" / "index.html")
    assert "Agency wire" in agency  # sources it published


def test_four_kinds_of_time_are_labelled(site: Path):
    event = text_of(site / "id" / "ev-blast" / "index.html")
    claim = text_of(site / "id" / "claim-by-a" / "index.html")
    source = text_of(site / "id" / "src-agency" / "index.html")
    assert "28 February 2024" in event
    assert "Claimed on" in claim and "29 February 2024" in claim
    assert "Published" in source and "1 March 2024" in source


def test_claims_that_name_a_thing_are_on_its_page_beside_the_claims_they_contest(site: Path):
    """Group B, named as the blast's perpetrator by the agency and denying it itself: its page shows
    the blast's perpetrator claims side by side; Town Y's shows the claim placing the blast there."""
    page = (site / "id" / "group-b" / "index.html").read_text(encoding="utf-8")
    section = page.split('<section class="claims-naming" data-pagefind-ignore>', 1)[1].split("</section>", 1)[0]
    assert "Claims that name it" in section
    for claim in ("claim-by-a", "claim-by-b", "claim-denial"):  # the whole disagreement, with Group A's claim
        assert f"../{claim}/index.html" in section
    assert "claim-toll-5" not in section and "claim-place-y" not in section  # other predicates stay out
    town = (site / "id" / "town-y" / "index.html").read_text(encoding="utf-8")
    assert "claim-place-y" in town.split('<section class="claims-naming" data-pagefind-ignore>', 1)[1].split("</section>", 1)[0]
    arabic = (site / "ar" / "id" / "group-b" / "index.html").read_text(encoding="utf-8")
    assert "ادعاءات تذكره" in arabic
    # a thing no claim names has no such section
    assert 'class="claims-naming"' not in (site / "id" / "paper" / "index.html").read_text(encoding="utf-8")


def test_a_source_relaying_two_first_hand_sources_is_two_origins():
    """A data set's record coded from two articles, one relaying SOHR and one VDC: two origins,
    not one because the event cites only the record; two articles relaying SOHR are one."""
    from builder.extract import _origins
    from builder.namespaces import PROV
    d = PROV + "wasDerivedFrom"
    by_subject = {"ev": [(d, "record")], "record": [(d, "art-1"), (d, "art-2")],
                  "art-1": [(d, "sohr")], "art-2": [(d, "vdc")],
                  "ev-same": [(d, "record-2")], "record-2": [(d, "art-3"), (d, "art-4")],
                  "art-3": [(d, "sohr")], "art-4": [(d, "sohr")],
                  "ev-relay": [(d, "mena"), (d, "reuters")], "mena": [(d, "reuters")],
                  "ev-mena": [(d, "mena")]}
    assert _origins("ev", by_subject) == {"sohr", "vdc"}
    assert _origins("ev-same", by_subject) == {"record-2"}  # one origin, named by what was cited
    assert _origins("ev-relay", by_subject) == {"reuters"}
    assert _origins("ev-mena", by_subject) == {"mena"}


def test_a_chain_that_branches_is_shown_whole_and_counts_its_origins(scratch_kb, tmp_path):
    """A record coded from two articles, each relaying its own original: the event page shows
    both branches ("relaying A, relaying SOHR; B, relaying VDC") and two independent origins."""
    kb = scratch_kb({"a.ttl": """
        id:ucdp a sem:Actor , schema:Organization ; skos:prefLabel "UCDP"@en , "UCDP"@ar .
        id:sohr a sem:Actor , schema:Organization ; skos:prefLabel "SOHR"@en , "المرصد"@ar .
        id:vdc a sem:Actor , schema:Organization ; skos:prefLabel "VDC"@en , "مركز التوثيق"@ar .
        id:src-sohr a prov:Entity , schema:Report ; dcterms:title "Reports by SOHR"@en ; dcterms:publisher id:sohr .
        id:src-vdc a prov:Entity , schema:Report ; dcterms:title "Reports by VDC"@en ; dcterms:publisher id:vdc .
        id:art-a a prov:Entity , schema:NewsArticle ; dcterms:title "Article A"@en ; dcterms:publisher id:ucdp ;
            prov:wasDerivedFrom id:src-sohr .
        id:art-b a prov:Entity , schema:NewsArticle ; dcterms:title "Article B"@en ; dcterms:publisher id:ucdp ;
            prov:wasDerivedFrom id:src-vdc .
        id:record a prov:Entity , schema:Report ; dcterms:title "Record 1"@en ; dcterms:publisher id:ucdp ;
            prov:wasDerivedFrom id:art-a , id:art-b .
        id:ev a sem:Event ; skos:prefLabel "Shelling"@en , "قصف"@ar ; dcterms:date "2013-01-03"^^edtf:EDTF ;
            prov:wasDerivedFrom id:record .
        """})
    build(kb, tmp_path / "out")
    def squeezed(path: Path) -> str:  # text_of puts a space between elements: compare without spaces
        return re.sub(r"\s+", "", text_of(path))
    page = squeezed(tmp_path / "out" / "id" / "ev" / "index.html")
    assert "Record1(UCDP),relaying:ArticleA,relayingReportsbySOHRArticleB,relayingReportsbyVDC" in page
    assert "2independentorigins:ReportsbySOHRandReportsbyVDC" in page
    # each branch is an item of its own, nested under the source that relays them
    for path in ("id/ev/index.html", "id/record/index.html"):
        assert branches(tmp_path / "out" / path) == [
            ["Article A, relaying Reports by SOHR", "Article B, relaying Reports by VDC"]]
    source = squeezed(tmp_path / "out" / "id" / "record" / "index.html")
    assert "RelaysArticleA,relayingReportsbySOHRArticleB,relayingReportsbyVDC" in source


def branches(path: Path) -> list[list[str]]:
    """The text of each item of each list of branches (ul.relays) of a page, outermost first."""
    from html.parser import HTMLParser

    class Lists(HTMLParser):
        def __init__(self):
            super().__init__()
            self.found, self.open = [], []  # open: [items, depth of <ul> nesting inside]

        def handle_starttag(self, tag, attrs):
            for items in self.open:
                items[1] += tag == "ul"
            if tag == "ul" and ("class", "relays") in attrs:
                self.open.append([[], 0])
                self.found.append(self.open[-1][0])
            elif tag == "li" and self.open and self.open[-1][1] == 0:
                self.open[-1][0].append("")

        def handle_endtag(self, tag):
            if tag == "ul" and self.open:
                if self.open[-1][1] == 0:
                    self.open.pop()
                for items in self.open:
                    items[1] -= items[1] > 0

        def handle_data(self, data):
            if self.open and self.open[-1][0] and self.open[-1][1] == 0:
                self.open[-1][0][-1] += data

    parser = Lists()
    parser.feed(path.read_text(encoding="utf-8"))
    return [[" ".join(item.split()) for item in items] for items in parser.found]


def test_a_branch_that_branches_again_keeps_its_own_branches(scratch_kb, tmp_path):
    """A relays X and B; X relays P and Q: P and Q are listed under X, B beside X."""
    kb = scratch_kb({"a.ttl": """
        id:pub a sem:Actor , schema:Organization ; skos:prefLabel "Pub"@en , "ناشر"@ar .
        id:p a prov:Entity , schema:Report ; dcterms:title "P"@en ; dcterms:publisher id:pub .
        id:q a prov:Entity , schema:Report ; dcterms:title "Q"@en ; dcterms:publisher id:pub .
        id:x a prov:Entity , schema:Report ; dcterms:title "X"@en ; dcterms:publisher id:pub ;
            prov:wasDerivedFrom id:p , id:q .
        id:b a prov:Entity , schema:Report ; dcterms:title "B"@en ; dcterms:publisher id:pub .
        id:a a prov:Entity , schema:Report ; dcterms:title "A"@en ; dcterms:publisher id:pub ;
            prov:wasDerivedFrom id:x , id:b .
        id:ev a sem:Event ; skos:prefLabel "Shelling"@en , "قصف"@ar ; dcterms:date "2013-01-03"^^edtf:EDTF ;
            prov:wasDerivedFrom id:a .
        """})
    build(kb, tmp_path / "out")
    assert branches(tmp_path / "out" / "id" / "ev" / "index.html") == [["B", "X, relaying:"], ["P", "Q"]]


def test_two_sources_of_a_claim_read_apart_from_two_branches_of_one_chain(scratch_kb, tmp_path):
    """A claim citing a record (which relays two articles: two branches of one chain, listed under
    it) and a second source: each cited source is an item of its own, and the record's branches
    are items of a list inside its item, never beside the other cited source."""
    kb = scratch_kb({"a.ttl": """
        id:ucdp a sem:Actor , schema:Organization ; skos:prefLabel "UCDP"@en , "UCDP"@ar .
        id:monitor a sem:Actor , schema:Organization ; skos:prefLabel "Monitor"@en , "المرصد"@ar .
        id:art-a a prov:Entity , schema:NewsArticle ; dcterms:title "Article A"@en ; dcterms:publisher id:ucdp .
        id:art-b a prov:Entity , schema:NewsArticle ; dcterms:title "Article B"@en ; dcterms:publisher id:ucdp .
        id:record a prov:Entity , schema:Report ; dcterms:title "Record 1"@en ; dcterms:publisher id:ucdp ;
            prov:wasDerivedFrom id:art-a , id:art-b .
        id:report a prov:Entity , schema:Report ; dcterms:title "Monitor report"@en ; dcterms:publisher id:monitor .
        id:ev a sem:Event ; skos:prefLabel "Shelling"@en , "قصف"@ar ; dcterms:date "2013-01-03"^^edtf:EDTF ;
            prov:wasDerivedFrom id:record .
        id:claim a tl:Claim ; rdf:subject id:ev ; rdf:predicate tl:fatalities ; rdf:object 4 ;
            sem:accordingTo id:monitor ; tl:status tl:Reported ; prov:wasDerivedFrom id:record , id:report .
        """})
    build(kb, tmp_path / "out")
    for page in ("id/ev/index.html", "ar/id/ev/index.html", "id/claim/index.html"):
        html = (tmp_path / "out" / page).read_text(encoding="utf-8")
        cells = re.findall(r'<td class="sources">(.*?)</td>', html, re.S)
        assert cells, page
        cell = cells[0]
        assert cell.startswith('<ul class="source-list">') and cell.endswith("</ul>"), (page, cell)
        inner = re.findall(r'<ul class="relays">(.*?)</ul>', cell, re.S)
        assert len(inner) == 1, (page, cell)  # the record's two branches, in a list of their own
        relayed = [re.sub(r"<[^>]+>", "", i) for i in re.findall(r"<li>(.*?)</li>", inner[0], re.S)]
        assert relayed == ["Article A", "Article B"], relayed
        outer = re.sub(r'<ul class="relays">.*?</ul>', "", cell, flags=re.S)
        items = [re.sub(r"<[^>]+>", "", i) for i in re.findall(r"<li>(.*?)</li>", outer, re.S)]
        assert len(items) == 2 and any("Record 1" in i for i in items) and any("Monitor report" in i for i in items)
        assert not re.sub(r"<li>.*?</li>", "", outer, flags=re.S).replace('<ul class="source-list">', "") \
            .replace("</ul>", "").strip()  # nothing stands between the items


def test_disagreements_are_in_the_timelines_order_then_by_name(tmp_path: Path):
    """By the subject's date as the timeline orders it, the undated after, each tie in the page
    language's name order (not by IRI, which told a reader nothing)."""
    from conftest import make_kb
    claim = """
        id:c-{0} a tl:Claim ; rdf:subject id:{0} ; rdf:predicate tl:fatalities ; rdf:object 3 ;
            sem:accordingTo id:monitor ; tl:status tl:Denied ; prov:wasDerivedFrom id:src ."""
    subjects = ("ev-a", "ev-b", "ev-c", "ev-d", "actor-a", "actor-b")
    kb = make_kb(tmp_path, {"kb.ttl": """
        id:monitor a sem:Actor , schema:Organization ; skos:prefLabel "Monitor"@en , "المرصد"@ar .
        id:src a prov:Entity , schema:Report ; dcterms:title "Report"@en ; dcterms:publisher id:monitor ;
            dcterms:issued "2024-06-01"^^edtf:EDTF .
        id:ev-a a sem:Event ; skos:prefLabel "Alpha, the latest"@en , "ألف"@ar ;
            dcterms:date "2024-05"^^edtf:EDTF ; prov:wasDerivedFrom id:src .
        id:ev-b a sem:Event ; skos:prefLabel "Zulu, the earliest"@en , "ياء"@ar ;
            dcterms:date "-0499"^^edtf:EDTF ; prov:wasDerivedFrom id:src .
        id:ev-c a sem:Event ; skos:prefLabel "Yankee"@en , "الياء"@ar ;
            dcterms:date "2000-01-01"^^edtf:EDTF ; prov:wasDerivedFrom id:src .
        id:ev-d a sem:Event ; skos:prefLabel "Bravo"@en , "الباء"@ar ;
            dcterms:date "2000-01-01"^^edtf:EDTF ; prov:wasDerivedFrom id:src .
        id:actor-a a sem:Actor , schema:Person ; skos:prefLabel "Zed"@en , "أحمد"@ar .
        id:actor-b a sem:Actor , schema:Person ; skos:prefLabel "Ann"@en , "ياسر"@ar .
    """ + "".join(claim.format(s) for s in subjects)})
    build(kb, tmp_path / "out")
    for lang, expected in (("", ["ev-b", "ev-d", "ev-c", "ev-a", "actor-b", "actor-a"]),
                           ("ar/", ["ev-b", "ev-d", "ev-c", "ev-a", "actor-a", "actor-b"])):
        html = (tmp_path / "out" / lang / "disagreements" / "index.html").read_text(encoding="utf-8")
        assert re.findall(r'<caption><a href="\.\./(?:\.\./)?id/([a-z-]+)/', html) == expected, lang


def test_many_claims_on_one_subject_are_listed_whole_only_on_its_page(scratch_kb, tmp_path):
    """60 parties name 60 perpetrators of one strike: the strike's page shows every claim, but a
    claim's page and a named actor's show at most MAX_BESIDE of them (their own first) and count
    the rest with a link to the strike. Every claim's page listing every other claim made the
    claims on one subject cost the square of their number (500 claims: a 50 s build, 280 MB)."""
    from builder.views.things import MAX_BESIDE
    n = 60
    actors = "".join(f'id:a-{i} a sem:Actor , schema:Organization ; skos:prefLabel "Party {i}"@en , "طرف {i}"@ar .\n'
                     for i in range(n))
    claims = "".join(f"""id:cl-{i} a tl:Claim ; rdf:subject id:ev ; rdf:predicate tl:perpetrator ; rdf:object id:a-{i} ;
        sem:accordingTo id:a-{(i + 1) % n} ; tl:status tl:Attributed ; prov:wasDerivedFrom id:src .\n""" for i in range(n))
    kb = scratch_kb({"a.ttl": actors + claims + """
        id:src a prov:Entity , schema:NewsArticle ; dcterms:title "Report"@en ; dcterms:publisher id:a-0 .
        id:ev a sem:Event ; skos:prefLabel "Strike"@en , "غارة"@ar ; dcterms:date "2024-01-03"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src .
        """.replace("\n        ", "\n")})
    out = tmp_path / "out"
    build(kb, out)

    def rows(path: Path) -> list[str]:
        return re.findall(r'<a href="\.\./(cl-\d+)/index\.html">', path.read_text(encoding="utf-8"))
    assert len(set(rows(out / "id" / "ev" / "index.html"))) == n
    claim = (out / "id" / "cl-45" / "index.html").read_text(encoding="utf-8")
    siblings = claim.split('<section class="siblings">', 1)[1].split("</section>", 1)[0]
    assert siblings.count('<tr class="status-') == MAX_BESIDE  # its own row (not a link to itself) and 19 others
    assert len(set(re.findall(r'\.\./(cl-\d+)/index\.html', siblings))) == MAX_BESIDE - 1
    assert f'and {n - MAX_BESIDE} more claims: see <a href="../ev/index.html">' in siblings
    naming = (out / "id" / "a-50" / "index.html").read_text(encoding="utf-8")
    naming = naming.split('<section class="claims-naming" data-pagefind-ignore>', 1)[1].split("</section>", 1)[0]
    assert "../cl-50/index.html" in naming and naming.count('<tr class="status-') == MAX_BESIDE
    arabic = (out / "ar" / "id" / "cl-45" / "index.html").read_text(encoding="utf-8")
    assert "ادعاءً آخر: انظر" in arabic
