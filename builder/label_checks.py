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
from .namespaces import RDF, SEM, SKOS, TL
from .problems import Problem
from .shape_problems import unique_lang_problems

LABEL_CHECK = shacl.Check("", "uniqueLang", "two-labels-one-language", "", "error", SKOS + "prefLabel")


def label_problems(ctx) -> list[Problem]:
    """Two prefLabels in one language; things without a label in a site language; shared labels."""
    by_thing = defaultdict(list)
    for s, label in ctx.rows("check_labels"):
        by_thing[s].append(label)
    # one label per value and language: the same one written in two files is one triple of the set
    pairs = [(s, label, LABEL_CHECK) for s, labels in by_thing.items() for label in labels
             if len({x.value for x in labels if x.language == label.language}) > 1]
    out = unique_lang_problems(ctx, pairs)
    out += _missing_languages(ctx, by_thing)
    out += _shared_labels(ctx, by_thing)
    out += _script_mismatches(ctx)
    return out


# Languages written in one script only, as far as a label goes: text tagged with one of these
# whose letters are none of them in that script is tagged with the wrong language. Languages
# written in more than one script (Kurdish, Azerbaijani, Uzbek, Malay, Punjabi, Hausa …) are
# left out, as is every language not listed: no warning where the checker cannot be sure.
ARABIC_SCRIPT = frozenset("ar fa ur ps sd ug ckb prs pnb arz apc acm ajp ary aeb arq afb ayl acw apd shu "
                          "ars abv acq acx adf aeb aao ssh glk mzn lrc bal bqi hnd skr".split())
LATIN_SCRIPT = frozenset("en fr de es it pt nl ca eu gl sq hr sl sk cs pl ro hu fi et lv lt is ga cy "
                         "gd br da sv nb nn no mt tr vi id sw so yo ig zu xh af lb fo oc co la eo tl "
                         "haw mi sm to wo rw ln lg".split())
SCRIPT_NAMES = {"Arab": ("ARABIC", "Arabic"), "Latn": ("LATIN", "Latin")}


def expected_script(tag: str) -> str | None:
    """The script ("Arab" or "Latn") text tagged so is written in, or None when not known: a
    script subtag says it (ar-Latn is Latin), else the language (ar, fa, ur: Arabic; en, fr,
    de: Latin)."""
    parts = tag.split("-")
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            return part.title() if part.title() in SCRIPT_NAMES else None
        if len(part) == 1:  # an extension or private use: the rest is not a script
            break
    language = parts[0].lower()
    return "Arab" if language in ARABIC_SCRIPT else "Latn" if language in LATIN_SCRIPT else None


def letters_fit(text: str, script: str) -> bool:
    """True unless the text has letters and none of them is in the script: an Arabic label with
    Latin digits, or an English one quoting an Arabic word, fits."""
    word = SCRIPT_NAMES[script][0]
    seen = False
    for c in text:
        if c.isalpha():
            if unicodedata.name(c, "").startswith(word):
                return True
            seen = True
    return not seen


def _script_mismatches(ctx) -> list[Problem]:
    """A warning for a text whose letters are all in another script than its language tag's:
    Arabic tagged @en, English tagged @ar (most often a tag copied from the line above)."""
    out = []
    for s, p, o in ctx.rows("check_label_scripts"):
        script = expected_script(o.language)
        if script is None or letters_fit(o.value, script):
            continue
        arabic = letters_fit(o.value, "Arab")
        if arabic:  # Arabic letters under a Latin-script tag
            hint = "tag it @ar (or the language it is written in: @fa, @ur …)"
        elif letters_fit(o.value, "Latn") and script == "Arab":
            hint = (f"tag it with the language it is written in (@en, @fr …); for {_language_name(o.language)} "
                    f"in Latin letters, @{o.language.split('-')[0]}-Latn")
        else:
            hint = "tag it with the language it is written in"
        out.append(ctx.problem(ctx.where(s, p, o), "warning", "label-script",
                               f"the {ctx.short(p)} {_brief(ctx.short(o))} of {_thing(ctx, s)} is tagged "
                               f"@{o.language} ({_language_name(o.language)}), but none of its letters is "
                               f"{SCRIPT_NAMES[script][1]}",
                               hint))
    return out


def _brief(text: str, most: int = 60) -> str:
    from .shape_problems import _brief as brief
    return brief(text, most)


def _thing(ctx, term) -> str:
    from .shape_problems import _thing as thing
    return thing(ctx, term)


def _missing_languages(ctx, by_thing: dict) -> list[Problem]:
    """A warning for each site language a thing has no label in; an error for an event labelled
    in none of them (kb-format: an event's label is "at least @en or @ar", the site's languages)."""
    out = []
    kinds: dict[str, set] = {}
    for thing, kind in ctx.rows("check_labelled_kinds"):
        kinds.setdefault(thing, set()).add(kind.value)
    languages = ctx.kb.config.languages
    for thing, of in kinds.items():
        have = {label.language.split("-")[0] for label in by_thing.get(thing, ()) if label.language}
        if not have or any(not label.language for label in by_thing.get(thing, ())):
            continue  # the shapes already say it has no label at all, or one without its language tag
        if SEM + "Event" in of and not have & set(languages):
            names = " or ".join(f"{_language_name(lang)} (@{lang})" for lang in languages)
            out.append(ctx.problem(ctx.where(thing), "error", "missing-label",
                                   f"event {ctx.short(thing)} has no label in {names}, the site's languages",
                                   f'add skos:prefLabel "…"@{languages[0]}'))
            continue
        for lang in languages:
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


def norm_label(text: str) -> str:
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
                groups[(label.language, norm_label(label.value))].setdefault(thing, label)
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
