"""Search: a built site folder in, its Pagefind index (`<out>/pagefind/`) out.

Pagefind keeps one index per `<html lang>` and the search page of each language searches its own.
Only thing pages are indexed (they mark their content with `data-pagefind-body`); each carries the
normalised forms of its Arabic-script labels, descriptions and quotes (`builder/arabic.py`), since
Pagefind folds none of them outside Arabic pages.
"""
from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from .problems import Problem
from .write import WriteError


SEARCH_TIMEOUT = int(os.environ.get("TARIKH_SEARCH_TIMEOUT", "600"))  # seconds; 10,000 pages take a few


class SearchError(WriteError):
    """Pagefind failed on the new site (which is then discarded: the previous one stays)."""


class SearchUnavailable(SearchError):
    """Pagefind is not installed: the site is built without its search index."""


def available() -> bool:
    """Whether Pagefind and its binary are installed (`pip install 'pagefind[bin]'`)."""
    return importlib.util.find_spec("pagefind") is not None and importlib.util.find_spec("pagefind_bin") is not None


def index_site(out: Path) -> None:
    """Index a built site with Pagefind into `<out>/pagefind/`; raise SearchUnavailable when it is not installed."""
    if not available():
        raise SearchUnavailable("Pagefind is not installed (pip install 'pagefind[bin]'): "
                                "the site has no search index")
    # its own process group, so that a time limit or an interrupted build stops Pagefind's binary too
    proc = subprocess.Popen([sys.executable, "-m", "pagefind", "--site", str(out), "--keep-index-url", "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=SEARCH_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise SearchError(f"{out}: pagefind did not finish within {SEARCH_TIMEOUT} s (its time grows with the "
                          "square of a word's length: look for a literal of many thousand letters without a space)"
                          ) from None
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    if proc.returncode != 0:
        raise SearchError(f"{out}: pagefind failed: {(stderr or stdout).strip()}")
    _sort_entry(out / "pagefind" / "pagefind-entry.json")


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
