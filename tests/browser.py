"""Helpers for tests that drive Debian's Chromium through Playwright (mark them `@pytest.mark.browser`).

- `ARGS`, `launch(playwright)`: the system browser with the flags this machine needs.
- `static_server(root)`: `python -m http.server --bind 127.0.0.1` on a free port, as a context manager.
- `guard(page)`: abort every request not to 127.0.0.1 and record it; `assert not guard.blocked` at the end.
- Do not mix with pytest-playwright's own `browser`/`page` fixtures in one run: Playwright's sync API
  allows one instance per thread, and this module holds it.
- `chromium` (session) and `local_page` fixtures: import them into a test module with
  `from browser import chromium, local_page  # noqa: F401`; `local_page` fails the test on any
  request outside 127.0.0.1 and on any script error. (Named apart from pytest-playwright's
  `browser` and `page`, which would launch a browser that is not installed here.)
"""
from __future__ import annotations

import atexit
import contextlib
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
LOCAL_HOSTS = {"127.0.0.1"}
# Map tiles (site.toml [map] tiles; OpenStreetMap by default) are the one thing a page may ask the
# network for, and only on map widgets: the guard refuses them without counting them as a leak.
TILE_HOSTS = {"tile.openstreetmap.org"}


def launch(playwright):
    """Launch the system Chromium headless."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def static_server(root: Path) -> Iterator[str]:
    """Serve a folder with `python -m http.server` on 127.0.0.1; yield its base URL (ending in /)."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port)],
                            cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(url, timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"the static server on {url} did not start")
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


class Guard:
    """Aborts and records every request that is not to 127.0.0.1 (or a data:, blob: or file: URL)."""

    def __init__(self):
        self.blocked: list[str] = []
        self.tiles: list[str] = []

    def __call__(self, route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "file") or parts.hostname in LOCAL_HOSTS:
            route.continue_()
        elif parts.hostname in TILE_HOSTS or (parts.hostname or "").endswith(".tile.openstreetmap.org"):
            self.tiles.append(url)
            route.abort()
        else:
            self.blocked.append(url)
            route.abort()


def guard(page) -> Guard:
    """Install a request guard on a page (or a browser context)."""
    g = Guard()
    page.route("**/*", g)
    return g


_SHARED: dict = {}  # one Playwright and one browser for the whole run, whichever module asks first


def shared_chromium():
    """The run's one headless Chromium (Playwright's sync API allows one instance per thread)."""
    if "browser" not in _SHARED:
        from playwright.sync_api import sync_playwright
        playwright = sync_playwright().start()
        _SHARED.update(playwright=playwright, browser=launch(playwright))
        atexit.register(_stop)
    return _SHARED["browser"]


def _stop() -> None:
    _SHARED.pop("browser").close()
    _SHARED.pop("playwright").stop()


@pytest.fixture(scope="session")
def chromium():
    """The headless Chromium, shared by every module that imports this fixture."""
    return shared_chromium()


@contextlib.contextmanager
def watched_tab(chromium, **options) -> Iterator:
    """A tab that may fetch only from 127.0.0.1 (map tiles are refused, not failures) and must log
    no script or console error; add to `tab.problems` to fail the test on more (dialogs, say)."""
    context = chromium.new_context(viewport={"width": 1200, "height": 900}, **options)
    pg = context.new_page()
    g = guard(context)
    problems: list[str] = []
    pg.on("pageerror", lambda exc: problems.append(f"script error on {pg.url}: {exc}"))

    def on_console(msg):
        where = (msg.location or {}).get("url", "")
        refused_tile = msg.text.startswith("Failed to load resource") and (where in g.blocked or where in g.tiles)
        if msg.type == "error" and not refused_tile:
            problems.append(f"console error: {msg.text} ({where})")
    pg.on("console", on_console)
    pg.guard, pg.problems = g, problems
    try:
        yield pg
    finally:
        context.close()
    assert not g.blocked, f"requests outside 127.0.0.1: {g.blocked}"
    assert not problems, problems


@pytest.fixture
def local_page(chromium):
    """A fresh page whose requests may only go to 127.0.0.1; errors in its scripts fail the test."""
    context = chromium.new_context()
    pg = context.new_page()
    g = guard(context)
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.guard, pg.errors = g, errors
    yield pg
    context.close()
    assert not g.blocked, f"requests outside 127.0.0.1: {g.blocked}"
    assert not errors, f"script errors: {errors}"
