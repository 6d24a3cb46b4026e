"""Pages that need no rendering: a page whose context, template and code are those of the page
already in the output is carried into the new tree by hard link, without rendering it again.

A page's HTML is a function of its template (and the templates it uses), the code that renders
it (builder/), the language's catalog and its context. The digest of all that is kept for every
page of the last build, in the cache folder beside the output (`.tarikh-cache/<out>.pages`),
together with the identity (device, inode) of the tree it describes: the record is used only
while that very tree is the output, so a build killed between writing it and swapping the tree
in, or a site copied over by hand, is never mistaken for it.

A context that cannot be pickled, or that pickles differently from build to build (a set of
strings), only costs a render: a digest can miss, never match wrongly.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from .write import cache_dir

BUILDER = Path(__file__).resolve().parent
VERSION = 1


def code_digest(templates: Path, catalogs: list[Path | None]) -> bytes:
    """What every page's HTML depends on besides its context: templates, builder code, catalogs."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"tarikh-pages-{VERSION}".encode())
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
    try:
        data = pickle.dumps((path, template, lang, context), protocol=5)
    except Exception:  # an object of the context pickle refuses: render the page
        return None
    return hashlib.blake2b(data, digest_size=16, key=code).digest()


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
    `search`, the digests of its search shards (builder/search.py); empty when nothing holds."""
    try:
        with open(_record(out), "rb") as handle:
            record = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError, TypeError):
        return {}
    if not isinstance(record, dict) or record.get("version") != VERSION or record.get("code") != code:
        return {}
    if record.get("tree") is None or record.get("tree") != _tree_id(out):
        return {}
    digests, search = record.get("digests"), record.get("search")
    return {"digests": digests if isinstance(digests, dict) else {},
            "search": search if isinstance(search, dict) else {}}


def save(out: Path, tree: Path, code: bytes, digests: dict[str, bytes], search: dict | None = None) -> None:
    """Record the digests of the pages of `tree` (the new site, before it is swapped in) and of its search shards."""
    target = _record(out)
    tmp = target.with_name(target.name + f".{os.getpid()}")
    try:
        with open(tmp, "wb") as handle:
            pickle.dump({"version": VERSION, "code": code, "tree": _tree_id(tree), "digests": digests,
                         "search": search or {}}, handle,
                        protocol=5)
        os.replace(tmp, target)
    except OSError:  # no record: the next build renders every page, as a first build does
        try:
            os.unlink(tmp)
        except OSError:
            pass
