"""A read-only SPARQL 1.1 Protocol endpoint: HTTP requests in, (status, headers, body) out.

Queries run in worker processes, never in the server's own: a pyoxigraph query cannot be
interrupted, so a query that outlives its time limit is stopped by killing its worker (a fresh
one takes its place). Answers larger than the size limit are refused, `SERVICE` and updates are
refused before anything runs, and the server never fetches anything on a query's behalf.
"""
from __future__ import annotations

import io
import multiprocessing
import queue
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

from . import query as q

QUERY_MEDIA = "application/sparql-query"
UPDATE_MEDIA = "application/sparql-update"
FORM_MEDIA = "application/x-www-form-urlencoded"
MAX_REQUEST = 1024 * 1024  # bytes of query text a client may send


@dataclass(frozen=True)
class Response:
    """An HTTP answer."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


def text_response(status: int, message: str, headers: tuple = ()) -> Response:
    return Response(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8"), headers)


@dataclass(frozen=True)
class Dataset:
    """What the endpoint answers over: the site's dumps (asserted, derived) and the id: namespace."""

    generation: int
    kb_nt: bytes
    derived_nt: bytes
    id_ns: str


# --- Inside a worker process ------------------------------------------------------------------


class TooLarge(Exception):
    """The answer grew past the size limit."""


