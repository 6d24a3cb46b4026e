"""A SPARQL 1.1 Protocol and Graph Store Protocol client over urllib: the remote stand-in for the store.

Input: an endpoint URL and a query (or triples to store). Output: results read back into
pyoxigraph values, so the query layer serialises them exactly as it does local ones; or a
knowledge base loaded from the endpoint that the normal build pipeline takes from there.

Layout of a pushed knowledge base (what `tarikh push` writes and `tarikh build --endpoint` reads):
the default graph holds everything `tarikh query` sees (the asserted triples of every file of
`kb/`, the derived triples and the builder's vocabulary), so a query means the same on any
endpoint, whatever it makes of named graphs; and the named graphs `tl:asserted`, `tl:derived` and
`tl:vocabulary` (under `https://w3id.org/tarikh/ns#`) hold each part again, so that they can be
told apart. Each graph is replaced whole (PUT): a push is idempotent.
"""
from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .namespaces import DERIVED_GRAPH, VOCAB_GRAPH, all_prefixes
from .query import (GRAPH_FORMATS, QueryError, format_name, kind_of, parse_results,
                    query_form, run, uses_service, with_prefixes)

ACCEPT = {"select": "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
                    "text/tab-separated-values;q=0.8",
          "ask": "application/sparql-results+json, application/sparql-results+xml;q=0.9",
          "graph": "application/n-triples, text/turtle;q=0.9"}
ASSERTED_GRAPH = "https://w3id.org/tarikh/ns#asserted"
USER_AGENT = "tarikh (SPARQL 1.1 Protocol client)"


