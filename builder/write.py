"""Writing: {relative path: bytes} in, an output folder replaced whole out.

The new site is written beside the old one and swapped in by renames at the end, so a failed or
killed build leaves the previous site as it was. One build at a time holds a lock in the cache
folder beside the output. No path may leave the output folder.
"""
from __future__ import annotations

import contextlib
import ctypes
import fcntl
import glob
import os
import shutil
import subprocess
import time
from collections.abc import Iterator, Mapping
from pathlib import Path


class WriteError(Exception):
    """The site could not be written; the previous one is untouched."""


def refuse_kb_overlap(kb_dir: str | Path, out: str | Path) -> None:
    """Raise WriteError when the output folder is the knowledge base, holds it, or lies in it.

    The output is replaced whole at the end of a build, so an output that is or holds `kb/`
    would delete it, and one inside `kb/` writes into it (and its `.ttl` dumps would be read
    back as part of the knowledge base by the next check): the builder never writes into `kb/`.
    """
    kb, site = Path(kb_dir).resolve(), Path(out).resolve()
    if site == kb or site in kb.parents:
        raise WriteError(f"refusing to write the site to {out}: the output folder is replaced whole, "
                         f"and it holds the knowledge base {kb_dir}; choose an output folder beside it")
    if kb in site.parents:
        raise WriteError(f"refusing to write the site to {out}: it is inside the knowledge base {kb_dir}, "
                         "and a build never writes into the knowledge base; choose an output folder beside it")


def refuse_output(kb_dir: str | Path, out: str | Path) -> None:
    """Raise WriteError when the site cannot go to `out`: it overlaps the knowledge base
    (refuse_kb_overlap), or it is a file, which only the swap at the very end of a build would
    find, after every page was rendered (and a preview would serve that failed build)."""
    refuse_kb_overlap(kb_dir, out)
    if Path(out).exists() and not Path(out).is_dir():
        raise WriteError(f"cannot write the site to {out}: it is a file, not a folder")


def cache_dir(out: Path) -> Path:
    """The cache folder beside the output (`.tarikh-cache/`)."""
    return out.resolve().parent / ".tarikh-cache"


@contextlib.contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """Hold the output's build lock; a second build waits for the first to finish."""
    folder = cache_dir(out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(folder / f"{out.resolve().name}.lock", "w")
    except OSError as exc:
        raise WriteError(f"cannot write the site beside {out.resolve()}: {exc.strerror or exc}") from None
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def safe_target(root: Path, rel: str) -> Path:
    """Resolve a relative path inside root, refusing anything that would leave it."""
    if (rel.startswith(("/", "\\")) or "\\" in rel or "\0" in rel
            or any(part in ("", ".", "..") for part in rel.split("/"))):
        raise WriteError(f"refusing to write outside the output folder: {rel!r}")
    target = root / rel
    if os.path.commonpath([str(root), str(target)]) != str(root):
        raise WriteError(f"refusing to write outside the output folder: {rel!r}")
    return target


# Folders already made in a new tree: a site has a folder per thing, and asking the file system
# again for each file costs as much as writing it.
_MADE: set[str] = set()
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def _place(root: Path, rel: str) -> str:
    """The path of a file of the new tree, its folder made (once per build)."""
    target = str(safe_target(root, rel))
    folder = target.rpartition("/")[0]
    if folder not in _MADE:
        os.makedirs(folder, exist_ok=True)
        _MADE.add(folder)
    return target


def write_file(root: Path, rel: str, raw: bytes, previous: Path | None = None) -> int:
    """Write one file under root (1), or hard-link it from the previous site when unchanged (0).

    The new tree is empty and private to this build (write.fresh_tree), so a file is created
    exclusively (O_EXCL: never through a link planted in its place).
    """
    target = _place(root, rel)
    if previous is not None:
        old = f"{previous}/{rel}"
        if _same(old, raw):
            try:
                os.link(old, target)
                return 0
            except OSError:
                pass
    try:
        fd = os.open(target, _CREATE, 0o644)
    except FileExistsError:  # written twice in one build: the last one wins, as before
        os.unlink(target)
        fd = os.open(target, _CREATE, 0o644)
    try:
        view = memoryview(raw)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
    return 1


def link_file(root: Path, rel: str, previous: Path) -> bool:
    """Carry one file of the previous site into the new tree by hard link; False if it cannot."""
    target = _place(root, rel)
    try:
        os.link(f"{previous}/{rel}", target)
        return True
    except OSError:
        return False


def carry_over(previous: Path, root: Path, subdir: str, ignore=None) -> None:
    """Hard-link a whole folder of the previous site into the new tree (copying where links fail;
    `ignore` as shutil.copytree's)."""
    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)
    shutil.copytree(previous / subdir, root / subdir, copy_function=link, symlinks=True, ignore=ignore)


def write_tree(root: Path, files: Mapping[str, bytes | str], previous: Path | None = None,
               code: bytes | None = None, known: Mapping[str, bytes] | None = None,
               digests: dict[str, bytes] | None = None) -> int:
    """Write files under a fresh root; carry unchanged files from the previous site by hard link.

    With `code`, a mapping that has a `digest(name, code)` (dumps.Dumps) gives each file's digest
    first, into `digests`: a file whose digest is the one `known` has for it (the last build's)
    is linked from `previous` without being made."""
    written = 0
    digest_of = getattr(files, "digest", None) if code is not None else None
    for rel in sorted(files):
        digest = digest_of(rel, code) if digest_of is not None else None
        if digest is not None:
            if digests is not None:
                digests[rel] = digest
            if known and previous is not None and known.get(rel) == digest and link_file(root, rel, previous):
                continue
        data = files[rel]
        written += write_file(root, rel, data.encode("utf-8") if isinstance(data, str) else data, previous)
    return written


