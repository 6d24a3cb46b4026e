"""Load test of `tarikh serve`: its pages and its SPARQL endpoint under `wrk`, on 127.0.0.1 only.

    python -m benchmarks.loadtest [--kb kb] [--seconds 10] [--connections 8] [--json FILE]

Builds the knowledge base (the seed by default) into a temporary folder, starts `tarikh serve` on
a free port of 127.0.0.1 with a short query time limit, and runs, each bounded in time:

1. pages: GET of an event page;
2. sparql: POST of a simple SELECT (application/sparql-query);
3. sparql + slow: the same while one client keeps sending a slow query (a four-way cross
   product), which the time limit must stop (503) without stalling the others;
4. pages + 2 slow: pages while two clients send slow queries (every query worker busy).

Memory is sampled throughout (RSS of the server and all its processes). Prints a table and JSON
(requests/s, p50 and p99 latency, errors; the slow queries' statuses and times; peak memory) and
exits 1 when a bound is not met: an error in a phase without slow queries, a slow query not
stopped by the limit, a p99 above --max-p99 while a slow query runs, memory above --max-rss-mb.
`wrk` comes from Debian (`apt-get install wrk`); it is installed when missing and we are root.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = "/id/ev-tower-22-attack/"
SIMPLE = ("PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>\n"
          "SELECT ?e ?from WHERE { ?e a sem:Event ; sem:hasEarliestBeginTimeStamp ?from } ORDER BY ?from ?e LIMIT 20")
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
LUA = r"""
wrk.method = "%(method)s"
wrk.body = %(body)s
wrk.headers["Content-Type"] = "application/sparql-query"
wrk.headers["Accept"] = "application/sparql-results+json"
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRKJSON {"requests": %%d, "seconds": %%.3f, "p50_ms": %%.2f, "p99_ms": %%.2f, ' ..
    '"max_ms": %%.2f, "non_2xx": %%d, "connect": %%d, "read": %%d, "write": %%d, "timeout": %%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.status, e.connect, e.read, e.write, e.timeout))
end
"""


def ensure_wrk() -> str:
    """The path of wrk, installing Debian's package when missing and allowed."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing wrk (apt-get install wrk)", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, check=False, capture_output=True)
        found = shutil.which("wrk")
    if not found:
        sys.exit("wrk is not installed: apt-get install wrk")
    return found


class Server:
    """`tarikh serve` on 127.0.0.1, in its own process group."""

    def __init__(self, kb: Path, out: Path, timeout: float):
        cmd = [sys.executable, "-m", "builder.cli", "serve", "--kb", str(kb), "--out", str(out),
               "--port", "0", "--bind", "127.0.0.1", "--query-timeout", str(timeout)]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                     env={**os.environ, "PYTHONPATH": str(ROOT)}, start_new_session=True)
        line = ""
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and "serving http" not in line:
            line = self.proc.stdout.readline()
            if not line and self.proc.poll() is not None:
                raise SystemExit("tarikh serve stopped before serving")
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            self.stop()
            raise SystemExit(f"tarikh serve did not say where it serves: {line!r}")
        self.url = f"http://127.0.0.1:{m.group(1)}"

    def pids(self) -> list[int]:
        """The server and every process under it."""
        found, todo = [], [self.proc.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            try:
                for task in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{task}/children") as handle:
                        todo += [int(c) for c in handle.read().split()]
            except OSError:
                pass
        return found

    def rss_mb(self) -> float:
        total = 0
        for pid in self.pids():
            try:
                with open(f"/proc/{pid}/status") as handle:
                    total += next(int(line.split()[1]) for line in handle if line.startswith("VmRSS:"))
            except (OSError, StopIteration):
                pass
        return total / 1024

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def request(url: str, query: str | None = None, timeout: float = 60) -> tuple[int, float]:
    """One request; its status and how long it took."""
    data = query.encode() if query is not None else None
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/sparql-query",
                                                          "Accept": "application/sparql-results+json"})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            resp.read()
            status = resp.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError:
        status = 0
    return status, time.monotonic() - started


