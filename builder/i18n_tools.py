"""Keep the message catalogs in step with the templates: the sources (babel.cfg) in, catalogs out.

    python -m builder.i18n_tools update            # re-extract builder/locale/messages.pot and merge it
                                                   # into every builder/locale/<lang>/LC_MESSAGES/messages.po
    python -m builder.i18n_tools check [LANG|PO…]  # list missing, untranslated, fuzzy and ill-formatted
                                                   # messages of the shipped catalogs (or of the .po files
                                                   # given); exit 1 if there are any
    python -m builder.i18n_tools init LANG OUT.po  # start the catalog of a new language (kb/locale/<lang>.po)

English is the source language: its catalog is the identity (every msgstr equals its msgid, plurals
included) and `update` fills it by itself. Files are rewritten only when a message changed, so
running `update` twice leaves the tree as it was.
"""
from __future__ import annotations

import io
import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "builder" / "locale"
POT = LOCALE_DIR / "messages.pot"
MAPPING = ROOT / "babel.cfg"
SOURCE_LANG = "en"
HEADER = "# The interface strings of Tarikh's site. See docs/languages.md.\n#"
_DATE_LINES = ('"POT-Creation-Date:', '"PO-Revision-Date:')


def _sources_only(dirpath: str) -> bool:
    """Walk only the folders babel.cfg names (not .venv, node_modules or an output folder)."""
    relative = Path(dirpath).resolve().relative_to(ROOT).parts
    return not relative or relative[0] in ("builder", "site_templates") and "__pycache__" not in relative


def extract() -> Catalog:
    """Extract every interface string from the templates and the builder, as babel.cfg says."""
    with MAPPING.open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, str(MAPPING))
    catalog = Catalog(project="Tarikh", header_comment=HEADER, charset="utf-8", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            ROOT, method_map, options_map, keywords=DEFAULT_KEYWORDS, comment_tags=("Translators:",),
            strip_comment_tags=True, directory_filter=_sources_only):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def catalogs() -> dict[str, Path]:
    """The catalogs the project ships, by language."""
    return {p.parent.parent.name: p for p in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/messages.po"))}


def read(path: Path, lang: str | None = None) -> Catalog:
    """Read a .po file."""
    with path.open("rb") as handle:
        return read_po(handle, locale=lang or path.parent.parent.name)


def _render(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=True, include_lineno=False, ignore_obsolete=True)
    return buffer.getvalue()


def _without_dates(data: bytes) -> list[bytes]:
    return [line for line in data.splitlines() if not line.decode("utf-8", "replace").startswith(_DATE_LINES)]


def write_if_changed(path: Path, catalog: Catalog) -> bool:
    """Write a catalog unless only its dates would change; say whether it was written."""
    data = _render(catalog)
    if path.is_file() and _without_dates(path.read_bytes()) == _without_dates(data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def fill_identity(catalog: Catalog) -> None:
    """Make a catalog of the source language translate every message to itself."""
    for message in catalog:
        if not message.id:
            continue
        message.string = tuple(message.id) if isinstance(message.id, tuple) else message.id
        message.flags.discard("fuzzy")


def merge(template: Catalog, lang: str, path: Path | None) -> Catalog:
    """A language's catalog brought up to the template (new messages empty, changed ones fuzzy)."""
    catalog = read(path, lang) if path and path.is_file() else Catalog(locale=lang, project="Tarikh",
                                                                       header_comment=HEADER, fuzzy=False)
    catalog.update(template, update_creation_date=False)
    if lang == SOURCE_LANG:
        fill_identity(catalog)
    return catalog


def update() -> list[Path]:
    """Re-extract the template and merge it into every shipped catalog; the files written."""
    template = extract()
    written = [POT] if write_if_changed(POT, template) else []
    paths = catalogs()
    paths.setdefault(SOURCE_LANG, LOCALE_DIR / SOURCE_LANG / "LC_MESSAGES" / "messages.po")
    for lang, path in sorted(paths.items()):
        if write_if_changed(path, merge(template, lang, path)):
            written.append(path)
    return written


def problems(catalog: Catalog, template: Catalog) -> list[str]:
    """What keeps a catalog from translating the template: missing, untranslated, fuzzy, bad placeholders."""
    out = []
    for message in template:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        found = catalog.get(key, message.context)
        if found is None:
            out.append(f"missing: {key!r}")
            continue
        strings = found.string if isinstance(found.string, tuple) else (found.string,)
        if isinstance(message.id, tuple) and len(strings) != catalog.num_plurals:
            out.append(f"wrong number of plural forms ({len(strings)}, not {catalog.num_plurals}): {key!r}")
        elif not all(strings):
            out.append(f"untranslated: {key!r}")
        elif found.fuzzy:
            out.append(f"fuzzy: {key!r}")
    for message, errors in catalog.check():
        out += [f"bad translation of {message.id!r}: {e}" for e in errors]
    return out


def init(lang: str, out: Path) -> Path:
    """Start the catalog of a new language from the template, every message to translate."""
    if out.exists():
        raise SystemExit(f"{out}: already exists (run `update` to bring a catalog up to date)")
    write_if_changed(out, merge(extract(), lang, None))
    return out


def main(argv: Iterable[str] | None = None) -> int:
    """Command line: update, check, init."""
    args = list(sys.argv[1:] if argv is None else argv)
    command, rest = (args[0], args[1:]) if args else ("", [])
    if command == "update":
        for path in update():
            print(f"wrote {path.relative_to(ROOT)}")
        return 0
    if command == "check":
        template, failed = extract(), False
        shipped = catalogs()
        targets = [(a, shipped[a]) if a in shipped else (Path(a).stem, Path(a)) for a in rest] or list(shipped.items())
        for lang, path in targets:
            for problem in problems(read(path, lang), template):
                failed = True
                print(f"{path}: {problem}")
        return 1 if failed else 0
    if command == "init" and len(rest) == 2:
        print(f"wrote {init(rest[0], Path(rest[1]))}")
        return 0
    print(__doc__.strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
