"""Every page kind, in both languages, in a real Chromium: axe-core finds no WCAG 2 A/AA violation,
the keyboard reaches every link and control, and an event page prints without navigation chrome."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from browser import chromium, local_page, static_server  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parent.parent
AXE = Path(os.environ.get("TARIKH_AXE", ROOT / "node_modules" / "axe-core" / "axe.min.js"))

KINDS = {
    "home": "index.html", "event": "id/ev-kh-suspends-attacks/index.html",
    "relative-event": "id/ev-kafr-sousa-strike/index.html", "actor": "id/kataib-hezbollah/index.html",
    "place": "id/baghdad-airport/index.html", "source": "id/src-mena-monitor-bukamal/index.html",
    "claim": "id/claim-kafr-sousa-by-israel/index.html", "quantity": "id/qty-us-troops-iraq/index.html",
    "concept": "vocab/Meeting/index.html", "term": "vocab/perpetrator/index.html",
    "list": "events/index.html", "list-actors": "actors/index.html", "list-places": "places/index.html",
    "list-sources": "sources/index.html", "list-claims": "claims/index.html", "period": "timeline/2024/01/index.html",
    "disagreements": "disagreements/index.html", "vocabulary": "vocab/index.html", "data": "data/index.html",
    "queries": "queries/index.html", "query": "queries/events-by-actor/index.html", "map": "map/index.html",
    "search": "search/index.html",
}
PAGES = {f"{lang}-{kind}": prefix + path for kind, path in KINDS.items() for lang, prefix in (("en", ""), ("ar", "ar/"))}
PAGES["404"] = "404.html"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(seed_site: Path):
    with static_server(seed_site) as url:
        yield url


def test_axe_is_installed():
    assert AXE.is_file(), f"axe-core is missing at {AXE}: `make test` installs it with npm"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_axe_finds_no_wcag_a_or_aa_violation(site, local_page, name):
    local_page.goto(site + PAGES[name])
    local_page.wait_for_load_state("load")
    local_page.add_script_tag(path=str(AXE))
    result = local_page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
    violations = [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]]) for v in result["violations"]]
    assert violations == [], violations
    assert local_page.guard.blocked == []


def test_axe_does_report_a_violation(local_page, tmp_path):
    """The check can fail: an image without alternative text and an unlabelled input are caught."""
    (tmp_path / "bad.html").write_text('<!DOCTYPE html><html lang="en"><head><title>x</title></head><body>'
                                       '<main><img src="x.png"><input type="text"></main></body></html>')
    with static_server(tmp_path) as url:
        local_page.goto(url + "bad.html")
        local_page.add_script_tag(path=str(AXE))
        result = local_page.evaluate("axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a']}})")
    assert {"image-alt", "label"} <= {v["id"] for v in result["violations"]}


@pytest.mark.parametrize("name", ["en-event", "ar-event", "en-home", "ar-list-sources"])
def test_keyboard_reaches_every_link_and_control(site, local_page, name):
    local_page.goto(site + PAGES[name])
    local_page.wait_for_load_state("load")
    focusable = local_page.evaluate("""() => [...document.querySelectorAll('a[href], button, input, select, textarea, summary')]
        .filter(el => el.checkVisibility({checkVisibilityCSS: true}) && !el.disabled && el.tabIndex >= 0).length""")
    reached = set()
    for _ in range(focusable + 10):
        local_page.keyboard.press("Tab")
        key = local_page.evaluate("""() => { const el = document.activeElement;
            return el && el !== document.body ? el.outerHTML.slice(0, 200) + '#' + [...document.querySelectorAll('*')].indexOf(el) : null; }""")
        if key:
            reached.add(key)
    assert len(reached) >= focusable, (len(reached), focusable)


def test_event_page_prints_without_navigation(site, local_page):
    local_page.goto(site + PAGES["en-event"])
    local_page.emulate_media(media="print")
    hidden = local_page.evaluate("""() => ['.site-header nav', '.site-footer', '.skip']
        .map(sel => [...document.querySelectorAll(sel)].every(el => getComputedStyle(el).display === 'none'))""")
    assert all(hidden)
    assert local_page.evaluate("() => getComputedStyle(document.querySelector('h1')).display") != "none"
    pdf = local_page.pdf(format="A4")
    assert pdf[:4] == b"%PDF" and len(pdf) > 1000
