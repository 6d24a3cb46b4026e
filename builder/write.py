"""Writing: {relative path: bytes} in, an output folder replaced whole out.

The new site is written beside the old one and swapped in by renames at the end, so a failed or
killed build leaves the previous site as it was. One build at a time holds a lock in the cache
folder beside the output. No path may leave the output folder.
"""
from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path


class WriteError(Exception):
    """The site could not be written; the previous one is untouched."""


def cache_dir(out: Path) -> Path:
    """The cache folder beside the output (`.tarikh-cache/`)."""
    return out.resolve().parent / ".tarikh-cache"


@contextlib.contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """Hold the output's build lock; a second build waits for the first to finish."""
    folder = cache_dir(out)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{out.resolve().name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def safe_target(root: Path, rel: str) -> Path:
    """Resolve a relative path inside root, refusing anything that would leave it."""
    if rel.startswith(("/", "\\")) or "\\" in rel or any(part in ("", ".", "..") for part in rel.split("/")):
        raise WriteError(f"refusing to write outside the output folder: {rel!r}")
    target = root / rel
    if os.path.commonpath([str(root), str(target)]) != str(root):
        raise WriteError(f"refusing to write outside the output folder: {rel!r}")
    return target


def write_tree(root: Path, files: Mapping[str, bytes | str], previous: Path | None = None) -> int:
    """Write files under a fresh root; carry unchanged files from the previous site by hard link."""
    made: set[Path] = set()
    written = 0
    for rel in sorted(files):
        data = files[rel]
        raw = data.encode("utf-8") if isinstance(data, str) else data
        target = safe_target(root, rel)
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        old = previous / rel if previous is not None else None
        if old is not None and _same(old, raw):
            try:
                os.link(old, target)
                continue
            except OSError:
                pass
        target.write_bytes(raw)
        written += 1
    return written


def _same(path: Path, raw: bytes) -> bool:
    try:
        return path.stat().st_size == len(raw) and path.read_bytes() == raw
    except OSError:
        return False


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one atomic step (Linux renameat2 RENAME_EXCHANGE), if the system can."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def replace_output(out: Path, files: Mapping[str, bytes | str], static_dir: Path) -> int:
    """Build the new site beside `out`, then swap it in; return the number of files written."""
    out = out.resolve()
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fresh = parent / f".{out.name}.new-{os.getpid()}"
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir()
        previous = out if out.is_dir() else None
        written = write_tree(fresh, files, previous)
        shutil.copytree(static_dir, fresh / "static", dirs_exist_ok=True)
        if previous is None:
            os.rename(fresh, out)
        elif _exchange(fresh, out):
            shutil.rmtree(fresh, ignore_errors=True)  # now holds the previous site
        else:  # no atomic exchange here: two renames, the old tree kept until the new one is in place
            old = parent / f".{out.name}.old-{os.getpid()}"
            os.rename(out, old)
            os.rename(fresh, out)
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(parent / f".{out.name}.new-{os.getpid()}", ignore_errors=True)
        raise WriteError(f"cannot write the site to {out}: {exc.strerror or exc}") from None
    return written
