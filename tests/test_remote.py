"""`tarikh push` and `tarikh build --endpoint` against a real Oxigraph server started here, and
`tarikh query --endpoint`: the same site and the same answers as from the files."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from sparqlkit import build_site, free_port, small_kb, tarikh, wait_port

OXIGRAPH = shutil.which("oxigraph") or str(Path(__file__).resolve().parent.parent / ".venv" / "bin" / "oxigraph")
SELECT = "SELECT ?e ?from WHERE { ?e a sem:Event ; sem:hasEarliestBeginTimeStamp ?from } ORDER BY ?from ?e"


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    """An Oxigraph server on a free port; yields its base URL."""
    if not Path(OXIGRAPH).exists():
        pytest.fail("the oxigraph server is not installed (pip install 'oxigraph>=0.5.13,<0.6')")
    location = tmp_path_factory.mktemp("oxigraph-db")
    port = free_port()
    proc = subprocess.Popen([OXIGRAPH, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_port(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def pushed(oxigraph, tmp_path_factory):
    kb = small_kb(tmp_path_factory.mktemp("remote"))
    proc = tarikh("push", "--kb", str(kb), "--endpoint", oxigraph + "/store")
    assert proc.returncode == 0, proc.stderr
    return kb, proc.stderr


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_push_writes_everything_to_the_default_graph_and_each_part_to_its_own(oxigraph, pushed):
    kb, report = pushed
    assert "to the default graph" in report and "<https://w3id.org/tarikh/ns#derived>" in report
    proc = tarikh("query", "--kb", str(kb), "--endpoint", oxigraph + "/query", "--format", "json",
                  "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
    assert proc.returncode == 0, proc.stderr
    counts = {b["g"]["value"].split("#")[1]: int(b["n"]["value"]) for b in json.loads(proc.stdout)["results"]["bindings"]}
    assert sorted(counts) == ["asserted", "derived", "vocabulary"] and all(counts.values())
    total = tarikh("query", "--kb", str(kb), "--endpoint", oxigraph + "/query", "--format", "csv",
                   "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(total.stdout.split()[-1]) == sum(counts.values())


def test_push_twice_replaces_rather_than_adds(oxigraph, pushed):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = tarikh("query", "--kb", str(pushed[0]), "--endpoint", oxigraph + "/query", "--format", "csv", count).stdout
    assert tarikh("push", "--kb", str(pushed[0]), "--endpoint", oxigraph + "/store").returncode == 0
    after = tarikh("query", "--kb", str(pushed[0]), "--endpoint", oxigraph + "/query", "--format", "csv", count).stdout
    assert before == after and int(after.split()[-1]) > 10


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml", "table"])
def test_query_endpoint_answers_as_the_files_do(oxigraph, pushed, fmt):
    kb, _ = pushed
    local = tarikh("query", "--kb", str(kb), "--format", fmt, SELECT)
    remote = tarikh("query", "--kb", str(kb), "--endpoint", oxigraph + "/query", "--format", fmt, SELECT)
    assert remote.returncode == 0, remote.stderr
    assert remote.stdout == local.stdout


@pytest.mark.parametrize("form", ["CONSTRUCT WHERE { ?e sem:hasActor ?a }", "ASK { id:ev-one sem:hasActor id:alpha }"])
def test_query_endpoint_graphs_and_booleans(oxigraph, pushed, form):
    kb, _ = pushed
    fmt = "nt" if form.startswith("CONSTRUCT") else "json"
    local = tarikh("query", "--kb", str(kb), "--format", fmt, form)
    remote = tarikh("query", "--kb", str(kb), "--endpoint", oxigraph + "/query", "--format", fmt, form)
    assert remote.returncode == 0, remote.stderr
    assert sorted(remote.stdout.splitlines()) == sorted(local.stdout.splitlines())


def test_query_endpoint_errors_keep_line_and_column(oxigraph, pushed):
    proc = tarikh("query", "--kb", str(pushed[0]), "--endpoint", oxigraph + "/query", "SELECT * WHERE {\n  ?s ex:p ?o }")
    assert proc.returncode == 1 and proc.stderr.startswith("query:2:6: error: the prefix ex: is not declared")


def test_build_from_the_endpoint_gives_the_same_site(oxigraph, pushed, tmp_path):
    kb, _ = pushed
    from_files = build_site(kb, tmp_path / "from-files")
    proc = tarikh("build", "--kb", str(kb), "--out", str(tmp_path / "from-endpoint"), "--endpoint", oxigraph + "/query")
    assert proc.returncode == 0, proc.stderr
    from_endpoint = tmp_path / "from-endpoint"
    assert (from_endpoint / "queries" / "index.html").is_file()
    a, b = tree(from_files), tree(from_endpoint)
    assert sorted(a) == sorted(b)
    differ = [p for p in a if a[p] != b[p]]
    assert not differ, differ[:10]


def test_push_to_a_server_that_does_not_answer_exits_2(pushed):
    proc = tarikh("push", "--kb", str(pushed[0]), "--endpoint", f"http://127.0.0.1:{free_port()}/store")
    assert proc.returncode == 2 and "does not answer" in proc.stderr


def test_push_to_the_query_url_says_which_url_it_needs(oxigraph, pushed):
    proc = tarikh("push", "--kb", str(pushed[0]), "--endpoint", oxigraph + "/query")
    assert proc.returncode == 2 and "Graph Store Protocol" in proc.stderr


def test_build_from_an_endpoint_that_does_not_answer_exits_2_and_writes_nothing(pushed, tmp_path):
    out = tmp_path / "output"
    out.mkdir()
    (out / "keep.txt").write_text("previous site")
    proc = tarikh("build", "--kb", str(pushed[0]), "--out", str(out), "--endpoint", f"http://127.0.0.1:{free_port()}/query")
    assert proc.returncode == 2 and "does not answer" in proc.stderr
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_push_of_a_kb_with_errors_exits_1_and_writes_nothing(oxigraph, pushed, tmp_path):
    """contract.md: exit 1 when the knowledge base has errors, and nothing written (as `tarikh
    export` refuses it): the store keeps what it held."""
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = tarikh("query", "--kb", str(pushed[0]), "--endpoint", oxigraph + "/query", "--format", "csv", count).stdout
    kb = small_kb(tmp_path)
    with open(kb / "events.ttl", "a", encoding="utf-8") as f:
        f.write("\nid:ev-four a sem:Event ; skos:prefLabel \"Fourth\"@en , \"الرابع\"@ar ;"
                " dcterms:date \"2024-02\"^^edtf:EDTF ; sem:hasActor id:gamma ; prov:wasDerivedFrom id:src-report .\n")
    proc = tarikh("push", "--kb", str(kb), "--endpoint", oxigraph + "/store")
    assert proc.returncode == 1, proc.stderr
    assert "id:gamma is used but never described" in proc.stderr and "nothing was pushed" in proc.stderr
    after = tarikh("query", "--kb", str(pushed[0]), "--endpoint", oxigraph + "/query", "--format", "csv", count).stdout
    assert before == after
