"""The search page of each language (`/search/`, `/<lang>/search/`): the model and config in, `Page`s out.

The page holds Pagefind's own interface (generated into `pagefind/` by `builder.search.index_site`),
which searches the index of the page's `<html lang>`, merged with the index's other shards when a
large site is indexed in several (`pagefind/shard-N/`); `static/search.js` normalises Arabic-script
queries as the index was normalised (`builder/arabic.py`).
"""
from __future__ import annotations

from ..config import SiteConfig
from ..model import Model
from ..search import bundle_of
from . import site as _site  # (a module, not names: views/site.py may import this module back)
from .common import lang_prefix


def search_pages(model: Model, config: SiteConfig) -> list[_site.Page]:
    """One search page per language."""
    base = "search/index.html"
    return [_site.Page(lang_prefix(model, lang) + base, "search.html",
                       {**_site.base_context(model, config, lang, base, "search"), "search_shards": []}, lang, base)
            for lang in config.languages]


def link_shards(pages: list, count: int) -> None:
    """Give the search pages the bundles of the search index's other shards (builder/search.py),
    which their interface merges into the first: folder paths relative to the output."""
    for page in pages:
        if page.template == "search.html":
            page.context["search_shards"] = [bundle_of(i) + "/" for i in range(1, count)]
