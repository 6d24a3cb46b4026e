"""Search: a built site folder in, its Pagefind index (`<out>/pagefind/`) out.

Pagefind keeps one index per `<html lang>` and the search page of each language searches its own.
Only thing pages are indexed (they mark their content with `data-pagefind-body`); each carries the
normalised forms of its Arabic-script labels, descriptions and quotes (`builder/arabic.py`), since
Pagefind folds none of them outside Arabic pages.

Pagefind holds every page it indexes in memory (about 38 KB a page here: 1.8 GB for the 47,000
pages of 10,000 events, and the kernel killed it at 17.8 GB at 100,000). So a large site's index
is made in shards of at most `TARIKH_SEARCH_SHARD_PAGES` pages (20,000 by default), one Pagefind
run each, two at a time: the first shard is the bundle `pagefind/`, the others
`pagefind/shard-N/`, and the search page merges them (Pagefind's `mergeIndex`). A page's shard
is a hash of its path (without the language), so a page stays in its shard from build to build; a
shard whose pages read as they did in the previous build (the same paths and content digests:
everything but the sections Pagefind skips) is carried over by hard link, not indexed again.

Pagefind is given each page's search document (search_document), not the page: the parts of it
Pagefind reads. The rendering processes write these beside the new tree as they render
(staged_site); the search stage makes the others of a shard it indexes again from the pages, on
every core (_make_documents).
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import multiprocessing as mp
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, TemplateNotFound, meta

from .problems import Problem
from .write import WriteError, carry_over, relink_unchanged, write_file


SEARCH_TIMEOUT = int(os.environ.get("TARIKH_SEARCH_TIMEOUT", "600"))  # seconds, per shard
SHARD_PAGES = 20_000  # pages a Pagefind run indexes at most: about 0.8 GB of its memory
FORMAT = 3  # how shards are made; a change here re-indexes every shard
BUNDLE = "pagefind"


class SearchError(WriteError):
    """Pagefind failed on the new site (which is then discarded: the previous one stays)."""


class SearchUnavailable(SearchError):
    """Pagefind is not installed: the site is built without its search index."""


def available() -> bool:
    """Whether Pagefind and its binary are installed (`pip install 'pagefind[bin]'`)."""
    return importlib.util.find_spec("pagefind") is not None and importlib.util.find_spec("pagefind_bin") is not None


def shard_pages() -> int:
    """The most pages one Pagefind run indexes (`TARIKH_SEARCH_SHARD_PAGES`)."""
    try:
        return max(1, int(os.environ.get("TARIKH_SEARCH_SHARD_PAGES", SHARD_PAGES)))
    except ValueError:
        return SHARD_PAGES


def parallel_runs() -> int:
    """How many Pagefind runs go at a time: one per core, at most two (each uses about one and a
    half cores, and up to 0.8 GB)."""
    return max(1, min(2, os.cpu_count() or 1))


def shard_count(pages: int) -> int:
    """How many shards an index of this many pages is made in: enough that none has more than
    shard_pages(), and an even number, for two runs at a time (three shards on two cores take
    two rounds of the largest; four take two rounds of smaller ones). Not by this machine's
    cores: the same site builds to the same files anywhere."""
    needed = -(-pages // shard_pages())
    if needed <= 1:
        return 1
    return min(pages, needed + needed % 2)


def shard_of(path: str, count: int) -> int:
    """The shard of a page: by a hash of its path, the same from build to build."""
    if count <= 1:
        return 0
    return int.from_bytes(hashlib.blake2b(path.encode("utf-8"), digest_size=8).digest(), "big") % count


def bundle_of(shard: int) -> str:
    """The folder (relative to the output) of a shard's Pagefind bundle."""
    return BUNDLE if shard == 0 else f"{BUNDLE}/shard-{shard}"


@cache
def _parser(templates: Path) -> Environment:
    return Environment(loader=FileSystemLoader(templates), extensions=["jinja2.ext.i18n"])


