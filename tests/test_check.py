"""The checker: shapes, typos, values, labels and time, each problem at its file:line:column."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from builder import literals, terms
from builder.check import check, check_time
from builder.edtf import parse_edtf
from builder.kb import open_kb
from builder.problems import format_problems
from builder.shacl import SHAPES_PATH, builtin_checks, run_checks

CLEAN = (Path(__file__).resolve().parent / "fixtures" / "check" / "clean.ttl").read_text(encoding="utf-8")
ID = "https://example.org/id/"


def problems_of(scratch_kb, files: dict[str, str]) -> list:
    return check(open_kb(scratch_kb(files)))


def lines(problems) -> list[str]:
    """Problems as `line:column: code`, file names left out."""
    return [f"{p.line}:{p.column}: {p.code}" for p in problems]


def test_a_kb_with_every_form_written_well_has_no_problems(scratch_kb):
    assert problems_of(scratch_kb, {"a.ttl": CLEAN}) == []


def test_every_problem_has_a_place_a_kebab_code_and_a_severity(scratch_kb):
    broken = CLEAN.replace("tl:participant id:esmail-qaani", "tl:partcipant id:esmail-qani") \
                  .replace('"2024-01-29"^^edtf:EDTF', '"2024-02-30"^^edtf:EDTF')
    problems = problems_of(scratch_kb, {"a.ttl": broken})
    assert {p.code for p in problems} >= {"unknown-term", "unknown-iri", "bad-date"}
    for p in problems:
        assert p.path.endswith("kb/a.ttl") and p.line >= 1 and p.column >= 1
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", p.code) and p.severity in ("error", "warning")
    rows = json.loads(format_problems(problems, "json"))
    assert set(rows[0]) == {"path", "line", "column", "severity", "code", "message", "hint"}


def test_a_problem_of_a_file_as_a_whole_is_at_its_start_never_at_line_0(scratch_kb):
    """contract.md: line and column are 1-based, a missing site.toml included."""
    kb = scratch_kb({"a.ttl": CLEAN})
    (kb / "site.toml").unlink()
    problems = check(open_kb(kb))
    assert [p.code for p in problems if p.is_error] == ["missing-config"]
    rows = json.loads(format_problems(problems, "json"))
    assert all(row["line"] >= 1 and row["column"] >= 1 for row in rows), rows
    assert format_problems(problems).startswith(f"{problems[0].path}:1:1: error: ")


def test_a_turtle_file_that_cannot_be_read_is_an_error_at_its_path(scratch_kb):
    """A link to a file that is not there (moved, or on a share not mounted) cannot be read, as a
    file without permission cannot: an error naming it, not its statements vanishing unsaid."""
    kb = scratch_kb({"a.ttl": CLEAN})
    (kb / "shared.ttl").symlink_to(kb.parent / "elsewhere" / "shared.ttl")
    problems = check(open_kb(kb))
    assert [(p.path, p.line, p.code) for p in problems if p.is_error] == [(f"{kb}/shared.ttl", 1, "unreadable")]


def test_unknown_iri_names_the_closest_things_with_their_labels(scratch_kb):
    broken = CLEAN.replace("tl:perpetrator id:israel", "tl:perpetrator id:isreal")
    [problem] = [p for p in problems_of(scratch_kb, {"a.ttl": broken}) if p.code == "unknown-iri"]
    assert problem.message == "id:isreal is used but never described"
    assert problem.hint == "did you mean id:israel (Israel)?"
    text = (scratch_kb({"a.ttl": broken}) / "a.ttl").read_text().splitlines()
    assert text[problem.line - 1][problem.column - 1:].startswith("id:isreal")


def test_a_syntax_error_does_not_hide_the_other_files_local_problems(scratch_kb):
    problems = problems_of(scratch_kb, {"a.ttl": CLEAN, "b.ttl": 'id:x skos:prefLabel "broken .\n',
                                        "c.ttl": "id:ev-meeting tl:partcipant id:reuters .\n"})
    assert [p.code for p in problems] == ["syntax", "unknown-term"]


def test_tarikh_check_and_build_report_the_other_files_problems_beside_a_syntax_error(scratch_kb, tmp_path):
    """One file that does not parse stops the build, but `tarikh check` and `tarikh build` still
    name what is wrong in the files that loaded (a date that is no date, a misspelt term), each
    at its file and line, so that one run shows every problem it can."""
    import subprocess
    import sys
    kb = scratch_kb({"a.ttl": CLEAN.replace('"2024-01-29"^^edtf:EDTF', '"2024-13-45"^^edtf:EDTF', 1),
                     "b.ttl": 'id:x skos:prefLabel "broken .\n',
                     "c.ttl": "id:ev-meeting tl:partcipant id:reuters .\n"})
    assert '"2024-13-45"' in (kb / "a.ttl").read_text()
    for command in (["check", "--kb", str(kb)], ["build", "--kb", str(kb), "--out", str(tmp_path / "out")]):
        run = subprocess.run([sys.executable, "-m", "builder.cli", *command, "--format", "json"] if command[0] == "check"
                             else [sys.executable, "-m", "builder.cli", *command], capture_output=True, text=True,
                             cwd=Path(__file__).resolve().parent.parent)
        assert run.returncode == 1, run.stderr
        said = run.stdout + run.stderr
        assert "a.ttl" in said and "2024-13-45" in said, said  # the date, in a file that loaded
        assert "b.ttl" in said and "c.ttl" in said and "partcipant" in said, said
    assert not (tmp_path / "out").exists()


def test_a_misspelt_class_is_not_suggested_as_a_property():
    assert terms.suggestions(terms.SKOS, "preflabel", frozenset()) == ["prefLabel"]
    assert terms.suggestions(terms.TL, "Approximate", frozenset({"approximate", "Exact"})) == []
    assert terms.suggestions(terms.SEM, "hasActr", frozenset()) == ["hasActor"]


@pytest.mark.parametrize("namespace,near", [
    ("https://schema.org/", "http://schema.org/"), ("http://schema.org", "http://schema.org/"),
    ("https://w3id.org/tarikh/ns", "https://w3id.org/tarikh/ns#"),
    ("http://www.w3.org/2004/02/skos/core", "http://www.w3.org/2004/02/skos/core#"),
    ("http://semanticweb.cs.vu.nl/2009/11/sem#", "http://semanticweb.cs.vu.nl/2009/11/sem/"),
    ("http://purl.org/dc/term/", "http://purl.org/dc/terms/"),
    ("http://example.org/id/", "https://example.org/id/"),
    ("http://purl.org/dc/elements/1.1/", None), ("https://example.org/id/", None),
])
def test_near_miss_namespaces(namespace, near):
    known = ["http://schema.org/", "https://w3id.org/tarikh/ns#", "http://www.w3.org/2004/02/skos/core#",
             "http://semanticweb.cs.vu.nl/2009/11/sem/", "http://purl.org/dc/terms/", "https://example.org/id/"]
    assert terms.near_namespace(namespace, known) == near


@pytest.mark.parametrize("iri,near", [
    ("http://example.org/id/x", True), ("https://example.org/ids/x", True), ("https://www.example.org/id/x", True),
    ("https://example.com/id/x", True), ("https://example.org/id/x", False), ("https://news.example.com/x", False),
    ("http://www.wikidata.org/entity/Q1", False), ("urn:isbn:123", False),
])
def test_iris_almost_in_the_id_namespace(iri, near):
    assert terms.near_id(iri, ID) is near


@pytest.mark.parametrize("lexical,datatype,code", [
    ("3.5", "integer", "bad-literal"), ("12", "integer", None), ("-1", "nonNegativeInteger", "bad-literal"),
    ("2024-02-30", "date", "bad-date"), ("2024-02-29", "date", None), ("2024-1-1", "date", "bad-date"),
    ("33.3", "decimal", None), ("33,3", "decimal", "bad-literal"), ("yes", "boolean", "bad-literal"),
    ("P1D", "dayTimeDuration", None), ("P1Y", "dayTimeDuration", "bad-literal"), ("hello", "string", None),
])
def test_lexical_forms(lexical, datatype, code):
    found = literals.problem_with(lexical, "http://www.w3.org/2001/XMLSchema#" + datatype)
    assert (found[0] if found else None) == code


def test_edtf_literals_are_read_by_the_edtf_module():
    assert literals.problem_with("2024-02-21?", "http://id.loc.gov/datatypes/edtf/EDTF") is None
    code, message = literals.problem_with("2024-13", "http://id.loc.gov/datatypes/edtf/EDTF")
    assert code == "bad-date" and message.startswith("'2024-13'")
    assert parse_edtf("2024-02-21?").earliest is not None


@pytest.mark.parametrize("tag,ok", [("en", True), ("ar-Latn", True), ("fa", True), ("en-GB", True),
                                    ("english", False), ("e", False), ("ar_SY", False)])
def test_language_tags(tag, ok):
    assert (literals.language_tag_problem(tag) is None) is ok


@pytest.mark.parametrize("offset,ok", [("P1D", True), ("-P2D", True), ("PT0S", True), ("PT48H", True),
                                       ("PT5H", False), ("P1DT1H", False)])
def test_whole_day_offsets(offset, ok):
    assert (literals.offset_problem(offset) is None) is ok


def test_a_nested_relative_date_problem_points_into_the_brackets(scratch_kb):
    broken = CLEAN.replace("tl:anchor id:ev-meeting ; tl:offset", "tl:offset")
    kb_dir = scratch_kb({"a.ttl": broken})
    [problem] = [p for p in check(open_kb(kb_dir)) if p.code == "bad-anchor"]
    line = (kb_dir / "a.ttl").read_text().splitlines()[problem.line - 1]
    assert line[problem.column - 1:].startswith("[ tl:offset")


def test_kb_shapes_run_and_unsupported_ones_are_named(scratch_kb):
    shapes = """@prefix sh: <http://www.w3.org/ns/shacl#> .
