"""Interface translation: the message catalogs (`builder/locale/<lang>/LC_MESSAGES/messages.po`,
or `kb/locale/<lang>.po` for a language the project does not ship) in, Babel translations out.
Catalogs are compiled in memory at build time: no .mo files to keep in step.
"""
from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).with_name("locale")
EXTRA_DIRS: list[Path] = []  # kb/locale folders registered by the build


def catalog_path(lang: str) -> Path | None:
    """Where the catalog of a language is, if there is one."""
    for folder in EXTRA_DIRS:
        candidate = folder / f"{lang}.po"
        if candidate.is_file():
            return candidate
    candidate = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    return candidate if candidate.is_file() else None


def defang(catalog) -> None:
    """Escape <, > and " in a knowledge base's own translations.

    Templates print translations as markup (Jinja's i18n extension marks them safe), so a catalog
    from `kb/locale/` could otherwise add elements or leave an attribute. The project's own
    catalogs hold no markup either.
    """
    def clean(text: str) -> str:
        return text.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    for message in catalog:
        if isinstance(message.string, tuple):
            message.string = tuple(clean(t) for t in message.string)
        elif message.string:
            message.string = clean(message.string)


@cache
def translations_for(lang: str) -> Translations | NullTranslations:
    """Compile a language's catalog in memory; the source strings (English) when there is none."""
    path = catalog_path(lang)
    if path is None:
        return NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    if not path.resolve().is_relative_to(LOCALE_DIR.resolve()):
        defang(catalog)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)
