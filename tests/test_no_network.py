"""A build makes no network request, whatever the knowledge base holds.

The build runs in a subprocess with the network unavailable: in a network namespace of its own
(`unshare -n`, where the system allows it: only a loopback interface, down) and, in any case, with
a sitecustomize that makes every socket connection and name lookup fail and records the attempt.
The knowledge base is the seed plus remote references a careless builder would follow: a JSON-LD
`@context` URL, `owl:imports`, `rdfs:seeAlso` of a remote Turtle file, a JSON-LD file with a remote
context beside the Turtle, and a saved query with `SERVICE` (refused cleanly, before anything runs).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import PREFIXES, ROOT, SEED_KB

GUARD = textwrap.dedent("""
    # Installed by tests/test_no_network.py: record and refuse every attempt to reach the network.
    import os, socket
    _LOG = os.environ["TARIKH_NET_LOG"]

    def _refuse(what, *args):
        with open(_LOG, "a") as log:
            log.write(f"{what} {args!r}\\n")
        raise OSError(101, "network disabled by the test")

    _connect, _connect_ex = socket.socket.connect, socket.socket.connect_ex

    def connect(self, address):
        if self.family == socket.AF_UNIX:
            return _connect(self, address)
        _refuse("connect", address)

    def connect_ex(self, address):
        if self.family == socket.AF_UNIX:
            return _connect_ex(self, address)
        _refuse("connect_ex", address)

    socket.socket.connect, socket.socket.connect_ex = connect, connect_ex
    socket.getaddrinfo = lambda *a, **k: _refuse("getaddrinfo", *a)
    socket.create_connection = lambda *a, **k: _refuse("create_connection", *a)
""")

REMOTE = """
id:kb-ontology a owl:Ontology ;
    owl:imports <http://evil.example/ontology.ttl> ;
    rdfs:seeAlso <https://evil.example/more.ttl> ;
    rdfs:comment "{\\"@context\\": \\"https://evil.example/context.jsonld\\", \\"@id\\": \\"x\\"}" .
"""
SERVICE_QUERY = """\
# title@en: Remote
# title@ar: بعيد
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s skos:prefLabel ?l } }
"""


def can_unshare() -> bool:
    if not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0


def hostile_seed(root: Path, service: bool) -> Path:
    kb = root / "kb"
    shutil.copytree(SEED_KB, kb)
    (kb / "remote.ttl").write_text(PREFIXES + REMOTE, encoding="utf-8")
    (kb / "remote.jsonld").write_text(json.dumps({"@context": "https://evil.example/context.jsonld",
                                                  "@id": "https://example.org/id/x", "name": "x"}), encoding="utf-8")
    if service:
        (kb / "queries" / "remote.rq").write_text(SERVICE_QUERY, encoding="utf-8")
    return kb


def build_offline(root: Path) -> tuple[subprocess.CompletedProcess, str]:
    """`tarikh build` with the network unavailable; its result and the recorded attempts."""
    guard = root / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    log = root / "net.log"
    env = {**os.environ, "PYTHONPATH": f"{guard}{os.pathsep}{ROOT}", "TARIKH_NET_LOG": str(log),
           "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9"}
    cmd = [sys.executable, "-m", "builder.cli", "build", "--kb", "kb", "--out", "out"]
    if can_unshare():
        cmd = ["unshare", "-n", *cmd]
    done = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=180)
    return done, log.read_text() if log.exists() else ""


def test_the_guard_does_record_and_refuse_a_connection(tmp_path):
    """The check below cannot pass vacuously: the guard is installed and does catch an attempt."""
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    log = tmp_path / "net.log"
    env = {**os.environ, "PYTHONPATH": str(guard), "TARIKH_NET_LOG": str(log)}
    code = "import urllib.request\ntry:\n    urllib.request.urlopen('http://evil.example/', timeout=2)\nexcept OSError:\n    print('refused')"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=30)
    assert done.stdout.strip() == "refused"
    assert "evil.example" in log.read_text()


def test_a_build_with_remote_references_needs_no_network(tmp_path):
    hostile_seed(tmp_path, service=False)
    done, attempts = build_offline(tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert attempts == ""
    assert (tmp_path / "out" / "id" / "kb-ontology" / "index.html").is_file()
    for page in (tmp_path / "out").rglob("*.jsonld"):
        text = page.read_text(encoding="utf-8")
        assert '"@context": "http' not in text and '"@context":"http' not in text, page  # contexts are inline


def test_a_saved_query_with_service_is_refused_before_anything_runs(tmp_path):
    hostile_seed(tmp_path, service=True)
    done, attempts = build_offline(tmp_path)
    assert done.returncode == 1
    assert "kb/queries/remote.rq" in done.stderr and "SERVICE is not allowed" in done.stderr, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert attempts == ""
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(not can_unshare(), reason="unshare -n is not allowed here")
def test_the_namespace_really_has_no_network(tmp_path):
    code = "import socket\ntry:\n    socket.create_connection(('1.1.1.1', 80), timeout=2)\nexcept OSError as e:\n    print(e.errno)"
    done = subprocess.run(["unshare", "-n", sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert done.stdout.strip() == "101"  # ENETUNREACH