id:NeedsUrl a sh:NodeShape ; sh:targetClass prov:Entity ;
    sh:property [ sh:path schema:url ; sh:minCount 1 ; sh:message "{this} has no URL" ] .
id:Sparql a sh:NodeShape ; sh:targetClass sem:Event ; sh:sparql [ sh:select "SELECT $this WHERE {}" ] .
"""
    problems = problems_of(scratch_kb, {"a.ttl": CLEAN, "shapes.ttl": shapes})
    assert [(p.code, p.message) for p in problems if p.severity == "error"] == [
        ("shape-min-count", "id:src-relay has no URL")]
    assert [p.code for p in problems if p.severity == "warning"] == ["unsupported-shape"]


def test_compiled_shapes_find_what_pyshacl_finds(scratch_kb):
    """The SPARQL compilation of builder/shapes.ttl agrees with pySHACL on a broken KB."""
    import rdflib
    from pyshacl import validate
    broken = (CLEAN.replace("tl:status tl:Attributed ;", "tl:status tl:Rumoured , tl:Claimed ;")
              .replace("tl:fatalitiesLow 2", "tl:fatalitiesLow 9").replace("schema:latitude 33.2625", "schema:latitude 133.2")
              .replace('    dcterms:publisher id:syrian-tv ;\n', "").replace("sem:accordingTo id:syrian-tv ;", "")
              .replace('tl:anchor id:ev-meeting ; tl:offset "P0D"', 'tl:offset "P0D"'))
    kb = open_kb(scratch_kb({"a.ttl": broken}))
    ours = {(_name(v.focus), v.check.severity) for v in run_checks(kb.store, builtin_checks())}
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in kb.store]
    graph = rdflib.Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    _, report, _ = validate(graph, shacl_graph=rdflib.Graph().parse(SHAPES_PATH), allow_warnings=True)
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    theirs = {(_name(r.value(s, sh.focusNode)), "warning" if r.value(s, sh.resultSeverity) == sh.Warning else "error")
              for r in [report] for s in report.subjects(sh.focusNode, None)}
    assert ours == theirs
    assert len(ours) >= 5


def _name(term) -> str:
    """A focus node for comparison: its IRI, or "_" for any blank node."""
    value = getattr(term, "value", None) or str(term)
    return value if value.startswith("http") else "_"


def test_reported_before_it_happened_and_sub_event_outside_parent(scratch_kb):
    kb = open_kb(scratch_kb({"a.ttl": CLEAN}))
    day = parse_edtf("2024-02-18").earliest
    bounds = {ID + "ev-meeting": (day + 3, day + 3), ID + "src-reuters": (day, day), ID + "src-relay": (day - 20, day + 10),
              ID + "ev-pause": (day + 10, day + 10)}
    problems = check_time(kb, bounds)
    assert [(p.code, p.message) for p in problems] == [
        ("reported-before-it-happened", "id:ev-meeting happened on 2024-02-21 at the earliest, after its source "
                                        "id:src-reuters was published (2024-02-18 at the latest)"),
        ("sub-event-outside-parent", "id:ev-pause begins on 2024-02-28 at the earliest, outside its parent "
                                     "id:ev-meeting (2024-02-21 to 2024-02-21)"),
        ("reported-before-it-happened", "id:ev-pause happened on 2024-02-28 at the earliest, after its source "
                                        "id:src-reuters was published (2024-02-18 at the latest)"),
    ]
    assert all(p.line >= 1 for p in problems)


def test_a_relay_cannot_be_older_than_its_origin(scratch_kb):
    kb = open_kb(scratch_kb({"a.ttl": CLEAN}))
    day = parse_edtf("2024-02-18").earliest
    [problem] = check_time(kb, {ID + "src-relay": (day - 30, day - 5), ID + "src-reuters": (day, day)})
    assert problem.code == "relays-a-later-source"


def test_consistent_dates_give_no_time_problems(scratch_kb):
    kb = open_kb(scratch_kb({"a.ttl": CLEAN}))
    day = parse_edtf("2024-01-29").earliest
    bounds = {ID + "ev-meeting": (day, day), ID + "ev-pause": (day, day), ID + "src-reuters": (day + 20, day + 20),
              ID + "src-relay": (day + 3, day + 30), ID + "ev-strike": (None, day + 30)}
    assert check_time(kb, bounds) == []


def test_labels_warnings(scratch_kb):
    extra = """
