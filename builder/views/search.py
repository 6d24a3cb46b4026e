"""The search page of each language (`/search/`, `/<lang>/search/`): the model and config in, `Page`s out.

The page holds Pagefind's own interface (generated into `pagefind/` by `builder.search.index_site`),
which searches the index of the page's `<html lang>`; `static/search.js` normalises Arabic-script
queries as the index was normalised (`builder/arabic.py`).
"""
from __future__ import annotations

from ..config import SiteConfig
from ..model import Model
from . import site as _site  # (a module, not names: views/site.py may import this module back)
from .common import lang_prefix


def search_pages(model: Model, config: SiteConfig) -> list[_site.Page]:
    """One search page per language."""
    base = "search/index.html"
    return [_site.Page(lang_prefix(model, lang) + base, "search.html",
                       _site.base_context(model, config, lang, base, "search"), lang, base)
            for lang in config.languages]
