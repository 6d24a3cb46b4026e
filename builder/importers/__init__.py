"""Importers: a data set (UCDP GED CSV, a Wikidata Query Service result, TimelineJS JSON, a GeoNames
gazetteer CSV) in, one new Turtle file under the knowledge base out.

`import_file()` is the library entry point; `add_arguments()` and `run()` are the thin command
`tarikh import FORMAT FILE [--kb DIR]`. An import never overwrites a file: it writes
`<kb>/imported/<name>.ttl` (or `<name>-2.ttl` …), and writes nothing at all when every event of
the data set is already in the knowledge base, so importing the same data twice changes nothing.
A gazetteer adds names, links and coordinates to the places the knowledge base has (and, when
asked, new places): the same rule holds for what it adds.
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from ..kb import open_kb
from ..problems import KBError, format_problems
from ..progress import Progress
from . import geonames, timelinejs, ucdp, wikidata
from .common import Draft, ImportFailure, KBIndex, Stats, check_syntax, render, slugify, write_new

FORMATS = {"ucdp": ucdp, "wikidata": wikidata, "timelinejs": timelinejs, "geonames": geonames}
LICENCES = {
    "ucdp": 'UCDP data, CC BY 4.0: cite "UCDP Georeferenced Event Dataset (GED) Global version {version}, '
            'Uppsala Conflict Data Program".',
    "wikidata": "Wikidata data, CC0 (public domain dedication).",
    "timelinejs": "",
    "geonames": "GeoNames data, CC BY 4.0: cite \"GeoNames geographical database, https://www.geonames.org/\".",
}

__all__ = ["FORMATS", "ImportFailure", "ImportResult", "add_arguments", "import_file", "run"]


@dataclass
class ImportResult:
    """What an import wrote (`path` is None when there was nothing new) and what it did."""

    path: Path | None
    turtle: str
    stats: Stats


IMPORT_STAGES = ("read", "load", "match", "write")


def import_file(fmt: str, file: str | Path, kb_dir: str | Path, *, lang: str | None = None,
                publisher: str | None = None, dataset_version: str | None = None,
                dry_run: bool = False, progress=None, add_places: bool = False,
                countries: list[str] | None = None, min_population: int | None = None) -> ImportResult:
    """Import a data file into a knowledge base as one new Turtle file.

    Raises ImportFailure when the file cannot be read as that format, and KBError when the
    knowledge base does not load (its labels must be read before anything is matched to them).
    `add_places`, `countries` and `min_population` are the gazetteer's: add the places the
    knowledge base does not have, of these countries (ISO codes) and at least this population.
    """
    module = FORMATS[fmt]
    path = Path(file)
    step = progress.step if progress is not None else (lambda name: None)
    step("read")
    try:
        data = module.read(path)
    except OSError as exc:
        raise ImportFailure(f"cannot read the file: {exc.strerror or exc}") from None
    step("load")
    kb = open_kb(kb_dir)
    if kb.config is None or any(p.is_error for p in kb.problems):
        raise KBError(kb.problems)
    step("match")
    options = SimpleNamespace(file=str(path), lang=lang, publisher=publisher, dataset_version=dataset_version,
                              store=kb.store, add_places=add_places, countries=countries,
                              min_population=min_population)
    draft = Draft(KBIndex.from_store(kb.store, kb.id_ns))
    module.populate(data, draft, options)
    if not draft.stats.new_events:
        return ImportResult(None, "", draft.stats)
    what = (f"{draft.stats.new_events} places given names, links or coordinates, or added" if fmt == "geonames"
            else f"{draft.stats.new_events} events")
    header = [f"Imported by `tarikh import {fmt}` from {path.name}: {what}.",
              LICENCES[fmt].format(version=dataset_version or "23.1"),
              "Edit freely: a new import adds to a place only what it lacks, in a new file." if fmt == "geonames" else
              "Edit freely: a new import skips every event the knowledge base already describes, in any file."]
    step("write")
    turtle = render(draft, [h for h in header if h])
    check_syntax(turtle, kb.id_ns)
    if dry_run:
        return ImportResult(None, turtle, draft.stats)
    return ImportResult(write_new(kb.root, slugify(path.stem) or fmt, turtle), turtle, draft.stats)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of `tarikh import` (including --kb)."""
    parser.add_argument("format", choices=sorted(FORMATS), help="the format of FILE")
    parser.add_argument("file", metavar="FILE", help="the data file to import")
    parser.add_argument("--kb", default="kb", help="knowledge-base folder (holds site.toml and the Turtle files)")
    parser.add_argument("--lang", help="language of the file's labels where it does not say (default: en)")
    parser.add_argument("--publisher",
                        help="timelinejs: who published the timeline (default: the title slide's credit)")
    parser.add_argument("--dataset-version", default="23.1",
                        help="ucdp: the GED version the file comes from (default: 23.1)")
    parser.add_argument("--add-places", action="store_true",
                        help="geonames: also add the gazetteer's places the knowledge base does not have")
    parser.add_argument("--country", metavar="CODES",
                        help="geonames, with --add-places: only places of these countries (ISO codes: SY,IQ)")
    parser.add_argument("--min-population", metavar="N", type=int,
                        help="geonames, with --add-places: only places of at least N inhabitants")
    parser.add_argument("--dry-run", action="store_true", help="print the Turtle instead of writing a file")


