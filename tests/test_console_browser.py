"""The in-browser SPARQL console on /queries/, in a real Chromium: a saved query gives the same
rows as `tarikh query`, IRIs link to their pages, errors are shown, and nothing outside
127.0.0.1 is fetched."""
from __future__ import annotations

import json

import pytest

from browser import chromium, local_page, static_server  # noqa: F401
from sparqlkit import ROOT, build_site, small_kb, tarikh

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    kb = small_kb(tmp_path_factory.mktemp("console"))
    out = build_site(kb, kb.parent / "output")
    with static_server(out) as url:
        yield kb, out, url


def expected_rows(kb, name: str) -> tuple[list[str], list[list[str]]]:
    proc = tarikh("query", "--kb", str(kb), "--format", "json", str(kb / "queries" / f"{name}.rq"))
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    names = doc["head"]["vars"]
    return names, [[b.get(n, {}).get("value", "") for n in names] for b in doc["results"]["bindings"]]


def open_console(page, url: str):
    page.goto(url)
    page.wait_for_selector('#console .console-status[data-state="ready"]', timeout=30_000)


def run(page, query: str | None = None, example: str | None = None):
    if example is not None:
        page.select_option("#console-example", label=example)
    if query is not None:
        page.fill("#console-query", query)
    page.click("#console-run")
    page.wait_for_selector('#console .console-status[data-state="ready"], #console .console-status[data-state="error"]')
    header = page.eval_on_selector_all("#console-results th", "els => els.map(e => e.textContent)")
    rows = page.eval_on_selector_all(
        "#console-results tbody tr", "trs => trs.map(tr => [...tr.cells].map(td => td.dataset.term || ''))")
    return header, rows


@pytest.mark.parametrize("name,title", [("events-by-actor", "Events and their actors"),
                                        ("event-count", "How many events")])
def test_a_saved_query_gives_the_rows_of_tarikh_query(site, local_page, name, title):
    kb, _, url = site
    open_console(local_page, url + "queries/")
    assert run(local_page, example=title) == expected_rows(kb, name)


def test_iris_link_to_their_pages_in_the_page_language(site, local_page):
    _, _, url = site
    open_console(local_page, url + "ar/queries/")
    run(local_page, example="الأحداث وفاعلوها")
    href = local_page.get_attribute('#console-results td[data-term="https://example.org/id/alpha"] a', "href")
    assert href == "../id/alpha/index.html"
    local_page.click('#console-results td[data-term="https://example.org/id/alpha"] a')
    assert local_page.url == url + "ar/id/alpha/index.html"
    assert "ألفا" in local_page.inner_text("h1")


def test_prefixes_are_predeclared_and_errors_name_the_line(site, local_page):
    _, _, url = site
    open_console(local_page, url + "queries/")
    header, rows = run(local_page, "SELECT ?p WHERE { id:town skos:prefLabel ?p } ORDER BY ?p")
    assert header == ["p"] and rows == [["Town"], ["بلدة"]]
    run(local_page, "SELECT * WHERE {\n  ?s ?p\n}")
    error = local_page.inner_text("#console-results .error")
    assert "at 3:" in error or "at 2:" in error, error
    run(local_page, "SELECT * { SERVICE <http://example.com/sparql> { ?s ?p ?o } }")
    assert "SERVICE" in local_page.inner_text("#console-results .error")


def test_refusals_and_errors_say_what_tarikh_query_says(site, local_page):
    """An update is refused as one (not "expected CONSTRUCT"), a misspelt form and an undeclared
    prefix are named, and the grammar's character classes are left out of Oxigraph's message;
    on the Arabic page in Arabic."""
    _, _, url = site

    def error(query):
        run(local_page, query)
        return local_page.inner_text("#console-results .error")
    open_console(local_page, url + "queries/")
    assert "INSERT is an update" in error("INSERT DATA { <http://a/> <http://a/> <http://a/> }")
    assert "DROP is an update" in error("PREFIX x: <http://x/>\nDROP ALL")
    assert "not SELEC" in error("SELEC ?x WHERE { ?x ?y ?z }")
    assert "at 2:6: the prefix ex: is not declared" in error("SELECT * WHERE {\n  ?s ex:p ?o\n}")
    text = error("SELECT ?x WHERE { ?x ?p ")
    assert '"[", "\\"", "\\"\\"\\"", "_:", "false", "true", FILTER, SELECT, VALUES, a digit' in text, text
    assert "'A' ..= 'Z'" not in text and "[_]" not in text
    open_console(local_page, url + "ar/queries/")
    assert "طلب تحديث" in error("DELETE WHERE { ?s ?p ?o }")


def test_ask_and_construct(site, local_page):
    _, _, url = site
    open_console(local_page, url + "queries/")
    run(local_page, "ASK { id:ev-one sem:hasActor id:alpha }")
    assert local_page.get_attribute("#console-results .count", "data-boolean") == "true"
    header, rows = run(local_page, "CONSTRUCT WHERE { id:ev-two sem:hasActor ?a }")
    assert header == ["subject", "predicate", "object"] and len(rows) == 2


