"""The progress line of long commands: shown on a terminal after a second, never otherwise."""
from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
import time
from pathlib import Path

from builder.progress import BUILD_STAGES, Progress

ROOT = Path(__file__).resolve().parent.parent


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_the_stage_the_count_and_then_a_clean_line():
    out = Terminal()
    with Progress("building", BUILD_STAGES, stream=out, delay=0, interval=0.01) as p:
        p.start("load")
        p.done("load")
        p.start("render+write")
        time.sleep(0.1)
        assert "render+write" in out.getvalue() and f"2/{len(BUILD_STAGES)}" in out.getvalue() and "\r" in out.getvalue()
    assert out.getvalue().endswith("\r")  # erased: what the command prints next starts a clean line


def test_nothing_is_drawn_before_the_delay_or_off_a_terminal():
    quick, piped = Terminal(), io.StringIO()
    with Progress("building", BUILD_STAGES, stream=quick, delay=5) as p:
        p.start("load")
    with Progress("building", BUILD_STAGES, stream=piped, delay=0, interval=0.01) as p:
        p.start("load")
        time.sleep(0.05)
    assert quick.getvalue() == "" and piped.getvalue() == ""


def test_steps_in_a_row_fill_the_bar():
    p = Progress("importing", ("read", "load", "match", "write"), stream=io.StringIO(), enabled=False)
    for name in ("read", "load", "match"):
        p.step(name)
    assert p.line().startswith("importing: [##########----------] 3/4 match")


def _build(kb: Path, out: Path, stderr) -> subprocess.CompletedProcess:
    env = {**os.environ, "TERM": "xterm"}
    return subprocess.run([sys.executable, "-m", "builder.cli", "build", "--kb", str(kb), "--out", str(out)],
                          cwd=ROOT, stdout=subprocess.PIPE, stderr=stderr, env=env, timeout=300)


def _generated(kb: Path, events: int) -> Path:
    import importlib.util
    spec = importlib.util.spec_from_file_location("bench_gen", ROOT / "benchmarks" / "gen.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    gen.generate(events, kb)
    return kb


def _terminal_run(argv: list[str], env: dict) -> tuple[subprocess.CompletedProcess, str]:
    """Run a command with standard error on a terminal (stdout piped); return it and what the terminal saw."""
    leader, follower = pty.openpty()
    try:
        proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=follower, env=env)
        os.close(follower)
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        out, _ = proc.communicate(timeout=300)
    finally:
        os.close(leader)
    return subprocess.CompletedProcess(argv, proc.returncode, out, b""), seen.decode("utf-8", "replace")


def test_a_build_on_a_terminal_shows_its_stages_and_a_piped_one_does_not(tmp_path):
    kb = _generated(tmp_path / "kb", 600)  # a few seconds to build: the seed alone is done within the second
    piped = _build(kb, tmp_path / "piped", subprocess.PIPE)
    assert piped.returncode == 0 and "\r" not in piped.stderr.decode() and "building:" not in piped.stderr.decode()
    proc, text = _terminal_run([sys.executable, "-m", "builder.cli", "build", "--kb", str(kb), "--out",
                                str(tmp_path / "terminal")], {**os.environ, "TERM": "xterm"})
    assert proc.returncode == 0
    assert "building: [" in text and f"/{len(BUILD_STAGES)} " in text and "render+write" in text
    assert "built " in text


def test_a_query_that_loads_for_a_while_says_what_it_is_doing_on_a_terminal_only(tmp_path):
    kb = _generated(tmp_path / "kb", 3000)  # loading and deriving takes more than the second before a line shows
    env = {**os.environ, "TERM": "xterm", "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    query = [sys.executable, "-m", "builder.cli", "query", "--kb", str(kb), "--format", "csv",
             "SELECT (COUNT(*) AS ?n) WHERE { ?e a sem:Event }"]
    proc, seen = _terminal_run(query, {**env, "TARIKH_NO_STORE_CACHE": "1"})
    assert proc.returncode == 0 and proc.stdout.decode().split() == ["n", "3000"]  # the answer stays clean
    assert "loading the knowledge base: " in seen and ("resolving dates" in seen or "loading " in seen)
    assert seen.endswith("\r")  # the line is erased
    piped = subprocess.run(query, cwd=ROOT, capture_output=True, env={**env, "TARIKH_NO_STORE_CACHE": "1"}, timeout=300)
    assert piped.returncode == 0 and piped.stderr == b""


def test_open_store_names_each_stage_as_it_begins(tmp_path, monkeypatch):
    from builder import storecache
    from sparqlkit import small_kb
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    kb = small_kb(tmp_path / "kb")
    first, second = [], []
    storecache.open_store(kb, first.append)
    storecache.open_store(kb, second.append)
    assert first == ["comparing the files with the kept store", "loading", "resolving dates and extracting",
                     "keeping the store"]
    assert second == ["comparing the files with the kept store", "reading the kept store"]


def test_a_stage_inside_another_is_listed_once_and_not_counted_twice():
    from builder.site import Timings
    out = Terminal()
    with Progress("building", ("outer", "inner"), stream=out, delay=0, interval=0.01) as progress:
        timings = Timings(progress=progress)
        seen = []

        def outer():
            timings.stage("inner", time.sleep, 0.2)
            seen.append(progress.current)  # back to the outer stage once the inner one is done
            time.sleep(0.02)
        start = time.perf_counter()
        timings.stage("outer", outer)
        wall = time.perf_counter() - start
    stages = dict(timings.stages)
    assert [name for name, _ in timings.stages] == ["inner", "outer"] and seen == ["outer"]
    assert stages["inner"] >= 0.2 and stages["outer"] < stages["inner"]
    assert abs(sum(stages.values()) - wall) < 0.01  # the table's total is the time it took, once


def test_the_benchmark_stops_a_command_whose_memory_passes_its_cap(tmp_path, monkeypatch):
    """Hugo needed more than 20 GB for the pages of 100,000 events: the benchmark stops a command
    there and says so, rather than let the kernel's out-of-memory killer choose a process."""
    from benchmarks import run as bench
    grow = [sys.executable, "-c", "import time\nx = bytearray(400 * 2**20)\nx[::4096] = b'x' * len(x[::4096])\n"
            "time.sleep(30)"]
    monkeypatch.setattr(bench, "memory_cap_mb", lambda share=0.85: 200.0)
    stopped = bench.run(grow, tmp_path, timeout=60)
    assert stopped.over_memory and stopped.rc != 0 and stopped.wall_s < 30
    assert bench.summary([stopped])["stopped_over_memory_mb"] == 200
    small = [sys.executable, "-c", "pass"]
    fine = bench.run(small, tmp_path, timeout=60)
    assert not fine.over_memory and fine.rc == 0 and "stopped_over_memory_mb" not in bench.summary([fine])


def test_the_timings_table_keeps_its_seconds_in_one_column():
    """`tarikh build --timings`: a stage's name longer than the others ("render+write") does not
    push its seconds out of the column."""
    from builder.site import Timings
    timings = Timings()
    timings.stages = [("load", 0.5), ("render+write", 1.25), ("search", 0.25)]
    lines = timings.table().splitlines()
    assert [line.index(" s") for line in lines] == [lines[0].index(" s")] * 4, lines
    assert lines[1].split() == ["render+write", "1.250", "s"] and lines[-1].split() == ["total", "2.000", "s"]