id:reuters-2 a sem:Actor , schema:NewsMediaOrganization ;
    skos:prefLabel "REUTERS"@en .
"""
    problems = problems_of(scratch_kb, {"a.ttl": CLEAN + extra})
    assert sorted((p.severity, p.code) for p in problems) == [("warning", "duplicate-label"), ("warning", "missing-language")]
    assert "id:reuters-2 has no label in Arabic (@ar)" in [p.message for p in problems]


def test_measurements_of_one_thing_over_time_share_a_label_without_a_warning(scratch_kb):
    """site.md: a quantity's page lists the other measurements of the same thing over time."""
    later = """
id:qty-troops-2 a tl:Quantity ;
    skos:prefLabel "US troops in Iraq"@en , "القوات الأميركية في العراق"@ar ;
    schema:value 2000 ; tl:approximate true ; schema:unitText "soldiers"@en ;
    tl:location id:iraq ; dcterms:date "2024-06"^^edtf:EDTF ;
    prov:wasDerivedFrom id:src-relay .
"""
    assert problems_of(scratch_kb, {"a.ttl": CLEAN + later}) == []
    # an event with a quantity's label is still told apart
    event = """
id:ev-troops a sem:Event ; skos:prefLabel "US troops in Iraq"@en , "حدث"@ar ;
    dcterms:date "2024-06"^^edtf:EDTF ; prov:wasDerivedFrom id:src-relay .
"""
    assert [p.code for p in problems_of(scratch_kb, {"a.ttl": CLEAN + later + event})] == ["duplicate-label"]


def test_a_malformed_kb_shape_is_a_warning_not_a_crash(scratch_kb):
    shapes = """@prefix sh: <http://www.w3.org/ns/shacl#> .
id:Bad a sh:NodeShape ; sh:targetClass sem:Event ; sh:property [ sh:path skos:prefLabel ; sh:minCount "many" ] .
id:Off a sh:NodeShape ; sh:targetClass sem:Event ; sh:deactivated true ;
    sh:property [ sh:path skos:prefLabel ; sh:minCount 5 ] .
id:Regex a sh:NodeShape ; sh:targetClass sem:Event ; sh:property [ sh:path skos:prefLabel ; sh:pattern "([" ] .
"""
    problems = problems_of(scratch_kb, {"a.ttl": CLEAN, "shapes.ttl": shapes})
    assert [(p.severity, p.code, p.message.split(" uses ")[0]) for p in problems] == [
        ("warning", "unsupported-shape", "id:Bad"), ("warning", "unsupported-shape", "id:Regex")]


# --- the checks run in a process of their own while the build lays the site out -------------------

def test_the_checks_run_in_a_forked_process_and_find_what_they_find_in_this_one(scratch_kb):
    import os

    from builder.site import Checks
    broken = CLEAN.replace("tl:perpetrator id:israel", "tl:perpetrator id:isreal")
    kb = open_kb(scratch_kb({"a.ttl": broken}))
    import gc
    assert gc.get_freeze_count() == 0
    with Checks(kb) as checks:
        if (os.cpu_count() or 1) > 1:
            assert checks.proc is not None and checks.proc.pid != os.getpid()
            assert gc.get_freeze_count() > 0  # this process's collector leaves what it shares alone
        found = checks.result()
        assert gc.get_freeze_count() == 0  # and walks it again once the checks are done
    assert found == check(kb) and "unknown-iri" in {p.code for p in found}


def test_a_checks_process_that_dies_fails_the_build_and_says_so(scratch_kb, monkeypatch):
    import os

    import builder.check
    from builder.site import Checks
    if (os.cpu_count() or 1) < 2:
        pytest.skip("the checks are forked only on more than one core")
    kb = open_kb(scratch_kb({"a.ttl": CLEAN}))
    monkeypatch.setattr(builder.check, "check", lambda kb: os._exit(3))  # as the forked process runs them
    with Checks(kb) as checks:
        with pytest.raises(RuntimeError, match=r"the checks failed: the process died \(exit code 3\)"):
            checks.result()


def test_a_lay_out_that_fails_on_a_kb_with_errors_gives_way_to_the_errors(scratch_kb):
    from builder.site import Timings, _diagnose
    broken = CLEAN.replace("tl:participant id:esmail-qaani", "tl:partcipant id:esmail-qani")

    def lay_out(resolved, saved):
        raise KeyError("what a model of a broken knowledge base can lack")
    problems, resolved, _, made = _diagnose(open_kb(scratch_kb({"a.ttl": broken})), Timings(), beside=lay_out)
    assert made is None and resolved and {"unknown-term", "unknown-iri"} <= {p.code for p in problems}
    # on a knowledge base without errors the failure is the build's own, and goes up as it is
    with pytest.raises(KeyError, match="what a model"):
        _diagnose(open_kb(scratch_kb({"a.ttl": CLEAN})), Timings(), beside=lay_out)


