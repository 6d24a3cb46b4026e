"""Arabic and Persian pages in a real Chromium: right to left, mirrored, nothing wider than a phone,
Latin names in the right order, and search in both scripts from both languages' search pages.
Screenshots of the Arabic pages go to tests/artifacts/i18n/ (git-ignored) for people to look at."""
from __future__ import annotations

from pathlib import Path

import pytest

from browser import chromium, local_page, static_server  # noqa: F401
from builder import arabic
from i18nkit import build_persian

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parent / "artifacts" / "i18n"
EVENT = "ar/id/ev-qaani-meets-factions-baghdad/index.html"
PAGES = {"home": "ar/index.html", "event": EVENT, "actor": "ar/id/esmail-qaani/index.html",
         "claims": "ar/id/claim-qaani-meeting-reuters/index.html", "period": "ar/timeline/2024/01/index.html",
         "list": "ar/actors/index.html", "search": "ar/search/index.html", "english-home": "index.html"}


@pytest.fixture(scope="module")
def site(seed_site: Path):
    with static_server(seed_site) as url:
        yield url


def shoot(page, name: str) -> None:
    """Save a full-page screenshot for people to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth, out = [];
  const scrolls = el => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(p).overflowX)) return true; } return false; };
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || scrolls(el)) continue;
    if (r.left < -1 || r.right > width + 1)
      out.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, out: out.slice(0, 8)};
}"""


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("name", list(PAGES))
def test_nothing_overflows_the_viewport(site, local_page, name, width):
    local_page.set_viewport_size({"width": width, "height": 800})
    local_page.goto(site + PAGES[name])
    found = local_page.evaluate(OVERFLOW_JS)
    assert found["scrollWidth"] <= found["width"] and not found["out"], found
    if name != "english-home":
        shoot(local_page, f"{name}-{width}")


@pytest.mark.parametrize("name", ["home", "event"])
def test_arabic_pages_are_right_to_left_with_mirrored_navigation(site, local_page, name):
    local_page.goto(site + PAGES[name])
    assert local_page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"
    boxes = local_page.evaluate("""() => {
      const box = s => { const r = document.querySelector(s).getBoundingClientRect(); return [r.left, r.right]; };
      const items = [...document.querySelectorAll(".site-header nav:not(.languages) li")].map(li => {
        const r = li.getBoundingClientRect(); return [r.left, r.right, r.top]; });
      return {title: box(".site-title"), languages: box("nav.languages"), items,
              header: box(".site-header"), width: document.documentElement.clientWidth};
    }""")
    items = boxes["items"]
    first_row = [i for i in items if abs(i[2] - items[0][2]) < 2]
    assert len(first_row) > 3
    assert all(a[0] > b[0] for a, b in zip(first_row, first_row[1:])), "the navigation runs from right to left"
    assert boxes["title"][1] > items[0][1] > boxes["languages"][1], "title at the right, languages at the left"
    assert boxes["title"][1] > boxes["width"] / 2


def test_latin_names_inside_arabic_text_keep_their_order(site, local_page):
    local_page.goto(site + PAGES["actor"])
    result = local_page.evaluate("""() => {
      const items = [...document.querySelectorAll(".alt-labels bdi")];
      const words = bdi => { const range = document.createRange(), text = bdi.firstChild, out = [];
        for (const m of text.data.matchAll(/\\S+/g)) { range.setStart(text, m.index); range.setEnd(text, m.index + m[0].length);
          out.push([m[0], range.getBoundingClientRect().left]); } return out; };
      return {items: items.map(b => [b.textContent, b.getBoundingClientRect().left, b.getBoundingClientRect().right,
                                     b.getBoundingClientRect().top, words(b)])};
    }""")
    items = result["items"]
    assert [i[0] for i in items][:3] == ["قاآني", "Esmāʿīl Qāʾānī", "Ismail Qaani"]
    for before, after in zip(items, items[1:]):
        if abs(before[3] - after[3]) < 2:  # on the same line: each item left of the one before it
            assert after[2] <= before[1] + 1, (before[0], after[0])
    latin = {i[0]: i[4] for i in items}
    for name in ("Ismail Qaani", "Esmāʿīl Qāʾānī"):
        lefts = [x for _, x in latin[name]]
        assert lefts == sorted(lefts), f"{name} reads left to right"


def test_an_english_label_on_an_arabic_page_reads_left_to_right(site, local_page):
    local_page.goto(site + EVENT)
    words = local_page.evaluate("""() => {
      const bdi = document.querySelector(".other-labels bdi[lang=en]"), text = bdi.firstChild, range = document.createRange(), out = [];
      for (const m of text.data.matchAll(/\\S+/g)) { range.setStart(text, m.index); range.setEnd(text, m.index + m[0].length);
        const r = range.getBoundingClientRect(); out.push([m[0], r.left, r.top]); }
      return out;
    }""")
    assert [w[0] for w in words][:2] == ["Qaani", "meets"]
    line = [w for w in words if abs(w[2] - words[0][2]) < 2]
    assert [w[1] for w in line] == sorted(w[1] for w in line)


