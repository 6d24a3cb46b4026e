"""`tarikh query` and the query layer: every form and format, where the query comes from, the
predeclared prefixes, the derived triples, errors with line and column, and the exit codes."""
from __future__ import annotations

import csv
import os
import subprocess
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
import rdflib

from builder import query as q
from sparqlkit import ROOT, TARIKH, small_kb, tarikh

ID = "https://example.org/id/"
SELECT = "SELECT ?e ?from WHERE { ?e a sem:Event ; sem:hasEarliestBeginTimeStamp ?from } ORDER BY ?from ?e"
EXPECTED = [(ID + "ev-two", "2024-01-01"), (ID + "ev-one", "2024-01-05"), (ID + "ev-three", "2024-01-06")]
SRX = "{http://www.w3.org/2005/sparql-results#}"


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    return small_kb(tmp_path_factory.mktemp("query"))


@pytest.fixture(scope="module")
def store(kb):
    loaded, fatal = q.open_query_store(kb)
    assert not fatal
    return loaded.store


def cli(kb, *args, input=None):
    return tarikh("query", "--kb", str(kb), *args, input=input)


# --- the layer -------------------------------------------------------------------------------

def test_select_sees_derived_triples_and_predeclared_prefixes(store):
    rows = [(s["e"].value, s["from"].value) for s in q.run(store, SELECT, ID)]
    assert rows == EXPECTED


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_select_formats_read_back_as_w3c_results(store, fmt):
    data = q.serialize(q.run(store, SELECT, ID), fmt, ID)
    if fmt == "csv":  # pyoxigraph cannot read CSV results: read it as the spec writes it
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        assert rows == [["e", "from"], *map(list, EXPECTED)]
        assert data.endswith(b"\r\n")
        return
    parsed = ox.parse_query_results(data, q.RESULT_FORMATS[fmt])
    assert [(s["e"].value, s["from"].value) for s in parsed] == EXPECTED
    assert all(s["from"].datatype.value.endswith("#date") for s in ox.parse_query_results(data, q.RESULT_FORMATS[fmt]))


def test_select_json_and_xml_are_the_w3c_documents(store):
    doc = json.loads(q.serialize(q.run(store, SELECT, ID), "json", ID))
    assert doc["head"]["vars"] == ["e", "from"]
    assert doc["results"]["bindings"][0]["e"] == {"type": "uri", "value": ID + "ev-two"}
    root = ET.fromstring(q.serialize(q.run(store, SELECT, ID), "xml", ID))
    assert root.tag == SRX + "sparql"
    assert [v.get("name") for v in root.iter(SRX + "variable")] == ["e", "from"]


def test_ask_in_every_result_format(store):
    for fmt in ("json", "xml"):
        data = q.serialize(q.run(store, "ASK { id:ev-one sem:hasActor id:alpha }", ID), fmt, ID)
        assert bool(ox.parse_query_results(data, q.RESULT_FORMATS[fmt])) is True
    assert q.table(q.run(store, "ASK { id:ev-one sem:hasActor id:beta }", ID), ID) == "no\n"


@pytest.mark.parametrize("form", ["CONSTRUCT { ?e sem:hasActor ?a } WHERE { ?e sem:hasActor ?a }",
                                  "DESCRIBE id:ev-one"])
@pytest.mark.parametrize("fmt", ["ttl", "nt"])
def test_graph_forms_in_turtle_and_ntriples(store, form, fmt):
    data = q.serialize(q.run(store, form, ID), fmt, ID)
    graph = rdflib.Graph().parse(data=data.decode("utf-8"), format="turtle" if fmt == "ttl" else "nt")
    assert (rdflib.URIRef(ID + "ev-one"), rdflib.URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/hasActor"),
            rdflib.URIRef(ID + "alpha")) in graph


def test_table_is_compact_and_counts_rows(store):
    text = q.table(q.run(store, SELECT, ID), ID)
    assert "id:ev-two    2024-01-01" in text and text.endswith("(3 rows)\n")


def test_syntax_error_names_line_and_column(store):
    with pytest.raises(q.QueryError) as err:
        q.run(store, "SELECT * WHERE {\n  ?s ?p\n}", ID)
    assert (err.value.line, err.value.column) == (2, 3)  # the triple that lacks its object


