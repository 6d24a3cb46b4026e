"""A hostile, bilingual knowledge base through a real Oxigraph server: `tarikh push`, then
`tarikh build --endpoint` gives the site the files give, byte for byte, `tarikh query --endpoint`
answers as the files do, and the checker's warnings name the endpoint, not a file of the builder."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import make_kb
from sparqlkit import tarikh
from test_remote import oxigraph, tree  # noqa: F401 (a fixture of this module's own)

KB = {"kb.ttl": r"""
    id:pub a sem:Actor , schema:NewsMediaOrganization ; skos:prefLabel "Pub, \"Inc\"; \\ <b>"@en , "ناشر"@ar .
    id:civilians a sem:Actor ; skos:prefLabel "Civilians"@en , "مدنيون"@ar .
    id:src a prov:Entity , schema:NewsArticle ; dcterms:title "Report \u202eevil"@en ; dcterms:publisher id:pub ;
        dcterms:issued "2024-03-10"^^edtf:EDTF .
    id:place a sem:Place ; skos:prefLabel "Place 🎉"@en , "مكان"@ar ;
        schema:latitude 0.0000001 ; schema:longitude 44.5 .
    id:ev-day a sem:Event ; skos:prefLabel "Multi\nline\r\nlabel \"\"\" , ;"@en , "هجوم على «قاعدة»، والـ\"برج\""@ar ;
        dcterms:date "2024-01-29"^^edtf:EDTF ; tl:target id:civilians ; sem:hasPlace id:place ;
        dcterms:description "Line one\n\n<script>alert(1)</script> [x](javascript:alert(1))"@en ;
        prov:wasDerivedFrom id:src .
    id:ev-month a sem:Event ; skos:prefLabel "A month"@en , "شهر"@ar ; dcterms:date "2024-02~"^^edtf:EDTF ;
        prov:wasDerivedFrom id:src .
    id:ev-bce a sem:Event ; skos:prefLabel "BCE"@en , "قبل الميلاد"@ar ; dcterms:date "-0232"^^edtf:EDTF ;
        prov:wasDerivedFrom id:src .
    id:ev-next a sem:Event ; skos:prefLabel "Next day"@en , "اليوم التالي"@ar ;
        tl:relativeDate [ tl:anchor id:ev-day ; tl:offset "P1D"^^xsd:dayTimeDuration ;
                          tl:phrase "في اليوم التالي"@ar , "the next day"@en ] ;
        prov:wasDerivedFrom id:src .
"""}
QUERY = "SELECT ?e ?l WHERE { ?e a sem:Event ; skos:prefLabel ?l } ORDER BY ?e ?l"


@pytest.fixture(scope="module")
def hostile(oxigraph, tmp_path_factory):  # noqa: F811
    kb = make_kb(tmp_path_factory.mktemp("remote-hostile"), KB)
    proc = tarikh("push", "--kb", str(kb), "--endpoint", oxigraph + "/store")
    assert proc.returncode == 0, proc.stderr
    return kb


def test_a_hostile_kb_builds_from_the_endpoint_to_the_same_bytes(oxigraph, hostile, tmp_path: Path):  # noqa: F811
    files = tarikh("build", "--kb", str(hostile), "--out", str(tmp_path / "files"))
    remote = tarikh("build", "--kb", str(hostile), "--out", str(tmp_path / "remote"), "--endpoint",
                    oxigraph + "/query")
    assert files.returncode == 0 and remote.returncode == 0, (files.stderr, remote.stderr)
    a, b = tree(tmp_path / "files"), tree(tmp_path / "remote")
    assert sorted(a) == sorted(b)
    assert [p for p in a if a[p] != b[p]] == []


def test_warnings_of_a_build_from_the_endpoint_name_the_endpoint(oxigraph, hostile, tmp_path: Path):  # noqa: F811
    """id:civilians has no schema: kind, a warning; read from an endpoint it has no file and line,
    so the warning names the endpoint (it named builder/vocab.ttl, a file the user never wrote)."""
    endpoint = oxigraph + "/query"
    proc = tarikh("build", "--kb", str(hostile), "--out", str(tmp_path / "out"), "--endpoint", endpoint)
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if ": warning: " in line]
    assert any("id:civilians" in line for line in warnings), proc.stderr
    assert all(line.startswith(endpoint + ":") for line in warnings), warnings
    assert "vocab.ttl" not in proc.stderr


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml", "table"])
def test_query_answers_from_the_endpoint_as_from_the_files(oxigraph, hostile, fmt):  # noqa: F811
    local = tarikh("query", "--kb", str(hostile), "--format", fmt, QUERY)
    remote = tarikh("query", "--kb", str(hostile), "--endpoint", oxigraph + "/query", "--format", fmt, QUERY)
    assert local.returncode == 0 and remote.returncode == 0, (local.stderr, remote.stderr)
    assert remote.stdout == local.stdout
    assert "هجوم على «قاعدة»".encode() in remote.stdout
