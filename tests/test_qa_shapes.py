"""Knowledge bases shaped unlike the benchmark's (one thing that everything names, long chains,
deep hierarchies): each page stays the size of what it is about, and the build stays linear."""
from __future__ import annotations

import re
from pathlib import Path

from builder.site import build
from test_qa_terms import series_rows


def test_a_long_series_of_measurements_shows_the_nearest_on_each_page(scratch_kb, tmp_path):
    """30 daily counts of one force in one place: each count's page shows the MAX_SERIES nearest
    in time and says of how many. Each page listed the whole series (found by looking at every
    thing of the knowledge base): 2,000 counts took 397 s and 9.4 GB, and wrote 1.6 GB."""
    from builder.views.pages import MAX_SERIES
    n = 30
    kb = scratch_kb({"a.ttl": "".join(f"""
        id:q-{i} a tl:Quantity ; skos:prefLabel "Troops {i}"@en , "قوات {i}"@ar ; schema:value {1000 + i} ;
            tl:quantityOf id:force ; tl:location id:base ; dcterms:date "2024-01-{i + 1:02d}"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src .""" for i in range(n)) + """
        id:force a sem:Actor , schema:Organization ; skos:prefLabel "Force"@en , "قوة"@ar .
        id:base a sem:Place ; skos:prefLabel "Base"@en , "قاعدة"@ar .
        id:src a prov:Entity , schema:Report ; dcterms:title "Counts"@en ; dcterms:publisher id:force ;
            dcterms:issued "2024-02"^^edtf:EDTF .
        id:q-other a tl:Quantity ; skos:prefLabel "Elsewhere"@en , "في مكان آخر"@ar ; schema:value 5 ;
            tl:quantityOf id:force ; dcterms:date "2024-01-05"^^edtf:EDTF ; prov:wasDerivedFrom id:src .
        """})
    out = tmp_path / "out"
    build(kb, out)

    def values(slug: str) -> list[int]:
        return [int(r.split()[-3].replace(",", "")) - 1000 for r in series_rows(out / "id" / slug / "index.html")]
    assert values("q-0") == list(range(MAX_SERIES))
    assert values("q-15") == list(range(5, 5 + MAX_SERIES))
    assert values("q-29") == list(range(n - MAX_SERIES, n))
    page = (out / "id" / "q-15" / "index.html").read_text(encoding="utf-8")
    assert f"The {MAX_SERIES} nearest in time, of {n}" in page
    assert "من أصل" in (out / "ar" / "id" / "q-15" / "index.html").read_text(encoding="utf-8")
    # a measurement of the same force in no stated place is of another series: alone, no table
    assert 'class="series"' not in (out / "id" / "q-other" / "index.html").read_text(encoding="utf-8")


def test_search_roots_are_found_in_steps_linear_in_the_things(monkeypatch):
    """Which shard a page shares (a claim's subject, a relative date's anchor, in turn) is the
    thing the walk up ends on, as it was, for chains, stars and cycles alike; but each thing is
    stepped from once: a chain of 5,000 "the next day"s walked to its end from each of its
    things took 25 million steps (20 s of the views' 28)."""
    import random
    from types import SimpleNamespace
    from builder.views import site

    class Stub(SimpleNamespace):
        def memo(self, name):
            return self.__dict__.setdefault("_memo_" + name, {})

    def walk(model, iri):  # the walk as it was, from each thing to its end
        seen = set()
        while iri not in seen:
            seen.add(iri)
            up = site._shares_with(model, iri)
            if up is None:
                break
            iri = up
        return iri

    def model(ups: dict) -> Stub:
        claims = {i: SimpleNamespace(subject=u) for i, u in ups.items() if i.startswith("c")}
        dates = {i: SimpleNamespace(relative=SimpleNamespace(anchor=u)) for i, u in ups.items() if i.startswith("e")}
        return Stub(claims=claims, dates=dates, things=set(ups) | set(ups.values()))

    rng = random.Random(7)
    for _ in range(200):  # claims and relatively dated events pointing anywhere, cycles included
        names = [f"{rng.choice('ce')}{i}" for i in range(12)]
        ups = {n: rng.choice(names) for n in names if rng.random() < 0.8}
        m, expected = model(ups), model(ups)
        for n in rng.sample(names, len(names)):
            assert site.search_root(m, n) == walk(expected, n), (ups, n)

    n = 5000
    chain = model({f"e{i}": f"e{i - 1}" for i in range(1, n)})
    steps = []
    real = site._shares_with
    monkeypatch.setattr(site, "_shares_with", lambda model, iri: steps.append(iri) or real(model, iri))
    assert [site.search_root(chain, f"e{i}") for i in range(n)] == ["e0"] * n
    assert len(steps) == n


