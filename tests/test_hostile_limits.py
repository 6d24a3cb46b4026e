"""Resource bombs in a knowledge base: a clear error or a bounded build, never a hang or a crash.

Each build runs in a subprocess with a time limit and an address-space limit (resource.setrlimit),
so a regression shows as a failed test, not as a stuck or killed test run. A crash is a negative
return code (a signal) or a Python traceback on standard error.
"""
from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import PREFIXES, ROOT, SITE_TOML

MEMORY = 4 * 1024 ** 3  # address space a build may reserve
BASE = """
id:pub a sem:Actor , schema:Organization ; skos:prefLabel "Pub"@en , "ن"@ar .
id:src a prov:Entity , schema:Report ; skos:prefLabel "Src"@en , "م"@ar ; dcterms:publisher id:pub ;
    dcterms:issued "2100-01-01"^^edtf:EDTF .
id:ev-0 a sem:Event ; skos:prefLabel "E0"@en , "ح0"@ar ; dcterms:date "2024-01-01"^^edtf:EDTF ; prov:wasDerivedFrom id:src .
"""
HOSTILE_LINE = PREFIXES.count("\n") + BASE.count("\n") + 1  # the line after BASE


def write_kb(root: Path, hostile: str) -> Path:
    """A small valid knowledge base, then the hostile text, in kb/a.ttl."""
    kb = root / "kb"
    kb.mkdir(parents=True)
    (kb / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    with open(kb / "a.ttl", "w", encoding="utf-8") as handle:
        handle.write(PREFIXES + BASE)
        handle.write(hostile)
    return kb


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run(args: list[str], cwd: Path, timeout: float, **env_extra: str) -> subprocess.CompletedProcess:
    """Run a Python command under the limits; fail (not hang) when it passes the time limit."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONFAULTHANDLER": "1", **env_extra}
    proc = subprocess.Popen([sys.executable, *args], cwd=cwd, env=env, preexec_fn=_limits, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the build and what it started (Pagefind, render workers)
        proc.communicate()
        pytest.fail(f"{args} did not finish within {timeout} s")
    done = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
    assert done.returncode >= 0, f"killed by signal {-done.returncode}: {done.stderr[-2000:]}"
    assert "Traceback" not in done.stderr and "Fatal Python error" not in done.stderr, done.stderr[-3000:]
    return done


def tarikh(cmd: str, cwd: Path, timeout: float, **env_extra: str) -> subprocess.CompletedProcess:
    extra = ["--out", "out"] if cmd == "build" else []
    return run(["-m", "builder.cli", cmd, "--kb", "kb", *extra], cwd, timeout, **env_extra)


def test_a_50_mb_literal_is_a_clear_error(tmp_path):
    write_kb(tmp_path, 'id:big a sem:Actor , schema:Person ; skos:prefLabel "' + "x" * 50_000_000 + '"@en , "ب"@ar .\n')
    done = tarikh("build", tmp_path, timeout=60)
    assert done.returncode == 1
    assert f"kb/a.ttl:{HOSTILE_LINE}:1: error: a literal or IRI here is larger than the parser's limit" in done.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_a_literal_just_under_the_parser_limit_builds_within_bounds(tmp_path):
    size = 12_000_000
    write_kb(tmp_path, f'id:big a sem:Actor , schema:Person ; skos:prefLabel "{"label " * (size // 6)}"@en , "ب"@ar ;\n'
                       f'    dcterms:description "{"word " * (size // 5)}"@en .\n')
    done = tarikh("build", tmp_path, timeout=150)
    assert done.returncode == 0, done.stderr[-2000:]
    total = sum(p.stat().st_size for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert total < 40 * size  # the label is written where it is shown, not multiplied without end


def test_a_word_of_a_million_letters_stops_the_search_index_at_its_time_limit(tmp_path):
    """Pagefind's time grows with the square of a word's length (a million letters: ~45 s; 16 MB: hours)."""
    write_kb(tmp_path, 'id:big a sem:Actor , schema:Person ; skos:prefLabel "' + "y" * 1_000_000 + '"@en , "ب"@ar .\n')
    started = time.monotonic()
    done = tarikh("build", tmp_path, timeout=90, TARIKH_SEARCH_TIMEOUT="3")
    assert done.returncode == 2, done.stderr[-2000:]
    assert "pagefind did not finish within 3 s" in done.stderr and "was left as it was" in done.stderr
    assert time.monotonic() - started < 60 and not (tmp_path / "out").exists()
    assert not [p for p in Path("/proc").glob("[0-9]*/cmdline") if _mentions(p, str(tmp_path))]  # Pagefind stopped


def _mentions(cmdline: Path, text: str) -> bool:
    try:
        return text.encode() in cmdline.read_bytes()
    except OSError:
        return False


def test_a_10000_deep_chain_of_relative_dates_resolves(tmp_path):
    n = 10_000
    write_kb(tmp_path, "".join(
        f'id:ev-{i} a sem:Event ; skos:prefLabel "E{i}"@en , "ح{i}"@ar ; prov:wasDerivedFrom id:src ;\n'
        f'    tl:relativeDate [ tl:anchor id:ev-{i - 1} ; tl:offset "P1D"^^xsd:dayTimeDuration ] .\n'
        for i in range(1, n + 1)))
    script = textwrap.dedent(f"""
        from builder.edtf import xsd_date
        from builder.kb import open_kb
        from builder.site import diagnose
        problems, resolved, _ = diagnose(open_kb("kb"))
        print(len([p for p in problems if p.is_error]))
        r = resolved["https://example.org/id/ev-{n}"]
        print(xsd_date(r.earliest), xsd_date(r.latest))
    """)
    done = run(["-c", script], tmp_path, timeout=90)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["0", "2051-05-19", "2051-05-19"]  # 2024-01-01 + 10,000 days


def test_a_cycle_of_10000_relative_dates_is_a_clear_error(tmp_path):
    n = 10_000
    write_kb(tmp_path, "".join(
        f'id:cy-{i} a sem:Event ; skos:prefLabel "C{i}"@en , "د{i}"@ar ; prov:wasDerivedFrom id:src ;\n'
        f'    tl:relativeDate [ tl:anchor id:cy-{(i + 1) % n} ; tl:offset "P1D"^^xsd:dayTimeDuration ] .\n'
        for i in range(n)))
    done = tarikh("check", tmp_path, timeout=90)
    assert done.returncode == 1
    assert "date-cycle" in done.stderr or "cycle" in done.stderr, done.stderr[-2000:]


@pytest.mark.parametrize("kind,text", [
    ("nested", "id:ev-0 rdfs:seeAlso " + "[ rdfs:seeAlso " * 100_000 + '"x"' + " ]" * 100_000 + " .\n"),
    ("list", "id:ev-0 rdfs:seeAlso ( " + '"i" ' * 100_000 + ") .\n"),
])
def test_100000_blank_nodes_nested_in_one_statement_are_a_clear_error(tmp_path, kind, text):
    write_kb(tmp_path, text)
    done = tarikh("build", tmp_path, timeout=90)
    assert done.returncode == 1
    assert (f"kb/a.ttl:{HOSTILE_LINE}:9: error: blank nodes are nested 100000 deep here" in done.stderr), done.stderr[-2000:]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("text,message", [
    ("_:a rdfs:seeAlso _:b . _:b rdfs:seeAlso _:c . _:c rdfs:seeAlso _:a .\n", "in a cycle"),
    ("".join(f"_:k{i} rdfs:seeAlso {', '.join(f'_:k{j}' for j in range(12) if j != i)} .\n" for i in range(12)),
     "more than one statement"),
])
def test_blank_nodes_in_cycles_or_shared_are_a_clear_error(tmp_path, text, message):
    """Cycles and cliques of blank nodes make canonical labelling (RDFC-1.0) take exponential time."""
    write_kb(tmp_path, text)
    done = tarikh("build", tmp_path, timeout=60)
    assert done.returncode == 1 and message in done.stderr, done.stderr[-2000:]


@pytest.mark.slow
def test_100000_blank_nodes_side_by_side_in_one_statement_build_within_bounds(tmp_path):
    write_kb(tmp_path, "id:ev-0 rdfs:seeAlso " + " , ".join(['[ rdfs:label "b" ]'] * 100_000) + " .\n")
    done = tarikh("build", tmp_path, timeout=150)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "out" / "id" / "ev-0" / "index.html").is_file()
