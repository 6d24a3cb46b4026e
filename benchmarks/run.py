"""The benchmark (`make bench`): sizes in, a table on stdout and JSON in benchmarks/results/ out.

For each size it generates a knowledge base (once: cached under .tarikh-cache/bench/<size>/),
then times, as users run them, in fresh processes:

- a full `tarikh build --timings` into an empty folder with no cache (its stage table parsed);
- the search index on its own (`python -m pagefind --site`), when Pagefind is installed;
- a rebuild with nothing changed, and a rebuild after one event's English label is edited in
  one file (the same `--out`, its cache beside it);
- `tarikh serve` (a warm process): the same edit, until the open event page shows it and until
  the new site is in place;
- `tarikh check`; three typical queries through `tarikh query` and in process
  (`benchmarks/queries.py`: the per-query time the 100 ms goal is about);
- Hugo (Debian's `hugo`, installed if missing) on a site of the same things (`benchmarks/hugo.py`).

Each is run `--repeat` times (3; once at 100,000 events and more) and the best is kept. Memory is
the whole process tree's, polled from /proc: the largest single RSS and the largest sum of RSS
(every 50 ms; the sum counts pages that forked workers share once per process, so it overstates)
and the largest sum of PSS (shared pages split between their sharers: the honest total; read
every second).

    python -m benchmarks.run [--sizes 1000,10000,100000] [--repeat N] [--repeat-rebuilds N]
                             [--timeout SECONDS] [--json FILE] [--no-hugo]

The builder measured is the one beside this file (its folder is put first on PYTHONPATH), so a
copy of the tree (`git archive COMMIT | tar -x -C DIR`) benchmarks that commit. A build too
long to wait for: `python -m benchmarks.watch --kb KB --out OUT` says each stage as it goes.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import hugo
from .report import stage_table, table

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".tarikh-cache" / "bench"
# What the stages' own throughput allows, measured on this machine kind (shared/tooling.md).
RATES = {"load_triples_per_s": 350_000, "render_pages_per_s": 9_300, "render_pages_per_s_one_core": 6_600,
         "write_files_per_s": 11_500}
LARGE = 100_000  # from this size on, each command runs once unless --repeat says otherwise
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Run:
    """One command: how long it took, how it ended, what it printed on stderr, its memory."""

    wall_s: float
    rc: int | None
    stderr: str = ""
    peak: dict = field(default_factory=dict)
    load: float = 0.0
    over_memory: bool = False  # stopped by the benchmark: its tree passed memory_cap_mb()


class TreeMemory(threading.Thread):
    """Poll the RSS of a process and all its descendants every 50 ms, and their PSS every second,
    until stopped; keep the peaks.

    PSS is read less often because the kernel walks the page tables to sum it (about 30 ms for a
    1 GB process, holding its memory-map lock): at 50 ms it would slow the build it measures.
    """

    def __init__(self, pid: int, interval: float = 0.05, pss_every: int = 20, cap_mb: float | None = None):
        super().__init__(daemon=True)
        self.pid, self.interval, self.pss_every, self.done = pid, interval, pss_every, threading.Event()
        self.samples = 0
        self.cap_mb = cap_mb  # stop the tree (SIGKILL to its process group) once its RSS passes this
        self.over_cap = False
        self.peak = {"max_single_rss_mb": 0.0, "sum_rss_mb": 0.0, "sum_pss_mb": 0.0, "processes": 0}

    def run(self) -> None:
        while not self.done.is_set():
            self.sample()
            self.done.wait(self.interval)

    def sample(self) -> None:
        pids = descendants(self.pid)
        rss = [_rss(p) for p in pids]
        peak = self.peak
        peak["max_single_rss_mb"] = max(peak["max_single_rss_mb"], max(rss, default=0) / 2**20)
        peak["sum_rss_mb"] = max(peak["sum_rss_mb"], sum(rss) / 2**20)
        peak["processes"] = max(peak["processes"], len(pids))
        if self.samples % self.pss_every == 0:
            peak["sum_pss_mb"] = max(peak["sum_pss_mb"], sum(_pss(p) for p in pids) / 2**20)
        self.samples += 1
        if self.cap_mb is not None and sum(rss) / 2**20 > self.cap_mb and not self.over_cap:
            self.over_cap = True
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except OSError:
                pass


def memory_cap_mb(share: float = 0.85) -> float:
    """The most a measured command may hold: this share of the machine's memory. Past it, the
    kernel's out-of-memory killer would pick a victim (perhaps not the command, perhaps the
    benchmark), so the command is stopped and reported as over the cap instead."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 * share
    except (OSError, ValueError):
        pass
    return float("inf")


