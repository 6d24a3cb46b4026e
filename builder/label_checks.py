"""Labels: a knowledge base's skos:prefLabels in, problems about them out.

Two prefLabels in one language (an error, worded as the shapes word it), a thing without a
label in one of the site's languages, two different things with the same label (warnings).
"""
from __future__ import annotations

import unicodedata
from collections import defaultdict
from functools import cache

import pyoxigraph as ox

from . import shacl
from .namespaces import RDF, SKOS, TL
from .problems import Problem
from .shape_problems import unique_lang_problems

LABEL_CHECK = shacl.Check("", "uniqueLang", "two-labels-one-language", "", "error", SKOS + "prefLabel")


def label_problems(ctx) -> list[Problem]:
    """Two prefLabels in one language; things without a label in a site language; shared labels."""
    by_thing = defaultdict(list)
    for s, label in ctx.rows("check_labels"):
        by_thing[s].append(label)
    pairs = [(s, label, LABEL_CHECK) for s, labels in by_thing.items() for label in labels
             if sum(x.language == label.language for x in labels) > 1]
    out = unique_lang_problems(ctx, pairs)
    out += _missing_languages(ctx, by_thing)
    out += _shared_labels(ctx, by_thing)
    return out


def _missing_languages(ctx, by_thing: dict) -> list[Problem]:
    """A warning for each site language a thing has no label in."""
    out = []
    for row in ctx.rows("check_labelled_kinds"):
        thing = row[0]
        have = {label.language.split("-")[0] for label in by_thing.get(thing, ()) if label.language}
        if not have or any(not label.language for label in by_thing.get(thing, ())):
            continue  # the shapes already say it has no label at all, or one without its language tag
        for lang in ctx.kb.config.languages:
            if lang not in have:
                out.append(ctx.problem(ctx.where(thing), "warning", "missing-language",
                                       f"{ctx.short(thing)} has no label in {_language_name(lang)} (@{lang})",
                                       f'add skos:prefLabel "…"@{lang}'))
    return out


def _language_name(code: str) -> str:
    """A language's English name ("Arabic", "Arabic (Latin)"), or its code."""
    from .views.common import language_in
    return language_in(code, "en") or code


@cache
def _combining() -> dict[int, None]:
    """A table that deletes combining marks (accents, Arabic harakat) from the BMP."""
    return dict.fromkeys(c for c in range(0x10000) if unicodedata.combining(chr(c)))


def _norm_label(text: str) -> str:
    """A label with case, accents and spacing ignored, to find one thing entered twice."""
    if text.isascii():
        return " ".join(text.lower().split())
    return " ".join(unicodedata.normalize("NFKD", text.casefold()).translate(_combining()).split())


def _shared_labels(ctx, by_thing: dict) -> list[Problem]:
    """A warning when two different things have the same label in the same language."""
    groups: dict[tuple, dict] = defaultdict(dict)
    for thing, labels in by_thing.items():
        if isinstance(thing, ox.NamedNode) and thing.value.startswith(ctx.id_ns):
            for label in labels:
                groups[(label.language, _norm_label(label.value))].setdefault(thing, label)
    # measurements of one thing over time share their label ("US troops in Iraq", each dated):
    # a series, not one thing entered twice (site.md lists them side by side)
    quantity = ox.NamedNode(TL + "Quantity")
    series = {q.subject for q in ctx.store.quads_for_pattern(None, ox.NamedNode(RDF + "type"), quantity)}
    out = []
    for members in groups.values():
        if len(members) < 2 or all(thing in series for thing in members):
            continue
        placed = sorted(members, key=lambda t: (_place(ctx.where(t)), t.value))
        one_series = [t for t in placed if t in series][1:]  # a series counts once
        placed = [t for t in placed if t not in one_series]
        first = placed[0]
        for thing in placed[1:]:
            label = members[thing]
            where = ctx.where(thing, ox.NamedNode(SKOS + "prefLabel"), label)
            out.append(ctx.problem(where, "warning", "duplicate-label",
                                   f"{ctx.short(thing)} has the same label as {ctx.short(first)}: {ctx.short(label)}",
                                   "if they are one thing, keep one IRI and replace the other everywhere; "
                                   "if not, make the labels tell them apart"))
    return out


def _place(where) -> tuple:
    return (where.path, where.line, where.column)
