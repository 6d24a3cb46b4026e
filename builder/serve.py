"""Live preview: `tarikh serve`. A knowledge base in; the built site served over HTTP out, rebuilt
when `kb/` or `site_templates/` change, with open pages reloading themselves, the build's
problems shown in place of a stale site, and a read-only SPARQL endpoint at `/sparql`.

Only the standard library serves (`http.server`). The reload script is added to HTML answers as
they are sent, never written into the output folder, so a previewed site is the built site.
"""
from __future__ import annotations

import html
import os
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from .endpoint import HELP, MAX_REQUEST, Dataset, Limits, Pool, Response, protocol_args, text_response
from .load import UNREAD_FOLDERS, is_lock_file
from .problems import KBError, Problem
from .render import FORK_LOCK, TEMPLATES, forget_templates, render

EVENTS_PATH = "/_tarikh/events"
SPARQL_PATHS = ("/sparql", "/sparql/")  # as a folder is asked for too: its help page's form posts to where it is
POLL_SECONDS = 0.3
RELOAD_SCRIPT = (
    "<script>/* tarikh serve: reload when the site is rebuilt (not part of the built site) */"
    "(()=>{let seen=null;const listen=()=>{const es=new EventSource(%r);"
    "es.onmessage=(m)=>{if(seen===null)seen=m.data;else if(m.data!==seen)location.reload();};"
    "es.onerror=()=>{es.close();setTimeout(listen,500);};};listen();})();</script>" % EVENTS_PATH
)


def snapshot(roots: list[Path]) -> dict[str, tuple[int, int]]:
    """Modification time and size of every file under the roots (hidden files and backups
    skipped, but for the Turtle files a build reads there: load.find_files)."""
    seen = {}
    for root in roots:
        for folder, dirs, files in os.walk(root):
            hidden = folder != str(root) and any(part.startswith(".") for part in Path(folder).relative_to(root).parts)
            dirs[:] = [d for d in dirs if d not in UNREAD_FOLDERS]
            for name in files:
                read = name.endswith(".ttl") and not is_lock_file(name)
                if not read and (hidden or name.startswith(".") or name.endswith(("~", ".swp", ".swx", ".tmp"))):
                    continue
                path = os.path.join(folder, name)
                try:
                    st = os.stat(path)
                except OSError:
                    try:  # a link to nothing: the build reports it (load.find_files), so it is watched
                        st = os.lstat(path)
                    except OSError:
                        continue
                seen[path] = (st.st_mtime_ns, st.st_size)
    return seen


def crash_problem(exc: BaseException) -> Problem:
    """A build that failed with an exception, as a problem pointing at the innermost known file."""
    frames = traceback.extract_tb(exc.__traceback__)
    path = getattr(exc, "filename", None) or (frames[-1].filename if frames else "tarikh")
    line = getattr(exc, "lineno", None) or (frames[-1].lineno if frames else 0)
    return Problem(str(path), int(line or 0), 0, "error", "build-failed",
                   f"the build failed: {type(exc).__name__}: {exc}")


