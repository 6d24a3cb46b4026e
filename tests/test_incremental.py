"""An incremental build (one event file edited, the same --out) gives what a full build gives,
writes only the files whose bytes change, and carries the others over by hard link.

Not a timing: the benchmark (`make bench`) times this; here only the outcome is checked.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TARIKH = [sys.executable, "-c", "import sys; from builder.cli import main; sys.exit(main())"]


def generate(n: int, kb: Path) -> None:
    spec = importlib.util.spec_from_file_location("bench_gen", ROOT / "benchmarks" / "gen.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    gen.generate(n, kb)


def build(kb: Path, out: Path, env: dict | None = None) -> int:
    """Build as a user does (a fresh process); return how many files it says it wrote."""
    proc = subprocess.run(TARIKH + ["build", "--kb", str(kb), "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, check=False, env={**os.environ, **(env or {})})
    assert proc.returncode == 0, proc.stderr
    return int(re.search(r"\((\d+) files written\)", proc.stderr).group(1))


def tree(root: Path) -> dict[str, tuple[int, str]]:
    """Every file under root: relative path -> (inode, SHA-256 of its bytes)."""
    out = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder, name)
            out[path.relative_to(root).as_posix()] = (path.stat().st_ino, hashlib.sha256(path.read_bytes()).hexdigest())
    return out


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """A generated knowledge base built, one event's label edited, built again, and built fresh."""
    base = tmp_path_factory.mktemp("incremental")
    kb, out, fresh = base / "kb", base / "site", base / "fresh"
    generate(200, kb)
    build(kb, out)
    before = tree(out)
    month = sorted((kb / "events").glob("*.ttl"))[3]
    text = month.read_text(encoding="utf-8")
    event = re.search(r'"Event (\d+) at place \d+"@en', text).group(1)
    month.write_text(text.replace(f'"Event {event} at place', f'"Event {event} edited at place', 1), encoding="utf-8")
    written = build(kb, out)
    after = tree(out)
    build(kb, fresh)
    return {"base": base, "out": out, "before": before, "after": after, "fresh": tree(fresh),
            "written": written, "event": f"ev-{event}"}


def changed(b) -> set[str]:
    """Files new or with other bytes after the edit."""
    return {rel for rel, (_, digest) in b["after"].items() if b["before"].get(rel, (None, None))[1] != digest}


def test_incremental_build_equals_a_full_build(builds):
    after = {rel: digest for rel, (_, digest) in builds["after"].items()}
    fresh = {rel: digest for rel, (_, digest) in builds["fresh"].items()}
    assert sorted(after) == sorted(fresh)
    assert [rel for rel in after if after[rel] != fresh[rel]] == []


def test_the_edit_reached_the_event_pages(builds):
    pages = changed(builds)
    event = builds["event"]
    assert f"id/{event}/index.html" in pages
    assert f"ar/id/{event}/index.html" in pages
    assert len(pages) < len(builds["after"]) / 10  # one label: a few pages, not the site


def test_only_changed_pages_are_written(builds):
    pages = {rel for rel in changed(builds) if not rel.startswith("static/")}
    assert builds["written"] == len(pages)
    old_inodes = {ino for ino, _ in builds["before"].values()}
    assert [rel for rel in pages if builds["after"][rel][0] in old_inodes] == []


def test_unchanged_pages_keep_their_inodes(builds):
    before, after = builds["before"], builds["after"]
    unchanged = [rel for rel in after if rel in before and before[rel][1] == after[rel][1] and not rel.startswith("static/")]
    assert unchanged
    assert [rel for rel in unchanged if after[rel][0] != before[rel][0]] == []


def test_unchanged_static_assets_keep_their_inodes(builds):
    before, after = builds["before"], builds["after"]
    static = [rel for rel in after if rel.startswith("static/") and rel in before and before[rel][1] == after[rel][1]]
    assert static
    assert [rel for rel in static if after[rel][0] != before[rel][0]] == []


def test_the_swap_leaves_nothing_beside_the_output(builds):
    """Nothing but the outputs and their cache, once the detached deletions of the previous site
    and of the search documents (past a thousand files, not waited for by the build) are done."""
    expected = [".tarikh-cache", "fresh", "kb", "site"]
    deadline = time.monotonic() + 120
    while sorted(p.name for p in builds["base"].iterdir()) != expected and time.monotonic() < deadline:
        time.sleep(0.2)
    assert sorted(p.name for p in builds["base"].iterdir()) == expected