def descendants(root: int) -> list[int]:
    """The process and every process below it, from each thread's /proc/PID/task/TID/children."""
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        try:
            for tid in os.listdir(f"/proc/{pid}/task"):
                todo += [int(c) for c in Path(f"/proc/{pid}/task/{tid}/children").read_text().split()]
        except OSError:  # gone since; or a kernel without CONFIG_PROC_CHILDREN: then only the process
            continue
    return out


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def run(argv: list[str], cwd: Path, timeout: float) -> Run:
    """Run one command after flushing pending writes; time it and follow its process tree's memory."""
    os.sync()  # so the previous command's writeback does not throttle this one
    load = os.getloadavg()[0]
    start = time.perf_counter()
    # the builder of this tree (ROOT), whichever one the environment has installed
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, env=env)
    memory = TreeMemory(proc.pid, cap_mb=memory_cap_mb())
    memory.start()
    try:
        _, err = proc.communicate(timeout=timeout)
        rc = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the group this command started, and nothing else
        _, err = proc.communicate()
        rc = None
    wall = time.perf_counter() - start
    memory.done.set()
    memory.join()
    return Run(round(wall, 3), rc, err, {k: round(v, 1) for k, v in memory.peak.items()}, round(load, 2),
               memory.over_cap)


def repeated(label: str, argv: list[str], cwd: Path, times: int, timeout: float, before=None) -> list[Run]:
    """Run a command `times` times (calling `before(i)` first); stop at the first failure."""
    runs = []
    for i in range(times):
        if before:
            before(i)
        r = run(argv, cwd, timeout)
        runs.append(r)
        state = ("stopped: over the memory cap" if r.over_memory else "timed out" if r.rc is None
                 else f"exit {r.rc}" if r.rc else "")
        print(f"  {label} {i + 1}/{times}: {r.wall_s:.2f} s {state} (load {r.load})", file=sys.stderr)
        if r.rc != 0:
            print("    " + r.stderr.strip().replace("\n", "\n    ")[-2000:], file=sys.stderr)
            break
    return runs


def summary(runs: list[Run]) -> dict:
    """The best run (least time), with every time, the loads seen and the largest memory of all."""
    ok = [r for r in runs if r.rc == 0]
    best = min(ok, key=lambda r: r.wall_s) if ok else (runs[-1] if runs else None)
    if best is None:
        return {}
    out = {"best_s": best.wall_s if ok else None, "all_s": [r.wall_s for r in runs],
           "ok": bool(ok), "last_ok": runs[-1].rc == 0, "load": [r.load for r in runs], "peak": {}}
    if any(r.over_memory for r in runs):
        out["stopped_over_memory_mb"] = round(memory_cap_mb())
    for r in runs:
        for k, v in r.peak.items():
            out["peak"][k] = max(out["peak"].get(k, 0), v)
    stages = parse_stages(best.stderr)
    if stages:
        out["stages"] = stages
    if (m := re.search(r"\((\d+) files written\)", best.stderr)):
        out["written"] = int(m.group(1))
    return out


def parse_stages(stderr: str) -> dict[str, float]:
    """The stage table that `tarikh build --timings` prints: lines `name   secs s`."""
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"^(\w[\w+-]*)\s+([\d.]+) s$", stderr, re.M)}


def fingerprint(*paths: Path) -> str:
    """A short hash of files' bytes: a cached product is remade when what made it changes."""
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def prepare_kb(n: int, folder: Path) -> dict:
    """Generate the knowledge base of n events under folder/kb once; count its triples."""
    from . import gen
    meta_path, kb = folder / "kb.json", folder / "kb"
    stamp = fingerprint(Path(gen.__file__))
    meta = json.loads(meta_path.read_text()) if meta_path.is_file() else {}
    if meta.get("stamp") != stamp or not kb.is_dir():
        print(f"  generating {n:,} events into {kb}", file=sys.stderr)
        shutil.rmtree(kb, ignore_errors=True)
        start = time.perf_counter()
        gen.generate(n, kb)
        meta = {"stamp": stamp, "generate_s": round(time.perf_counter() - start, 2), "triples": count_triples(kb),
                "files": len(list(kb.rglob("*.ttl"))), "bytes": sum(p.stat().st_size for p in kb.rglob("*.ttl"))}
        meta_path.write_text(json.dumps(meta))
    return meta