@cache
def indexed_template(templates: Path, name: str) -> bool:
    """Whether pages of this template are indexed: it, or a template it extends or includes, marks its body."""
    env = _parser(templates)
    try:
        source = env.loader.get_source(env, name)[0]
    except TemplateNotFound:
        return False
    return "data-pagefind-body" in source or any(
        indexed_template(templates, other) for other in meta.find_referenced_templates(env.parse(source)) if other)


def plan(pages, templates: Path) -> list[list[str]]:
    """The paths of the pages to index, shard by shard (each shard's in order). A page's
    translations go in its shard, and the claims about a thing (which show its label) in the
    thing's: an edit to one thing changes one shard, not one per language and claim."""
    found = sorted((p.path, p.search_with or p.base_path) for p in pages if indexed_template(templates, p.template))
    shards: list[list[str]] = [[] for _ in range(shard_count(len(found)))]
    for path, base in found:
        shards[shard_of(base, len(shards))].append(path)
    return [shard for shard in shards if shard]  # Pagefind refuses a folder with nothing to index


# The sections, navigation and paragraphs of a page Pagefind is told to skip (an event's links to
# its neighbours in time among them: a label edit would otherwise change three shards, not one).
# Only text from the knowledge base is escaped, so this opening tag is always the template's; the
# first closing tag of its name after it is its own or a nested one's, so what is cut is always
# inside the skipped element.
_SKIPPED = re.compile(rb"<(section|nav|p|figure|form)\b[^>]*\sdata-pagefind-ignore(?=[\s>=/])[^>]*>.*?</\1>", re.S)
# The end of a block (a paragraph, a list item, a table cell …) met by the next tag: Pagefind reads
# the text on either side as one word ("…armed factions</li><li>Reuters…" as "factionsreuters"),
# so the document gives it a space there. Only the index sees it; the pages are as they were.
_BLOCK_END = re.compile(rb"(</(?:p|li|dd|dt|td|th|tr|h[1-6]|blockquote|section|div|ul|ol|dl|table|caption"
                        rb"|figure|figcaption|header|footer|article|aside|pre)>(?=<)|<br\s*/?>(?!\s))", re.I)


_BODY = re.compile(rb"<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\sdata-pagefind-body(?=[\s>=/])[^>]*>")
_TITLE = re.compile(rb"<title\b[^>]*>.*?</title>", re.S)


def search_document(html: bytes) -> bytes:
    """What Pagefind is given of a page: its `<html>` element (the language), its title and the
    elements marked `data-pagefind-body`, without the sections it is told to skip, and with a
    space after the end of each block that the next tag follows at once (_BLOCK_END). Pagefind
    reads nothing else of a page that marks its body, so it indexes this as it would the page
    with those spaces (the same bundle, byte for byte), in a fifth less time: an actor's page is
    mostly its timeline. A page without a marked body is given whole, skipped sections cut.

    Only text from the knowledge base is escaped, so every tag found here is the template's: the
    element's end is found by counting its own tag name's openings and closings."""
    first = _BODY.search(html)
    if first is None:
        return _BLOCK_END.sub(rb"\1 ", _SKIPPED.sub(b"", html))
    start = html.find(b"<head")
    title = _TITLE.search(html, 0, first.start())
    parts = [html[:start] if start >= 0 else b"", b"<head><meta charset=\"utf-8\">",
             title.group() if title else b"", b"</head><body>"]
    found = first
    while found is not None:
        tag = found.group(1).lower()
        tags = re.compile(rb"<(/?)" + re.escape(tag) + rb"(?=[\s>/])", re.I)
        depth, end = 1, len(html)
        for m in tags.finditer(html, found.end()):
            depth += -1 if m.group(1) else 1
            if depth == 0:
                close = html.find(b">", m.end())
                end = len(html) if close < 0 else close + 1
                break
        parts.append(_SKIPPED.sub(b"", html[found.start():end]))
        found = _BODY.search(html, end)
    parts.append(b"</body></html>\n")
    return _BLOCK_END.sub(rb"\1 ", b"".join(parts))