# ---- pages whose inputs did not change are not rendered again (builder/pagecache.py) ------------

def _counting_build(monkeypatch, kb: Path, out: Path) -> list[str]:
    """Build in this process on one core; return the paths of the pages actually rendered."""
    import builder.render as render_module
    from builder.site import build as build_site
    rendered: list[str] = []
    real = render_module.render

    def counting(page, context=None):
        rendered.append(page.path)
        return real(page, context)
    monkeypatch.setattr(render_module, "render", counting)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    build_site(kb, out)
    monkeypatch.undo()
    return rendered


@pytest.fixture
def small_kb(tmp_path):
    kb = tmp_path / "kb"
    generate(40, kb)
    return kb


def _edit_one_label(kb: Path) -> str:
    month = sorted((kb / "events").glob("*.ttl"))[1]
    text = month.read_text(encoding="utf-8")
    event = re.search(r'"Event (\d+) at place \d+"@en', text).group(1)
    month.write_text(text.replace(f'"Event {event} at place', f'"Event {event} renamed at place', 1), encoding="utf-8")
    return f"ev-{event}"


def test_after_an_edit_only_the_pages_it_touches_are_rendered(tmp_path, small_kb, monkeypatch):
    out = tmp_path / "site"
    everything = _counting_build(monkeypatch, small_kb, out)
    assert len(everything) > 100
    entry = out / "pagefind" / "pagefind-entry.json"
    inode = entry.stat().st_ino if entry.exists() else None
    assert _counting_build(monkeypatch, small_kb, out) == []  # nothing changed: nothing rendered
    if inode is not None:  # ... and the search index, made from the very same pages, carried over
        assert entry.stat().st_ino == inode
    event = _edit_one_label(small_kb)
    again = _counting_build(monkeypatch, small_kb, out)
    assert f"id/{event}/index.html" in again and f"ar/id/{event}/index.html" in again
    assert 0 < len(again) < len(everything) / 2
    fresh = tmp_path / "fresh"
    _counting_build(monkeypatch, small_kb, fresh)
    assert {r: d for r, (_, d) in tree(out).items()} == {r: d for r, (_, d) in tree(fresh).items()}


def test_after_an_edit_only_the_data_files_of_the_things_it_touches_are_made(tmp_path, small_kb, monkeypatch):
    """Each thing's index.ttl / index.jsonld is made again only when its statements (or the
    builder, or the libraries) changed; the others are linked from the last build unmade."""
    from builder import dumps
    out = tmp_path / "site"
    made: list[str] = []
    real = dumps.ThingData.__getitem__

    def counting(self, name):
        made.append(name)
        return real(self, name)
    monkeypatch.setattr(dumps.ThingData, "__getitem__", counting)
    _counting_build(monkeypatch, small_kb, out)
    everything, made[:] = list(made), []
    assert len(everything) > 100 and f"id/ev-1/index.ttl" in everything
    monkeypatch.setattr(dumps.ThingData, "__getitem__", counting)
    event = _edit_one_label(small_kb)
    _counting_build(monkeypatch, small_kb, out)
    assert sorted(made) == [f"id/{event}/index.jsonld", f"id/{event}/index.ttl"]
    assert "renamed" in (out / "id" / event / "index.ttl").read_text(encoding="utf-8")
    fresh = tmp_path / "fresh"
    _counting_build(monkeypatch, small_kb, fresh)
    assert {r: d for r, (_, d) in tree(out).items()} == {r: d for r, (_, d) in tree(fresh).items()}