def test_the_build_lays_out_beside_the_checks_and_writes_nothing_when_they_fail(scratch_kb, tmp_path):
    from builder.problems import KBError
    from builder.site import Timings, build
    broken = CLEAN.replace("tl:perpetrator id:israel", "tl:perpetrator id:isreal")
    timings = Timings()
    with pytest.raises(KBError) as caught:
        build(scratch_kb({"a.ttl": broken}), tmp_path / "out", timings=timings)
    assert "unknown-iri" in {p.code for p in caught.value.problems}
    assert not (tmp_path / "out").exists()
    # the site was laid out (extract, views) while the checks ran: the build waited for them after
    names = [name for name, _ in timings.stages]
    assert names.index("extract") < names.index("views") < names.index("check")


@pytest.mark.parametrize("cores", [1, 2])
def test_the_checks_see_the_store_as_loaded_whatever_is_added_to_it_meanwhile(scratch_kb, monkeypatch, cores):
    """The lay-out adds derived statements to the store while the checks run: on one core as on
    two, the checks must not see them (here, a statement with a misspelt term)."""
    import os

    from builder.site import Checks
    kb = open_kb(scratch_kb({"a.ttl": CLEAN}))
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    with Checks(kb) as checks:
        kb.store.add(ox.Quad(ox.NamedNode(ID + "israel"), ox.NamedNode("https://w3id.org/tarikh/ns#partcipant"),
                             ox.NamedNode(ID + "esmail-qaani"), ox.NamedNode("https://w3id.org/tarikh/ns#derived")))
        assert checks.result() == []
    assert "unknown-term" in {p.code for p in check(kb)}  # as the checks would have said


AFTER_PAUSE = """
id:ev-after a sem:Event ;
    skos:prefLabel "After the pause"@en , "بعد التعليق"@ar ;
    tl:relativeDate [ tl:anchor id:ev-pause ; tl:offset "P1D"^^xsd:dayTimeDuration ] ;
    prov:wasDerivedFrom id:src-reuters .
"""


@pytest.mark.parametrize("old,new,code", [
    ('tl:anchor id:ev-meeting ; tl:offset "P0D"', 'tl:anchor id:ev-meeting ; tl:offset "PT36H"', "bad-offset"),
    ('tl:anchor id:ev-meeting ; tl:offset "P0D"', 'tl:offset "P0D"', "bad-anchor"),
    ('tl:anchor id:ev-meeting ; tl:offset "P0D"', 'tl:anchor id:ev-meeting ; time:dayOfWeek time:Monday ; tl:offset "P0D"',
     "bad-relative-date"),
    ("tl:status tl:Attributed", "tl:status tl:Rumoured", "bad-status"),  # the shape lists the statuses
    ("time:dayOfWeek time:Wednesday", "time:dayOfWeek time:Wensday", "unknown-term"),
    ("time:dayOfWeek time:Wednesday", "time:dayOfWeek time:January", "bad-weekday"),
])
def test_one_mistake_is_one_error(scratch_kb, old, new, code):
    """Each of these was reported two to four times: by the dates and by the checker's shapes, by a
    typo check and by the shape the typo breaks, and again as "counts from id:ev-pause, which
    has no date" for the event whose relative date counts from the one left out."""
    from builder.site import diagnose
    text = CLEAN + AFTER_PAUSE
    assert old in text
    problems, _, _ = diagnose(open_kb(scratch_kb({"a.ttl": text.replace(old, new, 1)})))
    assert [p.code for p in problems if p.is_error] == [code]
    assert diagnose(open_kb(scratch_kb({"a.ttl": text})))[0] == []


@pytest.mark.parametrize("name,hint", [
    ("sem", "declare it at the top of the file: @prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> ."),
    ("foo", "declare it at the top of the file (@prefix foo: <…> .), or use a prefix the file declares"),
])
def test_an_undeclared_prefix_is_told_to_be_declared(scratch_kb, name, hint):
    """Not the hint about a missing '.', which the parser's position (the start of a line) suggested."""
    kb = scratch_kb({"a.ttl": f'@prefix id: <{ID}> .\n{name}:y a id:Thing .\n'}, prefixes=False)
    [problem] = check(open_kb(kb))
    assert (problem.code, problem.line, problem.column) == ("syntax", 2, 1)
    assert problem.hint == hint


@pytest.mark.parametrize("gap", ["\n\n", "   # a comment . with a dot\n\n# another . one\n", "\n"])
def test_a_missing_dot_hint_points_at_the_end_of_the_statement_before(scratch_kb, gap):
    """The parser notices a missing '.' where the next statement starts; the hint names the likely
    place, where the statement before ends (blanks and comments in between skipped)."""
    statement = 'id:a a sem:Actor , schema:Person ;\n    skos:prefLabel "A # not a comment"@en , "أ"@ar'
    text = f'@prefix id: <{ID}> .\n@prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> .\n' \
           f'@prefix schema: <http://schema.org/> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n' \
           f'{statement}{gap}id:b a sem:Actor .\n'
    kb = scratch_kb({"a.ttl": text}, prefixes=False)
    [problem] = check(open_kb(kb))
    end = text.index(statement) + len(statement)  # the statement's last character is at end - 1
    line = text.count("\n", 0, end) + 1
    column = end - (text.rfind("\n", 0, end) + 1)
    assert problem.code == "syntax" and problem.line > line
    assert problem.hint.endswith(f"line {line}, column {column}")


# ---- site.toml: an unknown key is an error at its line; a wrong type is an error, never a crash ----

SITE = 'base_url = "https://example.org/"\nlanguages = ["en", "ar"]\n[title]\nen = "T"\nar = "ت"\n'


def site_problems(tmp_path, text: str | bytes):
    from builder.config import load_config
    (tmp_path / "site.toml").write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    config, problems = load_config(tmp_path, "kb")
    assert config is None and problems
    return problems


@pytest.mark.parametrize("text,key", [
    (SITE + '[map]\ntiles = "https://t.example/{z}/{x}/{y}.png"\ntilez = "x"\n', "tilez"),
    ('map.atribution = "x"\n' + SITE, "map.atribution"),
    (SITE + 'fr = "Titre"\n', "fr"),  # [title] for a language the site does not have
    (SITE + '[digits]\nra = "arab"\n', "ra"),  # a typo for ar
    (SITE + '[description]\nen = "d"\nne = "d"\n', "ne"),
    ('# the site\n\n\nbaes_url = "x"\n' + SITE, "baes_url"),  # after blank lines: its own line
])
def test_an_unknown_key_in_a_table_is_an_error_at_its_line(tmp_path, text, key):
    [problem] = site_problems(tmp_path, text)
    line = next(n for n, written in enumerate(text.split("\n"), 1) if written.startswith(key))
    assert (problem.code, problem.severity, problem.line) == ("unknown-config-key", "error", line)
    assert repr(key.split(".")[-1]) in problem.message