def count_triples(kb: Path) -> int:
    """How many triples the knowledge base's Turtle files state."""
    import pyoxigraph as ox
    return sum(sum(1 for _ in ox.parse(path=str(p), format=ox.RdfFormat.TURTLE, base_iri="https://example.org/id/"))
               for p in sorted(kb.rglob("*.ttl")))


def count_site(out: Path) -> dict:
    """Pages (HTML files), all files and bytes of a built site."""
    html = files = size = 0
    for folder, _, names in os.walk(out):
        for name in names:
            files += 1
            html += name.endswith(".html")
            size += os.stat(os.path.join(folder, name)).st_size
    return {"html_pages": html, "files": files, "mb": round(size / 2**20, 1)}


class EventEdit:
    """Edit one event's English label in one file of a generated knowledge base; put it back after."""

    LABEL = re.compile(r'"(Event (\d+)(?: \(edit \d+\))? at place \d+)"@en')

    def __init__(self, kb: Path, backup: Path):
        months = sorted((kb / "events").glob("*.ttl"))
        self.path, self.backup = months[len(months) // 2], backup
        if backup.is_file():  # a run stopped before it put the file back
            shutil.copyfile(backup, self.path)
        self.original = self.path.read_text(encoding="utf-8")
        self.event = self.LABEL.search(self.original).group(2)

    def __call__(self, i: int) -> None:
        if not self.backup.is_file():
            self.backup.write_text(self.original, encoding="utf-8")
        text = re.sub(rf'"Event {self.event} at place (\d+)"@en', rf'"Event {self.event} (edit {i + 1}) at place \1"@en',
                      self.original, count=1)
        self.path.write_text(text, encoding="utf-8")

    def restore(self) -> None:
        self.path.write_text(self.original, encoding="utf-8")
        self.backup.unlink(missing_ok=True)


def clean_build(folder: Path) -> None:
    """Remove the site, its half-written trees and its cache: the next build starts from nothing."""
    for p in [folder / "site", folder / ".tarikh-cache", *folder.glob(".site.*")]:
        shutil.rmtree(p, ignore_errors=True)


def bench_size(n: int, args) -> dict:
    """Every measurement at one size."""
    folder = WORK / str(n)
    folder.mkdir(parents=True, exist_ok=True)
    times = args.repeat or (3 if n < LARGE else 1)
    res: dict = {"events": n, "repeat": times, "load_start": os.getloadavg()[0]}
    print(f"[{n:,} events]", file=sys.stderr)
    res["kb"] = prepare_kb(n, folder)
    tarikh = [str(Path(sys.executable).with_name("tarikh"))]
    build = tarikh + ["build", "--kb", "kb", "--out", "site", "--timings"]
    res["commands"] = {"build": build}
    res["full_build"] = summary(repeated("full build", build, folder, times, args.timeout,
                                         before=lambda i: clean_build(folder)))
    if res["full_build"].get("ok") and res["full_build"]["last_ok"]:
        res["site"] = count_site(folder / "site")
        res["search_in_build"] = (folder / "site" / "pagefind").is_dir()
        bench_rebuilds(res, folder, build, times, args)
    check = tarikh + ["check", "--kb", "kb"]
    res["commands"]["check"] = check
    res["check"] = summary(repeated("check", check, folder, times, args.timeout))
    bench_queries(res, folder, tarikh, times, n, args)
    if args.hugo:
        bench_hugo(res, folder, times, args)
    res["full_build_without_search_s"] = without_search(res["full_build"])
    res["limit"] = physical_limit(res)
    res["load_end"] = os.getloadavg()[0]
    return res


ALONE_PAGES = 150_000  # beyond this many pages, Pagefind is not timed on its own (see bench_rebuilds)


def bench_rebuilds(res: dict, folder: Path, build: list[str], times: int, args) -> None:
    """The search index on its own, a rebuild with no change, a rebuild after a one-file edit, and
    the same edit seen through `tarikh serve`."""
    pages = (res.get("site") or {}).get("html_pages") or 0
    if _has_module("pagefind_bin") and pages > ALONE_PAGES:
        # one Pagefind run over the whole site holds every page in memory (about 38 KB a page):
        # the kernel killed it at 17.8 GB at 100,000 events; `tarikh build` makes shards
        res["search"] = {"skipped": f"{pages:,} pages: one Pagefind run over them all does not fit in memory"}
    elif _has_module("pagefind_bin"):
        # into a folder of its own: the site stays the tree the build made (and recorded)
        search = [sys.executable, "-m", "pagefind", "--site", "site", "--output-path", "search-alone", "--quiet"]
        res["commands"]["search"] = search
        res["search"] = summary(repeated("search index", search, folder, times, args.timeout,
                                         before=lambda i: shutil.rmtree(folder / "search-alone", True)))
        shutil.rmtree(folder / "search-alone", True)
    times = args.repeat_rebuilds or times
    res["no_change_rebuild"] = summary(repeated("rebuild, no change", build, folder, times, args.timeout))
    edit = EventEdit(folder / "kb", folder / "edited-file.orig")
    res["edited"] = {"file": str(edit.path.relative_to(folder)), "event": f"ev-{edit.event}"}
    try:
        res["incremental"] = summary(repeated("rebuild after a one-file edit", build, folder, times,
                                              args.timeout, before=edit))
    finally:
        edit.restore()
    if res["events"] < LARGE:
        res["serve_edit"] = bench_serve(folder, edit, args.timeout)
    else:  # two more whole builds (serve's first, then the edit's): another half hour
        res["serve_edit"] = {"skipped": f"not timed from {LARGE:,} events"}


def bench_serve(folder: Path, edit: EventEdit, timeout: float) -> dict:
    """`tarikh serve` on the built site: seconds from a one-file edit until the event's page (as a
    browser reloading it would fetch it) shows the edit, and until the new site is in place."""
    import socket
    import urllib.request
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    argv = [str(Path(sys.executable).with_name("tarikh")), "serve", "--kb", "kb", "--out", "site", "--port", str(port)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.Popen(argv, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, env=env)
    done = []  # the build summaries serve prints, as they come

    def follow() -> None:
        for line in proc.stderr:
            if ": done in " in line or " error(s)" in line:
                done.append((time.perf_counter(), line.strip()))
    threading.Thread(target=follow, daemon=True).start()
    url = f"http://127.0.0.1:{port}/id/ev-{edit.event}/"
    result: dict = {"command": argv, "page": url}
    try:
        if not proc.stdout.readline().startswith("serving "):  # printed once the first build is done
            return {**result, "error": "tarikh serve did not start"}
        time.sleep(1.0)  # past the watcher's first look at the files
        before = len(done)
        start = time.perf_counter()
        edit(0)
        deadline = start + timeout
        while time.perf_counter() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=timeout) as resp:
                    if b"(edit 1)" in resp.read():
                        result["shown_s"] = round(time.perf_counter() - start, 3)
                        break
            except OSError:
                pass
            time.sleep(0.02)
        while len(done) == before and time.perf_counter() < deadline:
            time.sleep(0.05)
        if len(done) > before:
            result["site_s"], result["summary"] = round(done[before][0] - start, 3), done[before][1]
    finally:
        edit.restore()
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return result


def _free_name(folder: Path, stem: str) -> Path:
    """`<stem>.json`, or `<stem>b.json`, `<stem>c.json`… when a run of the same day is kept there."""
    for suffix in ["", *"bcdefghijklmnopqrstuvwxyz"]:
        if not (path := folder / f"{stem}{suffix}.json").exists():
            return path
    return folder / f"{stem}-{os.getpid()}.json"


def _has_module(name: str) -> bool:
    probe = subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True, check=False)
    return probe.returncode == 0