def test_a_data_files_digest_is_that_of_its_bytes_inputs():
    """The same lines, format and namespace give the same digest; any other differs, and so does
    another code digest (the builder or a library changed)."""
    from builder.dumps import ThingData
    lines = [b'<https://example.org/id/a> <http://www.w3.org/2004/02/skos/core#prefLabel> "A"@en .',
             b'<https://example.org/id/b> <http://www.w3.org/2004/02/skos/core#prefLabel> "B"@en .']
    slugs = {"https://example.org/id/a": "id/a/", "https://example.org/id/b": "id/b/"}
    data = ThingData(lines, [], "https://example.org/id/", slugs)
    code = b"k" * 16
    assert data.digest("id/a/index.ttl", code) == ThingData(lines, [], "https://example.org/id/", slugs).digest(
        "id/a/index.ttl", code)
    assert len({data.digest("id/a/index.ttl", code), data.digest("id/b/index.ttl", code),
                data.digest("id/a/index.jsonld", code), data.digest("id/a/index.ttl", b"j" * 16),
                ThingData(lines, [], "https://example.org/other/", slugs).digest("id/a/index.ttl", code),
                ThingData([lines[0].replace(b'"A"', b'"A2"'), lines[1]], [], "https://example.org/id/",
                          slugs).digest("id/a/index.ttl", code)}) == 6


def test_the_laid_out_pages_are_handed_over_before_anything_is_written(tmp_path, small_kb):
    """What `tarikh serve` shows while a build writes: the new pages, rendered on request, equal
    to what the build then writes; the output still holds the previous site meanwhile."""
    from builder.render import render
    from builder.site import build as build_site
    out = tmp_path / "site"
    build_site(small_kb, out)
    event = _edit_one_label(small_kb)
    path = f"id/{event}/index.html"
    seen = {}

    def on_pages(pages):
        page = {p.path: p for p in pages}[path]
        seen["output"] = (out / path).read_text(encoding="utf-8")
        seen["rendered"] = render(page)
        seen["pages"] = len(pages)
    build_site(small_kb, out, on_pages=on_pages)
    assert "renamed at place" not in seen["output"] and "renamed at place" in seen["rendered"]
    assert seen["rendered"] == (out / path).read_text(encoding="utf-8")
    assert seen["pages"] == len([f for f in tree(out) if f.endswith(".html") and not f.startswith("static/")])
    called = []
    build_site(small_kb, out, on_pages=called.append)  # up to date: nothing laid out, nothing handed over
    assert called == []


def test_a_new_translation_renders_every_page_again(tmp_path, small_kb, monkeypatch):
    out = tmp_path / "site"
    everything = _counting_build(monkeypatch, small_kb, out)
    locale = small_kb / "locale"
    locale.mkdir()
    shipped = ROOT / "builder" / "locale" / "ar" / "LC_MESSAGES" / "messages.po"
    po = shipped.read_text(encoding="utf-8").replace('msgstr "الأحداث"', 'msgstr "وقائع"', 1)
    (locale / "ar.po").write_text(po, encoding="utf-8")
    again = _counting_build(monkeypatch, small_kb, out)
    assert len([p for p in again if p.startswith("ar/")]) == len([p for p in everything if p.startswith("ar/")])
    assert ">وقائع</a>" in (out / "ar" / "index.html").read_text(encoding="utf-8")


def test_a_site_put_in_place_by_hand_is_never_taken_for_the_last_build(tmp_path, small_kb, monkeypatch):
    """The record describes one tree (device, inode): another tree at the same path is rendered whole."""
    import shutil
    out = tmp_path / "site"
    everything = _counting_build(monkeypatch, small_kb, out)
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    for page in copy.rglob("index.html"):
        page.write_text("stale", encoding="utf-8")
    shutil.rmtree(out)
    copy.rename(out)
    again = _counting_build(monkeypatch, small_kb, out)
    assert sorted(again) == sorted(everything)
    assert "stale" not in (out / "index.html").read_text(encoding="utf-8")


# ---- a search index made in shards is made again only where pages changed (builder/search.py) ----