def test_a_description_with_many_broken_links_is_checked_in_steps_linear_in_its_links(scratch_kb, monkeypatch):
    """A 30 KB description linking 400 things that have no page: 400 errors, each at its own link,
    with each link read a bounded number of times. Each error read every link of the description
    again, and matched the whole string literal again: two descriptions of 1,400 such links took
    30 s to check (four: 82 s); now 3 s (7 s)."""
    from builder import check as checking, descriptions
    from builder.kb import open_kb
    n = 400
    links = " ".join(f"See [event {j}](https://example.org/id/missing-{j}), twice." for j in range(n))
    kb = scratch_kb({"a.ttl": f"""
        id:src a prov:Entity , schema:Report ; dcterms:title "Report"@en ; dcterms:publisher id:org .
        id:org a sem:Actor , schema:Organization ; skos:prefLabel "Org"@en , "منظمة"@ar .
        id:ev a sem:Event ; skos:prefLabel "Event"@en , "حدث"@ar ; dcterms:date "2024-01-03"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src ;
            dcterms:description \"\"\"{links}\"\"\"@en .
        """})
    calls = []
    real = descriptions.target
    monkeypatch.setattr(descriptions, "target", lambda href, id_ns: calls.append(href) or real(href, id_ns))
    problems = [p for p in checking.check(open_kb(kb)) if p.code == "description-link-without-page"]
    assert len(problems) == n
    line = (kb / "a.ttl").read_text(encoding="utf-8").splitlines()
    for p in problems[::97]:
        j = p.message.split("id:missing-")[1].split(",")[0]
        assert line[p.line - 1][p.column - 1:].startswith(f"https://example.org/id/missing-{j})"), p
    assert len(calls) <= 3 * n


def test_reporting_chains_are_walked_once_and_give_the_roots_a_whole_walk_gives(monkeypatch):
    """The first-hand sources behind each cited source are those a walk of its whole chain finds,
    for chains that branch, meet and loop; but a long chain is walked once, not from each of its
    sources: a chain of 4,000 relays, each cited by one event, took 10.8 s to extract (1,000: 0.6 s)."""
    import random
    from builder import extract
    from builder.namespaces import PROV
    d = PROV + "wasDerivedFrom"
    rng = random.Random(3)
    for _ in range(300):
        names = [f"s{i}" for i in range(10)]
        by_subject = {n: [(d, rng.choice(names)) for _ in range(rng.choice([0, 0, 1, 1, 2]))] for n in names}
        memo: dict = {}
        for n in rng.sample(names, len(names)):
            assert extract._roots(n, by_subject, memo) == extract._walk_roots(n, by_subject), (by_subject, n)
            assert extract._origins(n, by_subject, memo) == extract._origins(n, by_subject), (by_subject, n)

    n = 4000
    by_subject = {f"s{i}": [(d, f"s{i - 1}")] if i else [] for i in range(n)}
    by_subject.update({f"ev{i}": [(d, f"s{i}")] for i in range(n)})
    steps = []
    real = extract._relayed
    monkeypatch.setattr(extract, "_relayed", lambda s, by: steps.append(s) or real(s, by))
    memo = {}
    assert all(extract._roots(f"s{i}", by_subject, memo) == {"s0"} for i in reversed(range(n)))
    assert [extract._origins(f"ev{i}", by_subject, memo) for i in range(n)] == [{f"s{i}"} for i in range(n)]
    assert len(steps) <= 3 * 2 * n


def test_an_event_at_many_places_carries_its_filter_data_once_on_the_map_page(scratch_kb, tmp_path):
    """The map page has a row for each event at each of its located places. Each row carried the
    event's data-* attributes, every place and point of it: an event at N places wrote N² of
    them (2,000 places: a 141 MB page, 1.6 GB to build it). Now the first row carries them and
    the others its data-key alone, which is all the filters read of them (filters.js readEntries)."""
    n = 30
    places = "".join(f'id:p-{i} a sem:Place ; skos:prefLabel "Town {i}"@en , "بلدة {i}"@ar ; '
                     f'schema:latitude {30 + i / 10} ; schema:longitude 40.5 .\n' for i in range(n))
    kb = scratch_kb({"a.ttl": places + """
        id:org a sem:Actor , schema:Organization ; skos:prefLabel "Org"@en , "منظمة"@ar .
        id:src a prov:Entity , schema:Report ; dcterms:title "Report"@en ; dcterms:publisher id:org .
        id:ev-wide a sem:Event ; skos:prefLabel "Storm"@en , "عاصفة"@ar ; dcterms:date "2024-01-03"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src ; sem:hasPlace """ + " , ".join(f"id:p-{i}" for i in range(n)) + """ .
        id:ev-one a sem:Event ; skos:prefLabel "Strike"@en , "غارة"@ar ; dcterms:date "2024-01-04"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src ; sem:hasPlace id:p-0 .
        """.replace("\n        ", "\n")})
    out = tmp_path / "out"
    build(kb, out)
    for prefix in ("", "ar/"):
        page = (out / prefix / "map" / "index.html").read_text(encoding="utf-8")
        rows = re.findall(r'<tr class="entry[^"]*"([^>]*)>', page)
        wide = [r for r in rows if 'data-key="ev-wide"' in r]
        assert len(wide) == n and len(rows) == n + 1
        assert "data-places=" in wide[0] and "data-geo=" in wide[0] and wide[0].count("p-29") == 2
        assert all(r == ' data-key="ev-wide"' for r in wide[1:])
        assert "data-places=" in next(r for r in rows if 'data-key="ev-one"' in r)