class RemoteError(Exception):
    """The endpoint could not be reached or refused the request for a reason the query is not to blame for."""


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: status, media type (without parameters) and body."""

    status: int
    media_type: str
    body: bytes


def request(url: str, *, method: str = "GET", data: bytes | None = None, headers: dict | None = None,
            timeout: float = 60.0) -> Answer:
    """Send one HTTP request; raise RemoteError when nothing answers (an HTTP error is an Answer)."""
    if not url.lower().startswith(("http://", "https://")):
        raise RemoteError(f"{url}: an endpoint is an http:// or https:// URL")
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"User-Agent": USER_AGENT, **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return Answer(resp.status, _media(resp.headers.get("Content-Type")), resp.read())
    except urllib.error.HTTPError as exc:
        return Answer(exc.code, _media(exc.headers.get("Content-Type") if exc.headers else ""), exc.read())
    except (urllib.error.URLError, OSError, ValueError) as exc:
        why = getattr(exc, "reason", None) or exc
        raise RemoteError(f"{url}: the endpoint does not answer ({why})") from None


def _media(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def _explain(answer: Answer) -> str:
    text = answer.body.decode("utf-8", "replace").strip()
    return " ".join(text.split())[:500] or f"HTTP {answer.status}"


def send_query(endpoint: str, text: str, accept: str, timeout: float = 60.0) -> Answer:
    """POST a query as a form (SPARQL 1.1 Protocol, 2.1.2), the way every endpoint accepts it."""
    body = urllib.parse.urlencode({"query": text}).encode("utf-8")
    return request(endpoint, method="POST", data=body, timeout=timeout,
                   headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Accept": accept})


def query(endpoint: str, text: str, id_ns: str, timeout: float = 60.0):
    """Run a query on an endpoint; return the result as the local layer would (solutions, boolean or triples).

    The query is parsed here first (an empty local store), so its errors name the line and column
    exactly as they would locally; the prefixes it uses but does not declare are added for the
    endpoint, which knows nothing of Tarikh's.
    """
    kind = local_kind(text, id_ns)
    answer = send_query(endpoint, with_prefixes(text, all_prefixes(id_ns)), ACCEPT[kind], timeout)
    if answer.status == 400:
        raise QueryError(f"the endpoint refused the query: {_explain(answer)}")
    if answer.status != 200:
        raise RemoteError(f"{endpoint}: HTTP {answer.status}: {_explain(answer)}")
    fmt = format_name(answer.media_type) or ("nt" if kind == "graph" else "json")
    if (kind == "graph") != (fmt in GRAPH_FORMATS):
        raise RemoteError(f"{endpoint}: answered a {kind} query with {answer.media_type or 'no media type'}")
    return parse_results(answer.body, fmt)


def local_kind(text: str, id_ns: str) -> str:
    """Parse a query locally without fetching anything; return its kind ("select", "ask" or "graph")."""
    # SERVICE is the user's own business against their own endpoint, but it must never run
    # here: such a query is not parsed locally (the endpoint will report its errors).
    if uses_service(text):
        return query_form(text)
    return kind_of(run(ox.Store(), text, id_ns))


# --- Graph Store Protocol ---------------------------------------------------------------------


def graph_url(store_url: str, graph: str | None) -> str:
    """The GSP URL of the default graph (graph=None) or of a named graph (indirect identification)."""
    sep = "&" if "?" in store_url else "?"
    if graph is None:
        return store_url + sep + "default"
    return store_url + sep + urllib.parse.urlencode({"graph": graph})


def put_graph(store_url: str, graph: str | None, nt: bytes, method: str = "PUT", timeout: float = 300.0) -> None:
    """Replace (PUT) or add to (POST) a graph with N-Triples; raise RemoteError if the store refuses."""
    answer = request(graph_url(store_url, graph), method=method, data=nt, timeout=timeout,
                     headers={"Content-Type": "application/n-triples"})
    if answer.status not in (200, 201, 204):
        hint = ""
        if answer.status in (404, 405, 415):
            hint = (" (push needs the Graph Store Protocol endpoint: Oxigraph's /store, "
                    "Fuseki's /<dataset>/data or /<dataset>)")
        raise RemoteError(f"{store_url}: HTTP {answer.status} on {method} of "
                          f"{'the default graph' if graph is None else graph}{hint}: {_explain(answer)}")


def push(store_url: str, store: ox.Store) -> dict[str, int]:
    """Write a store in the pushed layout (everything in the default graph, each part in its own)."""
    from .query import dataset_quads
    parts: dict[str, list[ox.Triple]] = {ASSERTED_GRAPH: [], DERIVED_GRAPH: [], VOCAB_GRAPH: []}
    for q in dataset_quads(store):
        key = ASSERTED_GRAPH if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
        parts[key].append(ox.Triple(q.subject, q.predicate, q.object))
    everything = [t for triples in parts.values() for t in triples]
    counts = {}
    for graph, triples in [(None, everything), *parts.items()]:
        put_graph(store_url, graph, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
        counts[graph or "default"] = len(triples)
    return counts


# --- Building from an endpoint ----------------------------------------------------------------

ASSERTED = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ASSERTED_GRAPH}> {{ ?s ?p ?o }} }}"
DEFAULT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
SEPARATE = ("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } "
            f"FILTER(?g IN (<{DERIVED_GRAPH}>, <{VOCAB_GRAPH}>)) }}")


def fetch_asserted(endpoint: str, timeout: float = 300.0) -> list[ox.Triple]:
    """The asserted triples of a pushed knowledge base, read back with CONSTRUCT queries.

    From the `tl:asserted` graph; where there is none (data loaded by hand, say only
    `data/kb.nt` into QLever), the default graph without what the derived and vocabulary graphs hold.
    """
    triples = _construct(endpoint, ASSERTED, timeout)
    if triples:
        return triples
    separate = set(_construct(endpoint, SEPARATE, timeout))
    return [t for t in _construct(endpoint, DEFAULT, timeout) if t not in separate]


def _construct(endpoint: str, text: str, timeout: float) -> list[ox.Triple]:
    answer = send_query(endpoint, text, ACCEPT["graph"], timeout)
    if answer.status != 200:
        raise RemoteError(f"{endpoint}: HTTP {answer.status}: {_explain(answer)}")
    fmt = format_name(answer.media_type) or "nt"
    if fmt not in GRAPH_FORMATS:
        raise RemoteError(f"{endpoint}: a CONSTRUCT came back as {answer.media_type}, not RDF")
    return [t for t in parse_results(answer.body, fmt)]


def open_remote_kb(endpoint: str, kb_dir: str | Path):
    """A KnowledgeBase whose store holds what the endpoint has, with site.toml read from `kb_dir`."""
    from .config import load_config
    from .kb import KnowledgeBase
    from .load import load_vocab
    root = Path(kb_dir)
    shown = str(kb_dir).rstrip("/") or "."
    config, problems = load_config(root, shown)
    store = ox.Store()
    graph = ox.NamedNode("urn:tarikh:endpoint")
    store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in fetch_asserted(endpoint))
    load_vocab(store)
    return KnowledgeBase(root, shown, config, [], store, problems, origin=endpoint)


def build_from_endpoint(endpoint: str, kb_dir: str | Path, out: str | Path, strict: bool = False, timings=None):
    """Build the site from an endpoint instead of the files: the normal pipeline from the fetched store."""
    from .site import Timings, build
    timings = timings or Timings()
    kb = timings.stage("fetch", open_remote_kb, endpoint, kb_dir)
    return build(kb_dir, out, strict=strict, timings=timings, kb=kb)