def test_only_the_search_shards_whose_pages_changed_are_indexed_again(tmp_path):
    from sitecheck import search_bundles
    kb, out, fresh = tmp_path / "kb", tmp_path / "site", tmp_path / "fresh"
    generate(60, kb)
    small = {"TARIKH_SEARCH_SHARD_PAGES": "40"}
    build(kb, out, small)
    before = tree(out)
    bundles = search_bundles(out)
    assert len(bundles) >= 5
    event = _edit_one_label(kb)
    build(kb, out, small)
    after = tree(out)
    build(kb, fresh, small)
    assert {r: d for r, (_, d) in after.items()} == {r: d for r, (_, d) in tree(fresh).items()}
    assert search_bundles(out) == bundles  # every page stays in its shard

    def files_of(bundle: str, files: dict) -> dict:
        inner = "pagefind/shard-" if bundle == "pagefind" else None  # the first bundle holds the others
        return {r: v for r, v in files.items() if r.startswith(bundle + "/") and not (inner and r.startswith(inner))}
    remade = {b for b in bundles if files_of(b, after) != files_of(b, before)}
    kept = set(bundles) - remade
    # the edited event's pages are in one shard (translations together), indexed again; most shards were carried over
    home = [b for b, urls in bundles.items() if f"/id/{event}/index.html" in urls]
    assert home and f"/ar/id/{event}/index.html" in bundles[home[0]] and home[0] in remade
    # each claim is in the shard of the thing it is about, whose label its statement shows: an
    # edit to an event changes its claims' pages too (claim-K and claim-K-b are about ev-K)
    claims = [(b, url) for b, urls in bundles.items() for url in urls if "/id/claim-" in url]
    assert claims
    for bundle, url in claims:
        subject = re.sub(r"claim-(\d+)(-b)?/", r"ev-\1/", url)
        assert subject in bundles[bundle], (url, bundle)
    assert kept and len(kept) > len(remade) / 2
    for bundle in kept:  # carried over by hard link: the very files of the previous build
        assert files_of(bundle, after) and files_of(bundle, after) == files_of(bundle, before)
    # every page with a body to index is in exactly one shard
    assert sum(len(u) for u in bundles.values()) == len(set().union(*bundles.values()))
    bodies = {"/" + p.relative_to(out).as_posix() for p in out.rglob("index.html")
              if "pagefind" not in p.parts and "data-pagefind-body" in p.read_text(encoding="utf-8")}
    assert set().union(*bundles.values()) == bodies


def test_a_page_showing_another_things_label_shares_its_search_shard():
    """A claim's statement shows its subject's label, a relative date's derivation its anchor's:
    each page is indexed in the shard of the thing whose label it shows (and that thing's, in
    turn), so that an edit to a label re-indexes one shard (the seed's claims and relative dates,
    at one page a shard)."""
    from functools import partial

    from builder import site
    from builder.kb import open_kb
    from builder.render import TEMPLATES
    from builder.search import plan
    kb = open_kb(ROOT / "kb")
    _, _, _, (model, pages, _) = site._diagnose(kb, site.Timings(), beside=partial(site.lay_out, kb, timings=site.Timings()))
    patch = pytest.MonkeyPatch()
    patch.setenv("TARIKH_SEARCH_SHARD_PAGES", "1")
    try:
        shards = plan(pages, TEMPLATES)
    finally:
        patch.undo()
    assert len(shards) > 50
    shard = {path: i for i, paths in enumerate(shards) for path in paths}
    page = {iri: f"id/{iri.removeprefix(model.id_ns)}/index.html" for iri in model.things if iri.startswith(model.id_ns)}
    pairs = [(page[c.iri], page[c.subject]) for c in model.claims.values() if c.subject in page]
    pairs += [(page[iri], page[r.relative.anchor]) for iri, r in model.dates.items()
              if r.relative is not None and iri in page and r.relative.anchor in page]
    assert len(pairs) > 5 and any("/ev-" in a and "/ev-" in b for a, b in pairs)  # claims and events dated from events
    for shown_on, thing in pairs:
        assert shard[shown_on] == shard[thing] == shard["ar/" + shown_on], (shown_on, thing)


def test_shards_are_never_empty_however_small():
    from types import SimpleNamespace
    from builder.render import TEMPLATES
    from builder.search import plan
    pages = [SimpleNamespace(path=f"{lang}id/t{i}/index.html", base_path=f"id/t{i}/index.html", template="event.html",
                             search_with="")
             for i in range(30) for lang in ("", "ar/")] + [SimpleNamespace(path="index.html", base_path="index.html",
                                                                            template="home.html")]
    patch = pytest.MonkeyPatch()
    try:
        for size in ("1", "3", "7", "100"):
            patch.setenv("TARIKH_SEARCH_SHARD_PAGES", size)
            shards = plan(pages, TEMPLATES)
            assert all(shards) and sorted(p for s in shards for p in s) == sorted(p.path for p in pages[:-1])
            for shard in shards:  # a thing's translations together
                assert {p.removeprefix("ar/") for p in shard} == {p for p in shard if not p.startswith("ar/")}
    finally:
        patch.undo()


