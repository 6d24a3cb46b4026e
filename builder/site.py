"""The build, in order: load, check, derive, extract, views, render, write. One function knows it.
(The checks run in a process of their own beside derive, extract and views; nothing is shown or
written until they pass.)

Input: a knowledge-base folder. Output: a site folder replaced whole, or the problems that stopped
it (and the previous site left as it was).
"""
from __future__ import annotations

import gc
import multiprocessing as mp
import os
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from . import dumps, feeds, i18n, pagecache, search
from .i18n import catalog_path
from .derive import Locator, add_derived, date_triples, resolve_dates
from .engine import Engine
from .exporters import site_exports
from .extract import extract
from .saved import check_saved, downloads, load_saved
from .kb import KnowledgeBase, open_kb
from .problems import KBError, Problem, has_errors
from .render import TEMPLATES, fork, render_pages, result_of, stop
from .views import pages
from .views.client import client_files
from .views.queries import query_pages
from .views.search import link_shards
from .views.common import slug_of
from .write import WriteError, build_lock, discard, fresh_tree, refuse_output, remove_tree, swap_in

STATIC = TEMPLATES / "static"
GC_YOUNG = 50_000  # allocations between the collector's young collections, during a build
STAGED_IN_BACKGROUND = 1_000  # search documents deleted by a process of their own past this many


@dataclass
class Timings:
    """How long each stage took, in order."""

    stages: list[tuple[str, float]] = field(default_factory=list)
    up_to_date: bool = False  # the output was built from these very inputs: nothing was done
    progress: object | None = field(default=None, repr=False, compare=False)  # a progress.Progress

    running: list[list] = field(default_factory=list, repr=False, compare=False)  # [name, seconds inside]

    def stage(self, name: str, fn: Callable, *args, **kwargs):
        """Run one stage. A stage run inside another (the site's files are made while pages are
        rendered) is listed on its own, and its time is not counted again in the outer one's."""
        if self.progress is not None:
            self.progress.start(name)
        self.running.append([name, 0.0])
        start = time.perf_counter()
        try:
            result = fn(*args, **kwargs)
        finally:
            elapsed = time.perf_counter() - start
            _, inner = self.running.pop()
            if self.running:
                self.running[-1][1] += elapsed
        self.stages.append((name, elapsed - inner))
        if self.progress is not None:
            self.progress.done(name)
            if self.running:
                self.progress.start(self.running[-1][0])
        return result

    def table(self) -> str:
        total = sum(t for _, t in self.stages)
        width = max([len("total")] + [len(name) for name, _ in self.stages])  # "render+write" is 12
        rows = [f"{name:<{width}} {secs:8.3f} s" for name, secs in self.stages]
        return "\n".join(rows + [f"{'total':<{width}} {total:8.3f} s"])


def locator_for(kb: KnowledgeBase):
    """Where statements are written: the positions index when it can be built."""
    graph_files = {f.path.as_uri(): f.shown for f in kb.files}
    try:
        from .positions import index_files
        positions = index_files(kb.files, kb.id_ns)
    except ImportError:
        positions = None
    return Locator(positions, graph_files), positions


def diagnose(kb: KnowledgeBase, timings: Timings | None = None) -> tuple[list[Problem], dict, object]:
    """Every problem of a knowledge base (loading, checks, dates) and the resolved dates."""
    problems, resolved, locator, _ = _diagnose(kb, timings or Timings())
    return problems, resolved, locator


