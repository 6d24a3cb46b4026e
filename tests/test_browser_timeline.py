"""The visual timeline, the filters and the maps, in a real Chromium (Debian's, through Playwright).

Two sites: the seed knowledge base (does it all render, in both directions, with nothing fetched
from outside but map tiles, which are refused), and a small one made for the purpose
(timelinekit.py) whose dates and places are known: twenty days in a row that cluster until one
zooms in, a month, 233 BCE, exact, near and region places.
"""
from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from browser import chromium, guard, static_server, watched_tab  # noqa: F401
from timelinekit import DAYS, seed_widgets_site, shared_site

pytestmark = pytest.mark.browser

DAY_MS = 86_400_000


@pytest.fixture(scope="module")
def seed(request, tmp_path_factory):
    out = seed_widgets_site(request, tmp_path_factory)
    with static_server(out) as url:
        yield out, url


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    out = shared_site(tmp_path_factory)
    with static_server(out) as url:
        yield out, url


@pytest.fixture
def tab(chromium):
    """A tab that may fetch only from 127.0.0.1 (tiles are refused, not failures) and must log no error."""
    with watched_tab(chromium) as pg:
        yield pg


def is_tile(url: str) -> bool:
    return urlsplit(url).hostname == "tile.openstreetmap.org"


def open_timeline(tab, url: str):
    tab.goto(url)
    tab.wait_for_selector("figure.tl-visual[data-ready] .vis-item")


def set_window(tab, start: str, end: str):
    """Show the timeline between two ISO days (UTC), without animation, and let it redraw."""
    tab.evaluate("""([a, b]) => {
        Tarikh.timeline.setWindow(Tarikh.isoMs(a), Tarikh.isoMs(b), {animation: false});
        Tarikh.timeline.redraw();
    }""", [start, end])
    tab.wait_for_timeout(150)


def drawn_labels(tab) -> list[str]:
    """The labels of the events drawn one by one (not summarised in a cluster) and on screen."""
    return tab.eval_on_selector_all(
        "figure.tl-visual .vis-item:not(.vis-cluster) .vis-item-content",
        "els => els.filter(e => e.getClientRects().length).map(e => e.textContent.trim())")


def item_box(tab, label: str) -> dict:
    handle = tab.locator("figure.tl-visual .vis-item:not(.vis-cluster)", has_text=label).first
    box = handle.bounding_box()
    assert box, f"{label!r} is not drawn"
    return {**box, "class": handle.get_attribute("class")}


def visible_keys(tab) -> list[str]:
    return tab.eval_on_selector_all("li.entry[data-key]", "els => els.filter(e => !e.hidden).map(e => e.dataset.key)")


# ---- the visual timeline ------------------------------------------------------------------------

def test_the_visual_timeline_draws_every_dated_seed_event(seed, tab):
    out, url = seed
    data = json.loads((out / "data" / "timeline-en.json").read_text(encoding="utf-8"))
    dated = [e["key"] for e in data["events"] if e["earliest"] or e["latest"]]
    open_timeline(tab, url)
    assert tab.evaluate("Tarikh.timelineItems.length") == len(dated) > 0
    assert tab.is_visible("figure.tl-visual .vis-timeline")
    # at full view every event is drawn, alone or counted in a summary of events too close to show
    alone = tab.locator("figure.tl-visual .vis-item:not(.vis-cluster)").count()
    summarised = sum(int(t) for t in tab.locator("figure.tl-visual .vis-cluster").all_inner_texts())
    assert alone + summarised == len(dated)
    # the plain list is still there for readers without JavaScript
    assert tab.locator("li.entry[data-key]").count() == len(data["events"])


def test_zooming_in_reveals_events_summarised_at_full_view(small, tab):
    _, url = small
    open_timeline(tab, url)
    assert tab.locator("figure.tl-visual .vis-cluster").count() >= 1
    assert "Day 7 event" not in drawn_labels(tab)
    clusters_before = tab.locator("figure.tl-visual .vis-cluster").count()
    set_window(tab, "2024-01-06", "2024-01-09")
    labels = drawn_labels(tab)
    assert {"Day 6 event", "Day 7 event", "Day 8 event"} <= set(labels)
    assert tab.locator("figure.tl-visual .vis-cluster").count() < clusters_before or clusters_before == 1