def content_digest(document: bytes) -> bytes:
    """The digest of a page's search document (search_document): a page whose other parts
    change, say an actor's timeline, leaves its shard's index as it was."""
    return hashlib.blake2b(document, digest_size=16).digest()


def _pagefind_version() -> str:
    try:
        return importlib.metadata.version("pagefind_bin")
    except importlib.metadata.PackageNotFoundError:
        return "?"


def shard_digest(shard: int, paths: list[str], digests: Mapping[str, bytes]) -> str | None:
    """What a shard's index is made from (its pages' content digests), or None when a page has none."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"tarikh-search-{FORMAT}-{_pagefind_version()}-{shard}\0".encode())
    for path in paths:
        digest = digests.get(path)
        if digest is None:
            return None
        h.update(path.encode("utf-8") + b"\0" + digest)
    return h.hexdigest()


def staging_for(fresh: Path) -> Path:
    """A new folder for the documents Pagefind reads (search_document), beside the build's new
    tree and named after it, so that the next build removes it should this one be killed
    (write.fresh_tree). Its name is its own: `tarikh serve` builds again and again in one
    process, and the last build's folder may still be being deleted in the background."""
    return Path(tempfile.mkdtemp(prefix=f"{fresh.name}.search-", dir=fresh.parent))


def staged_site(staging: Path, shard: int) -> Path:
    """The folder of one shard's documents: Pagefind's `--site`."""
    return staging / str(shard) / "site"


def index_site(out: Path, shards: list[list[str]], staging: Path, previous: Path | None = None,
               contents: Mapping[str, bytes] | None = None, known: Mapping | None = None) -> tuple[int, dict]:
    """Index a built site with Pagefind into `<out>/pagefind/` (and its shards); raise
    SearchUnavailable when it is not installed.

    `shards` (plan()) are the pages to index, in as many Pagefind runs; `contents` the content
    digests of the pages rendered by this build. `known` is what the previous build recorded
    (the value returned here): a page not rendered again has its content digest, and a shard
    whose pages have the digests it had is carried over from `previous` instead of indexed.
    `staging` (staging_for) holds the search documents of the pages in `contents`, written as
    they were rendered (staged_site); the others' are made here from the pages in `out`. The
    caller removes `staging`.
    Return how many files changed and the record for the next build.
    """
    if not available():
        raise SearchUnavailable("Pagefind is not installed (pip install 'pagefind[bin]'): "
                                "the site has no search index")
    known = known or {}
    known_pages, known_shards = known.get("pages", {}), known.get("shards", {})
    pages = {path: (contents or {}).get(path, known_pages.get(path)) for paths in shards for path in paths}
    pages = {path: digest for path, digest in pages.items() if digest is not None}
    made, todo = {}, []
    for shard, paths in enumerate(shards):
        digest = shard_digest(shard, paths, pages)
        if digest is not None:
            made[shard] = digest
        if not (digest is not None and known_shards.get(shard) == digest and previous is not None
                and (previous / bundle_of(shard)).is_dir()):
            todo.append(shard)
    staged = frozenset(contents or ())
    _make_documents(out, [(shard, rel) for shard in todo for rel in shards[shard] if rel not in staged], staging)
    runs = _Runs()
    # two Pagefind runs at a time (each uses about one and a half cores, and bounded memory)
    pool = ThreadPoolExecutor(max_workers=parallel_runs())
    try:
        jobs = {shard: pool.submit(_index_shard, staging, shard, runs) for shard in todo}
        changed = 0
        for shard in range(len(shards)):  # the first bundle holds the others: in order
            bundle = bundle_of(shard)
            if shard not in jobs:
                carry_over(previous, out, bundle, ignore=shutil.ignore_patterns("shard-*") if shard == 0 else None)
                continue
            os.rename(jobs[shard].result(), out / bundle)
            changed += relink_unchanged(out, previous, bundle)  # (before any other shard is put in the first)
    except BaseException:
        runs.stop()  # an interrupted or failed build stops every Pagefind it started, and starts no other
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return changed, {"shards": made, "pages": pages}