def _diagnose(kb: KnowledgeBase, timings: Timings, beside: Callable[[dict, list], object] | None = None):
    """diagnose(), and what `beside(resolved dates, saved queries)` makes while the checks run in a
    process of their own (None when the dates have errors, or when `beside` failed and the
    problems explain why)."""
    problems = list(kb.problems)
    if kb.config is None:
        return problems, {}, None, None
    if any(p.code in ("syntax", "encoding", "unreadable", "too-large") for p in problems):
        # A file that did not load: its statements are missing, so nothing is resolved or built.
        # The checks of each statement on its own (terms, literals, dates as written, names)
        # still run on the files that loaded, so that one syntax error does not hide them.
        from . import check
        return timings.stage("check", check.check, kb), {}, None, None
    locator, positions = timings.stage("index", locator_for, kb)
    made, failure = None, None
    with Checks(kb) as checks:  # the store as loaded: before derived statements are added to it
        engine = Engine(kb.store)
        resolved, date_problems = timings.stage("dates", resolve_dates, engine, locator, kb.id_ns)
        # the checker reports ill-formed date and offset literals, and weekdays that are none
        # (its shapes; a misspelt one as a typo), at the value itself
        problems += [p for p in date_problems if p.code not in ("bad-date", "bad-offset", "bad-weekday")]
        saved, saved_problems = load_saved(kb.root, kb.shown)
        problems += saved_problems + check_saved(kb.store, saved, kb.id_ns, kb.config.languages)
        if beside is not None and not any(p.is_error for p in problems):
            try:
                made = beside(resolved, saved)
            except Exception as exc:  # on a knowledge base with errors: the checks say which
                failure = exc
        problems = _without_repeats(problems, timings.stage("check", checks.result))
    from . import check
    if hasattr(check, "check_time"):
        bounds = {i: (r.earliest, r.latest) for i, r in resolved.items()}
        problems += check.check_time(kb, bounds)
    problems = sorted(set(problems))
    if failure is not None:
        if not any(p.is_error for p in problems):
            raise failure
        made = None
    return problems, resolved, locator, made


# What the dates say of a relative date whose shape is wrong, when the checker's shapes say it of
# the same statement: one mistake, one error (the checker's, which names every rule of the shape).
_SHAPE_SAYS = {"missing-anchor": {"bad-anchor"}, "bad-relative-date": {"bad-relative-date", "bad-anchor"}}


def _without_repeats(problems: list[Problem], checked: list[Problem]) -> list[Problem]:
    """The problems found so far and the checker's, less those of the former the checker also
    reports on the same line (its problems name the blank node, ours the tl:relativeDate)."""
    said = {(p.path, p.line, p.code) for p in checked}
    return [p for p in problems if not any((p.path, p.line, c) in said for c in _SHAPE_SAYS.get(p.code, ()))
            ] + list(checked)


class Checks:
    """The knowledge base's checks (check.check), run in a forked process while this one resolves
    dates and lays the site out: at 10,000 events they take 1.6 s, and the build waited for them
    before doing anything else. The process sees the store as it was when it was forked.

    On one core, or where processes are not forked, they run here and now, on the same store.
    """

    def __init__(self, kb: KnowledgeBase):
        self.kb, self.started, self.thaw, self.found = kb, [], False, None

    def __enter__(self) -> Checks:
        from . import check
        if (os.cpu_count() or 1) < 2 or "fork" not in mp.get_all_start_methods():
            self.found = check.check(self.kb)
            return self
        # while both run, neither collector walks what they share (render_pages says why)
        self.thaw = not gc.get_freeze_count()
        gc.freeze()
        try:
            self.started = fork(check.check, [(self.kb,)])
        except BaseException:
            self._thaw()
            raise
        return self

    @property
    def proc(self):
        """The process running the checks, while it runs (None where they ran here)."""
        return self.started[0][0] if self.started else None

    def result(self) -> list[Problem]:
        if not self.started:
            return self.found
        status, value = result_of(*self.started.pop(), "the process")
        self._thaw()
        if status != "ok":
            raise RuntimeError(f"the checks failed: {value}")
        return value

    def __exit__(self, *exc) -> None:
        if self.started:  # interrupted, or what ran beside failed: the checks stop too
            stop(self.started)
            self.started = []
            self._thaw()

    def _thaw(self) -> None:
        if self.thaw:
            gc.unfreeze()
            self.thaw = False