@pytest.mark.parametrize("extra", [
    'description = 5\n', 'description = "a site"\n', 'map = "x"\n',
    '[map]\ntiles = 3\n', '[map]\nattribution = ["a"]\n', '[description]\nen = 5\n',
])
def test_a_wrong_type_is_an_error_not_a_crash(tmp_path, extra):
    text = (extra + SITE) if not extra.startswith("[") else SITE + extra
    problems = site_problems(tmp_path, text)
    assert all(p.is_error and p.line >= 1 and p.column >= 1 for p in problems)


# base_url: every address of the site and every IRI of the knowledge base is built from it
@pytest.mark.parametrize("written,says", [
    ('"https://example.org/time line/"', "a space (U+0020) at character 25"),
    ('"https://example.org/a\\"b/"', "a double quote (U+0022)"),
    ('"https://example.org/<x>/"', "a '<' (U+003C)"),
    ('"https://example.org/x>/"', "a '>' (U+003E)"),
    ('"https://example.org/a\\\\b/"', "a backslash (U+005C)"),
    ('"https://example.org/{x}/"', "a '{' (U+007B)"),
    ('"https://example.org/x}/"', "a '}' (U+007D)"),
    ('"https://example.org/a|b/"', "a '|' (U+007C)"),
    ('"https://example.org/a^b/"', "a '^' (U+005E)"),
    ('"https://example.org/a`b/"', "a backtick (U+0060)"),
    ('"https://example.org/a\\u0001b/"', "a control character (U+0001)"),
    ('"https://example.org/a\\tb/"', "a control character (U+0009)"),
    ('"https://example.org/a\\u007Fb/"', "a control character (U+007F)"),
    ('"https://example.org/a\\u0085b/"', "a control character (U+0085)"),
    ('"https://example.org/a\\u00A0b/"', "a space (U+00A0)"),
    ('"https://example.org/a\\uFDD0/"', "a noncharacter (U+FDD0)"),
    ('"https://exa mple.org/"', "a space (U+0020)"),
    ('"ftp://example.org/"', "must start with http:// or https:// (it has ftp:)"),
    ('"javascript:alert(1)//"', "must start with http:// or https:// (it has javascript:)"),
    ('"example.org/"', "must start with http:// or https:// (it has no scheme)"),
    ('"https:example.org/"', "must start with https:// (two slashes"),
    ('"HTTPS://example.org/"', "lower case"),
    ('"https:///"', "no host name after https://"),
    ('"https:///timeline/"', "no host name after https://"),
    ('"https://:8080/"', "no host name after https://"),
    ('"https://user@/"', "no host name after https://"),
    ('"https://example.org:80a/"', "port '80a' is not a number"),
    ('"https://example.org/?page=1/"', "a '?'"),
    ('"https://example.org/#top/"', "a '#'"),
    ('"https://example.org/100%/"', "a '%' at character 24 that is not followed by two hex digits"),
    ('"https://example.org/a[1]/"', "'[' or ']' in its path"),
    ('"https://example.org"', "must end in '/'"),
    ('5', "must be an http(s) URL"),
])
def test_a_base_url_that_would_break_every_address_is_an_error_at_its_line(tmp_path, written, says):
    text = SITE.replace('"https://example.org/"', written)
    text = "# the site\n\n" + text  # base_url on line 3
    [problem] = site_problems(tmp_path, text)
    assert (problem.code, problem.severity, problem.line, problem.column) == ("bad-base-url", "error", 3, 1)
    assert says in problem.message, problem.message
    assert problem.hint


@pytest.mark.parametrize("written,hint", [
    ('"https://example.org/time line/"', "%20"), ('"https://example.org/a|b/"', "%7C"),
    ('"https://example.org/100%/"', "%25"), ('"https://example.org/#top/"', "%23"),
    ('"https://example.org"', 'base_url = "https://example.org/"'), ('"https:///"', "https://host/path/"),
])
def test_a_bad_base_url_says_how_to_write_it(tmp_path, written, hint):
    [problem] = site_problems(tmp_path, SITE.replace('"https://example.org/"', written))
    assert hint in problem.hint, problem.hint


@pytest.mark.parametrize("base_url", [
    "https://example.org/", "http://example.org/", "https://example.org/tarikh/", "http://localhost:8000/",
    "https://example.org/تاريخ/", "https://example.org/%D8%AA/", "http://[::1]:8000/site/",
    "https://example.org/a(b)/c~d/", "https://sub.example.org:8443/x/y/",
])
def test_a_base_url_an_iri_can_be_is_accepted(tmp_path, base_url):
    from builder.config import load_config
    (tmp_path / "site.toml").write_text(SITE.replace("https://example.org/", base_url), encoding="utf-8")
    config, problems = load_config(tmp_path, "kb")
    assert problems == [] and config.base_url == base_url


def test_a_base_url_with_non_ascii_letters_makes_a_sitemap_of_uris(tmp_path):
    """Non-ASCII in the path (an IRI) is accepted: the sitemap percent-encodes it."""
    from builder.config import load_config
    from builder.feeds import sitemap
    (tmp_path / "site.toml").write_text(SITE.replace("https://example.org/", "https://example.org/تاريخ/"),
                                        encoding="utf-8")
    config, _ = load_config(tmp_path, "kb")
    xml = sitemap(["index.html", "id/x/index.html"], config)["sitemap.xml"].decode("ascii")
    assert "<loc>https://example.org/%D8%AA%D8%A7%D8%B1%D9%8A%D8%AE/id/x/</loc>" in xml


def test_a_site_toml_that_is_not_utf8_is_an_error_at_the_bad_byte(tmp_path):
    raw = SITE.encode("utf-8") + b'[digits]\nar = "ar\xffb"\n'
    [problem] = site_problems(tmp_path, raw)
    bad = raw.index(b"\xff")
    line = raw.count(b"\n", 0, bad) + 1
    column = len(raw[raw.rfind(b"\n", 0, bad) + 1:bad].decode("utf-8")) + 1
    assert (problem.code, problem.line, problem.column) == ("encoding", line, column)