@dataclass
class Preview:
    """The state of a preview: which build is current, its problems, and the SPARQL dataset."""

    kb: Path
    out: Path
    limits: Limits = field(default_factory=Limits)

    def __post_init__(self):
        self.generation = 0
        self.problems: list[Problem] = []  # errors of the latest build: shown instead of the site
        self.warnings: list[Problem] = []
        self.changed = threading.Condition()
        self.stopping = False
        self.pool = Pool(limits=self.limits)
        self.last_build = 0.0
        self.laid_out: float | None = None  # seconds from the start of the latest build to its pages
        self.live: dict | None = None  # a build's pages by output path, from layout until it ends
        self.datasets = 0
        self.config = None  # site.toml as this rebuild read it (None when it is broken)
        self.base_path = "/"  # the path of site.toml's base_url: the site is served there too

    def _read_config(self) -> None:
        """Read site.toml once a rebuild, for where the site will be published (base_url's path,
        "/tarikh/": the preview answers there as well as at its root, so that the 404 page's
        links, made from it, work here too) and for the SPARQL workers' id: namespace."""
        from .config import load_config
        try:
            self.config, _ = load_config(self.kb, str(self.kb))
        except Exception:  # a broken site.toml is the build's to report
            self.config = None
        path = urlsplit(self.config.base_url).path if self.config is not None and self.config.base_url else "/"
        self.base_path = path if path.endswith("/") else path + "/"

    def rebuild(self) -> bool:
        """Build the site; on errors keep them to show. Either way, tell open pages to reload.

        Open pages reload twice: as soon as the build has laid out the new pages (they are then
        rendered on request, while the build writes the site), and when the new site is in place,
        with its data files and search index.
        """
        from .site import build
        started = time.perf_counter()
        self.laid_out = None
        self._read_config()
        forget_templates()  # a template edited since the last build is read again

        def on_pages(pages: list) -> None:
            self.laid_out = time.perf_counter() - started
            with self.changed:
                self.live = {page.path: page for page in pages}
                self.problems = []
                self.generation += 1
                self.changed.notify_all()
            print(f"build {self.generation}: pages ready in {self.laid_out:.2f} s; writing the site",
                  file=sys.stderr, flush=True)
        try:
            warnings, _ = build(self.kb, self.out, on_pages=on_pages)
            problems = []
        except KBError as exc:
            problems, warnings = [p for p in exc.problems if p.is_error], []
        except Exception as exc:  # a preview must survive any failed build, and say where it failed
            problems, warnings = [crash_problem(exc)], []
        self.last_build = time.perf_counter() - started
        if not problems:
            self._load_dataset()
        with self.changed:
            self.live = None  # the site in the output is the latest build again (or its errors show)
            self.problems, self.warnings = problems, warnings
            self.generation += 1
            self.changed.notify_all()
        return not problems

    def live_page(self, rel: str) -> bytes | None:
        """The page at this output path as the build under way lays it out, rendered now; None
        when no build is under way or it has no such page."""
        live = self.live
        page = live.get(rel) if live is not None else None
        if page is None:
            return None
        with FORK_LOCK:  # never while the build forks its workers (they would inherit held locks)
            return render(page).encode("utf-8")

    def _load_dataset(self) -> None:
        """Hand the freshly built dumps to the SPARQL workers."""
        config = self.config
        try:
            kb_nt = (self.out / "data" / "kb.nt").read_bytes()
            derived_nt = (self.out / "data" / "derived.nt").read_bytes()
        except OSError:
            return
        self.datasets += 1
        self.pool.set_dataset(Dataset(self.datasets, kb_nt, derived_nt, config.id_ns if config else ""))

    def roots(self) -> list[Path]:
        """The folders a build reads that are watched for changes."""
        return [self.kb, TEMPLATES]

    def watch(self, before: dict[str, tuple[int, int]]) -> None:
        """Poll the knowledge base and the templates; rebuild when a file differs from `before`
        (a snapshot taken before the build the site is of) or changes later, until stopped."""
        roots = self.roots()
        while not self.stopping:
            time.sleep(POLL_SECONDS)
            now = snapshot(roots)
            if now != before:
                before = now
                self.rebuild()
                print(self.summary(), file=sys.stderr, flush=True)

    def summary(self) -> str:
        """One line on the latest build, for the terminal."""
        if self.problems:
            return f"build {self.generation}: {len(self.problems)} error(s), the pages show them"
        ready = f" (pages shown after {self.laid_out:.2f} s)" if self.laid_out is not None else ""
        return f"build {self.generation}: done in {self.last_build:.2f} s{ready}"

    def wait_change(self, seen: int, timeout: float) -> int:
        """Wait until the generation differs from `seen` (or the timeout); return the current one."""
        with self.changed:
            self.changed.wait_for(lambda: self.generation != seen or self.stopping, timeout)
            return self.generation

    def stop(self) -> None:
        with self.changed:
            self.stopping = True
            self.changed.notify_all()
        self.pool.close()


