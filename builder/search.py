"""Search: a built site folder in, its Pagefind index (`<out>/pagefind/`) out.

Pagefind keeps one index per `<html lang>` and the search page of each language searches its own.
Only thing pages are indexed (they mark their content with `data-pagefind-body`); each carries the
normalised forms of its Arabic-script labels, descriptions and quotes (`builder/arabic.py`), since
Pagefind folds none of them outside Arabic pages.
"""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

from .problems import Problem
from .write import WriteError


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
    proc = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(out), "--keep-index-url", "--quiet"],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SearchError(f"{out}: pagefind failed: {(proc.stderr or proc.stdout).strip()}")
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
