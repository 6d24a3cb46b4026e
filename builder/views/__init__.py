"""Views: the model in, `Page(path, template, context)` values out. Pure functions, no HTML.

Each page kind has a function named after it; `pages(model, config)` lists every page of the
site in every language. Templates only lay out what a view gives them.
"""
from .site import Page, pages

__all__ = ["Page", "pages"]