def run(args) -> int:
    """Run `tarikh import`; print what was written; return the exit code."""
    if not Path(args.kb).is_dir():
        print(f"tarikh: error: no knowledge-base folder at {args.kb}", file=sys.stderr)
        return 2
    add_places = getattr(args, "add_places", False)
    country, least = getattr(args, "country", None), getattr(args, "min_population", None)
    if (country is not None or least is not None) and not add_places:
        print("tarikh: error: --country and --min-population choose the places --add-places adds: "
              "give --add-places too (without it, an import adds no place)", file=sys.stderr)
        return 2
    if add_places and args.format != "geonames":
        print("tarikh: error: --add-places is for a gazetteer (tarikh import geonames)", file=sys.stderr)
        return 2
    countries = None
    if country is not None:
        countries = [c.strip().upper() for c in country.split(",") if c.strip()]
        bad = [c for c in countries if not (len(c) == 2 and c.isascii() and c.isalpha())]
        if bad or not countries:
            print(f"tarikh: error: --country takes two-letter ISO country codes separated by commas (SY,IQ), "
                  f"not {country!r}", file=sys.stderr)
            return 2
    if least is not None and least < 0:
        print(f"tarikh: error: --min-population must be 0 or more, not {least}", file=sys.stderr)
        return 2
    try:
        with Progress("importing", IMPORT_STAGES) as progress:  # on a terminal, after a second
            result = import_file(args.format, args.file, args.kb, lang=args.lang, publisher=args.publisher,
                                 dataset_version=args.dataset_version, dry_run=args.dry_run, progress=progress,
                                 add_places=add_places, countries=countries, min_population=least)
    except ImportFailure as exc:
        print(f"tarikh: error: {args.file}: {exc}", file=sys.stderr)
        return 2
    except KBError as exc:
        print(format_problems(exc.problems), file=sys.stderr)
        print(f"tarikh: nothing was imported: {args.kb} must load without errors first", file=sys.stderr)
        return 1
    if args.dry_run and result.turtle:
        sys.stdout.write(result.turtle)
    print(getattr(FORMATS[args.format], "summary", summary)(result, args.kb), file=sys.stderr)
    return 0


def summary(result: ImportResult, kb: str) -> str:
    """What the import did, in a few lines."""
    s = result.stats
    if result.path is not None:
        shown = Path(kb) / result.path.parent.name / result.path.name
        lines = [f"imported {s.new_events} new event(s) into {shown}"]
    elif result.turtle:
        lines = [f"{s.new_events} new event(s) (dry run: nothing written)"]
    else:
        lines = [f"nothing new to import: {kb} already has every event of the file"]
    if s.present:
        lines.append(f"  {s.present} already in the knowledge base, skipped")
    if s.matched:
        lines.append(f"  {len(s.matched)} actor(s), place(s) or type(s) matched to ones the knowledge base has")
    return "\n".join(lines + s.closing_lines())
