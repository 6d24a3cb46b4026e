"""Pages that need no rendering: a page whose context, template and code are those of the page
already in the output is carried into the new tree by hard link, without rendering it again.

A page's HTML is a function of its template (and the templates it uses), the code that renders
it (builder/) and the libraries' versions, the language's catalog and its context. Each thing's
data files (`index.ttl`, `index.jsonld`) are recorded the same way, by the digest of the lines
they are made from (dumps.ThingData.digest). The digest of all that is kept for every
page of the last build, in the cache folder beside the output (`.tarikh-cache/<out>.pages`),
together with the identity (device, inode) of the tree it describes: the record is used only
while that very tree is the output, so a build killed between writing it and swapping the tree
in, or a site copied over by hand, is never mistaken for it.

A context that cannot be pickled, or that pickles differently from build to build (a set of
strings), only costs a render: a digest can miss, never match wrongly.

A second record (`<out>.inputs`, written once the new site is in place) holds the digest of
everything the build read (inputs_digest: the knowledge base's files, the builder, the templates
and static files, the libraries' versions, the `TARIKH_*` settings), a stamp of the output's
folders, and the problems the build reported: a build whose inputs are those of the site in the
output, still as that build left it, has nothing to do, and says so with the same warnings.
"""
from __future__ import annotations

import copyreg
import hashlib
import io
import os
import pickle
from functools import cache
from pathlib import Path

from .load import UNREAD_FOLDERS  # (a commit in a knowledge base's own repository changes nothing)
from .write import cache_dir

BUILDER = Path(__file__).resolve().parent
VERSION = 1
# the libraries whose versions the output depends on (markup, dates, numbers, data, search)
LIBRARIES = ("jinja2", "markupsafe", "babel", "markdown", "nh3", "pyoxigraph", "rdflib", "python-dateutil", "edtf",
             "pyshacl", "pagefind", "pagefind_bin")


@cache
def _versions() -> str:
    """The versions of the libraries the output depends on (those this process imported: read once)."""
    import importlib.metadata
    found = []
    for name in LIBRARIES:
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        found.append(f"{name}={version}\0")
    return "".join(found)


def code_digest(templates: Path, catalogs: list[Path | None]) -> bytes:
    """What every page's HTML (and each thing's data file) depends on besides its context:
    templates, builder code, catalogs, and the libraries' versions."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"tarikh-pages-{VERSION}\0{_versions()}".encode())
    files = sorted(templates.glob("*.html")) + sorted(BUILDER.rglob("*.py")) + [c for c in catalogs if c]
    for path in files:
        try:
            data = path.read_bytes()
        except OSError:
            data = b"?"
        h.update(str(path).encode() + b"\0" + len(data).to_bytes(8, "big") + data)
    return h.digest()


def page_digest(path: str, template: str, lang: str, context, code: bytes) -> bytes | None:
    """The digest of one page's inputs, or None when its context cannot be pickled."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.dispatch_table = _TABLE
    try:
        pickler.dump((path, template, lang, context))
    except Exception:  # an object of the context pickle refuses: render the page
        return None
    return hashlib.blake2b(buffer.getbuffer(), digest_size=16, key=code).digest()


# Parts many pages share (an event's timeline entry is on the page of each of its actors, places,
# types and sources), immutable and made once per build: each is pickled once, and then stands in
# a page's digest by its own digest. A third of the digests' time at 10,000 events.
_TABLE = copyreg.dispatch_table.copy()
_SHARED: dict[int, tuple[object, bytes]] = {}  # id -> (the part, kept alive so the id is its own; digest)


def shared_part(cls):
    """Class decorator: instances of this frozen class are digested once (page_digest)."""
    _TABLE[cls] = _shared
    return cls


def _shared(part) -> tuple:
    found = _SHARED.get(id(part))
    if found is None or found[0] is not part:
        found = _SHARED[id(part)] = (part, hashlib.blake2b(pickle.dumps(part, protocol=5), digest_size=16).digest())
    return _part, (type(part).__module__ + "." + type(part).__qualname__, found[1])


def _part(name: str, digest: bytes) -> None:
    """What a shared part pickles as (page_digest never unpickles)."""


def forget_parts() -> None:
    """Let go of the shared parts of an earlier build."""
    _SHARED.clear()