def test_syntax_errors_say_what_a_person_can_act_on(store):
    with pytest.raises(q.QueryError) as err:  # a misspelt query form, after the prologue
        q.run(store, "PREFIX a: <http://example.org/a#>\nSELEC ?x WHERE { ?x ?y ?z }", ID)
    assert (err.value.line, err.value.column) == (2, 1)
    assert "starts with SELECT, CONSTRUCT, DESCRIBE or ASK" in str(err.value) and "'SELEC'" in str(err.value)
    with pytest.raises(q.QueryError) as err:  # stopped past the last character: no line 6 of 5
        q.run(store, "SELECT ?x\nWHERE {\n  ?x a ?t .\n  ?x ?y\n}\n", ID)
    assert (err.value.line, err.value.column) == (4, 3) and "at the end of the query" in str(err.value)
    with pytest.raises(q.QueryError) as err:  # the grammar's character classes are not shown
        q.run(store, "SELECT ?x WHERE { ?x ?y ?z } LIMIT x", ID)
    assert "'0'..='9'" not in str(err.value) and "[_]" not in str(err.value) and "a digit" in str(err.value)
    with pytest.raises(q.QueryError) as err:  # the token "[" (a blank node) is no character class
        q.run(store, "SELECT ?x WHERE { ?x ?p ", ID)
    assert '"[", "\\"", "\\"\\"\\"", "_:", "false", "true", FILTER, SELECT, VALUES, a digit, ' in str(err.value)


def test_undeclared_prefix_is_named_at_its_place(store):
    with pytest.raises(q.QueryError) as err:
        q.run(store, "SELECT * WHERE {\n  ?s ex:p ?o\n}", ID)
    assert (err.value.line, err.value.column, err.value.message) == (2, 6, "the prefix ex: is not declared")


@pytest.mark.parametrize("text,where", [
    ("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", (1, 12)),
    ("PREFIX x: <http://x/>\nSELECT * {\n  service <http://a/> { ?s ?p ?o } }", (3, 3)),
    ("INSERT DATA { <http://a/> <http://a/> <http://a/> }", (1, 1)),
    ("PREFIX x: <http://x/>\nDROP ALL", (2, 1)),
])
def test_service_and_updates_are_refused_before_running(store, text, where):
    with pytest.raises(q.QueryError) as err:
        q.run(store, text, ID)
    assert (err.value.line, err.value.column) == where


def test_the_word_service_in_strings_iris_and_names_is_not_the_keyword(store):
    text = '# SERVICE\nSELECT ?service WHERE { BIND("SERVICE" AS ?service) FILTER(?service != <http://x/SERVICE>) }'
    assert [s["service"].value for s in q.run(store, text, ID)] == ["SERVICE"]


@pytest.mark.parametrize("accept,kind,fmt", [
    ("", "select", "json"), ("*/*", "graph", "ttl"), ("text/csv", "select", "csv"),
    ("application/sparql-results+xml;q=0.5, text/tab-separated-values", "select", "tsv"),
    ("text/csv", "graph", None), ("text/turtle;q=0.1, application/n-triples", "graph", "nt"),
    ("application/json", "ask", "json"), ("text/html", "select", None),
])
def test_content_negotiation(accept, kind, fmt):
    assert q.negotiate(accept, kind) == fmt


def test_with_prefixes_adds_only_what_is_used_and_undeclared():
    text = 'PREFIX sem: <http://other/>\nSELECT * { ?e sem:x id:y ; rdfs:label "skos:no" }'
    added = q.with_prefixes(text, q.all_prefixes(ID)).removesuffix(text)
    assert added == f"PREFIX id: <{ID}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"


# --- the command line ------------------------------------------------------------------------

def test_cli_query_from_argument_file_and_stdin_agree(kb, tmp_path):
    path = tmp_path / "q.rq"
    path.write_text(SELECT, encoding="utf-8")
    outs = [cli(kb, "--format", "csv", SELECT), cli(kb, "--format", "csv", str(path)),
            cli(kb, "--format", "csv", "-", input=SELECT)]
    assert [p.returncode for p in outs] == [0, 0, 0]
    assert outs[0].stdout == outs[1].stdout == outs[2].stdout
    assert outs[0].stdout.decode().splitlines()[1] == ",".join(EXPECTED[0])


def test_cli_takes_a_long_query_on_one_line(kb):
    """Past 255 characters a one-line query is too long to be a file name: it is the query."""
    one_line = " ".join(SELECT.split()) + " " * 300
    assert len(one_line) > 300 and "\n" not in one_line
    out = cli(kb, "--format", "csv", one_line)
    assert out.returncode == 0, out.stderr
    assert out.stdout.decode().splitlines()[1] == ",".join(EXPECTED[0])


def test_cli_runs_a_saved_query(kb):
    proc = cli(kb, "--format", "json", str(kb / "queries" / "event-count.rq"))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["results"]["bindings"][0]["events"]["value"] == "3"


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "xml"])
def test_cli_every_results_format(kb, fmt):
    proc = cli(kb, "--format", fmt, SELECT)
    assert proc.returncode == 0, proc.stderr
    assert (ID + "ev-two" if fmt != "table" else "id:ev-two").encode() in proc.stdout