def error_page(problems: list[Problem]) -> bytes:
    """The page shown in place of every page while the knowledge base has errors."""
    items = "\n".join(
        f"<li><code>{html.escape(p.path)}:{p.line}{':' + str(p.column) if p.column else ''}</code>: "
        f"{html.escape(p.message)}{'<br><small>hint: ' + html.escape(p.hint) + '</small>' if p.hint else ''}</li>"
        for p in problems)
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Errors in the knowledge base"
            f"</title></head>\n<body><h1>The knowledge base has {len(problems)} error(s)</h1>\n"
            f"<p>The site is rebuilt as soon as a file changes; this page reloads by itself.</p>\n"
            f"<ol class=\"problems\">\n{items}\n</ol>\n</body></html>\n").encode("utf-8")


def inject(page: bytes) -> bytes:
    """Add the reload script to an HTML page (before </body>, else at the end)."""
    script = RELOAD_SCRIPT.encode("utf-8")
    at = page.lower().rfind(b"</body>")
    return page[:at] + script + page[at:] if at >= 0 else page + script


def handler_for(preview: Preview) -> type[SimpleHTTPRequestHandler]:
    """The request handler class of one preview."""

    class Handler(SimpleHTTPRequestHandler):
        server_version = "tarikh-serve"

        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(preview.out), **kwargs)

        def log_message(self, format: str, *args) -> None:  # quiet: the terminal shows builds
            pass

        def send(self, r: Response, head_only: bool = False) -> None:
            self.send_response(r.status)
            self.send_header("Content-Type", r.content_type)
            self.send_header("Content-Length", str(len(r.body)))
            self.send_header("Cache-Control", "no-store")
            for name, value in r.headers:
                self.send_header(name, value)
            self.end_headers()
            if not head_only:
                self.wfile.write(r.body)

        def do_GET(self) -> None:
            self.route(head_only=False)

        def do_HEAD(self) -> None:
            self.route(head_only=True)

        def route(self, head_only: bool) -> None:
            base = preview.base_path
            if base != "/" and urlsplit(self.path).path.startswith(base):  # the site where it will be published
                self.path = "/" + self.path[len(base):]
            path = urlsplit(self.path).path
            if path == EVENTS_PATH:
                return self.events(head_only)
            if path in SPARQL_PATHS:
                return self.sparql("GET", head_only)
            target = Path(self.translate_path(path))
            if path.endswith("/"):  # a folder's page (perhaps one only the build under way has)
                target = target / "index.html"
            if target.suffix == ".html" or (target.is_dir() and not path.endswith("/")):
                if preview.problems:
                    return self.send(Response(500, "text/html; charset=utf-8", inject(error_page(preview.problems))),
                                     head_only)
                try:
                    live = preview.live_page(os.path.relpath(target, preview.out).replace(os.sep, "/"))
                except Exception as exc:  # a page that fails to render shows why, as a failed build does
                    return self.send(Response(500, "text/html; charset=utf-8",
                                              inject(error_page([crash_problem(exc)]))), head_only)
                if live is not None:
                    return self.send(Response(200, "text/html; charset=utf-8", inject(live)), head_only)
                if target.is_file():
                    return self.send(Response(200, "text/html; charset=utf-8", inject(target.read_bytes())), head_only)
                missing = preview.out / "404.html"
                if not target.exists() and missing.is_file():
                    return self.send(Response(404, "text/html; charset=utf-8", inject(missing.read_bytes())), head_only)
            return super().do_HEAD() if head_only else super().do_GET()

        def do_POST(self) -> None:
            if urlsplit(self.path).path not in SPARQL_PATHS:
                return self.send(text_response(405, "only /sparql takes POST", (("Allow", "GET, HEAD"),)))
            self.sparql("POST")

        def do_PUT(self) -> None:
            self.send(text_response(405, "this server is read-only", (("Allow", "GET, HEAD, POST, OPTIONS"),)))

        do_DELETE = do_PATCH = do_PUT

        def do_OPTIONS(self) -> None:
            self.send_response(204)
            self.send_header("Allow", "GET, HEAD, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Methods", "GET")
            self.send_header("Access-Control-Allow-Headers", "Accept")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def sparql(self, method: str, head_only: bool = False) -> None:
            """Answer a query (a HEAD request: the GET answer's status and headers, no body)."""
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_REQUEST:
                return self.send(text_response(413, f"a query may be at most {MAX_REQUEST} bytes"), head_only)
            body = self.rfile.read(length) if length else b""
            if method == "GET" and not parts.query:
                return self.send(Response(200, "text/html; charset=utf-8", HELP.encode("utf-8")), head_only)
            args = protocol_args(method, parts.query, self.headers.get("Content-Type", ""), body,
                                 self.headers.get("Accept", ""))
            if isinstance(args, Response):
                return self.send(args, head_only)
            if preview.problems:
                return self.send(text_response(503, "the knowledge base has errors:\n" +
                                               "\n".join(p.format() for p in preview.problems)), head_only)
            answer = preview.pool.run(args)
            cors = (("Access-Control-Allow-Origin", "*"),) if method == "GET" else ()
            self.send(Response(answer.status, answer.content_type, answer.body, answer.headers + cors
                               + (("Vary", "Accept"),)), head_only)

        def events(self, head_only: bool = False) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if head_only:  # the headers alone: no stream
                return
            seen = preview.generation
            try:
                self.wfile.write(f"data: {seen}\n\n".encode())
                self.wfile.flush()
                while not preview.stopping:
                    now = preview.wait_change(seen, 15.0)
                    self.wfile.write(f"data: {now}\n\n".encode() if now != seen else b": keep-alive\n\n")
                    self.wfile.flush()
                    seen = now
            except OSError:  # the page was closed
                pass

    return Handler


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def serve(kb: str | Path, out: str | Path, port: int = 8000, bind: str = "127.0.0.1",
          query_timeout: float = 10.0, max_result_bytes: int = 16 * 1024 * 1024) -> int:
    """Build, serve and rebuild on change until interrupted; return the exit code."""
    preview = Preview(Path(kb), Path(out), Limits(timeout=query_timeout, max_bytes=max_result_bytes))
    try:  # listen first: a port that is taken or an address that is not ours builds nothing
        server = ThreadingHTTPServer((bind, port), handler_for(preview))
    except BaseException:
        preview.stop()
        raise
    server.daemon_threads = True
    before = snapshot(preview.roots())  # before the first build: a file saved while it runs is built next
    # the builds run in this thread, where Ctrl-C and SIGTERM land: an interrupted build deletes
    # its half-written tree and stops its workers, as `tarikh build` does (in another thread, it
    # went on while the process exited, and left the tree beside the output)
    signal.signal(signal.SIGTERM, _interrupt)
    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True,
                               name="tarikh-serve")
    try:
        preview.rebuild()
        print(preview.summary(), file=sys.stderr, flush=True)
        host, real_port = server.server_address[:2]
        shown = f"[{host}]" if ":" in host else host
        print(f"serving http://{shown}:{real_port}/ (SPARQL at /sparql); press Ctrl-C to stop", flush=True)
        if preview.problems:
            print("\n".join(p.format() for p in preview.problems), file=sys.stderr, flush=True)
        serving.start()
        threading.Thread(target=preview.pool.warm, daemon=True, name="tarikh-warm").start()
        preview.watch(before)
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop()
        if serving.is_alive():
            server.shutdown()
        server.server_close()
    return 0