def test_the_zoom_buttons_and_a_click_on_a_summary_zoom_in(small, tab):
    _, url = small
    open_timeline(tab, url)
    width = tab.evaluate("() => { const w = Tarikh.timeline.getWindow(); return w.end - w.start; }")
    tab.click("figure.tl-visual [data-zoom=in]")
    tab.wait_for_timeout(700)
    narrower = tab.evaluate("() => { const w = Tarikh.timeline.getWindow(); return w.end - w.start; }")
    assert narrower < width * 0.8
    set_window(tab, "2023-01-01", "2025-01-01")
    summary = tab.locator("figure.tl-visual .vis-cluster").first
    assert int(summary.inner_text()) > 1
    summary.click()
    tab.wait_for_timeout(700)
    shown = tab.evaluate("() => { const w = Tarikh.timeline.getWindow(); return w.end - w.start; }")
    assert shown < 120 * DAY_MS  # from two years to the weeks the summary held
    assert any(label.startswith("Day ") for label in drawn_labels(tab))


def test_a_month_is_a_soft_edged_span_the_width_of_its_month(small, tab):
    _, url = small
    open_timeline(tab, url)
    set_window(tab, "2024-01-25", "2024-03-08")
    box = item_box(tab, "Month event")
    assert "vis-range" in box["class"] and "tl-fuzzy" in box["class"]
    # the axis scale: pixels per millisecond of the window, and where 1 February is on screen
    scale = tab.evaluate("""() => {
        const tl = Tarikh.timeline, w = tl.getWindow(), c = tl.dom.center.getBoundingClientRect();
        return {perMs: c.width / (w.end - w.start), feb1: c.left + (Tarikh.isoMs('2024-02-01') - w.start) * c.width / (w.end - w.start)};
    }""")
    february = 29 * DAY_MS * scale["perMs"]  # 2024 is a leap year
    assert abs(box["width"] - february) <= 3, (box["width"], february)
    assert abs(box["x"] - scale["feb1"]) <= 3
    # a known day beside it is one day wide, with hard edges
    set_window(tab, "2024-01-01", "2024-01-08")
    day = item_box(tab, "Day 3 event")
    per_ms = tab.evaluate("() => { const tl = Tarikh.timeline, w = tl.getWindow(); return tl.dom.center.getBoundingClientRect().width / (w.end - w.start); }")
    assert "tl-day" in day["class"] and abs(day["width"] - DAY_MS * per_ms) <= 3


def test_bce_and_early_years_are_placed_and_labelled_right(small, tab):
    _, url = small
    open_timeline(tab, url)
    start, end = tab.evaluate("""() => {
        const it = Tarikh.timelineItems.get('ev-bce'), early = Tarikh.timelineItems.get('ev-early');
        return [it.start.getUTCFullYear() + '-' + it.start.getUTCMonth(), early.start.toISOString()];
    }""")
    assert start == "-232-0"  # astronomical year -232 is 233 BCE
    assert end.startswith("0050-06-15")  # not 1950
    set_window(tab, "-0240-01-01", "-0225-01-01")
    assert "Ancient event" in drawn_labels(tab)
    axis = tab.eval_on_selector_all("figure.tl-visual .vis-time-axis .vis-text", "els => els.map(e => e.textContent)")
    assert "233 BCE" in axis, axis


def axis_ticks(tab) -> list[tuple[str, int, float]]:
    """The minor labels of the time axis within the window: each label, the astronomical year it
    names, and how far (in pixels) it stands from where that year begins."""
    return tab.evaluate("""() => {
        const tl = Tarikh.timeline, w = tl.getWindow(), box = tl.dom.center.getBoundingClientRect();
        const px = ms => box.left + (ms - w.start.valueOf()) / (w.end - w.start) * box.width;
        return [...document.querySelectorAll('figure.tl-visual .vis-time-axis .vis-text.vis-minor:not(.vis-measure)')]
            .filter(e => e.textContent && e.getBoundingClientRect().left >= box.left)
            .map(e => {
                const bce = e.textContent.endsWith(' BCE'), n = parseInt(e.textContent, 10), year = bce ? 1 - n : n;
                const begins = new Date(0); begins.setUTCFullYear(year, 0, 1);
                return [e.textContent, year, e.getBoundingClientRect().left - px(begins.getTime())];
            });
    }""")