def _same(path: Path | str, raw: bytes) -> bool:
    try:
        if os.stat(path).st_size != len(raw):
            return False
        with open(path, "rb") as handle:
            return handle.read() == raw
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


def relink_unchanged(fresh: Path, previous: Path | None, subdir: str) -> int:
    """Hard-link files another tool wrote into the new tree (search index, static assets) to the
    previous build's copies where their bytes are the same; return how many really changed."""
    changed = 0
    base = fresh / subdir
    for path in sorted(p for p in base.rglob("*") if p.is_file() and not p.is_symlink()) if base.is_dir() else []:
        rel = path.relative_to(fresh)
        old = previous / rel if previous is not None else None
        if old is not None and old.is_file() and _same(old, path.read_bytes()):
            try:
                tmp = path.with_name(path.name + ".link")
                os.link(old, tmp)
                os.replace(tmp, path)
                continue
            except OSError:
                pass
        changed += 1
    return changed


def fresh_tree(out: Path) -> tuple[Path, Path | None]:
    """Make the empty folder the new site is written into, beside the output; return it and the old site.

    Call it holding the build lock: it has the half-written trees that killed builds left deleted.
    """
    out = out.resolve()
    fresh = out.parent / f".{out.name}.new-{os.getpid()}"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        # trees left by a build that was killed, and previous sites whose deletion (remove_tree)
        # is still under way: deleted by a process of their own, as the latter are. This runs
        # under the build lock: no other build is writing them. One named as this process will
        # name its own trees (a killed build's, of a process that had this one's id) is moved first.
        ours = {fresh.name, f".{out.name}.old-{os.getpid()}"}
        for stale in [*out.parent.glob(f".{glob.escape(out.name)}.new-*"), *out.parent.glob(f".{glob.escape(out.name)}.old-*")]:
            if stale.name in ours:
                stale = stale.rename(stale.with_name(f".{out.name}.old-{os.getpid()}-{time.time_ns()}"))
            remove_tree(stale, None)
        fresh.mkdir()
        _MADE.clear()
    except OSError as exc:
        raise WriteError(f"cannot write the site beside {out}: {exc.strerror or exc}") from None
    return fresh, (out if out.is_dir() else None)


# A previous site larger than this many files is deleted by a process of its own after the swap:
# unlinking 150,000 files takes 15 s or more here (15,000, those of 1,000 events, about 1.5 s),
# and the new site is already in place.
BACKGROUND_DELETE = 5_000


def remove_tree(tree: Path, files: int | None = 0, background_above: int = BACKGROUND_DELETE) -> None:
    """Delete a previous site (or the search stage's documents): now, or, when it holds more than
    `background_above` files (or an unknown number: None), by a detached `rm -rf` that outlives
    this command. (Two deleting one tree at once is harmless: whichever finishes last removes
    its top folder.)

    The next build removes whatever such a deletion left (fresh_tree), so an interrupted one
    costs nothing but disk space in the meantime.
    """
    if (files is None or files > background_above) and shutil.which("rm"):
        try:
            subprocess.Popen(["rm", "-rf", "--", str(tree)], start_new_session=True, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return
        except OSError:
            pass
    shutil.rmtree(tree, ignore_errors=True)


def swap_in(fresh: Path, out: Path, static_dir: Path, files: int = 0) -> None:
    """Copy the static assets into the new tree and put it in place of the old one (`files`: about
    how many files the sites hold, to choose how the old one is deleted)."""
    out = out.resolve()
    try:
        shutil.copytree(static_dir, fresh / "static", dirs_exist_ok=True)
        relink_unchanged(fresh, out if out.is_dir() else None, "static")
        if not out.is_dir():
            os.rename(fresh, out)
        elif _exchange(fresh, out):
            old = out.parent / f".{out.name}.old-{os.getpid()}"
            os.rename(fresh, old)  # now holds the previous site
            remove_tree(old, files)
        else:  # no atomic exchange here: two renames, the old tree kept until the new one is in place
            old = out.parent / f".{out.name}.old-{os.getpid()}"
            os.rename(out, old)
            os.rename(fresh, out)
            remove_tree(old, files)
    except OSError as exc:
        raise WriteError(f"cannot write the site to {out}: {exc.strerror or exc}") from None


def discard(fresh: Path) -> None:
    """Remove a half-written new tree after a failure."""
    shutil.rmtree(fresh, ignore_errors=True)


def replace_output(out: Path, files: Mapping[str, bytes | str], static_dir: Path) -> int:
    """Write files into a new tree beside `out`, then swap it in; return the number written."""
    fresh, previous = fresh_tree(out)
    try:
        written = write_tree(fresh, files, previous)
        swap_in(fresh, out, static_dir)
    except OSError as exc:
        discard(fresh)
        raise WriteError(f"cannot write the site to {out}: {exc.strerror or exc}") from None
    except BaseException:
        discard(fresh)
        raise
    return written
