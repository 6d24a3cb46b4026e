"""Rendering: pages (template + context) in, HTML text out. Jinja2 with autoescape and StrictUndefined.

Links are made relative to the page by one filter (`|url`), so the site works under any path and
from a file system. Markdown is rendered and sanitised by builder/descriptions.py: only http(s)
links and links to the site's own pages survive.
"""
from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing as mp
import os
import threading
import traceback
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, pass_context
from jinja2.ext import Extension
from jinja2.lexer import Token
from markupsafe import Markup

from . import fragments, pagecache, search
from .descriptions import ALLOWED_TAGS, to_html  # noqa: F401 (ALLOWED_TAGS re-exported)
from .fragments import BIDI_CONTROLS, NOT_HTML, balance_bidi, html_text, link_base, relative_url  # noqa: F401 (re-exported)
from .i18n import EXTRA_DIRS, catalog_path, translations_for
from .localise import FILTERS as LOCALE_FILTERS, GLOBALS as LOCALE_GLOBALS
from .views.common import text_direction
from .views import Page
from .write import link_file, write_file, write_tree

TEMPLATES = Path(__file__).resolve().parent.parent / "site_templates"


def _finalize(value):
    """Jinja finalize: every plain text printed into a page comes out bidi-balanced, without the
    characters HTML forbids (fragments.html_text)."""
    return html_text(value) if type(value) is str else value


@pass_context
def url_filter(ctx, target: str | None) -> str:
    """Jinja filter: a link from the current page to a site path."""
    return relative_url(target or "", ctx["page_path"])


# held while rendering workers are forked, and by any other thread while it renders (tarikh serve):
# a worker forked while another thread held a library's lock (Jinja's template cache, Babel's
# locale data) would wait for it forever
FORK_LOCK = threading.Lock()


def markdown_filter(text: str) -> Markup:
    """Render Markdown from the knowledge base, then sanitise it (no raw HTML, only http(s) links)."""
    return Markup(to_html(text))


@pass_context
def description_filter(ctx, description) -> Markup:
    """Jinja filter: a description (views.common.Description) as sanitised HTML, its links to
    things of the knowledge base made relative to the current page."""
    page_path = ctx["page_path"]
    links = tuple((iri, relative_url(path, page_path)) for iri, path in getattr(description, "links", ()))
    return Markup(to_html(description.text, getattr(description, "id_ns", ""), links))


def jsonld_filter(data: object) -> Markup:
    """Serialise JSON-LD for a <script> element, with every '<', '>' and '&' escaped, and bidi
    controls and the characters HTML forbids (json.dumps escapes only U+0000 to U+001F) written
    as \\u escapes: the same strings, and no raw control in the page."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(fragments.SPECIAL.sub(_json_escape, text) if not text.isprintable() else text)


def _json_escape(m) -> str:
    """A bidi control or a character HTML forbids as a JSON escape (a UTF-16 pair past U+FFFF);
    another character SPECIAL takes (it is a superset) as it is."""
    ch = m.group()
    if not (BIDI_CONTROLS.match(ch) or NOT_HTML.match(ch)):
        return ch
    code = ord(ch)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _bytecode_cache(translations) -> FileSystemBytecodeCache | None:
    """Compiled templates kept in the user's cache folder, so small builds do not recompile them."""
    # compiled code bakes in the environment's options (finalize, filters) and its language's
    # interface strings (_TranslatedOnce): key the folder by this module and by the catalog
    h = hashlib.sha256(Path(__file__).read_bytes())
    h.update(repr(sorted(getattr(translations, "_catalog", {}).items(), key=repr)).encode("utf-8", "surrogatepass"))
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tarikh" / "templates" / h.hexdigest()[:16]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))


class _TranslatedOnce(Extension):
    """`_("…")` without arguments, translated when a template is compiled rather than each time a
    page is rendered: the call becomes the translation, as markup (`"…"|safe`, which Jinja's
    optimiser folds into the template's text). An environment is one language's, so its templates
    are too; a page spent a tenth of its rendering calling `_` (about 25 calls a page)."""

    def filter_stream(self, stream):
        tokens = list(stream)
        translate = self.environment.translated_once
        i = 0
        while i < len(tokens):
            t = tokens[i]
            if (t.type == "name" and t.value == "_" and i + 3 < len(tokens) and tokens[i + 1].type == "lparen"
                    and tokens[i + 2].type == "string" and tokens[i + 3].type == "rparen"
                    and (i == 0 or tokens[i - 1].type != "dot")):
                yield Token(t.lineno, "string", translate(tokens[i + 2].value))
                yield Token(t.lineno, "pipe", "|")
                yield Token(t.lineno, "name", "safe")
                i += 4
                continue
            yield t
            i += 1