@pytest.mark.parametrize("start, end", [("-2600-01-01", "2600-01-01"), ("-1300-01-01", "1300-01-01"),
                                        ("-0130-01-01", "0130-01-01"), ("-0026-01-01", "0026-01-01")])
def test_the_axis_ticks_round_bce_years(small, tab, start, end):
    """vis-timeline ticks multiples of its step in astronomical years: -1000, -500, 0, which are
    1001, 501 and 1 BCE. Before year 1 the ticks are on round BCE years (1000 BCE: astronomical
    -999), year 1 is ticked between the eras, and each label stands where its year begins."""
    _, url = small
    open_timeline(tab, url)
    set_window(tab, start, end)
    ticks = axis_ticks(tab)
    years = [year for _, year, _ in ticks]
    step = min(b - a for a, b in zip(years, years[1:]) if 1 not in (a, b) and (a > 0) == (b > 0))
    assert step > 1 and all(int(label.removesuffix(" BCE")) % step == 0 for label, _, _ in ticks if label != "1"), ticks
    assert any(label.endswith(" BCE") for label, _, _ in ticks) and "1" in [label for label, _, _ in ticks], ticks
    assert years == sorted(years) and all(b - a <= step for a, b in zip(years, years[1:])), ticks
    offsets = [off for _, _, off in ticks]  # each where its year begins, as the one before it is
    assert all(abs(b - a) <= 0.5 for a, b in zip(offsets, offsets[1:])), ticks


def test_the_arabic_timeline_runs_right_to_left(small, tab):
    _, url = small
    open_timeline(tab, url + "ar/")
    assert tab.locator("figure.tl-visual .vis-timeline.vis-rtl").count() == 1
    set_window(tab, "2024-01-01", "2024-01-06")
    first, later = item_box(tab, "Day 1 event"), item_box(tab, "Day 4 event")
    assert first["x"] > later["x"]