def test_the_content_digest_skips_only_what_pagefind_skips():
    from builder import search

    def content_digest(html: bytes) -> bytes:
        return search.content_digest(search.search_document(html))
    page = (b'<main data-pagefind-body><h1>Qaani</h1><section class="events" data-pagefind-ignore>'
            b'<h2>Events</h2><section><p>inner</p></section><p>after inner</p></section><p>said %s</p></main>')
    base = content_digest(page % b"x")
    assert content_digest(page.replace(b"<h2>Events", b"<h2>Events of 2024") % b"x") == base  # skipped
    assert content_digest(page % b"y") != base  # read by Pagefind
    assert content_digest(page.replace(b"<h1>Qaani", b"<h1>Qaani!") % b"x") != base
    # text after a nested section inside the skipped one is kept in the digest: more digests
    # change than need to, never fewer
    assert content_digest(page.replace(b"after inner", b"after") % b"x") != base
    # skipped navigation (an event's neighbours) and paragraphs too
    nav = page.replace(b"<p>said", b'<nav class="prev-next" data-pagefind-ignore><p>Next: %s</p></nav><p>said')
    assert content_digest(nav % (b"a", b"x")) == content_digest(nav % (b"b", b"x")) == base
    # an attribute that only begins like Pagefind's is not taken for it
    other = b'<main><section data-pagefind-ignore-not>%s</section></main>'
    assert content_digest(other % b"a") != content_digest(other % b"b")


# ---- a build from the very inputs of the site in the output does nothing ------------------------

def _cli(kb: Path, out: Path, *flags: str, env: dict | None = None) -> str:
    proc = subprocess.run(TARIKH + ["build", "--kb", str(kb), "--out", str(out), *flags], cwd=ROOT,
                          capture_output=True, text=True, check=False, env={**os.environ, **(env or {})})
    assert proc.returncode == 0, proc.stderr
    return proc.stderr


def test_a_build_from_the_same_inputs_does_nothing_and_reports_the_same_warnings(tmp_path, small_kb):
    # an actor with no Arabic label: a warning every build must report
    (small_kb / "extra.ttl").write_text('@prefix id: <https://example.org/id/> .\n'
                                        '@prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> .\n'
                                        '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n'
                                        'id:lonely a sem:Actor ; skos:prefLabel "Lonely"@en .\n', encoding="utf-8")
    out = tmp_path / "site"
    first = _cli(small_kb, out)
    assert "id:lonely has no label in Arabic" in first and "up to date" not in first
    before = tree(out)
    again = _cli(small_kb, out)
    assert "(0 files written): up to date" in again
    assert again.split("\nbuilt ")[0] == first.split("\nbuilt ")[0]  # the same warnings, in the same words
    assert tree(out) == before  # not one file touched


@pytest.mark.parametrize("change", ["kb file", "new kb file", "setting", "strict", "force", "site swapped",
                                    "search index removed", "page removed"])
def test_any_change_of_what_a_build_reads_builds_again(tmp_path, small_kb, change):
    import shutil
    out = tmp_path / "site"
    _cli(small_kb, out)
    flags, env = [], {}
    if change == "kb file":
        _edit_one_label(small_kb)
    elif change == "new kb file":
        (small_kb / "notes.ttl").write_text("# nothing yet\n", encoding="utf-8")
    elif change == "setting":
        env = {"TARIKH_SEARCH_SHARD_PAGES": "50"}
    elif change == "strict":
        flags = ["--strict"]
    elif change == "force":
        flags = ["--force"]
    elif change == "search index removed":  # what `python -m pagefind --site` does first
        shutil.rmtree(out / "pagefind")
        (out / "pagefind").mkdir()
    elif change == "page removed":
        removed = next(out.glob("id/*/index.html"))
        removed.unlink()
    else:  # the output replaced by a copy: not the tree the record describes
        shutil.copytree(out, tmp_path / "copy")
        shutil.rmtree(out)
        (tmp_path / "copy").rename(out)
    assert "up to date" not in _cli(small_kb, out, *flags, env=env)
    if change == "page removed":
        assert removed.is_file()  # made again