class SlowClient(threading.Thread):
    """Sends the slow query again and again until stopped; records each answer's status and time."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url, self.results, self.stopping = url, [], threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            self.results.append(request(self.url + "/sparql", SLOW))


class MemorySampler(threading.Thread):
    def __init__(self, server: Server):
        super().__init__(daemon=True)
        self.server, self.samples, self.stopping = server, [], threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(0.2):
            self.samples.append(self.server.rss_mb())


def wrk(binary: str, url: str, seconds: int, connections: int, post: str | None, folder: Path) -> dict:
    script = folder / ("post.lua" if post else "get.lua")
    body = json.dumps(post) if post else "nil"
    script.write_text(LUA % {"method": "POST" if post else "GET", "body": body}, encoding="utf-8")
    cmd = [binary, "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s", "-s", str(script), url]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    m = re.search(r"WRKJSON (\{.*\})", done.stdout)
    if not m:
        raise SystemExit(f"wrk gave no summary:\n{done.stdout}\n{done.stderr}")
    result = json.loads(m.group(1))
    result["rps"] = round(result["requests"] / result["seconds"], 1) if result["seconds"] else 0.0
    result["errors"] = sum(result[k] for k in ("non_2xx", "connect", "read", "write", "timeout"))
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--kb", default=str(ROOT / "kb"))
    p.add_argument("--seconds", type=int, default=10, help="length of each phase (at most 60)")
    p.add_argument("--connections", type=int, default=8, help="wrk connections (at most 64)")
    p.add_argument("--query-timeout", type=float, default=3.0, help="the server's SPARQL time limit")
    p.add_argument("--max-p99", type=float, default=2000.0, help="ms: bound on p99 while a slow query runs")
    p.add_argument("--max-rss-mb", type=float, default=1500.0, help="bound on the server's memory")
    p.add_argument("--json", help="also write the figures to this file")
    args = p.parse_args(argv)
    seconds, connections = min(args.seconds, 60), min(args.connections, 64)
    binary = ensure_wrk()
    with tempfile.TemporaryDirectory(prefix="tarikh-load-") as tmp:
        folder = Path(tmp)
        server = Server(Path(args.kb), folder / "output", args.query_timeout)
        sampler = MemorySampler(server)
        try:
            for _ in range(100):  # wait for the query workers to load the data
                if request(server.url + "/sparql", SIMPLE)[0] == 200:
                    break
                time.sleep(0.3)
            sampler.start()
            rss_start = server.rss_mb()
            phases = {}
            phases["pages"] = wrk(binary, server.url + PAGE, seconds, connections, None, folder)
            phases["sparql"] = wrk(binary, server.url + "/sparql", seconds, connections, SIMPLE, folder)
            slow = [SlowClient(server.url)]
            slow[0].start()
            time.sleep(0.5)
            phases["sparql + slow"] = wrk(binary, server.url + "/sparql", seconds, connections, SIMPLE, folder)
            slow.append(SlowClient(server.url))
            slow[1].start()
            time.sleep(0.5)
            phases["pages + 2 slow"] = wrk(binary, server.url + PAGE, seconds, connections, None, folder)
            for client in slow:
                client.stopping.set()
            for client in slow:
                client.join(args.query_timeout + 30)
            after = request(server.url + "/sparql", SIMPLE)
        finally:
            sampler.stopping.set()
            server.stop()
    slow_results = [r for client in slow for r in client.results]
    report = {
        "server": {"query_timeout_s": args.query_timeout, "seconds_per_phase": seconds, "connections": connections},
        "phases": phases,
        "slow_queries": {"count": len(slow_results), "statuses": sorted({s for s, _ in slow_results}),
                         "max_s": round(max((t for _, t in slow_results), default=0.0), 2)},
        "after_slow_queries": {"status": after[0], "s": round(after[1], 3)},
        "memory_mb": {"start": round(rss_start, 1), "peak": round(max([rss_start, *sampler.samples]), 1),
                      "end": round(sampler.samples[-1] if sampler.samples else rss_start, 1)},
    }
    failures = []
    for name in ("pages", "sparql"):
        if phases[name]["errors"]:
            failures.append(f"{name}: {phases[name]['errors']} errors")
    if phases["pages + 2 slow"]["errors"]:
        failures.append(f"pages + 2 slow: {phases['pages + 2 slow']['errors']} errors (pages must not need a query worker)")
    if phases["sparql + slow"]["errors"]:
        failures.append(f"sparql + slow: {phases['sparql + slow']['errors']} errors")
    if phases["sparql + slow"]["p99_ms"] > args.max_p99:
        failures.append(f"sparql + slow: p99 {phases['sparql + slow']['p99_ms']} ms > {args.max_p99} ms")
    if not slow_results or any(s != 503 for s, _ in slow_results):
        failures.append(f"slow queries: statuses {report['slow_queries']['statuses']} (each must be stopped: 503)")
    if report["slow_queries"]["max_s"] > args.query_timeout + 5:
        failures.append(f"slow queries: one took {report['slow_queries']['max_s']} s")
    if after[0] != 200:
        failures.append(f"the endpoint did not answer after the slow queries ({after[0]})")
    if report["memory_mb"]["peak"] > args.max_rss_mb:
        failures.append(f"memory: peak {report['memory_mb']['peak']} MB > {args.max_rss_mb} MB")
    report["failures"] = failures
    print(table(report))
    print(json.dumps(report, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 1 if failures else 0


def table(report: dict) -> str:
    rows = [f"{'phase':<16} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9} {'max ms':>9} {'errors':>7}"]
    for name, r in report["phases"].items():
        rows.append(f"{name:<16} {r['rps']:>9.1f} {r['p50_ms']:>9.2f} {r['p99_ms']:>9.2f} {r['max_ms']:>9.2f} {r['errors']:>7}")
    s, m = report["slow_queries"], report["memory_mb"]
    rows.append(f"slow queries: {s['count']} sent, statuses {s['statuses']}, longest {s['max_s']} s "
                f"(limit {report['server']['query_timeout_s']} s)")
    rows.append(f"memory (server and workers): start {m['start']} MB, peak {m['peak']} MB, end {m['end']} MB")
    rows.append("bounds: " + ("all met" if not report["failures"] else "; ".join(report["failures"])))
    return "\n".join(rows)


if __name__ == "__main__":
    sys.exit(main())