def test_summaries_count_in_the_pages_own_digits(small, tab):
    """The small site writes Arabic-Indic digits on its Arabic pages (site.toml [digits])."""
    _, url = small
    open_timeline(tab, url + "ar/")
    counts = tab.locator("figure.tl-visual .vis-cluster").all_inner_texts()
    assert counts, "the twenty days in a row are summarised at full view"
    western = [t.strip().translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")) for t in counts]
    assert all(t.strip() and not any("0" <= c <= "9" for c in t) for t in counts), counts
    assert all(w.isdigit() and int(w) > 1 for w in western), counts


def test_the_seed_timeline_runs_right_to_left_in_arabic(seed, tab):
    _, url = seed
    open_timeline(tab, url + "ar/")
    assert tab.get_attribute("html", "dir") == "rtl"
    assert tab.locator("figure.tl-visual .vis-timeline.vis-rtl").count() == 1


# ---- filters ------------------------------------------------------------------------------------

def test_filters_hide_and_show_entries_and_the_address_keeps_them(small, tab):
    out, url = small
    open_timeline(tab, url)
    total = tab.locator("li.entry[data-key]").count()
    tab.click("form.tl-filters summary")
    # a statement, and an announcement (a narrower type), as the type's page lists them
    choice = tab.locator("fieldset.tl-facet-type label", has_text="statement")
    assert choice.locator(".tl-count").inner_text() == "2"
    choice.locator("input").check()
    assert visible_keys(tab) == ["ev-month", "ev-timed"]
    assert parse_qs(urlsplit(tab.url).query) == {"type": ["tl:Statement"]}
    assert tab.evaluate("Tarikh.timeline.itemsData.length") == 2
    tab.reload()
    tab.wait_for_selector("figure.tl-visual[data-ready]")
    assert visible_keys(tab) == ["ev-month", "ev-timed"]
    assert tab.locator("fieldset.tl-facet-type input[value='tl:Statement']").is_checked()
    tab.click("form.tl-filters button[type=reset]")
    assert len(visible_keys(tab)) == total
    assert urlsplit(tab.url).query == ""


def test_filters_combine_and_the_date_range_reaches_bce(small, tab):
    _, url = small
    open_timeline(tab, url + "?type=tl:Deployment&to=0000")
    assert visible_keys(tab) == ["ev-bce"]
    tab.goto(url + "?type=tl:Deployment&from=0001")
    tab.wait_for_selector("form.tl-filters:not([hidden])")
    assert visible_keys(tab) == ["ev-early"]
    tab.goto(url + "?corroboration=several")
    tab.wait_for_selector("form.tl-filters:not([hidden])")
    assert visible_keys(tab) == ["ev-month"]
    tab.goto(url + "?actor=faction-x&from=2024-01-05&to=2024-01-09")
    tab.wait_for_selector("form.tl-filters:not([hidden])")
    assert visible_keys(tab) == ["day-05", "day-07", "day-09"]
    # counts beside each choice follow the other filters: within those days, 3 meetings, no attack
    counts = dict(tab.eval_on_selector_all(
        "fieldset.tl-facet-type label",
        "ls => ls.map(l => [l.querySelector('input').value, l.querySelector('.tl-count').textContent])"))
    assert counts.get("tl:Meeting") == "3" and counts.get("tl:Attack", "0") == "0"


def test_the_status_and_source_filters(small, tab):
    _, url = small
    open_timeline(tab, url + "?status=tl:Denied")
    assert visible_keys(tab) == ["ev-month"]
    tab.goto(url + "?source=src-b")
    tab.wait_for_selector("form.tl-filters:not([hidden])")
    assert set(visible_keys(tab)) == {"ev-month", "ev-uncertain", "ev-span", "ev-timed"}
    # empty months and years are hidden with their entries
    assert tab.locator("section.month:not([hidden])").count() == 2  # February and March 2024


def test_a_long_choice_wraps_and_keeps_its_count_in_view(small, tab):
    """A data set imported from Wikidata is named "Wikidata Query Service result
    (wikidata_historicEvents_9125.json)": in the source filter, the word without a break ran past
    the edge of its list and hid its count (9,083) behind a scroll bar, on a wide screen as on a phone."""
    _, url = small
    tab.set_viewport_size({"width": 390, "height": 800})
    tab.goto(url)
    tab.wait_for_selector("form.tl-filters:not([hidden])")
    tab.click("details.tl-filters-box > summary")
    overflowing = tab.evaluate("""() => {
        for (const b of document.querySelectorAll('.tl-choices label bdi')) b.textContent += ' (wikidata_historicEvents_9125_' + 'x'.repeat(40) + '.json)';
        return [...document.querySelectorAll('.tl-choices')].filter(ul => ul.offsetParent !== null)
            .flatMap(ul => [...ul.querySelectorAll('.tl-count')].filter(c => {
                const u = ul.getBoundingClientRect(), r = c.getBoundingClientRect();
                return r.right > u.right + 1 || r.left < u.left - 1;
            }).map(c => c.closest('label').textContent.trim().slice(0, 60)));
    }""")
    assert not overflowing, overflowing

def test_filters_on_the_seed_home_page(seed, tab):
    out, url = seed
    data = json.loads((out / "data" / "timeline-en.json").read_text(encoding="utf-8"))
    kind, count = data["facets"]["type"][0]
    open_timeline(tab, url)
    tab.click("form.tl-filters summary")
    tab.locator(f"fieldset.tl-facet-type input[value='{kind}']").check()
    shown = visible_keys(tab)
    assert len(shown) == count
    broader = data["hierarchy"].get("type", {})

    def up(key):  # the type and every broader one
        found = [key]
        for k in found:
            found += [b for b in broader.get(k, []) if b not in found]
        return found
    assert all(any(kind in up(t) for t in e["types"]) for e in data["events"] if e["key"] in shown)


# ---- maps ---------------------------------------------------------------------------------------

def marks(tab) -> dict:
    return {"all": int(tab.get_attribute(".tl-map", "data-marks")),
            "markers": tab.locator(".tl-map .leaflet-marker-icon").count(),
            "near": tab.locator(".tl-map path.tl-mark-near").count(),
            "region": tab.locator(".tl-map path.tl-mark-region").count()}


def open_map(tab, url: str):
    tab.goto(url)
    tab.wait_for_function("() => window.Tarikh && window.Tarikh.map")
    tab.wait_for_selector(".tl-map[data-marks]")


def test_the_map_draws_each_place_by_its_precision_and_follows_the_filters(small, tab):
    _, url = small
    open_map(tab, url + "map/")
    # the city (exact, 10 events), the village (near), the province (region), the compound (region, where the city is)
    assert marks(tab) == {"all": 4, "markers": 1, "near": 1, "region": 2}
    assert tab.locator("table.map-events tbody tr").count() == DAYS // 2 + 3
    assert any(is_tile(u) for u in tab.guard.tiles)  # tiles were asked for, and refused
    tab.click("form.tl-filters summary")
    tab.locator("fieldset.tl-facet-type input[value='tl:Statement']").check()
    assert marks(tab)["all"] == 1 and marks(tab)["near"] == 1
    assert tab.locator("table.map-events tbody tr:not([hidden])").count() == 1
    tab.locator(".tl-map path.tl-mark-near").click()
    assert tab.locator(".leaflet-popup-content a", has_text="Month event").count() == 1


def test_the_seed_map_page_shows_every_located_event(seed, tab):
    out, url = seed
    data = json.loads((out / "data" / "timeline-en.json").read_text(encoding="utf-8"))
    groups = {(g["via"], g["lat"], g["lon"], g["precision"]) for e in data["events"] for g in e["geo"]}
    pairs = sum(len(e["geo"]) for e in data["events"])
    assert groups, "the seed has located events"
    open_map(tab, url + "map/")
    assert marks(tab)["all"] == len(groups)
    assert tab.locator("table.map-events tbody tr").count() == pairs
    open_map(tab, url + "ar/map/")
    assert marks(tab)["all"] == len(groups)


def test_place_and_event_pages_have_their_map(small, tab):
    _, url = small
    open_map(tab, url + "id/city/")
    assert marks(tab)["markers"] == 1  # the city itself, with its events
    assert marks(tab)["region"] == 1  # the compound within it, drawn where the city is
    open_map(tab, url + "id/ev-uncertain/")
    assert marks(tab) == {"all": 1, "markers": 0, "near": 0, "region": 1}
    assert "33.3" in tab.inner_text("table.tl-coordinates")


def test_without_javascript_the_lists_and_coordinates_are_all_there(small, chromium):
    out, url = small
    context = chromium.new_context(java_script_enabled=False)
    try:
        pg = context.new_page()
        g = guard(context)
        pg.goto(url + "map/")
        assert pg.locator("table.map-events tbody tr").count() == DAYS // 2 + 3
        assert not pg.is_visible(".tl-map") and not pg.is_visible("form.tl-filters")
        pg.goto(url)
        assert pg.locator("li.entry").count() == DAYS + 6
        assert not pg.is_visible("figure.tl-visual")
        assert not g.blocked and not g.tiles  # no tiles, nothing at all from outside
    finally:
        context.close()


@pytest.mark.parametrize("lang, corner", [("en", "left"), ("ar", "right")])
def test_the_map_zoom_buttons_speak_the_page_language_from_its_starting_corner(seed, tab, lang, corner):
    """Leaflet's own zoom buttons are titled in English and sit top left: on an Arabic page they
    are titled in Arabic and sit top right, where a right-to-left reader starts."""
    from builder.fragments import translate
    _, url = seed
    open_map(tab, url + ("" if lang == "en" else "ar/") + "map/")
    zoom = tab.locator(f".tl-map .leaflet-top.leaflet-{corner} .leaflet-control-zoom")
    assert zoom.count() == 1
    assert zoom.locator("a.leaflet-control-zoom-in").get_attribute("title") == translate(lang, "Zoom in")
    assert zoom.locator("a.leaflet-control-zoom-out").get_attribute("title") == translate(lang, "Zoom out")
    if lang == "ar":
        assert translate(lang, "Zoom in") != "Zoom in"