@pytest.mark.parametrize("fmt", ["ttl", "nt"])
def test_cli_graph_formats(kb, fmt):
    proc = cli(kb, "--format", fmt, "CONSTRUCT WHERE { ?e sem:hasActor ?a }")
    assert proc.returncode == 0, proc.stderr
    assert len(rdflib.Graph().parse(data=proc.stdout.decode(), format="turtle")) == 3
    # contract.md: IRIs are written in full in every W3C format
    assert b"@prefix" not in proc.stdout and b"PREFIX" not in proc.stdout
    assert f"<{ID}ev-two>".encode() in proc.stdout


def test_cli_error_in_a_file_names_the_file_line_and_column(kb, tmp_path):
    path = tmp_path / "bad.rq"
    path.write_text("# title@en: Bad\nSELECT * WHERE {\n  ?s ?p\n}\n", encoding="utf-8")
    proc = cli(kb, str(path))
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"{path}:3:3: error: ")


def test_cli_error_from_stdin_and_refusals_exit_1(kb):
    proc = cli(kb, "-", input="SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert proc.returncode == 1 and proc.stderr.startswith("<stdin>:1:12: error: SERVICE is not allowed")


def test_cli_wrong_format_for_the_form_exits_2(kb):
    proc = cli(kb, "--format", "ttl", SELECT)
    assert proc.returncode == 2 and "not ttl" in proc.stderr


def test_cli_missing_query_file_and_folder_exit_2(kb, tmp_path):
    assert cli(kb, str(tmp_path / "missing.rq")).returncode == 2
    assert tarikh("query", "--kb", str(tmp_path / "nowhere"), SELECT).returncode == 2


def test_cli_names_a_query_file_it_cannot_read(kb, tmp_path):
    """A file that is not there is a bad argument (exit 2), said with its name, not as "[Errno 2]"."""
    missing = tmp_path / "missing.rq"
    proc = cli(kb, str(missing))
    assert proc.returncode == 2 and proc.stderr == f"tarikh: error: there is no query file {missing}\n"
    (tmp_path / "folder.rq").mkdir()
    proc = cli(kb, str(tmp_path / "folder.rq"))
    assert proc.returncode == 2 and proc.stderr.startswith(f"tarikh: error: cannot read the query file {tmp_path / 'folder.rq'}: ")


def test_cli_a_query_file_that_is_not_utf8_is_an_error_where_it_is(kb, tmp_path):
    """An encoding problem in the query, at its line and column (exit 1, as an error in a query or
    a .ttl file that is not UTF-8 is), not a codec's message."""
    path = tmp_path / "latin1.rq"
    path.write_bytes("# title@en: Cafés\nSELECT * WHERE { ?s ?p \"café\" }\n".encode("latin-1"))
    proc = cli(kb, str(path))
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith(f"{path}:1:16: error: the query is not UTF-8 text"), proc.stderr
    assert "hint: save it in the UTF-8 encoding" in proc.stderr and "codec" not in proc.stderr


def test_cli_a_query_on_standard_input_that_is_not_utf8_is_an_error_where_it_is(kb):
    """The same from standard input, whatever the locale's encoding (it is read as bytes)."""
    proc = subprocess.run([*TARIKH, "query", "--kb", str(kb), "-"],
                          input="SELECT * WHERE { ?s ?p \"café\" }".encode("latin-1"), capture_output=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "LC_ALL": "C", "PYTHONIOENCODING": ""})
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.decode().startswith("<stdin>:1:28: error: the query is not UTF-8 text"), proc.stderr