def lay_out(kb: KnowledgeBase, resolved: dict, saved: list, timings: Timings) -> tuple[object, list, list]:
    """Derive, extract and lay out: the model, the site's pages (not yet rendered, each ready to
    render on its own) and the saved queries."""
    config = kb.config
    add_derived(kb.store, date_triples(resolved))
    model = timings.stage("extract", extract, Engine(kb.store), config.id_ns, config.languages, resolved)
    kb.store.extend(corroboration_triples(model))  # into the derived graph, beside the dates
    site_pages = timings.stage("views", lambda: pages(model, config) + query_pages(model, config, kb.store, saved))
    return model, site_pages, saved


def site_files(kb: KnowledgeBase, model, site_pages: list, saved: list, timings: Timings,
               made: list[int] | None = None) -> Iterator[Mapping]:
    """The site's files other than its pages, a stage at a time: data dumps, exports, downloads,
    client data, feeds. Each stage's files are made when the one before has been taken (and, as
    render_pages writes them, let go): at 100,000 events they come to more than a gigabyte, and
    were held to the end of the build. `made` is given the number of files of each stage."""
    config = kb.config
    made = [] if made is None else made

    def make_dumps() -> dumps.Dumps:
        slugs = {i: s for i in model.things if (s := slug_of(model, i)) and s.startswith("id/")}
        asserted = dumps.graph_lines(kb.store, derived=False)
        derived = dumps.graph_lines(kb.store, derived=True)
        # the site's other files, then each thing's own data (serialised as it is written)
        return dumps.Dumps(dumps.SiteDumps(asserted, derived, config.id_ns),
                           dumps.ThingData(asserted, derived, config.id_ns, slugs))
    stages = (("dumps", make_dumps),
              ("exports", lambda: site_exports(model, config.title.get(config.default_language, ""))),
              ("queries", lambda: downloads(kb.store, saved, config.id_ns)),
              ("client", lambda: client_files(model, config)),
              ("feeds", lambda: {**feeds.feeds(model, config),
                                 **feeds.sitemap([p.path for p in site_pages], config)}))
    for name, make in stages:
        files = timings.stage(name, make)
        made.append(len(files))
        yield files
        del files  # not held while the next stage's files are made


def write_site(kb: KnowledgeBase, laid_out: tuple, out: Path, timings: Timings, inputs: str | None = None,
               problems: list | None = None, force: bool = False,
               on_pages: Callable[[list], None] | None = None) -> int:
    """Render and write the site laid out (lay_out) into a new tree swapped in whole at the end
    (`inputs` and `problems`: what the build read and reported, recorded for the next one;
    `on_pages` is handed the laid-out pages before anything is written: a preview renders them
    on request while the rest of the build goes on)."""
    model, site_pages, saved = laid_out
    search_shards = search.plan(site_pages, TEMPLATES)
    link_shards(site_pages, len(search_shards))
    if on_pages is not None:
        on_pages(site_pages)
    # made and written while the workers render pages (and counted, for the swap)
    made: list[int] = []
    files = partial(site_files, kb, model, site_pages, saved, timings, made)
    with build_lock(out):
        fresh, previous = fresh_tree(out)
        staging, indexed = None, {}
        try:
            # the data files and the pages are written together, shared between the cores; pages
            # whose inputs are those of the page in the output are carried over, not rendered
            code = pagecache.code_digest(TEMPLATES, [catalog_path(lang) for lang in kb.config.languages])
            record = pagecache.load_record(out, code) if previous is not None and not force else {}
            known, known_search = record.get("digests", {}), record.get("search", {})
            # each indexed page's search document is written beside it, for the search stage
            staging = search.staging_for(fresh) if search.available() else None
            indexed = {path: search.staged_site(staging, shard) for shard, paths in enumerate(search_shards)
                       for path in paths} if staging is not None else {}
            written, digests, contents = timings.stage(
                "render+write", render_pages, site_pages, fresh, previous, files=files, known=known, code=code,
                indexed=indexed)
            searched = {}
            if staging is not None:
                changed, searched = timings.stage("search", search.index_site, fresh, search_shards, staging,
                                                  previous, contents, known_search)
                written += changed
            pagecache.save(out, fresh, code, digests, searched)
            pagecache.forget(out)
            swap_in(fresh, out, STATIC, files=sum(made) + len(site_pages))
            pagecache.seal(out, inputs, problems or [])
        except OSError as exc:
            discard(fresh)
            raise WriteError(f"cannot write the site to {out}: {exc.strerror or exc}") from None
        except BaseException:
            discard(fresh)
            raise
        finally:
            if staging is not None:  # a folder and a file a page: 5,000 took a second to delete
                remove_tree(staging, len(indexed), background_above=STAGED_IN_BACKGROUND)
    return written