class CappedBuffer(io.RawIOBase):
    """A bytes buffer that refuses to grow past a limit (so a huge answer fails early)."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit, self.data = limit, bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        if len(self.data) + len(b) > self.limit:
            raise TooLarge()
        self.data += bytes(b)
        return len(b)


def execute(store, id_ns: str, text: str, accept: str, fmt: str | None, max_bytes: int,
            default_graph: list[str] | None = None, named_graphs: list[str] | None = None) -> Response:
    """Run one query on a store and serialise its answer as the client asked."""
    try:
        result = q.run(store, text, id_ns, default_graph=default_graph, named_graphs=named_graphs)
    except q.QueryError as exc:
        return text_response(400, f"query:{exc}")
    kind = q.kind_of(result)
    chosen = q.format_name(fmt) if fmt else q.negotiate(accept, kind)
    if chosen is None or chosen == "table" or not q.fits(chosen, kind):
        offered = [q.MEDIA_TYPES[f] for f in (q.GRAPH_FORMATS if kind == "graph" else q.RESULT_FORMATS)]
        return text_response(406, f"this {kind} query's answer can be sent as: {', '.join(offered)}")
    buffer = CappedBuffer(max_bytes)
    try:
        q.serialize(result, chosen, id_ns, buffer)
    except TooLarge:
        return text_response(503, f"the answer is larger than the limit of {max_bytes} bytes: "
                                  "narrow the query or add a LIMIT")
    except (q.QueryError, OSError, ValueError) as exc:
        return text_response(500, f"the query failed while running: {exc}")
    media = q.MEDIA_TYPES[chosen]
    if media.startswith("text/") or chosen == "json":
        media += "; charset=utf-8"
    return Response(200, media, bytes(buffer.data))


def worker_main(conn) -> None:
    """A worker process: load datasets and answer queries sent through a pipe, until it closes."""
    from .query import published_store
    store, id_ns = None, ""
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message[0] == "load":
            _, kb_nt, derived_nt, id_ns = message
            store = published_store(kb_nt, derived_nt)
            conn.send(("loaded",))
        elif message[0] == "query":
            _, args = message
            conn.send(execute(store, id_ns, **args))


# --- In the server ----------------------------------------------------------------------------


class Worker:
    """One worker process, the dataset generation it holds, and how to stop it."""

    def __init__(self, ctx):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=worker_main, args=(child,), daemon=True, name="tarikh-sparql")
        self.process.start()
        child.close()
        self.generation = -1

    def call(self, message: tuple, timeout: float):
        """Send a message and wait for the answer; None (and the worker killed) past the deadline."""
        try:
            self.conn.send(message)
        except OSError:
            self.kill()
            return None
        if self.conn.poll(timeout):
            try:
                return self.conn.recv()
            except (EOFError, OSError):
                return None
        self.kill()
        return None

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    @property
    def alive(self) -> bool:
        return self.process.is_alive() and not self.conn.closed


@dataclass
class Limits:
    """Per-query limits of the endpoint."""

    timeout: float = 10.0  # seconds a query may run
    max_bytes: int = 16 * 1024 * 1024  # largest answer sent
    load_timeout: float = 120.0  # seconds a worker may take to load the data


@dataclass
class Pool:
    """A few worker processes that take turns answering queries over the current dataset."""

    size: int = 2
    limits: Limits = field(default_factory=Limits)

    def __post_init__(self):
        self.ctx = multiprocessing.get_context("spawn")
        self.idle: queue.Queue[Worker | None] = queue.Queue()
        for _ in range(self.size):
            self.idle.put(None)  # a slot: a worker is started when first needed
        self.dataset: Dataset | None = None
        self.lock = threading.Lock()
        self.stats = {"started": 0, "killed": 0}

    def set_dataset(self, dataset: Dataset) -> None:
        """Answer from now on over this dataset (workers load it when they next answer)."""
        with self.lock:
            self.dataset = dataset

    def warm(self) -> None:
        """Start and load every worker now rather than on the first queries."""
        slots = [self.idle.get() for _ in range(self.size)]
        for slot in slots:
            try:
                slot = self._ready(slot)
            finally:
                self.idle.put(slot)

    def _ready(self, worker: Worker | None) -> Worker | None:
        dataset = self.dataset
        if worker is None or not worker.alive:
            worker = Worker(self.ctx)
            self.stats["started"] += 1
        if dataset is not None and worker.generation != dataset.generation:
            answer = worker.call(("load", dataset.kb_nt, dataset.derived_nt, dataset.id_ns), self.limits.load_timeout)
            if answer is None:
                return None
            worker.generation = dataset.generation
        return worker

    def run(self, args: dict) -> Response:
        """Answer one query within the limits."""
        if self.dataset is None:
            return text_response(503, "no data to query yet")
        try:
            worker = self.idle.get(timeout=self.limits.timeout)
        except queue.Empty:
            return text_response(503, "every query worker is busy: try again", (("Retry-After", "1"),))
        try:
            worker = self._ready(worker)
            if worker is None:
                return text_response(503, "the query worker could not load the data")
            started = time.monotonic()
            answer = worker.call(("query", {**args, "max_bytes": self.limits.max_bytes}), self.limits.timeout)
            if answer is None:
                worker = None
                elapsed = time.monotonic() - started
                if elapsed < self.limits.timeout:
                    return text_response(500, "the query worker stopped unexpectedly (out of memory?)")
                self.stats["killed"] += 1
                return text_response(503, f"the query ran longer than the limit of {self.limits.timeout:g} s "
                                          f"and was stopped after {elapsed:.1f} s")
            return answer
        finally:
            self.idle.put(worker)

    def close(self) -> None:
        """Stop every worker."""
        while True:
            try:
                worker = self.idle.get_nowait()
            except queue.Empty:
                return
            if worker is not None:
                worker.kill()


# --- The protocol -----------------------------------------------------------------------------


def protocol_args(method: str, query_string: str, content_type: str, body: bytes, accept: str) -> dict | Response:
    """Read a SPARQL 1.1 Protocol query operation (GET, form POST, direct POST), or the error to send."""
    params = urllib.parse.parse_qs(query_string, keep_blank_values=True)
    media = (content_type or "").split(";")[0].strip().lower()
    if method == "POST":
        if media == UPDATE_MEDIA:
            return text_response(400, "this endpoint is read-only: updates are refused")
        if media == FORM_MEDIA:
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
        elif media == QUERY_MEDIA:
            params["query"] = [body.decode("utf-8", "replace")]
        else:
            return text_response(415, f"send the query as {QUERY_MEDIA} or {FORM_MEDIA}, not {media or 'nothing'}")
    if "update" in params:
        return text_response(400, "this endpoint is read-only: updates are refused")
    queries = params.get("query", [])
    if len(queries) != 1:
        return text_response(400, "give exactly one query parameter (SPARQL 1.1 Protocol, 2.1)")
    fmt = (params.get("format") or params.get("output") or [None])[0]
    if fmt and q.format_name(fmt) is None:
        return text_response(400, f"unknown format {fmt!r}: use json, xml, csv, tsv, ttl or nt")
    return {"text": queries[0], "accept": accept or "", "fmt": fmt,
            "default_graph": params.get("default-graph-uri") or None,
            "named_graphs": params.get("named-graph-uri") or None}


HELP = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>SPARQL endpoint</title></head>
<body><h1>SPARQL endpoint</h1>
<p>This is a read-only SPARQL 1.1 Protocol endpoint over the knowledge base being previewed: send
<code>GET ?query=</code>, or <code>POST</code> the query as a form or as <code>application/sparql-query</code>.
The format's prefixes are declared for you.</p>
<form method="post" action=""><textarea name="query" rows="12" cols="80">SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10</textarea>
<p><label>Format <select name="format"><option>json</option><option>xml</option><option>csv</option>
<option>tsv</option><option>ttl</option><option>nt</option></select></label> <button>Run</button></p></form>
</body></html>
"""