SEARCHES = [
    ("search/index.html", "قاآني", "id/esmail-qaani/"),
    ("search/index.html", "قاانى", "id/esmail-qaani/"),
    ("search/index.html", "Qaani", "id/esmail-qaani/"),
    ("search/index.html", "كتائب حزب الله", "id/kataib-hezbollah/"),
    ("ar/search/index.html", "قاآني", "ar/id/esmail-qaani/"),
    ("ar/search/index.html", "قاانى", "ar/id/esmail-qaani/"),
    ("ar/search/index.html", "Qaani", "ar/id/esmail-qaani/"),
    ("ar/search/index.html", "كتائب حزب الله", "ar/id/kataib-hezbollah/"),
    ("ar/search/index.html", "كتايب", "ar/id/kataib-hezbollah/"),
]


def search(page, url: str, query: str) -> list[str]:
    """Type a query into Pagefind's interface; the links of the results, in order."""
    page.goto(url)
    page.fill(".pagefind-ui__search-input", query)
    page.wait_for_selector(".pagefind-ui__result-link", timeout=20_000)
    page.wait_for_timeout(300)
    return page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(a => a.href)")


@pytest.mark.parametrize("page,query,expected", SEARCHES)
def test_search_finds_names_in_both_scripts_from_both_languages(site, local_page, page, query, expected):
    links = search(local_page, site + page, query)
    assert site + expected + "index.html" in links[:3], links[:5]
    local_page.click(f'.pagefind-ui__result-link[href$="/{expected}index.html"]')
    local_page.wait_for_load_state()  # the new document in place before it is read
    assert local_page.url == site + expected + "index.html"
    assert local_page.evaluate("document.documentElement.lang") == ("ar" if page.startswith("ar/") else "en")


def test_search_page_screenshot_with_results(site, local_page):
    for width in (375, 1280):
        local_page.set_viewport_size({"width": width, "height": 800})
        search(local_page, site + "ar/search/index.html", "قاآني")
        found = local_page.evaluate(OVERFLOW_JS)
        assert found["scrollWidth"] <= found["width"] and not found["out"], found
        shoot(local_page, f"search-results-{width}")


def test_query_normalisation_in_the_browser_matches_the_builder(site, local_page):
    local_page.goto(site + "ar/search/index.html")
    samples = ["قاآني", "قاانى", "إسماعيل", "كتائب حزب الله", "مُحَمَّد", "العـــراق", "اسماعیل قاآنی", "Qaani"]
    assert local_page.evaluate("s => s.map(window.tarikhSearch.normalise)", samples) == [arabic.normalise(s) for s in samples]


@pytest.fixture(scope="module")
def persian(tmp_path_factory):
    out = build_persian(tmp_path_factory.mktemp("persian-browser"))
    with static_server(out) as url:
        yield url


def test_persian_pages_are_right_to_left_and_searchable(persian, local_page):
    local_page.set_viewport_size({"width": 375, "height": 800})
    local_page.goto(persian + "fa/index.html")
    assert local_page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert local_page.evaluate("document.documentElement.lang") == "fa"
    found = local_page.evaluate(OVERFLOW_JS)
    assert found["scrollWidth"] <= found["width"] and not found["out"], found
    shoot(local_page, "persian-home-375")
    links = search(local_page, persian + "fa/search/index.html", "قاآنی")
    assert persian + "fa/id/esmail-qaani/index.html" in links[:3], links[:5]


# ---- a search index made in shards (builder/search.py), merged by the search page ----------------

@pytest.fixture(scope="module")
def sharded(tmp_path_factory):
    """The seed built with at most 40 pages a Pagefind run: 8 shards."""
    from builder.site import build
    out = tmp_path_factory.mktemp("sharded") / "output"
    patch = pytest.MonkeyPatch()
    patch.setenv("TARIKH_SEARCH_SHARD_PAGES", "40")
    try:
        build(Path(__file__).resolve().parent.parent / "kb", out)
    finally:
        patch.undo()
    with static_server(out) as url:
        yield url, out


@pytest.mark.parametrize("page,query,expected", [SEARCHES[2], SEARCHES[4], SEARCHES[7]])
def test_a_sharded_index_finds_what_a_whole_one_does(sharded, local_page, page, query, expected):
    url, out = sharded
    assert len(list((out / "pagefind").glob("shard-*"))) > 5
    links = search(local_page, url + page, query)
    assert url + expected + "index.html" in links[:3], links[:5]


def test_a_sharded_search_lists_results_from_several_shards(sharded, local_page):
    from sitecheck import search_bundles
    url, out = sharded
    bundles = search_bundles(out)
    links = search(local_page, url + "search/index.html", "Iraq")  # on many pages of the seed
    shards = {b for link in links for b, urls in bundles.items() if "/" + link.removeprefix(url) in urls}
    assert len(links) >= 5 and len(shards) >= 3, links