def bench_queries(res: dict, folder: Path, tarikh: list[str], times: int, n: int, args) -> None:
    """The typical queries as commands (load included), then in process (the query alone)."""
    from .queries import IDIOMS, QUERIES
    # `tarikh query` keeps the store it derives (builder/storecache.py): a cache folder of the
    # benchmark's own, emptied first, so the first run makes the copy and the others read it
    cache = folder / "xdg-cache"
    shutil.rmtree(cache, ignore_errors=True)
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(cache)
    try:
        first = tarikh + ["query", "--kb", "kb", "--format", "csv", QUERIES["actor-events"]]
        res["query_cli_first"] = summary(repeated("tarikh query, no copy kept yet", first, folder, 1, args.timeout))
        res["query_cli"] = {}
        for name, text in {**QUERIES, **IDIOMS}.items():
            argv = tarikh + ["query", "--kb", "kb", "--format", "csv", text]
            res["query_cli"][name] = summary(repeated(f"tarikh query {name}", argv, folder, times, args.timeout))
    finally:
        if before is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = before
        shutil.rmtree(cache, ignore_errors=True)
    argv = [sys.executable, "-m", "benchmarks.queries", str(folder / "kb")] + ["--saved"]
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=args.timeout, check=False)
    res["query_in_process"] = json.loads(proc.stdout) if proc.returncode == 0 else {"error": proc.stderr[-2000:]}
    for name, q in res["query_in_process"].get("queries", {}).items():
        print(f"  in process {name}: {q['best_ms']} ms ({q['rows']} rows)", file=sys.stderr)