def corroboration_triples(model) -> list:
    """tl:corroboration (independent origins) of every event, claim and quantity, as derived data."""
    import pyoxigraph as ox

    from .namespaces import DERIVED_GRAPH, TL, XSD
    graph = ox.NamedNode(DERIVED_GRAPH)
    return [ox.Quad(ox.NamedNode(i), ox.NamedNode(TL + "corroboration"),
                    ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer")), graph)
            for i, n in sorted(model.corroboration.items())]


def build(kb_dir: str | Path, out: str | Path, strict: bool = False,
          timings: Timings | None = None, kb: KnowledgeBase | None = None,
          force: bool = False, on_pages: Callable[[list], None] | None = None) -> tuple[list[Problem], int]:
    """Check the knowledge base, then build the site; raise KBError and write nothing on errors.

    `kb` is an already-loaded knowledge base (from a SPARQL endpoint, say); by default `kb_dir`
    is loaded. `force` renders and indexes every page, trusting nothing the last build recorded.
    `on_pages` (write_site) is not called when the site in `out` is up to date.
    """
    refuse_output(kb_dir, out)
    with few_collections():
        return _build(kb_dir, out, strict, timings or Timings(), kb, force, on_pages)


@contextmanager
def few_collections():
    """Collect cycles less often meanwhile. A build makes millions of objects that live until it
    ends (the store's model, the pages and their parts); with the collector's default of a young
    collection every 700 allocations, it spent a third of the time before rendering walking them
    (measured at 10,000 events: 11.3 s -> 8.8 s)."""
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], GC_YOUNG), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _build(kb_dir, out, strict: bool, timings: Timings, kb: KnowledgeBase | None, force: bool,
           on_pages) -> tuple[list[Problem], int]:
    inputs = None
    if kb is None:
        # a site built from these very inputs is in the output already: nothing to do
        def check_inputs():
            digest = pagecache.inputs_digest(Path(kb_dir), Path(out), TEMPLATES, strict)
            return digest, None if force else pagecache.up_to_date(Path(out), digest)
        inputs, done = timings.stage("inputs", check_inputs)
        if done is not None:
            timings.up_to_date = True
            return done, 0
        kb = timings.stage("load", open_kb, kb_dir)
    locale_dir = Path(kb_dir) / "locale"
    wanted = [locale_dir] if locale_dir.is_dir() else []  # this knowledge base's catalogs, no other's
    if i18n.EXTRA_DIRS != wanted:
        i18n.EXTRA_DIRS[:] = wanted
        i18n.translations_for.cache_clear()
    # the site is laid out while the checks run; nothing is written unless they pass
    problems, _, _, laid_out = _diagnose(kb, timings, beside=partial(lay_out, kb, timings=timings))
    if has_errors(problems, strict) or laid_out is None:
        raise KBError(problems)
    reported = problems + search.unavailable()
    written = write_site(kb, laid_out, Path(out), timings, inputs, reported, force, on_pages)
    return reported, written
