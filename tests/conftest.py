"""Shared fixtures: the seed site built once per session, and a factory for inline knowledge bases."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED_KB = ROOT / "kb"
FIXTURE_KB = Path(__file__).resolve().parent / "fixtures" / "kb"
SHARED = ROOT.parent / "shared"

PREFIXES = """\
@prefix rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix owl:     <http://www.w3.org/2002/07/owl#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix sem:     <http://semanticweb.cs.vu.nl/2009/11/sem/> .
@prefix time:    <http://www.w3.org/2006/time#> .
@prefix schema:  <http://schema.org/> .
@prefix edtf:    <http://id.loc.gov/datatypes/edtf/> .
@prefix wd:      <http://www.wikidata.org/entity/> .
@prefix tl:      <https://w3id.org/tarikh/ns#> .
@prefix id:      <https://example.org/id/> .
"""

SITE_TOML = """\
base_url = "https://example.org/"
languages = ["en", "ar"]
[title]
en = "Test timeline"
ar = "خط زمني للاختبار"
"""


def make_kb(root: Path, files: dict[str, str], site_toml: str = SITE_TOML, prefixes: bool = True) -> Path:
    """Write a small knowledge base: site.toml and Turtle files (prefixes prepended)."""
    kb = root / "kb"
    kb.mkdir(parents=True, exist_ok=True)
    (kb / "site.toml").write_text(site_toml, encoding="utf-8")
    for name, body in files.items():
        path = kb / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = textwrap.dedent(body)
        path.write_text((PREFIXES + text) if prefixes and name.endswith(".ttl") else text, encoding="utf-8")
    return kb


@pytest.fixture
def scratch_kb(tmp_path):
    """Factory: scratch_kb({"a.ttl": "..."}) -> path of a fresh kb folder."""
    return lambda files, **kw: make_kb(tmp_path, files, **kw)


@pytest.fixture(scope="session", autouse=True)
def own_cache_folder(tmp_path_factory):
    """The user's cache folder (compiled templates, the stores `tarikh query` keeps) is one of the
    session's own, inherited by the commands tests run: the suite leaves nothing in ~/.cache."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory) -> Path:
    """The real kb/ built once into a temporary folder."""
    from builder.site import build
    out = tmp_path_factory.mktemp("seed") / "output"
    build(SEED_KB, out)
    return out