def test_cli_a_query_with_a_byte_order_mark_runs(kb, tmp_path):
    """A byte-order mark, which some editors write first, is no part of the query (as in a .ttl
    file), in a file, on standard input, and in a saved query of kb/queries/."""
    path = tmp_path / "bom.rq"
    path.write_bytes(b"\xef\xbb\xbfASK { ?s ?p ?o }")
    proc = cli(kb, str(path))
    assert proc.returncode == 0 and b"yes" in proc.stdout, proc.stderr
    proc = subprocess.run([*TARIKH, "query", "--kb", str(kb), "-"], input=b"\xef\xbb\xbfASK { ?s ?p ?o }",
                          capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0 and b"yes" in proc.stdout, proc.stderr
    from builder.saved import load_saved
    kb = small_kb(tmp_path / "saved")
    (kb / "queries").mkdir(exist_ok=True)
    (kb / "queries" / "bom.rq").write_bytes("\ufeff# title@en: All\nSELECT * WHERE { ?s ?p ?o }\n".encode())
    saved, problems = load_saved(kb, str(kb))
    found = [q for q in saved if q.name == "bom"]
    assert found and not [p for p in problems if "bom" in p.path], problems


def test_cli_broken_knowledge_base_exits_1(tmp_path):
    kb = small_kb(tmp_path, **{"bad.ttl": "id:x a sem:Event ;\n"})
    proc = cli(kb, SELECT)
    assert proc.returncode == 1 and "bad.ttl:" in proc.stderr


def test_cli_endpoint_that_does_not_answer_exits_2(kb):
    from sparqlkit import free_port
    proc = cli(kb, "--endpoint", f"http://127.0.0.1:{free_port()}/query", SELECT)
    assert proc.returncode == 2 and "does not answer" in proc.stderr


# ---- the fast forms docs/sparql.md recommends give the rows of the forms people first write -------

@pytest.mark.parametrize("fast", ["actor-events-fast", "month-events-fast"])
def test_the_fast_forms_of_typical_queries_give_the_same_rows(tmp_path_factory, fast):
    import importlib.util
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("bench_gen", root / "benchmarks" / "gen.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    from benchmarks.queries import IDIOMS, QUERIES, SAME_ROWS
    kb_dir = gen.generate(600, tmp_path_factory.mktemp("fast-queries") / "kb")
    kb, fatal = q.open_query_store(kb_dir)
    assert not fatal

    def rows(text: str) -> list:
        return [tuple(t.value if t is not None else None for t in row) for row in q.run(kb.store, text, kb.id_ns)]
    first = rows(QUERIES[SAME_ROWS[fast]])
    assert len(first) >= 5
    assert rows(IDIOMS[fast]) == first


@pytest.mark.parametrize("command", ["query", "push", "build"])
@pytest.mark.parametrize("url", ["notaurl", "ftp://example.org/sparql", "http://"])
def test_an_endpoint_that_is_not_an_http_url_is_a_bad_argument(kb, tmp_path, command, url):
    """contract.md: exit 2 for bad arguments; said before anything is loaded, naming the URL as given."""
    out = tmp_path / "never-written"
    more = {"query": ["ASK {}"], "push": [], "build": ["--out", str(out)]}[command]
    proc = tarikh(command, "--kb", str(kb), "--endpoint", url, *more)
    assert proc.returncode == 2
    assert f"invalid endpoint: {url!r}" in proc.stderr and "?default" not in proc.stderr
    assert not out.exists()


def test_the_table_writes_control_characters_as_escapes(tmp_path):
    """A label pasted with a line break or a terminal escape keeps to its row in the table for
    people, and cannot clear the screen or move the cursor (the W3C formats keep it as it is)."""
    store = ox.Store()
    ev = ox.NamedNode(ID + "ev-x")
    label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    store.add(ox.Quad(ev, label, ox.Literal("Multi\nline\r\n\x1b[2J\x1b]0;owned\x07 \x9b end\ttab", language="en")))
    text = q.table(q.run(store, "SELECT ?e ?l WHERE { ?e skos:prefLabel ?l }", ID), ID)
    assert text.count("\n") == 4  # header, rule, one row, the count
    assert "Multi\\nline\\r\\n\\x1b[2J\\x1b]0;owned\\x07 \\x9b end\\ttab@en" in text
    assert not any(c in text.replace("\n", "") for c in "\r\x1b\x07\x9b\t")
    csv_out = q.serialize(q.run(store, "SELECT ?l WHERE { ?e skos:prefLabel ?l }", ID), "csv", ID)
    assert b"\x1b[2J" in csv_out  # data formats carry the value as it is


def test_the_table_names_bidi_controls_and_keeps_marks(tmp_path):
    """A U+202E pasted in a label would reverse the rest of its row in a terminal that lays out
    bidi text: the table writes embeddings, overrides and isolates as escapes. The marks (RLM,
    LRM, ALM), which Arabic text uses beside numbers and change nothing else, stay."""
    store = ox.Store()
    label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    store.add(ox.Quad(ox.NamedNode(ID + "ev-x"), label,
                      ox.Literal("abc\u202edef\u2066g\u2069 \u202a\u202c ١٢\u200f\u061c", language="ar")))
    text = q.table(q.run(store, "SELECT ?l WHERE { ?e skos:prefLabel ?l }", ID), ID)
    assert "abc\\u202edef\\u2066g\\u2069 \\u202a\\u202c ١٢\u200f\u061c@ar" in text
    assert not any(c in text for c in "\u202a\u202c\u202e\u2066\u2069")
