"""Shared by the SPARQL tests: a small knowledge base that builds cleanly (with saved queries),
a way to build it into a site with its query pages, the CLI as a subprocess, and free ports."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT, make_kb

TARIKH = [sys.executable, "-m", "builder.cli"]

SMALL_KB = {
    "things.ttl": """
        id:src-report a prov:Entity , schema:NewsArticle ;
            skos:prefLabel "A report"@en , "تقرير"@ar ;
            dcterms:publisher id:alpha ;
            dcterms:issued "2024-02-10"^^xsd:date .

        id:alpha a sem:Actor , schema:Organization ;
            skos:prefLabel "Alpha"@en , "ألفا"@ar ;
            prov:wasDerivedFrom id:src-report .

        id:beta a sem:Actor , schema:Organization ;
            skos:prefLabel "Beta"@en , "بيتا"@ar ;
            prov:wasDerivedFrom id:src-report .

        id:town a sem:Place , schema:Place ;
            skos:prefLabel "Town"@en , "بلدة"@ar ;
            prov:wasDerivedFrom id:src-report .
        """,
    "events.ttl": """
        id:ev-one a sem:Event ;
            skos:prefLabel "First event"@en , "الحدث الأول"@ar ;
            sem:eventType tl:Attack ;
            sem:hasActor id:alpha ;
            sem:hasPlace id:town ;
            dcterms:date "2024-01-05"^^xsd:date ;
            prov:wasDerivedFrom id:src-report .

        id:ev-two a sem:Event ;
            skos:prefLabel "Second event"@en , "الحدث الثاني"@ar ;
            sem:eventType tl:Attack ;
            sem:hasActor id:alpha , id:beta ;
            dcterms:date "2024-01"^^edtf:EDTF ;
            prov:wasDerivedFrom id:src-report .

        id:ev-three a sem:Event ;
            skos:prefLabel "Third event"@en , "الحدث الثالث"@ar ;
            sem:eventType tl:Attack ;
            tl:relativeDate [ tl:anchor id:ev-one ; tl:offset "P1D"^^xsd:dayTimeDuration ;
                              tl:phrase "the next day"@en , "في اليوم التالي"@ar ] ;
            prov:wasDerivedFrom id:src-report .
        """,
    "queries/events-by-actor.rq": """\
        # title@en: Events and their actors
        # title@ar: الأحداث وفاعلوها
        # description@en: Every event with each of its actors
        #   and its earliest date.
        # description@ar: كل حدث مع فاعليه وأبكر تاريخ له.
        SELECT ?event ?actor ?label ?from WHERE {
          ?event a sem:Event ; sem:hasActor ?actor ; sem:hasEarliestBeginTimeStamp ?from .
          ?actor skos:prefLabel ?label . FILTER(lang(?label) = "en")
        } ORDER BY ?from ?event ?actor
        """,
    "queries/event-count.rq": """\
        # title@en: How many events
        # title@ar: كم حدثاً
        # description@en: The number of events.
        # description@ar: عدد الأحداث.
        SELECT (COUNT(?e) AS ?events) WHERE { ?e a sem:Event }
        """,
}


def small_kb(root: Path, **changes: str) -> Path:
    """Write the small knowledge base under root (with files replaced or added by name)."""
    return make_kb(root, {**SMALL_KB, **changes})


def tarikh(*args: str, input: str | None = None, cwd: Path | None = None, timeout: float = 120,
           env: dict | None = None):
    """Run the command line in a subprocess; return the CompletedProcess (bytes stdout, text stderr)."""
    env = {**os.environ, **(env or {}), "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([*TARIKH, *args], input=input.encode() if input is not None else None,
                          capture_output=True, cwd=cwd or ROOT, env=env, timeout=timeout)
    proc.stderr = proc.stderr.decode("utf-8", "replace")
    return proc


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, proc: subprocess.Popen | None = None, timeout: float = 60.0) -> None:
    """Wait until something listens on 127.0.0.1:port (or the process dies)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


def build_site(kb_dir: Path, out: Path) -> Path:
    """Build a site (saved queries' pages and downloads included) with the real builder."""
    from builder.site import build
    build(kb_dir, out)
    return out