def test_a_commit_in_the_knowledge_base_s_own_repository_is_not_a_change(tmp_path, small_kb):
    """A knowledge base kept in its own repository: what version control writes in its folder
    (.git, .hg, .svn) is read by no part of Tarikh, so a commit leaves the site up to date."""
    out = tmp_path / "site"
    _cli(small_kb, out)
    for folder in (".git", ".hg", ".svn"):
        (small_kb / folder / "objects").mkdir(parents=True)
        (small_kb / folder / "objects" / "ab12.ttl").write_text("not even Turtle", encoding="utf-8")
    assert "up to date" in _cli(small_kb, out)
    _edit_one_label(small_kb)
    assert "up to date" not in _cli(small_kb, out)


def test_a_link_back_up_inside_the_knowledge_base_is_read_once(tmp_path, small_kb):
    from builder.pagecache import _files
    (small_kb / "self").symlink_to(".")
    files = _files(small_kb)
    assert len(files) == len(set(p.resolve() for p in files))  # each file once
    out = tmp_path / "site"
    _cli(small_kb, out)
    assert "up to date" in _cli(small_kb, out)


def test_a_shared_timeline_entry_stands_in_a_page_digest_for_all_it_holds():
    """Timeline entries are digested once per build (pagecache.shared_part): the page's digest must
    still change with any field of an entry, and not with which object holds the same entry."""
    from dataclasses import replace
    from builder import pagecache
    from builder.views.common import Ref
    from builder.views.things import TimelineEntry
    entry = TimelineEntry(Ref("Qaani", "id/qaani/"), None, (), (), (Ref("KH", "id/kh/"),), None, False, 1, "q")

    def digest(*entries) -> bytes:
        return pagecache.page_digest("id/a/index.html", "actor.html", "en", {"timeline": entries}, b"code")
    base = digest(entry)
    assert digest(replace(entry)) == base  # an equal entry made apart (the next build's)
    for changed in (replace(entry, disputed=True), replace(entry, corroboration=2),
                    replace(entry, actors=(Ref("KH!", "id/kh/"),)), replace(entry, data=(("key", "x"),))):
        assert digest(changed) != base
    assert digest(entry, entry) != base
    pagecache.forget_parts()
    assert digest(entry) == base


def test_each_build_stages_its_search_documents_in_a_folder_of_its_own(tmp_path):
    """`tarikh serve` builds again in the same process while the last build's documents may still
    be being deleted in the background: the folders must differ, and a killed build's is cleared."""
    from builder.search import staging_for
    from builder.write import fresh_tree
    out = tmp_path / "site"
    fresh, _ = fresh_tree(out)
    first, second = staging_for(fresh), staging_for(fresh)
    assert first != second and first.is_dir() and second.is_dir()
    assert first.parent == second.parent == out.parent and first.name.startswith(".site.new-")
    (first / "left").write_text("by a killed build", encoding="utf-8")
    again, _ = fresh_tree(out)  # the next build has what killed ones left deleted (in the background)
    assert again.is_dir() and not any(again.iterdir())  # its own tree, though named as the killed one's
    deadline = time.monotonic() + 60
    while len(list(out.parent.iterdir())) > 1 and time.monotonic() < deadline:  # the deletions are done
        time.sleep(0.05)
    assert not first.exists() and not second.exists()
    assert sorted(p.name for p in out.parent.iterdir()) == [again.name]


def test_a_large_tree_is_deleted_by_a_process_of_its_own_and_a_small_one_at_once(tmp_path, monkeypatch):
    """The previous site and the search documents are deleted after the swap; past a number of
    files, by a detached `rm -rf`, so the build does not wait for it."""
    import time

    from builder import write
    from builder.write import remove_tree
    started = []
    real = write.subprocess.Popen

    def popen(args, **kwargs):
        started.append(args)
        return real(args, **kwargs)
    monkeypatch.setattr(write.subprocess, "Popen", popen)
    trees = []
    for name in ("small", "large"):
        tree = tmp_path / name
        (tree / "a" / "b").mkdir(parents=True)
        for i in range(3):
            (tree / "a" / "b" / f"{i}.html").write_text("x", encoding="utf-8")
        trees.append(tree)
    remove_tree(trees[0], files=3, background_above=3)
    assert not trees[0].exists() and not started  # at once, by this process
    remove_tree(trees[1], files=4, background_above=3)
    assert started == [["rm", "-rf", "--", str(trees[1])]]
    deadline = time.monotonic() + 30
    while trees[1].exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not trees[1].exists()