def test_a_local_name_that_is_not_a_slug_is_not_told_to_take_a_slug_already_taken(scratch_kb):
    extra = """
id:Israel a sem:Actor , schema:Country ; skos:prefLabel "Israel (again)"@en , "إسرائيل مجدداً"@ar .
id:Iraq_Gov a sem:Actor , schema:Country ; skos:prefLabel "Iraqi government"@en , "الحكومة العراقية"@ar .
"""
    problems = {p.message.split(">")[0].rsplit("/", 1)[-1]: p for p in problems_of(scratch_kb, {"a.ttl": CLEAN + extra})
                if p.code == "bad-local-name"}
    assert set(problems) == {"Israel", "Iraq_Gov"}
    assert problems["Israel"].hint.startswith("id:israel is described too")
    assert "rename this one id:israel-2" in problems["Israel"].hint
    assert problems["Iraq_Gov"].hint.startswith("rename it id:iraq-gov ")


def test_a_file_that_begins_with_a_byte_order_mark_reads_as_without_it(scratch_kb):
    """Some editors write a UTF-8 byte-order mark first: the file is read as if it were a space."""
    broken = CLEAN.replace("tl:perpetrator id:israel", "tl:perpetrator id:isreal")
    kb = scratch_kb({"a.ttl": broken})
    path = kb / "a.ttl"
    plain = [(p.line, p.column, p.code) for p in check(open_kb(kb))]
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert [(p.line, p.column, p.code) for p in check(open_kb(kb))] == plain == [(plain[0][0], plain[0][1], "unknown-iri")]


def test_an_rdf_file_the_loader_does_not_read_is_a_warning_not_a_silent_loss(scratch_kb):
    """Events written in events.turtle or Events.TTL would vanish from the site without a word."""
    kb = scratch_kb({"a.ttl": CLEAN})
    (kb / "more.turtle").write_text("id:x a sem:Event .\n", encoding="utf-8")
    (kb / "sub").mkdir()
    (kb / "sub" / "Other.TTL").write_text("id:y a sem:Event .\n", encoding="utf-8")
    (kb / "notes.txt").write_text("not RDF\n", encoding="utf-8")
    (kb / "a.ttl~").write_text("an editor's backup\n", encoding="utf-8")
    problems = check(open_kb(kb))
    assert sorted((Path(p.path).name, p.severity, p.code) for p in problems) == [
        ("Other.TTL", "warning", "not-read"), ("more.turtle", "warning", "not-read")]
    assert any("rename it more.ttl" in p.hint for p in problems)


# ---- mistakes of a hand-writer: a half point, owl:sameAs itself, a language by name ----

def written_at(kb, problem) -> str:
    """The text of the problem's line from its column on."""
    text = (kb / Path(problem.path).name).read_text(encoding="utf-8").splitlines()
    return text[problem.line - 1][problem.column - 1:]


@pytest.mark.parametrize("has,lacks", [("latitude", "longitude"), ("longitude", "latitude")])
def test_a_place_with_one_coordinate_and_not_the_other_is_an_error_at_the_place(scratch_kb, has, lacks):
    extra = f'\n# a place\nid:kirkuk a sem:Place , schema:City ;\n    skos:prefLabel "Kirkuk"@en , "كركوك"@ar ;\n' \
            f'    schema:{has} 35.4681 .\n'
    kb = scratch_kb({"a.ttl": CLEAN + extra})
    [problem] = check(open_kb(kb))
    assert (problem.code, problem.severity) == ("half-coordinates", "error")
    assert problem.message == f"id:kirkuk has a schema:{has} but no schema:{lacks}"
    assert written_at(kb, problem).startswith("id:kirkuk a sem:Place")
    assert "schema:latitude 33.3152 ; schema:longitude 44.3661" in problem.hint


def test_same_as_itself_is_a_warning_at_the_statement(scratch_kb):
    kb = scratch_kb({"a.ttl": CLEAN.replace("owl:sameAs wd:Q801", "owl:sameAs id:israel")})
    [problem] = check(open_kb(kb))
    assert (problem.code, problem.severity) == ("same-as-itself", "warning")
    assert problem.message.startswith("id:israel owl:sameAs id:israel: ")
    assert written_at(kb, problem).startswith("id:israel .")
    assert "wd:Q801" in problem.hint


@pytest.mark.parametrize("written,code", [("Arabic", "ar"), ("english", "en"), ("ar_SY", "ar-SY"),
                                          ("العربية", "ar"), ("Persian", "fa"), ("Klingonish", None)])
def test_a_source_language_that_is_not_a_language_code_is_an_error_with_the_code(scratch_kb, written, code):
    kb = scratch_kb({"a.ttl": CLEAN.replace('dcterms:language "en"', f'dcterms:language "{written}"')})
    [problem] = check(open_kb(kb))
    assert (problem.code, problem.severity) == ("bad-language-code", "error")
    assert problem.message == f'the dcterms:language of id:src-reuters is "{written}", not a BCP 47 language code'
    assert written_at(kb, problem).startswith(f'"{written}"')
    assert problem.hint == (f'write dcterms:language "{code}"' if code else
                            'write a BCP 47 language code, such as "ar", "en", "fa" or "ar-SY"')


@pytest.mark.parametrize("written", ["ar", "en-GB", "ar-Latn", "fa", "EN"])
def test_a_source_language_code_is_accepted(scratch_kb, written):
    assert problems_of(scratch_kb, {"a.ttl": CLEAN.replace('dcterms:language "en"', f'dcterms:language "{written}"')}) == []


# ---- a text whose letters are not in its language tag's script ----

@pytest.mark.parametrize("old,new,tag,hint", [
    ('"Reuters"@en , "رويترز"@ar .', '"رويترز"@en , "رويترز"@ar .', "en", "tag it @ar"),
    ('"Reuters"@en , "رويترز"@ar .', '"Reuters"@en , "رويترز"@ar ; skos:altLabel "Reuters"@ar .', "ar", "@ar-Latn"),
    ('"Esmāʿīl Qāʾānī"@ar-Latn', '"إسماعيل قاآني"@ar-Latn', "ar-latn", "tag it @ar"),
    ('"اسماعیل قاآنی"@fa', '"Esmail Qaani"@fa', "fa", "@fa-Latn"),
    ('dcterms:title "Quds Force chief', 'dcterms:title "قائد فيلق القدس"@en ; rdfs:label "Quds Force chief', "en", "tag it @ar"),
])
def test_a_label_whose_letters_contradict_its_language_tag_is_a_warning(scratch_kb, old, new, tag, hint):
    assert old in CLEAN
    kb = scratch_kb({"a.ttl": CLEAN.replace(old, new, 1)})
    problems = check(open_kb(kb))
    scripts = [p for p in problems if p.code == "label-script"]
    assert len(scripts) == 1 and all(p.severity == "warning" for p in problems), problems
    [problem] = scripts
    assert f"is tagged @{tag} (" in problem.message and hint in problem.hint
    assert re.search(r"@" + tag + r"\b", written_at(kb, problem).split(" ,")[0].split(" ;")[0], re.I)