class _Runs:
    """The Pagefind processes running, and whether to start more."""

    def __init__(self):
        self.procs: set[subprocess.Popen] = set()
        self.stopped = False
        self.lock = threading.Lock()

    def start(self, args: list[str]) -> subprocess.Popen:
        with self.lock:
            if self.stopped:
                raise SearchError("the search index was abandoned")
            # its own process group, so that a time limit or an interrupted build stops Pagefind's binary too
            proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                    start_new_session=True)
            self.procs.add(proc)
            return proc

    def end(self, proc: subprocess.Popen) -> None:
        _kill(proc)
        with self.lock:
            self.procs.discard(proc)

    def stop(self) -> None:
        with self.lock:
            self.stopped = True
            procs = list(self.procs)
        for proc in procs:
            _kill(proc)


# Past this many, the documents of pages this build did not render are made by every core: after
# an edit, the shard indexed again has a few pages rendered and thousands carried over.
DOCUMENTS_IN_PARALLEL = 1_000


def _make_documents(out: Path, missing: list[tuple[int, str]], staging: Path) -> None:
    """Make the search documents of these (shard, path) pages from the pages in `out`, under
    `staging` (staged_site): on every core when there are many. The processes are forked before
    Pagefind's threads start, holding the lock that keeps `tarikh serve`'s renderers out."""
    workers = min(os.cpu_count() or 1, 8)
    if workers < 2 or len(missing) < DOCUMENTS_IN_PARALLEL or "fork" not in mp.get_all_start_methods():
        _write_documents(out, missing, staging)
        return
    from .render import fork, result_of, stop  # (render imports this module)
    procs = []
    try:
        procs = fork(_write_documents, [(out, missing[share::workers], staging) for share in range(1, workers)])
        _write_documents(out, missing[0::workers], staging)
        outcomes = []
        while procs:
            outcomes.append(result_of(*procs.pop(0), "a process"))
    except BaseException:
        stop(procs)
        raise
    failed = [value for status, value in outcomes if status != "ok"]
    if failed:
        raise SearchError(f"the search index: making the search documents failed: {failed[0]}")


def _write_documents(out: Path, missing: list[tuple[int, str]], staging: Path) -> None:
    for shard, rel in missing:
        write_file(staged_site(staging, shard), rel, search_document((out / rel).read_bytes()))


def _index_shard(staging: Path, shard: int, runs: _Runs) -> Path:
    """Index one shard's documents (staged_site); return its bundle."""
    site = staged_site(staging, shard)
    bundle = staging / str(shard) / "bundle"
    _pagefind(site, bundle, runs)
    _sort_entry(bundle / "pagefind-entry.json")
    return bundle


def _kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
        proc.wait()


def _pagefind(site: Path, output: Path, runs: _Runs) -> None:
    proc = runs.start([sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(output),
                       "--keep-index-url", "--quiet"])
    try:
        stdout, stderr = proc.communicate(timeout=SEARCH_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise SearchError(f"the search index: pagefind did not finish within {SEARCH_TIMEOUT} s (its time grows with the "
                          "square of a word's length: look for a literal of many thousand letters without a space)"
                          ) from None
    finally:
        runs.end(proc)
    if proc.returncode != 0:
        raise SearchError(f"the search index: pagefind failed: {(stderr or stdout).strip()}")


def _sort_entry(path: Path) -> None:
    """Write Pagefind's entry file with its keys sorted: it lists the languages in hash-map order,
    and the same site must always build to the same bytes."""
    if path.is_file():
        data = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")), encoding="utf-8")


def unavailable() -> list[Problem]:
    """A warning when Pagefind is not installed: the site is then built without search."""
    if available():
        return []
    return [Problem("pagefind", 0, 0, "warning", "no-search-index",
                    "Pagefind is not installed: the site is built without its search index",
                    "install it with: pip install 'pagefind[bin]'")]