def _files(root: Path, out: Path | None = None) -> list[Path]:
    """Every file under root but compiled Python, caches, version control's folders and the
    output (should it be inside); linked folders are followed, each folder once (a link back up
    is not a loop)."""
    found, seen = [], set()
    for folder, dirs, names in os.walk(root, followlinks=True):
        try:
            st = os.stat(folder)
        except OSError:
            dirs[:] = []
            continue
        if (st.st_dev, st.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        dirs[:] = sorted(d for d in dirs if d not in UNREAD_FOLDERS
                         and not (out is not None and Path(folder, d).resolve().parent == out.parent
                                  and (d == out.name or d.startswith(f".{out.name}."))))
        found += [Path(folder, name) for name in sorted(names) if not name.endswith((".pyc", ".pyo"))]
    return found


def inputs_digest(kb_dir: Path, out: Path, templates: Path, strict: bool) -> str | None:
    """The digest of everything a build of `kb_dir` into `out` reads, or None when a file cannot be read."""
    import sys
    header = f"tarikh-inputs-{VERSION}\0{sys.version}\0{strict}\0{_versions()}"
    if _stamps_build_date(Path(kb_dir)):  # its pages say the day they were built: a new day, a new site
        from .config import build_day
        header += f"day={build_day()}\0"
    return files_digest(header, (("kb", Path(kb_dir)), ("builder", BUILDER), ("templates", templates)),
                        Path(out).resolve())


def files_digest(header: str, roots, out: Path | None = None) -> str | None:
    """The digest of a header, the `TARIKH_*` settings and the bytes of every file under the
    labelled roots (_files: the output, caches and version control's folders left out), or None
    when a root is missing or a file cannot be read."""
    h = hashlib.blake2b(digest_size=16)
    h.update(header.encode("utf-8", "surrogateescape"))
    for key in sorted(k for k in os.environ if k.startswith("TARIKH_")):
        h.update(f"{key}={os.environ[key]}\0".encode("utf-8", "surrogateescape"))
    for label, root in roots:
        if not root.is_dir():
            return None
        for path in _files(root, out):
            try:
                data = path.read_bytes()
            except OSError:
                return None
            rel = path.relative_to(root).as_posix()
            h.update(f"{label}/{rel}\0{len(data)}\0".encode("utf-8", "surrogateescape") + data)
    return h.hexdigest()


def _stamps_build_date(kb_dir: Path) -> bool:
    """True when the knowledge base's site.toml asks for pages stamped with the build date."""
    import tomllib
    try:
        return tomllib.loads((kb_dir / "site.toml").read_text(encoding="utf-8")).get("build_date") is True
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


def _stamp(tree: Path) -> str | None:
    """The identity of a tree and the last change of each of its folders: a file added or removed
    anywhere, or a folder made again (say `pagefind/` by hand), shows. (A file rewritten in place
    does not: the page cache trusts the output's files as they were written, too.)"""
    h = hashlib.blake2b(digest_size=16)
    try:
        st = tree.stat()
        h.update(f"{st.st_dev}:{st.st_ino}:{st.st_mtime_ns}\0".encode())
        for folder, dirs, _ in os.walk(tree):
            dirs.sort()
            for name in dirs:
                st = os.stat(os.path.join(folder, name), follow_symlinks=False)
                h.update(f"{folder}/{name}:{st.st_ino}:{st.st_mtime_ns}\0".encode())
    except OSError:
        return None
    return h.hexdigest()


def _inputs_record(out: Path) -> Path:
    return cache_dir(out) / f"{out.resolve().name}.inputs"


def seal(out: Path, inputs: str | None, problems: list) -> None:
    """Record, once the new site is in place, what it was built from and what the build reported."""
    if inputs is None or not _dump(_inputs_record(out), {"inputs": inputs, "stamp": _stamp(out),
                                                         "problems": list(problems)}):
        forget(out)  # no record: the next build runs, as a first build does


def forget(out: Path) -> None:
    """Drop the record of the output's inputs (before the output changes)."""
    try:
        os.unlink(_inputs_record(out))
    except OSError:
        pass


def up_to_date(out: Path, inputs: str | None) -> list | None:
    """The problems the build of the site in `out` reported, if it was built from these very
    inputs and is still as that build left it (its folders unchanged); otherwise None."""
    if inputs is None or not out.is_dir():
        return None
    record = _load(_inputs_record(out))
    if record is None or record.get("inputs") != inputs:
        return None
    if record.get("stamp") is None or record.get("stamp") != _stamp(out):
        return None
    problems = record.get("problems")
    return list(problems) if isinstance(problems, (list, tuple)) else None


def _load(path: Path) -> dict | None:
    """A record written by _dump, or None when it is missing, unreadable or of another version."""
    try:
        with open(path, "rb") as handle:
            record = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError, TypeError, ImportError):
        return None
    return record if isinstance(record, dict) and record.get("version") == VERSION else None


def _dump(path: Path, record: dict) -> bool:
    """Write a record whole or not at all (a temporary file, then a rename); False when it cannot be."""
    tmp = path.with_name(path.name + f".{os.getpid()}")
    try:
        with open(tmp, "wb") as handle:
            pickle.dump({"version": VERSION, **record}, handle, protocol=5)
        os.replace(tmp, path)
        return True
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return False


def _record(out: Path) -> Path:
    return cache_dir(out) / f"{out.resolve().name}.pages"


def _tree_id(tree: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(tree)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def load_record(out: Path, code: bytes) -> dict:
    """What was recorded of the site now in `out` with this code: `digests` of its pages and
    `search`, what its search index was made from (builder/search.py); empty when nothing holds."""
    record = _load(_record(out))
    if record is None or record.get("code") != code:
        return {}
    if record.get("tree") is None or record.get("tree") != _tree_id(out):
        return {}
    digests, search = record.get("digests"), record.get("search")
    return {"digests": digests if isinstance(digests, dict) else {},
            "search": search if isinstance(search, dict) else {}}


def save(out: Path, tree: Path, code: bytes, digests: dict[str, bytes], search: dict | None = None) -> None:
    """Record the digests of the pages of `tree` (the new site, before it is swapped in) and what
    its search index was made from."""
    # without a record, the next build renders every page, as a first build does
    _dump(_record(out), {"code": code, "tree": _tree_id(tree), "digests": digests, "search": search or {}})