DATA = ("data/kb.nt", "data/derived.nt", "data/vocab.nt", "oxigraph/web_bg.wasm")


def test_the_data_are_fetched_when_a_query_is_first_run_not_when_the_page_opens(site, local_page):
    """At 10,000 events the console's data are 38 MB (kb.nt 24 MB, derived.nt 10 MB, the module 4 MB):
    a reader who opens /queries/ for the saved queries must not download them, nor wait while they
    load. The first run fetches them once; later runs reuse them."""
    _, _, url = site
    fetched: list[str] = []
    local_page.on("request", lambda r: fetched.append(r.url))
    open_console(local_page, url + "queries/")
    local_page.wait_for_load_state("networkidle")
    assert not [u for u in fetched if u.endswith(DATA)], fetched
    assert local_page.is_enabled("#console-run")
    header, rows = run(local_page, "SELECT ?p WHERE { id:town skos:prefLabel ?p } ORDER BY ?p")
    assert header == ["p"] and rows == [["Town"], ["بلدة"]]
    run(local_page, "ASK { id:ev-one sem:hasActor id:alpha }")
    assert local_page.get_attribute("#console-results .count", "data-boolean") == "true"
    for name in DATA:
        assert sum(u.endswith(name) for u in fetched) == 1, (name, fetched)


def test_a_failed_load_says_so_and_the_next_run_tries_again(site, local_page):
    _, _, url = site
    refused: list[str] = []

    def once(route):
        if not refused:
            refused.append(route.request.url)
            route.abort()
        else:
            route.continue_()
    local_page.route("**/data/kb.nt", once)
    open_console(local_page, url + "queries/")
    local_page.click("#console-run")
    local_page.wait_for_selector('#console .console-status[data-state="unavailable"]')
    assert refused and local_page.is_enabled("#console-run")
    header, rows = run(local_page, "SELECT ?p WHERE { id:town skos:prefLabel ?p } ORDER BY ?p")
    assert rows == [["Town"], ["بلدة"]]


def test_from_a_file_the_page_says_why_the_console_cannot_run(site, chromium):
    _, out, _ = site
    context = chromium.new_context()
    page = context.new_page()
    page.goto((out / "queries" / "index.html").as_uri())
    page.wait_for_timeout(500)
    status = page.inner_text("#console .console-status")
    context.close()
    assert "served over HTTP" in status or "opened as a file" in status


SEED_QUERIES = sorted((ROOT / "kb" / "queries").glob("*.rq"))


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory):
    out = build_site(ROOT / "kb", tmp_path_factory.mktemp("console-seed") / "output")
    with static_server(out) as url:
        yield url


def _normalise(rows: list[list[str]], header: list[str], ordered: bool) -> list[tuple]:
    # Blank-node labels are the store's own on each side; unbound is "" on both.
    out = [tuple("_:" if c.startswith("_:") or (t == "bnode") else c for c, t in row) for row in rows]
    return out if ordered else sorted(out)


@pytest.mark.skipif(not SEED_QUERIES, reason="the seed knowledge base has no saved queries")
def test_every_saved_query_of_the_seed_gives_the_rows_of_tarikh_query(seed_site, local_page):
    from builder.query import mask
    open_console(local_page, seed_site + "queries/")
    titles = local_page.eval_on_selector_all("#console-example option", "os => os.map(o => o.textContent)")
    assert len(titles) == len(SEED_QUERIES)
    differ = []
    for path, title in zip(SEED_QUERIES, titles):
        proc = tarikh("query", "--kb", str(ROOT / "kb"), "--format", "json", str(path))
        assert proc.returncode == 0, proc.stderr
        doc = json.loads(proc.stdout)
        names = doc["head"]["vars"]
        ordered = "ORDER BY" in " ".join(mask(path.read_text(encoding="utf-8")).upper().split())
        want = _normalise([[(b.get(n, {}).get("value", ""), b.get(n, {}).get("type", "")) for n in names]
                           for b in doc["results"]["bindings"]], names, ordered)
        local_page.select_option("#console-example", label=title)
        local_page.click("#console-run")
        local_page.wait_for_selector('#console .console-status[data-state="ready"], #console .console-status[data-state="error"]')
        header = local_page.eval_on_selector_all("#console-results th", "els => els.map(e => e.textContent)")
        got = _normalise(local_page.eval_on_selector_all(
            "#console-results tbody tr",
            "trs => trs.map(tr => [...tr.cells].map(td => [td.dataset.term || '', td.dataset.type || '']))"), header, ordered)
        if header != names or got != want:
            differ.append((path.name, header, names, got[:3], want[:3]))
    assert not differ, differ