@pytest.mark.parametrize("label", [
    '"بغداد 2024"@ar', '"2024"@en', '"The «حشد» forces"@en', '"Ba\'ath: البعث"@en', '"Baġdād"@ar-Latn',
    '"Bagdad"@ar-Latn-x-old', '"Mosul"@ku', '"Mosul"@zz', '"Мосул"@ru', '"الموصل 3"@ar-IQ', '"Mossoul"@fr-CA',
])
def test_a_label_with_letters_of_its_tags_script_or_of_an_unknown_language_is_no_warning(scratch_kb, label):
    """Digits, punctuation and a quoted word of another script are fine; a language written in
    several scripts (Kurdish) or one the checker does not know is never warned about."""
    extra = f'\nid:mosul a sem:Place ; skos:prefLabel "Mosul"@en , "الموصل"@ar ; skos:altLabel {label} .\n'
    assert problems_of(scratch_kb, {"a.ttl": CLEAN + extra}) == []


# ---- a claim holds a statement: its object is what its predicate takes ----

CLAIM = "rdf:subject id:ev-strike ; rdf:predicate tl:perpetrator ; rdf:object id:israel ;"


@pytest.mark.parametrize("statement,value,message", [
    ("rdf:subject id:ev-strike ; rdf:predicate tl:perpetrator ; rdf:object id:iraq ;", "id:iraq",
     "the tl:perpetrator of id:ev-strike must be a sem:Actor, and id:iraq is not"),
    ("rdf:subject id:ev-strike ; rdf:predicate sem:hasPlace ; rdf:object id:israel ;", "id:israel",
     "the sem:hasPlace of id:ev-strike must be a sem:Place, and id:israel is not"),
    ('rdf:subject id:ev-strike ; rdf:predicate tl:fatalities ; rdf:object "five"@en ;', '"five"@en',
     'tl:fatalities is a count: a whole number of 0 or more, not "five"@en'),
    ('rdf:subject id:ev-strike ; rdf:predicate tl:perpetrator ; rdf:object "Israel"@en ;', '"Israel"@en',
     'the tl:perpetrator of id:ev-strike must be a sem:Actor, and "Israel"@en is not'),
])
def test_a_claim_whose_object_its_predicate_cannot_take_is_an_error_at_the_object(scratch_kb, statement, value, message):
    kb = scratch_kb({"a.ttl": CLEAN.replace(CLAIM, statement)})
    [problem] = check(open_kb(kb))
    assert (problem.code, problem.severity) == ("claim-object-kind", "error")
    predicate = statement.split("rdf:predicate ")[1].split(" ")[0]
    assert problem.message == f"id:claim-strike-by-israel claims what {predicate} cannot take: {message}"
    assert written_at(kb, problem).startswith(value)


@pytest.mark.parametrize("statement", [
    CLAIM,
    "rdf:subject id:ev-strike ; rdf:predicate tl:fatalities ; rdf:object 7 ;",
    'rdf:subject id:ev-strike ; rdf:predicate dcterms:date ; rdf:object "2024-02-03"^^edtf:EDTF ;',
    "rdf:subject id:ev-strike ; rdf:predicate sem:hasPlace ; rdf:object id:iraq ;",
    "rdf:subject id:israel ; rdf:predicate owl:sameAs ; rdf:object wd:Q801 ;",
])
def test_a_claim_whose_object_fits_its_predicate_is_fine(scratch_kb, statement):
    assert problems_of(scratch_kb, {"a.ttl": CLEAN.replace(CLAIM, statement)}) == []


def test_a_claimed_value_of_an_undescribed_thing_is_said_once(scratch_kb):
    """id:isreal is used but never described: that is the one mistake, not its class too."""
    problems = problems_of(scratch_kb, {"a.ttl": CLEAN.replace(CLAIM, CLAIM.replace("id:israel", "id:isreal"))})
    assert [p.code for p in problems] == ["unknown-iri"]


def test_an_undated_anchor_several_things_count_from_is_one_error_at_the_anchor(scratch_kb):
    """A source without its dcterms:issued that three events count from is one mistake: one error
    where the source is described, not one per event (nor for what counts from those events)."""
    from builder.site import diagnose
    extra = "\nid:src-undated a prov:Entity , schema:NewsArticle ;\n" \
            '    dcterms:title "Undated"@en ; dcterms:publisher id:reuters .\n'
    for n, label in enumerate(("ب", "ج", "د")):
        extra += f'\nid:ev-{n} a sem:Event ; skos:prefLabel "Event {n}"@en , "{label}"@ar ;\n' \
                 f'    tl:relativeDate [ tl:anchor id:src-undated ; tl:offset "P{n}D"^^xsd:dayTimeDuration ] ;\n' \
                 '    prov:wasDerivedFrom id:src-reuters .\n'
    extra += '\nid:ev-3 a sem:Event ; skos:prefLabel "Event 3"@en , "ه"@ar ;\n' \
             '    tl:relativeDate [ tl:anchor id:ev-0 ; tl:offset "P1D"^^xsd:dayTimeDuration ] ;\n' \
             '    prov:wasDerivedFrom id:src-reuters .\n'
    kb = scratch_kb({"a.ttl": CLEAN + extra})
    problems, _, _ = diagnose(open_kb(kb))
    [problem] = problems
    assert (problem.code, problem.severity) == ("anchor-undated", "error")
    assert problem.message == "id:src-undated has no date, and 3 relative dates count from it: id:ev-0, id:ev-1, id:ev-2"
    assert written_at(kb, problem).startswith("id:src-undated a prov:Entity")


# ---- syntax: the likely mistake and its place, for the slips a hand-writer makes most ----

HEAD = f'@prefix id: <{ID}> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n' \
       '@prefix schema: <http://schema.org/> .\n'