def test_did_you_mean_hints_compare_a_bounded_number_of_names(scratch_kb, monkeypatch):
    """Every event citing a source under a misspelt name: each unknown name was compared with
    every described one (2,000 of each: a 29 s check; now 6.5 s). The first get named hints; past
    HINT_COMPARISONS, the hint says to check the spelling, and every name is still an error."""
    import difflib
    from builder import check as checking
    from builder.kb import open_kb
    n = 60
    kb = scratch_kb({"a.ttl": "id:org a sem:Actor , schema:Organization ; skos:prefLabel \"Org\"@en .\n" + "".join(f"""
        id:source-{i} a prov:Entity , schema:Report ; dcterms:title "Report {i}"@en ; dcterms:publisher id:org .
        id:ev-{i} a sem:Event ; skos:prefLabel "Event {i}"@en ; dcterms:date "2024-01-03"^^edtf:EDTF ;
            prov:wasDerivedFrom id:sourse-{i} .""" for i in range(n))})
    described = 2 * n + 1
    monkeypatch.setattr(checking, "HINT_COMPARISONS", 10 * described)
    calls = []
    real = difflib.get_close_matches
    monkeypatch.setattr(difflib, "get_close_matches", lambda *a, **k: calls.append(a[0]) or real(*a, **k))
    problems = [p for p in checking.check(open_kb(kb)) if p.code == "unknown-iri"]
    assert len(problems) == n and len(calls) == 10
    named = [p for p in problems if p.hint.startswith("did you mean")]
    assert len(named) == 10 and all(f"id:source-{p.message.split('sourse-')[1].split()[0]} " in p.hint for p in named)
    assert all("check the spelling" in p.hint for p in problems if p not in named)


def test_a_label_as_long_as_a_description_is_cut_where_it_is_mentioned(scratch_kb, tmp_path):
    """A label of 3,000 words (a description pasted into skos:prefLabel), its actor in 20 events:
    each mention showed it whole, so every page naming it was as long (1,000 events: 37 s, 2.6 GB,
    a 27 MB page; now 9.9 s, 0.3 GB). A mention shows MAX_MENTION characters at most, cut at a
    word, with "…"; the actor's own page shows the label whole."""
    from builder.views.common import MAX_MENTION
    words = " ".join(f"word{j}" for j in range(3000))
    kb = scratch_kb({"a.ttl": f"""
        id:long a sem:Actor , schema:Person ; skos:prefLabel "{words}"@en , "اسم"@ar .
        id:src a prov:Entity , schema:Report ; dcterms:title "Report"@en ; dcterms:publisher id:long .
        """ + "".join(f"""
        id:ev-{i} a sem:Event ; skos:prefLabel "Event {i}"@en , "حدث {i}"@ar ; dcterms:date "2024-01-{i + 1:02d}"^^edtf:EDTF ;
            tl:participant id:long ; prov:wasDerivedFrom id:src .""" for i in range(20))})
    out = tmp_path / "out"
    build(kb, out)
    event = (out / "id" / "ev-3" / "index.html").read_text(encoding="utf-8")
    shown = re.findall(r'<a href="\.\./long/index\.html"><bdi>([^<]*)</bdi></a>', event)
    assert shown and all(len(s) <= MAX_MENTION and s.endswith("…") and s.startswith("word0 word1 ") for s in shown)
    assert all(s[:-1].split(" ")[-1] in words.split(" ") for s in shown)  # cut at a word
    assert len((out / "index.html").read_text(encoding="utf-8")) < len(words) * 5
    assert words in (out / "id" / "long" / "index.html").read_text(encoding="utf-8")  # whole on its own page


def test_a_long_source_title_is_cut_in_the_filters_names_too(scratch_kb, tmp_path):
    """The filters name the sources an entry cites but does not show (data-names): as a mention
    does, with at most MAX_MENTION characters of the title, not the whole of it in every entry."""
    from builder.views.common import MAX_MENTION
    title = " ".join(f"word{j}" for j in range(1000))
    kb = scratch_kb({"a.ttl": f"""
        id:org a sem:Actor , schema:Organization ; skos:prefLabel "Org"@en , "منظمة"@ar .
        id:src a prov:Entity , schema:Report ; dcterms:title "{title}"@en ; dcterms:publisher id:org .
        id:ev a sem:Event ; skos:prefLabel "Event"@en , "حدث"@ar ; dcterms:date "2024-01-03"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src .
        """})
    out = tmp_path / "out"
    build(kb, out)
    names = re.search(r'<li class="entry[^>]*data-names="src\t([^"]*)"', (out / "index.html").read_text(encoding="utf-8"))
    assert names and names[1].endswith("…") and len(names[1]) <= MAX_MENTION