@cache
def environment(lang: str, templates: str = str(TEMPLATES), catalog: str | None = None) -> Environment:
    """One Jinja environment per language (and catalog file), with its message catalog installed."""
    translations: Translations | NullTranslations = translations_for(lang)
    env = Environment(loader=FileSystemLoader(templates), autoescape=True, undefined=StrictUndefined, auto_reload=False,
                      bytecode_cache=_bytecode_cache(translations), finalize=_finalize,
                      extensions=["jinja2.ext.i18n", _TranslatedOnce], trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.extend(translated_once=lambda message: str(fragments._markup(translations, message)))
    env.install_gettext_translations(translations, newstyle=True)
    env.globals.update(fragments.gettext_globals(lang))
    env.globals.update(fragments.GLOBALS)
    env.filters.update(url=url_filter, markdown=description_filter, jsonld=jsonld_filter, text_dir=text_direction)
    env.filters.update(LOCALE_FILTERS)
    env.globals.update(LOCALE_GLOBALS)
    return env


def page_context(page: Page):
    """A page's context, computed now if it is deferred (views/site.py)."""
    materialize = getattr(page.context, "materialize", None)
    return materialize() if materialize else page.context


def _environment_of(lang: str) -> Environment:
    """The environment of a language's pages, with the catalog it has now (looked up once for
    the pages of a build: render_pages forgets them)."""
    key = (lang, tuple(EXTRA_DIRS))
    env = _ENVIRONMENTS.get(key)
    if env is None:
        env = _ENVIRONMENTS[key] = environment(lang, catalog=str(catalog_path(lang)))
    return env


_ENVIRONMENTS: dict[tuple, Environment] = {}


def forget_templates() -> None:
    """Read the templates again when next asked for: an environment never looks at their files
    again once it has compiled them (auto_reload=False), so a process that builds more than once
    (`tarikh serve`) would render every later build with the templates as its first build read them."""
    environment.cache_clear()
    _ENVIRONMENTS.clear()


def render(page: Page, context=None) -> str:
    """Render one page to HTML (its context given when already computed)."""
    env = _environment_of(page.lang)
    template = env.get_template(page.template)
    context = page_context(page) if context is None else context
    # links are made from the page's own path, or from `link_path` where it has one (the 404 page)
    return template.render(context, page_path=context.get("link_path") or page.path)


CHUNK = 100  # pages a process takes at a time: neighbours (one language, one folder) share their parts


def _render_chunks(pages: list[Page], taken, root: Path, previous: Path | None,
                   known: Mapping[str, bytes] | None = None, code: bytes | None = None,
                   indexed: Mapping[str, Path] = {}) -> tuple[int, dict[str, bytes], dict[str, bytes]]:
    """Render and write pages a chunk at a time, taking the next chunk from the shared counter
    `taken` (a multiprocessing.Value, or None to take them all), until none is left."""
    written, digests, contents = 0, {}, {}
    for page in (page for chunk in _chunks(pages, taken) for page in chunk):
        context = page_context(page)
        digest = pagecache.page_digest(page.path, page.template, page.lang, context, code) if code else None
        if digest is not None:
            digests[page.path] = digest
            if known and previous is not None and known.get(page.path) == digest and link_file(root, page.path,
                                                                                               previous):
                continue  # the very page the output has: carried over, not rendered
        html = render(page, context).encode("utf-8")
        staging = indexed.get(page.path)
        if staging is not None:  # what Pagefind reads of it, for the search stage
            document = search.search_document(html)
            contents[page.path] = search.content_digest(document)
            write_file(staging, page.path, document)
        written += write_file(root, page.path, html, previous)
    return written, digests, contents


def _chunks(pages: list[Page], taken):
    """The chunks of pages this process renders: all of them at once without a counter."""
    if taken is None:
        yield pages
        return
    while True:
        with taken.get_lock():
            first = taken.value
            taken.value = first + CHUNK
        if first >= len(pages):
            return
        yield pages[first:first + CHUNK]


def outcome(work, *args) -> tuple[str, object]:
    """("ok", what `work` returned), ("oserror", (errno, message)) for a write error (disk full,
    read-only: the build reports it as such), or ("error", the traceback) for any other failure."""
    try:
        return "ok", work(*args)
    except OSError as exc:
        return "oserror", (exc.errno or 0, exc.strerror or str(exc))
    except Exception as exc:  # reported to the build, which stops (an interrupt goes on up)
        return "error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"


def fork(work: Callable, argsets: Iterable[tuple]) -> list[tuple]:
    """Start a forked process for each tuple of arguments, running `work(*args)` and sending back
    its outcome(); return the (process, connection) pairs (take each with result_of). They are
    forked holding FORK_LOCK, and share this process's memory: freeze the collector first where
    they live long (render_pages says why)."""
    ctx = mp.get_context("fork")
    started = []
    try:
        with FORK_LOCK:
            for args in argsets:
                parent, child = ctx.Pipe(duplex=False)
                proc = ctx.Process(target=_send_outcome, args=(child, work, *args), daemon=True)
                proc.start()
                child.close()
                started.append((proc, parent))
    except BaseException:
        stop(started)
        raise
    return started


def _send_outcome(conn, work: Callable, *args) -> None:
    try:
        conn.send(outcome(work, *args))
    finally:
        conn.close()
        os._exit(0)  # nothing of the parent's (exit handlers, buffered output) runs again here


def result_of(proc, conn, what: str) -> tuple[str, object]:
    """The outcome a forked process (fork) sent, once it has ended; an error saying `what` died
    and its exit code when it ended without sending one."""
    try:
        found = conn.recv()
    except EOFError:
        found = None
    proc.join()
    conn.close()
    return found or ("error", f"{what} died (exit code {proc.exitcode})")


def stop(started: list[tuple]) -> None:
    """Kill forked processes (interrupted, or their work is no longer wanted) and wait for them."""
    for proc, conn in started:
        proc.kill()
        proc.join()
        conn.close()


class RenderError(Exception):
    """A page could not be rendered; nothing was swapped in."""


def render_pages(pages: list[Page], root: Path, previous: Path | None, workers: int | None = None,
                 files: Mapping[str, bytes | str] | Callable[[], Iterable[Mapping[str, bytes | str]]] | None = None,
                 known: Mapping[str, bytes] | None = None, code: bytes | None = None,
                 indexed: Mapping[str, Path] = {}) -> tuple[int, dict[str, bytes], dict[str, bytes]]:
    """Render every page and write it under root, with the site's other files (`files`, or a
    function giving them a part at a time), on every core when there are enough pages; return
    how many files changed, each page's digest (and each data file's that has one:
    write.write_tree), and the digest of what the search indexer reads
    of each page of `indexed` that was rendered (search.content_digest). That document is written
    under the folder `indexed` gives for the page (search.staged_site), as the page is.

    With `code` (pagecache.code_digest), a page whose digest is the one `known` has for it
    (pagecache.load_record) is hard-linked from `previous` instead of rendered.

    Workers are forked, so they share the model and the lazily computed contexts without copying.
    They start on the pages at once, a chunk at a time; this process makes and writes the other
    files meanwhile, then takes chunks too, so both cores stay busy to the end (writing a file is
    mostly the kernel's work, and it too goes faster on two cores).
    """
    workers = workers or min(os.cpu_count() or 1, 8)
    fragments.reset()
    pagecache.forget_parts()
    _ENVIRONMENTS.clear()
    for lang, template in sorted({(p.lang, p.template) for p in pages}):
        environment(lang, catalog=str(catalog_path(lang))).get_template(template)  # compile once, before forking
    make_files = files if callable(files) else (lambda: [files or {}])

    def share(taken) -> tuple[int, dict[str, bytes], dict[str, bytes]]:  # this process's: the files, then pages
        written, digests = 0, {}
        for part in make_files():  # each written, then let go, before the next is made
            written += write_tree(root, part, previous, code, known, digests)
            del part
        done = _render_chunks(pages, taken, root, previous, known, code, indexed)
        return written + done[0], {**digests, **done[1]}, done[2]
    if workers < 2 or len(pages) < 400 or "fork" not in mp.get_all_start_methods():
        return share(None)
    taken = mp.get_context("fork").Value("q", 0)
    # what exists now is shared with the workers, not copied: the collector must not walk it
    # (walking writes to every object, and the kernel then copies each page in every worker)
    frozen_before = gc.get_freeze_count()
    gc.freeze()
    procs = []
    try:
        procs = fork(_render_chunks, [(pages, taken, root, previous, known, code, indexed)] * (workers - 1))
        # meanwhile this process makes and writes the other files, then renders what is left
        results = [outcome(share, taken)]
        if results[0][0] != "ok":
            with taken.get_lock():
                taken.value = len(pages)  # the workers take no more
        while procs:
            results.append(result_of(*procs.pop(0), "a rendering worker"))
    except BaseException:
        stop(procs)  # interrupted: no worker goes on writing into a tree being discarded
        raise
    finally:
        if not frozen_before:
            gc.unfreeze()
    written, digests, contents, errors, os_errors = 0, {}, {}, [], []
    for status, value in results:
        if status == "ok":
            written += value[0]
            digests.update(value[1])
            contents.update(value[2])
        elif status == "oserror":
            os_errors.append(value)
        else:
            errors.append(value)
    if os_errors:
        raise OSError(*os_errors[0])
    if errors:
        raise RenderError(errors[0])
    return written, digests, contents