def bench_hugo(res: dict, folder: Path, times: int, args) -> None:
    """Build a Hugo site of the same things, as often as Tarikh's."""
    version = hugo.ensure_hugo()
    if version is None:
        res["hugo"] = {"error": "hugo is not installed and could not be"}
        return
    site, stamp_path = folder / "hugo", folder / "hugo.stamp"
    stamp = res["kb"]["stamp"] + fingerprint(Path(hugo.__file__))
    if not stamp_path.is_file() or stamp_path.read_text() != stamp:
        print("  generating the Hugo site", file=sys.stderr)
        res["hugo_content_pages"] = hugo.generate(folder / "kb", site)
        stamp_path.write_text(stamp)
    argv = hugo.hugo_command(site)
    res["commands"]["hugo"] = argv
    res["hugo"] = summary(repeated("hugo", argv, folder, times, args.timeout,
                                   before=lambda i: shutil.rmtree(site / "public", ignore_errors=True)))
    res["hugo"]["version"] = version
    if res["hugo"].get("ok"):
        res["hugo"]["site"] = count_site(site / "public")


def physical_limit(res: dict) -> dict:
    """Load + render + write at the stages' own measured rates, and how far the full build is from it."""
    site, triples = res.get("site"), res["kb"]["triples"]
    if not site:
        return {}
    load = triples / RATES["load_triples_per_s"]
    render = site["html_pages"] / RATES["render_pages_per_s"]
    write = site["files"] / RATES["write_files_per_s"]
    out = {"load_s": round(load, 2), "render_s": round(render, 2), "write_s": round(write, 2),
           "total_s": round(load + render + write, 2)}
    if (build := without_search(res["full_build"])) is not None:
        out["build_over_limit"] = round(build / out["total_s"], 2)
    return out


def without_search(build: dict) -> float | None:
    """A build's time less its search stage, if it indexes (Hugo sites add search as a step of their own)."""
    if not build.get("best_s"):
        return None
    return round(build["best_s"] - build.get("stages", {}).get("search", 0.0), 3)


def environment() -> dict:
    """What the figures were measured on."""
    import pyoxigraph
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False)
    dirty = subprocess.run(["git", "--no-optional-locks", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True,
                           text=True, check=False)
    return {"date": date.today().isoformat(), "cpus": os.cpu_count(), "python": platform.python_version(),
            "pyoxigraph": pyoxigraph.__version__, "commit": head.stdout.strip(),
            "uncommitted_changes": bool(dirty.stdout.strip()), "rates": RATES}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1000,10000,100000", help="numbers of events, comma-separated")
    p.add_argument("--repeat", type=int, help="runs of each command (default 3; 1 from 100,000 events)")
    p.add_argument("--repeat-rebuilds", type=int, help="runs of each rebuild (default: as --repeat)")
    p.add_argument("--timeout", type=float, default=1800, help="seconds one command may take")
    p.add_argument("--json", help="where to write the results (default benchmarks/results/<date>.json)")
    p.add_argument("--no-hugo", dest="hugo", action="store_false", help="leave Hugo out")
    args = p.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    results = {"environment": environment(), "sizes": []}
    out = Path(args.json) if args.json else _free_name(ROOT / "benchmarks" / "results", date.today().isoformat())
    out.parent.mkdir(parents=True, exist_ok=True)
    for n in sizes:
        results["sizes"].append(bench_size(n, args))
        out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")  # kept after each size
    print(table(results["sizes"]))
    print()
    print(stage_table(results["sizes"]))
    print(f"\nresults: {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
