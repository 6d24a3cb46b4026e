"""`tarikh serve`: the SPARQL 1.1 Protocol endpoint with real clients (SPARQLWrapper, rdflib's
SPARQLStore, curl), its limits and refusals, and the live preview (rebuild, reload, errors)."""
from __future__ import annotations

import contextlib
import re
import csv
import io
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import rdflib

from browser import chromium  # noqa: F401
from sparqlkit import ROOT, TARIKH, free_port, small_kb, tarikh

ID = "https://example.org/id/"
SELECT = "SELECT ?e ?from WHERE { ?e a sem:Event ; sem:hasEarliestBeginTimeStamp ?from } ORDER BY ?from ?e"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@contextlib.contextmanager
def serving(kb: Path, out: Path, *extra: str, root: Path = ROOT):
    """Run `tarikh serve` (the one in `root`) in a subprocess on a free port; yield its base URL."""
    port = free_port()
    proc = subprocess.Popen([*TARIKH, "serve", "--kb", str(kb), "--out", str(out), "--port", str(port), *extra],
                            cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith(f"serving http://127.0.0.1:{port}/"), line + proc.stderr.read()
        yield f"http://127.0.0.1:{port}/"
    finally:
        stop(proc)


def stop(proc: subprocess.Popen) -> None:
    """End a server as Ctrl-C would, or kill it when it does not end."""
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("serve")
    kb = small_kb(root)
    with serving(kb, root / "output", "--query-timeout", "2", "--max-result-bytes", "20000") as url:
        yield url


def fetch(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    """(status, headers, body) of a request, HTTP errors included."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def curl(*args: str) -> tuple[int, bytes]:
    """Run curl; return (HTTP status, body)."""
    proc = subprocess.run(["curl", "-s", "-w", "\n%{http_code}", *args], capture_output=True, timeout=60)
    body, _, status = proc.stdout.rpartition(b"\n")
    return int(status), body


# --- the file server stays inside the output folder -----------------------------------------------

TRAVERSALS = ["/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2f..%2f..%2fetc%2fpasswd",
              "//etc/passwd", "/static/..%5c..%5c..%5c..%5cetc%5cpasswd", "/id/../../.tarikh-cache/",
              "/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd", "/..;/..;/..;/etc/passwd", "/.%2e/.%2e/.%2e/.%2e/etc/passwd",
              "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", "/etc/passwd%00.html", "/../output.lock"]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_request_path_reads_outside_the_output(server, path):
    """Raw request lines (no client normalises them): nothing outside the output folder comes back."""
    import http.client
    parts = urllib.parse.urlsplit(server)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.putrequest("GET", path, skip_host=False, skip_accept_encoding=True)
        conn.endheaders()
        resp = conn.getresponse()
        body = resp.read()
    finally:
        conn.close()
    assert b"root:x:0:0" not in body and b"root:" not in body[:200]
    assert resp.status in (200, 301, 400, 404), resp.status
    if resp.status == 200:  # only ever a page of the site itself (its 404 page or a listing inside it)
        assert b"tarikh" in body.lower() or b"<!doctype html>" in body.lower()[:100]


# --- real clients -----------------------------------------------------------------------------

def test_sparqlwrapper_get_and_post(server):
    from SPARQLWrapper import GET, JSON, POST, TURTLE, SPARQLWrapper
    for method in (GET, POST):
        client = SPARQLWrapper(server + "sparql")
        client.setMethod(method)
        client.setQuery(SELECT)
        client.setReturnFormat(JSON)
        rows = client.query().convert()["results"]["bindings"]
        assert [(r["e"]["value"], r["from"]["value"]) for r in rows] == [
            (ID + "ev-two", "2024-01-01"), (ID + "ev-one", "2024-01-05"), (ID + "ev-three", "2024-01-06")]
    client = SPARQLWrapper(server + "sparql")
    client.setQuery("CONSTRUCT WHERE { ?e sem:hasActor ?a }")
    client.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=client.query().convert(), format="turtle")
    assert len(graph) == 3


def test_rdflib_sparqlstore_keeps_arabic_and_dates(server):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore
    graph = rdflib.Graph(store=SPARQLStore(server + "sparql", returnFormat="json"))
    rows = list(graph.query("SELECT ?label ?from WHERE { id:ev-one skos:prefLabel ?label ; "
                            "sem:hasEarliestBeginTimeStamp ?from FILTER(lang(?label) = 'ar') }"))
    assert [(str(r[0]), r[0].language) for r in rows] == [("الحدث الأول", "ar")]
    assert rows[0][1].datatype == rdflib.XSD.date and str(rows[0][1]) == "2024-01-05"
    assert bool(graph.query("ASK { id:ev-two sem:hasActor id:beta }").askAnswer) is True


@pytest.mark.parametrize("accept,media", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"), ("text/tab-separated-values", "text/tab-separated-values")])
def test_curl_negotiates_every_results_format(server, accept, media):
    status, body = curl("-H", f"Accept: {accept}", "-G", server + "sparql", "--data-urlencode", f"query={SELECT}")
    assert status == 200
    text = body.decode("utf-8")
    assert ID + "ev-two" in text
    if media == "text/csv":
        assert list(csv.reader(io.StringIO(text, newline="")))[1] == [ID + "ev-two", "2024-01-01"]


@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"), ("application/n-triples", "nt")])
def test_curl_graph_formats_by_direct_post(server, accept, fmt):
    status, body = curl("-H", f"Accept: {accept}", "-H", "Content-Type: application/sparql-query",
                        "--data-binary", "DESCRIBE id:ev-one", server + "sparql")
    assert status == 200
    assert (rdflib.URIRef(ID + "ev-one"), None, None) in rdflib.Graph().parse(data=body.decode(), format=fmt)


def test_format_parameter_and_form_post(server):
    status, headers, body = fetch(server + "sparql", urllib.parse.urlencode({"query": SELECT, "format": "tsv"}).encode(),
                                  {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and headers["Content-Type"].startswith("text/tab-separated-values")
    assert body.decode().splitlines()[0] == "?e\t?from"


def test_the_endpoint_answers_at_sparql_with_a_slash_too(server):
    """/sparql/ is where a reader lands who types it as a folder, and where its page's form then
    posts: it is the endpoint, not a 404."""
    status, headers, body = fetch(server + "sparql/")
    assert status == 200 and b"<form" in body
    status, headers, body = fetch(server + "sparql/?" + urllib.parse.urlencode({"query": SELECT, "format": "tsv"}))
    assert status == 200 and body.decode().splitlines()[0] == "?e\t?from"
    status, headers, body = fetch(server + "sparql/", urllib.parse.urlencode({"query": SELECT, "format": "tsv"}).encode(),
                                  {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and body.decode().splitlines()[0] == "?e\t?from"


def test_cors_on_get_and_406_for_what_cannot_be_sent(server):
    status, headers, _ = fetch(server + "sparql?" + urllib.parse.urlencode({"query": SELECT}))
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    status, _, body = fetch(server + "sparql?" + urllib.parse.urlencode({"query": SELECT}), headers={"Accept": "text/turtle"})
    assert status == 406 and b"application/sparql-results+json" in body


def test_dataset_parameters_choose_the_graphs(server):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    def n(**params):
        body = fetch(server + "sparql?" + urllib.parse.urlencode({"query": count, **params}),
                     headers={"Accept": "text/csv"})[2]
        return int(body.split()[-1])
    everything, derived = n(), n(**{"default-graph-uri": "https://w3id.org/tarikh/ns#derived"})
    assert 0 < derived < everything
    status, _, body = fetch(server + "sparql?" + urllib.parse.urlencode({"query": count, "format": "html"}))
    assert status == 400 and b"unknown format" in body


def test_query_errors_name_line_and_column(server):
    status, _, body = fetch(server + "sparql?" + urllib.parse.urlencode({"query": "SELECT * WHERE {\n ?s ex:p ?o }"}))
    assert status == 400 and body.decode().startswith("query:2:5: the prefix ex: is not declared")


@pytest.mark.parametrize("path", ["sparql?" + urllib.parse.urlencode({"query": SELECT}), "sparql", "sparql/",
                                  "sparql?query=SELEC", "_tarikh/events"])
def test_a_head_request_is_answered_with_headers_only(server, path):
    """HEAD: the status and headers a GET would have, and no body (a body, or an endless event
    stream, would be read by a client as the start of its next answer)."""
    parts = urllib.parse.urlsplit(server)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as conn:
        conn.sendall(f"HEAD /{path} HTTP/1.0\r\n\r\n".encode())
        answer, deadline = b"", time.monotonic() + 30  # (a guard: an event stream would never end)
        while (chunk := conn.recv(65536)) and time.monotonic() < deadline:  # closed after an HTTP/1.0 answer
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert body == b"", head
    if not path.startswith("_tarikh"):
        status, headers, got = fetch(server + path)
        assert head.split()[1] == str(status).encode()
        assert f"Content-Length: {len(got)}".encode() in head.split(b"\r\n")


# --- refusals and limits ----------------------------------------------------------------------

def test_updates_are_refused(server):
    update = "INSERT DATA { <http://a/> <http://a/> <http://a/> }"
    assert curl("-H", "Content-Type: application/sparql-update", "--data-binary", update, server + "sparql")[0] == 400
    assert curl("--data-urlencode", f"update={update}", server + "sparql")[0] == 400
    assert curl("--data-urlencode", f"query={update}", server + "sparql")[0] == 400
    assert curl("-X", "PUT", "--data-binary", "<a:a> <a:a> <a:a> .", server + "sparql")[0] == 405
    assert fetch(server + "sparql?" + urllib.parse.urlencode({"query": "ASK { <http://a/> ?p ?o }"}))[2].find(b"false") > 0


def test_service_is_refused_and_nothing_is_fetched(server):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(1.5)
    port = listener.getsockname()[1]
    try:
        for query in (f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
                      f"SELECT * {{ SERVICE SILENT <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
                      f"SELECT * FROM <http://127.0.0.1:{port}/data.ttl> {{ ?s ?p ?o }}"):
            status, _, body = fetch(server + "sparql?" + urllib.parse.urlencode({"query": query}))
            assert status in (200, 400), body
            assert status == 200 or b"SERVICE is not allowed" in body
        with pytest.raises(socket.timeout):
            listener.accept()
    finally:
        listener.close()


def test_a_query_past_the_time_limit_is_stopped_and_the_endpoint_goes_on(server):
    started = time.monotonic()
    status, _, body = fetch(server + "sparql?" + urllib.parse.urlencode({"query": SLOW}))
    elapsed = time.monotonic() - started
    assert status == 503 and b"longer than the limit of 2 s" in body
    assert elapsed < 6
    assert fetch(server + "sparql?" + urllib.parse.urlencode({"query": SELECT}))[0] == 200


def test_two_slow_queries_do_not_block_a_third_for_long(server):
    results = []
    threads = [threading.Thread(target=lambda: results.append(
        fetch(server + "sparql?" + urllib.parse.urlencode({"query": SLOW}))[0])) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    started = time.monotonic()
    status = fetch(server + "sparql?" + urllib.parse.urlencode({"query": SELECT}))[0]
    for t in threads:
        t.join()
    assert results == [503, 503] and status == 200 and time.monotonic() - started < 10


def test_an_answer_past_the_size_limit_is_refused(server):
    status, _, body = fetch(server + "sparql?" + urllib.parse.urlencode({"query": "SELECT * { ?s ?p ?o }"}))
    assert status == 503 and b"larger than the limit of 20000 bytes" in body


# --- live preview -----------------------------------------------------------------------------

def wait_for(predicate, timeout: float = 30.0, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("timed out waiting")


def read_event(url: str, count: int) -> list[str]:
    """The first `count` data lines of the reload event stream."""
    out = []
    with urllib.request.urlopen(url + "_tarikh/events", timeout=30) as resp:
        assert resp.headers["Content-Type"] == "text/event-stream"
        while len(out) < count:
            line = resp.readline().decode().strip()
            if line.startswith("data: "):
                out.append(line[6:])
    return out


@pytest.mark.parametrize("port", ["70000", "-1"])
def test_a_port_out_of_range_is_a_bad_argument(tmp_path, port):
    """Exit 2 with a one-line usage error, not a traceback; nothing is built."""
    kb, out = small_kb(tmp_path), tmp_path / "out"
    proc = tarikh("serve", "--kb", str(kb), "--out", str(out), "--port", port, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "--port" in proc.stderr
    assert not out.exists()


def test_a_port_in_use_is_reported_before_anything_is_built(tmp_path):
    kb, out = small_kb(tmp_path), tmp_path / "out"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        proc = tarikh("serve", "--kb", str(kb), "--out", str(out), "--port", str(taken.getsockname()[1]), timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "cannot listen" in proc.stderr
    assert not out.exists()


def test_an_output_that_is_a_file_is_reported_before_anything_is_served(tmp_path):
    """As `tarikh build` does: exit 2 naming the output, not a preview of a failed build whose
    error points at a line of the builder's code."""
    kb, out = small_kb(tmp_path), tmp_path / "out"
    out.write_text("not a folder")
    proc = tarikh("serve", "--kb", str(kb), "--out", str(out), "--port", "0", timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert f"cannot write the site to {out}" in proc.stderr and b"serving" not in proc.stdout
    assert out.read_text() == "not a folder"


def test_editing_a_file_rebuilds_and_a_broken_kb_shows_its_errors(tmp_path):
    kb = small_kb(tmp_path)
    out = tmp_path / "output"
    page = "id/ev-one/index.html"
    with serving(kb, out) as url:
        status, _, body = fetch(url + page)
        assert status == 200 and b"First event" in body and b"/_tarikh/events" in body
        assert b"/_tarikh/events" not in (out / page).read_bytes()  # never written into the output

        events = []
        listener = threading.Thread(target=lambda: events.extend(read_event(url, 2)))
        listener.start()
        time.sleep(0.5)
        events_ttl = kb / "events.ttl"
        original = events_ttl.read_text(encoding="utf-8")
        events_ttl.write_text(original.replace('"First event"@en', '"The very first event"@en'), encoding="utf-8")
        wait_for(lambda: b"The very first event" in fetch(url + page)[2])
        listener.join(30)
        assert len(events) == 2 and events[0] != events[1]
        # the endpoint answers from the new site once it is in place (pages show before that)
        wait_for(lambda: fetch(url + "sparql?" + urllib.parse.urlencode(
            {"query": 'ASK { id:ev-one skos:prefLabel "The very first event"@en }'}))[2].find(b"true") > 0)
        wait_for(lambda: b"The very first event" in (out / page).read_bytes())

        events_ttl.write_text(original + "\nid:ev-three a sem:Event ;\n", encoding="utf-8")
        status, _, body = wait_for(lambda: (r := fetch(url + page))[0] == 500 and r)
        text = body.decode("utf-8")
        assert f"{kb}/events.ttl:" in text and "The knowledge base has" in text and "/_tarikh/events" in text
        assert fetch(url + "sparql?" + urllib.parse.urlencode({"query": SELECT}))[0] == 503
        assert b"The very first event" in (out / page).read_bytes()  # the last good site is left as it was

        events_ttl.write_text(original, encoding="utf-8")
        wait_for(lambda: b"First event" in fetch(url + page)[2])


def test_the_watcher_sees_template_edits_and_skips_editor_files(tmp_path):
    from builder import render
    from builder.serve import snapshot
    copy = tmp_path / "templates"  # a copy: the real templates are never touched by tests
    shutil.copytree(render.TEMPLATES, copy)
    before = snapshot([copy])
    (copy / "query.html").write_text((copy / "query.html").read_text() + "\n", encoding="utf-8")
    assert snapshot([copy]) != before
    before = snapshot([copy])
    (copy / ".query.html.swp").write_text("x")
    (copy / "query.html~").write_text("x")
    assert snapshot([copy]) == before


def test_a_template_edit_shows_in_the_preview_and_in_the_site_it_writes(tmp_path):
    """The preview builds again and again in one process: each build reads the templates as
    they are now, not as the first build compiled them (a copy of the tool, whose templates
    may be edited)."""
    tool = tmp_path / "tool"
    shutil.copytree(ROOT / "builder", tool / "builder", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "site_templates", tool / "site_templates")
    thing = tool / "site_templates" / "_thing.html"
    original = thing.read_text(encoding="utf-8")
    assert "<h1>{{ h.text(heading) }}</h1>" in original
    kb, out = small_kb(tmp_path), tmp_path / "output"
    page = "id/ev-one/index.html"
    with serving(kb, out, root=tool) as url:
        assert b"First event</bdi></h1>" in fetch(url + page)[2]
        for mark in ("edited once", "edited twice"):
            thing.write_text(original.replace("<h1>{{ h.text(heading) }}</h1>", f"<h1>{{{{ h.text(heading) }}}} {mark}</h1>"),
                             encoding="utf-8")
            wait_for(lambda: f"</bdi> {mark}</h1>".encode() in fetch(url + page)[2])
            wait_for(lambda: f"</bdi> {mark}</h1>".encode() in (out / page).read_bytes())


def test_a_file_saved_during_the_first_build_is_built_next(tmp_path):
    """The first build of a large knowledge base takes a while, and its author goes on writing:
    what is saved meanwhile (after the build read the files) is built once it ends, not only
    after the next edit."""
    kb, out = tmp_path / "kb", tmp_path / "output"
    shutil.copytree(ROOT / "kb", kb)
    port = free_port()
    proc = subprocess.Popen([*TARIKH, "serve", "--kb", str(kb), "--out", str(out), "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for line in proc.stderr:  # the first build has read the files: it is writing the site
            if line.startswith("build 1: pages ready"):
                break
        events = kb / "events-2024.ttl"
        events.write_text(events.read_text(encoding="utf-8").replace("Tower 22 base", "Tower 22 military base"),
                          encoding="utf-8")
        assert proc.stdout.readline().startswith(f"serving http://127.0.0.1:{port}/")
        url = f"http://127.0.0.1:{port}/id/ev-tower-22-attack/"
        wait_for(lambda: b"Tower 22 military base" in fetch(url)[2], timeout=120)
    finally:
        stop(proc)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
@pytest.mark.parametrize("during", ["the first build", "a rebuild"])
def test_stopping_during_a_build_leaves_no_half_written_tree(tmp_path, signum, during):
    """Ctrl-C or SIGTERM while a build writes the site: the process ends, the output is the last
    complete site (or absent, when none was finished), and nothing else is left beside it."""
    kb, out = tmp_path / "kb", tmp_path / "output"
    shutil.copytree(ROOT / "kb", kb)
    # Ctrl-C as a terminal sends it, whatever the suite was started from: a command started in
    # the background of a script inherits SIGINT ignored, and Python then leaves it ignored
    proc = subprocess.Popen([*TARIKH, "serve", "--kb", str(kb), "--out", str(out), "--port", str(free_port())],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        if during == "a rebuild":
            assert proc.stdout.readline().startswith("serving"), proc.stderr.read()
            events = kb / "events-2024.ttl"
            events.write_text(events.read_text(encoding="utf-8").replace("Tower 22 base", "Tower 22 military base"),
                              encoding="utf-8")
            writing = "build 3: pages ready"
        else:
            writing = "build 1: pages ready"
        for line in proc.stderr:  # the build has laid out its pages: it is writing the new tree
            if line.startswith(writing):
                break
        proc.send_signal(signum)
        assert proc.wait(60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    expected = {".tarikh-cache", "kb", "output"}

    def left() -> set[str]:  # what is beside the output once deletions under way have ended
        for _ in range(100):
            extra = {p.name for p in tmp_path.iterdir()} - expected
            if not extra:
                break
            time.sleep(0.1)
        return extra
    # Rarely, a signal lands where a part of the new tree outlives the process (a search indexer
    # writing into it while it is deleted): only ever a tree named as tarikh's own, which the
    # next build deletes (write.fresh_tree)
    assert all(re.fullmatch(r"\.output\.(new|old)-\d+.*", name) for name in left()), left()
    if out.exists() or during == "a rebuild":  # (a first build quicker than the signal is complete too)
        assert (out / "index.html").is_file() and (out / "data" / "kb.nt").is_file() and (out / "pagefind").is_dir()
    assert tarikh("build", "--kb", str(kb), "--out", str(out)).returncode == 0
    assert not left()


def test_an_emacs_lock_beside_a_file_being_edited_is_not_read(tmp_path):
    """Emacs links `.#events.ttl` to nowhere while events.ttl has unsaved changes: the preview
    rebuilt when another file was saved then showed "cannot read the file" for the lock."""
    kb = small_kb(tmp_path)
    (kb / ".#events.ttl").symlink_to("someone@host.1234:1700000000")
    proc = tarikh("check", "--kb", str(kb))
    assert proc.returncode == 0, proc.stdout + proc.stderr.encode()
    assert b".#events.ttl" not in proc.stdout and ".#events.ttl" not in proc.stderr


def test_the_watcher_sees_every_turtle_file_the_build_reads(tmp_path):
    """Hidden Turtle files and those in hidden folders are read by the build (load.find_files):
    a change to one rebuilds (it did not, and the preview kept its error or its old page). An
    Emacs lock, which the build skips, does not."""
    from builder.load import find_files
    from builder.serve import snapshot
    kb = small_kb(tmp_path)
    (kb / ".drafts").mkdir()
    for made in (kb / ".drafts" / "more.ttl", kb / ".hidden.ttl"):
        before = snapshot([kb])
        made.write_text("", encoding="utf-8")
        assert snapshot([kb]) != before
    (kb / "gone.ttl").symlink_to("nowhere.ttl")  # read, and reported, by the build
    before = snapshot([kb])
    (kb / "gone.ttl").unlink()
    assert snapshot([kb]) != before
    before = snapshot([kb])
    (kb / ".#events.ttl").symlink_to("someone@host.1234:1700000000")
    (kb / ".drafts" / "notes.txt").write_text("x", encoding="utf-8")
    assert snapshot([kb]) == before
    assert {f.path.name for f in find_files(kb, str(kb))} >= {"more.ttl", ".hidden.ttl"}


@pytest.mark.browser
def test_an_open_page_reloads_itself_after_an_edit(tmp_path, chromium):
    from browser import guard
    kb = small_kb(tmp_path)
    with serving(kb, tmp_path / "output") as url:
        context = chromium.new_context()
        page = context.new_page()
        g = guard(context)
        page.goto(url + "id/ev-one/index.html")
        assert "First event" in page.inner_text("h1")
        page.wait_for_timeout(300)  # let the page subscribe to the reload events
        events_ttl = kb / "events.ttl"
        events_ttl.write_text(events_ttl.read_text(encoding="utf-8").replace('"First event"@en', '"Edited event"@en'),
                              encoding="utf-8")
        page.wait_for_function("document.querySelector('h1').textContent.includes('Edited event')", timeout=30_000)
        events_ttl.write_text(events_ttl.read_text(encoding="utf-8") + "\nid:broken a sem:Event ;\n", encoding="utf-8")
        page.wait_for_function("document.title.includes('Errors in the knowledge base')", timeout=30_000)
        assert "events.ttl:" in page.inner_text("ol.problems")
        context.close()
        assert not g.blocked


def test_a_site_published_under_a_path_is_previewed_there_too(tmp_path):
    """base_url https://example.org/tarikh/: the 404 page's links start with /tarikh/ (they must work
    at any depth on the host), so the preview answers under /tarikh/ as well as at its root."""
    kb = small_kb(tmp_path)
    (kb / "site.toml").write_text((kb / "site.toml").read_text(encoding="utf-8").replace(
        'base_url = "https://example.org/"', 'base_url = "https://example.org/tarikh/"'), encoding="utf-8")
    for ttl in kb.glob("*.ttl"):
        ttl.write_text(ttl.read_text(encoding="utf-8").replace("https://example.org/id/", "https://example.org/tarikh/id/"),
                       encoding="utf-8")
    with serving(kb, tmp_path / "output") as url:
        at_root, under = fetch(url + "id/ev-one/"), fetch(url + "tarikh/id/ev-one/")
        assert at_root[0] == under[0] == 200 and b"First event" in under[2]
        status, _, missing = fetch(url + "tarikh/id/no-such-thing/")
        assert status == 404
        links = [href.decode() for href in re.findall(rb'(?:href|src)="(/tarikh/[^"#]*)"', missing)]
        assert any(link.endswith("style.css") for link in links), links
        for link in links:
            assert fetch(url + link.lstrip("/"))[0] == 200, link
