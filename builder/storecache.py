"""The derived store that `tarikh query` and `tarikh push` ask, kept between runs.

Input: a knowledge-base folder. Output: the same `(kb, fatal problems)` as
`query.open_query_store`, from a copy of the loaded and derived store when nothing it was made
from has changed since.

Each run of `tarikh query` used to load and derive the whole knowledge base before answering:
4.4 s at 10,000 events, 54 s at 100,000 (load 7 s, dates 11 s, extraction 24 s). The derived
store, written once as N-Quads, is read back by pyoxigraph's bulk loader in a fraction of that
(0.75 s at 10,000 events). The copy is made the first time a knowledge base without errors is
queried, and used while the digest of what it was made from holds:

- the bytes of every file under the knowledge base (contents, not modification times);
- the builder's code and the versions of the libraries it uses (`pagecache`);
- `TARIKH_*` environment variables;
- the folder's own path: the store's graphs are named by its files' `file:` IRIs.

Copies live in the user's cache directory (`$XDG_CACHE_HOME/tarikh/stores/`, or
`~/.cache/tarikh/stores/`), never in `kb/`: one per knowledge-base folder (its latest), for the
eight folders most recently asked; any may be deleted at any time. `TARIKH_NO_STORE_CACHE=1` turns the copies off. A copy that
cannot be written or read is passed over: the query is then answered from a fresh load, as before.
A knowledge base with errors is never copied, so its errors are reported on every run.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from .pagecache import BUILDER, VERSION, _versions, files_digest

FORMAT = ox.RdfFormat.N_QUADS
KEEP = 8  # copies kept in all, the most recently used: one per folder, for the last folders asked


def cache_root() -> Path:
    """Where the copies are kept."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tarikh" / "stores"


def enabled() -> bool:
    return os.environ.get("TARIKH_NO_STORE_CACHE", "") in ("", "0")


def _folder_key(kb_dir: Path) -> str:
    """One name per knowledge-base folder, so that a new copy replaces the folder's old one."""
    return hashlib.blake2b(str(kb_dir.resolve()).encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()


def inputs_digest(kb_dir: Path) -> str | None:
    """The digest of everything the derived store is made from, or None when a file cannot be read."""
    header = f"tarikh-store-{VERSION}\0{sys.version}\0{_versions()}\0{kb_dir.resolve()}\0"
    return files_digest(header, (("kb", kb_dir), ("builder", BUILDER)))


def _copy_path(kb_dir: Path, digest: str) -> Path:
    return cache_root() / f"{_folder_key(kb_dir)}-{digest}.nq"


def _read(path: Path) -> ox.Store | None:
    """The store read back from a copy, or None (and the copy removed) when it cannot be read."""
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=FORMAT)
    except FileNotFoundError:
        return None
    except (OSError, SyntaxError, ValueError):
        path.unlink(missing_ok=True)
        return None
    return store


def _write(store: ox.Store, kb_dir: Path, digest: str) -> None:
    """Keep a copy of the store: written whole under a temporary name, then renamed into place,
    so that a run reading at the same time sees the old copy, the new one, or none; the folder's
    older copies are then removed. Any failure leaves no copy (the next run loads afresh)."""
    folder = cache_root()
    target = _copy_path(kb_dir, digest)
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".nq.tmp")
        os.close(fd)
        store.dump(output=tmp, format=FORMAT)
        os.replace(tmp, target)
        tmp = None
        for old in folder.glob(f"{_folder_key(kb_dir)}-*.nq"):
            if old != target:
                old.unlink(missing_ok=True)
        _prune(folder)
    except OSError:
        pass
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def _prune(folder: Path) -> None:
    """Remove all but the KEEP most recently used copies (a read marks a copy used)."""
    found = []
    for path in folder.glob("*.nq"):
        try:
            found.append((path.stat().st_mtime_ns, path))
        except OSError:
            continue
    for _, path in sorted(found, reverse=True)[KEEP:]:
        path.unlink(missing_ok=True)


def open_store(kb_dir: str | Path, step: Callable[[str], None] | None = None):
    """`query.open_query_store`, from the kept copy when it is current: (kb, fatal problems).
    `step` is told each stage as it begins (a progress line's)."""
    step = step or (lambda name: None)
    from .config import load_config
    from .kb import KnowledgeBase
    from .load import find_files
    from .query import open_query_store
    root = Path(kb_dir)
    step("comparing the files with the kept store")
    digest = inputs_digest(root) if enabled() and root.is_dir() else None
    if digest is not None:
        path = _copy_path(root, digest)
        if path.is_file():
            shown = str(kb_dir).rstrip("/") or "."
            config, problems = load_config(root, shown)
            step("reading the kept store")
            store = _read(path) if config is not None and not any(p.is_error for p in problems) else None
            if store is not None:
                with contextlib.suppress(OSError):
                    os.utime(path)  # used: kept longest by _prune
                return KnowledgeBase(root, shown, config, find_files(root, shown), store, problems), []
    kb, fatal = open_query_store(kb_dir, step)
    if digest is not None and not fatal:
        step("keeping the store")
        if inputs_digest(root) == digest:  # not changed while loading
            _write(kb.store, root, digest)
    return kb, fatal
