"""The hostile-markup knowledge base (hostilekit.py) in a real Chromium: no payload ever runs.

test_hostile.py proves, by parsing the built pages, that every hostile literal is escaped. Scripts
then put some of those texts back into the page (the visual timeline's items and tooltips, the
map's popups, search results, the SPARQL console's result table), so the proof is repeated where
it matters, in the browser, after the scripts have run and been poked: every page is opened,
every timeline item and map marker clicked, a search run for the payloads, a query run in the
console over every label. Any dialog (the payloads call alert()), any element a payload would
make, any request outside 127.0.0.1 or any script error fails the test.
"""
from __future__ import annotations

import pytest

import hostilekit as hk
from browser import chromium, static_server, watched_tab  # noqa: F401

pytestmark = pytest.mark.browser

# What a payload would leave in the DOM had it been parsed as markup rather than text (Leaflet draws
# its own <svg> and attribution flag: an <svg> alone is no sign).
INJECTED = ('img[src="x"], iframe, embed, object, svg[onload], [onerror], [onload], [onclick], [onmouseover], '
            'script:not([src]):not([type="application/ld+json"]):not([type="application/json"])')


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    _, out, _ = hk.built_markup_site(tmp_path_factory.mktemp("hostile-browser"))
    with static_server(out) as url:
        yield out, url


@pytest.fixture
def tab(chromium):
    """A watched tab (browser.watched_tab) on which any dialog, such as a payload's alert(), fails the test."""
    with watched_tab(chromium) as pg:
        def on_dialog(dialog):
            pg.problems.append(f"{dialog.type}: {dialog.message} on {pg.url}")
            dialog.dismiss()
        pg.on("dialog", on_dialog)
        yield pg


def _injected(pg) -> list[str]:
    return pg.eval_on_selector_all(INJECTED, "els => els.map(e => e.outerHTML.slice(0, 120))")


def _poke(pg, selector: str, limit: int = 12) -> int:
    """Click the first few elements a script drew (timeline items, map markers), as a reader would."""
    clicked = 0
    for el in pg.query_selector_all(selector)[:limit]:
        try:
            el.click(timeout=2_000, force=True)
            el.hover(timeout=2_000, force=True)
            clicked += 1
        except Exception:  # an element scrolled away or redrawn: the next one will do
            continue
    return clicked


def test_no_payload_runs_on_any_page_even_after_the_widgets_are_used(site, tab):
    out, url = site
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html") if "pagefind" not in p.parts)
    assert len(pages) > 50
    drawn = 0
    for rel in pages:
        tab.goto(url + rel, wait_until="load")
        tab.wait_for_timeout(50)
        drawn += _poke(tab, ".vis-item, .vis-cluster") + _poke(tab, ".leaflet-interactive")
        assert not _injected(tab), (rel, _injected(tab))
    assert drawn > 0  # the widgets really drew the hostile labels, and were clicked


def test_search_results_show_payloads_as_text(site, tab):
    _, url = site
    tab.goto(url + "search/index.html", wait_until="load")
    box = tab.wait_for_selector("#search input", timeout=20_000)
    for query in ("script", "alert", "onerror", "title"):
        box.fill(query)
        tab.wait_for_timeout(800)
        assert not _injected(tab), (query, _injected(tab))
    assert tab.inner_text("#search")  # results were shown


def test_console_results_show_payloads_as_text(site, tab):
    _, url = site
    tab.goto(url + "queries/index.html", wait_until="load")
    tab.wait_for_selector('#console .console-status[data-state="ready"]', timeout=30_000)
    tab.fill("#console-query", "SELECT ?s ?label WHERE { ?s ?p ?label FILTER(isLiteral(?label)) }")
    tab.click("#console-run")
    tab.wait_for_selector("#console-results table", timeout=30_000)
    text = tab.inner_text("#console-results")
    assert "<script>alert(1)</script>" in text  # shown as text, verbatim
    assert not _injected(tab), _injected(tab)