def syntax_hint(scratch_kb, body: str):
    [problem] = check(open_kb(scratch_kb({"a.ttl": HEAD + body}, prefixes=False)))
    assert problem.code == "syntax" and problem.severity == "error"
    return problem


def place_of(body: str, marker: str, nth: int = 0) -> tuple[int, int]:
    """The 1-based line and column of a marker in the file (HEAD counted)."""
    text = HEAD + body
    at = -1
    for _ in range(nth + 1):
        at = text.index(marker, at + 1)
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


@pytest.mark.parametrize("body", [
    'id:a a schema:Place ;\n    skos:prefLabel "A"@en , "أ"@ar\n    schema:latitude 33.1 ;\n    schema:longitude 44.2 .\n',
    'id:a a schema:Place ; skos:prefLabel "A"@en , "أ"@ar  # a comment\n\n    schema:latitude 33.1 .\n',
    'id:a a schema:Place ; skos:prefLabel "A"@en , "أ"@ar schema:latitude 33.1 .\n',
])
def test_a_missing_semicolon_is_told_where_it_belongs(scratch_kb, body):
    problem = syntax_hint(scratch_kb, body)
    line, column = place_of(body, '"أ"@ar')
    assert problem.hint.startswith("a ';' is missing between two predicate-object pairs")
    assert f"ends at line {line}, column {column + 5} " in problem.hint  # the 'r' of @ar


@pytest.mark.parametrize("body", [
    'id:a a schema:Place ;\n    skos:prefLabel "A"@en , "أ"@ar , .\n',
    'id:a a schema:Place ;\n    skos:prefLabel "A"@en , "أ"@ar ,\n    .\nid:b a schema:Place .\n',
])
def test_a_stray_comma_before_the_dot_is_told_where_it_is(scratch_kb, body):
    problem = syntax_hint(scratch_kb, body)
    line, column = place_of(body, '@ar ,')
    column += 4
    assert problem.hint.startswith(f"a ',' must be followed by another object: remove the ',' at line {line}, column {column},")


def test_a_stray_semicolon_before_the_dot_is_not_an_error(scratch_kb):
    """Turtle allows `; .` (an empty predicate-object list after ';'): nothing to report."""
    kb = scratch_kb({"a.ttl": CLEAN.replace('"رويترز"@ar .', '"رويترز"@ar ; .')})
    assert check(open_kb(kb)) == []


def test_an_unclosed_long_string_is_told_where_it_starts_and_likely_ends(scratch_kb):
    body = 'id:a a schema:Place ;\n    skos:prefLabel "A"@en ;\n    schema:description """A long\ntext."@en .\n' \
           'id:b a schema:Place ;\n    skos:prefLabel "B"@en .\n'
    problem = syntax_hint(scratch_kb, body)
    assert (problem.line, problem.column) == place_of(body, '"""')
    end = place_of(body, '"@en .')
    assert problem.hint == ('the """ text that starts here is never closed, so it runs to the end of the file: end it '
                            f'with """ (perhaps at line {end[0]}, column {end[1]}, where a single " ends it instead)')


@pytest.mark.parametrize("body", [
    'id:a a schema:Place ;\n    schema:url <https://example.com/a ;\n    skos:prefLabel "A"@en .\n',
    'id:a a schema:Place ;\n    schema:url <https://example.com/a ;\n    skos:prefLabel "A"@en .\n'
    'id:b a schema:Place ;\n    schema:url <https://example.com/b> .\n',
])
def test_an_unclosed_iri_is_told_where_it_starts_and_how_to_close_it(scratch_kb, body):
    problem = syntax_hint(scratch_kb, body)
    assert (problem.line, problem.column) == place_of(body, "<https://example.com/a")
    assert problem.hint.startswith("the IRI that starts here is never closed with '>': write <https://example.com/a> ")


@pytest.mark.parametrize("body", [
    'id:a a schema:Event ;\n    schema:location [ schema:name "X"@en ;\n    skos:prefLabel "A"@en .\n',
    'id:a a schema:Event ;\n    schema:location [ schema:name "X [not this]"@en ; # ] nor this\n'
    '        schema:address [ schema:name "Y"@en ] ;\n    skos:prefLabel "A"@en .\nid:b a schema:Place .\n',
])
def test_an_unclosed_bracket_is_told_where_it_opens(scratch_kb, body):
    problem = syntax_hint(scratch_kb, body)
    line, column = place_of(body, "[ schema:name")
    assert problem.line > line
    assert problem.hint.startswith(f"the '[' at line {line}, column {column} is never closed: end it with ']'")


def test_a_space_inside_a_closed_iri_is_told_to_be_written_as_percent_20(scratch_kb):
    problem = syntax_hint(scratch_kb, 'id:a a schema:Place ;\n    schema:url <https://example.com/a b> .\n')
    assert problem.hint == "an IRI holds no spaces: write a space in one as %20"


def test_problems_for_a_terminal_name_control_and_bidi_characters_and_json_keeps_them():
    """A problem quoting a label keeps to its line and cannot reverse or repaint the terminal; the
    JSON form, for tools, carries the text as it is."""
    from builder.problems import Problem, format_problems
    p = Problem("kb/a.ttl", 3, 5, "warning", "label-script", "the label \"x\u202eevil\nnext\x1b[2J\" is odd",
                "write \u2067it\u2069 again")
    text = format_problems([p])
    assert text == ('kb/a.ttl:3:5: warning: the label "x\\u202eevil\\nnext\\x1b[2J" is odd\n'
                    "    hint: write \\u2067it\\u2069 again")
    assert json.loads(format_problems([p], "json"))[0]["message"] == p.message


def test_the_same_label_written_in_two_files_is_one_label(scratch_kb):
    """kb-format: files may be split any way, the set of triples is what counts. The same
    skos:prefLabel written in two files (a block copied into a new file, an import writing again
    what the knowledge base had) was "two skos:prefLabels in one language", an error; two different
    labels in one language still are."""
    thing = ('@prefix id: <https://example.org/id/> .\n'
             'id:x a sem:Actor , schema:Organization ; skos:prefLabel "X"@en , "إكس"@ar .\n')
    assert not [p for p in problems_of(scratch_kb, {"a.ttl": thing, "b.ttl": thing}) if p.is_error]
    other = thing.replace('"X"@en', '"Y"@en')
    found = [p for p in problems_of(scratch_kb, {"a.ttl": thing, "b.ttl": other}) if p.is_error]
    assert [p.code for p in found] and {p.code for p in found} == {"two-labels-one-language"}, [p.format() for p in found]
