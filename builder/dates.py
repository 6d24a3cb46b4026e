"""Resolving dates: each dated thing's written and relative dates in, one interval of days out.

Input: a mapping from IRI to `DateInput` (its parsed EDTF literals, its relative dates, its
sources, where each is written). Output: IRI to `Resolved` (earliest and latest day numbers as
`builder.edtf` counts them, and what the page needs to show them), and a list of `Problem`s.
Pure: no RDF, no I/O. The rules are those of `spec/kb-format.md`, "Dates":

- a written EDTF date gives its bounds (qualifiers never widen them);
- an offset moves the anchor's interval (earliest offset for the earliest day, latest offset
  for the latest); a weekday runs from the last such weekday on or before the anchor's
  earliest day to the last one on or before its latest day;
- several statements intersect, then each bound moves inward to a named weekday;
- an open latest side is bounded by the latest publication day of the thing's own sources;
- a written interval (`a/b`) makes a span: the other statements then place its start; a span
  used as an anchor counts as its whole interval.

Chains of anchors resolve with an explicit stack of generators (no recursion), so any depth
works. A thing that fails gets no `Resolved`; things that depend on it fail silently, since
the first problem already stops the build.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Collection, Generator, Mapping
from dataclasses import dataclass, field

from .edtf import EDTF, weekday as weekday_of, xsd_date, ymd
from .problems import Problem


@dataclass(frozen=True)
class Where:
    """Where a statement is written (line and column 0 when unknown)."""

    path: str
    line: int = 0
    column: int = 0


NOWHERE = Where("", 0, 0)


@dataclass(frozen=True)
class Relative:
    """A `tl:relativeDate`: an anchor and an exact offset, an offset range, or a weekday."""

    anchor: str
    offset: int | None = None
    earliest_offset: int | None = None
    latest_offset: int | None = None
    weekday: int | None = None  # 0 = Monday … 6 = Sunday
    phrases: tuple[tuple[str, str], ...] = ()  # (lang, text), sorted
    where: Where = NOWHERE


@dataclass(frozen=True)
class DateInput:
    """Everything that dates one thing."""

    iri: str
    written: tuple[tuple[EDTF, Where], ...] = ()
    relatives: tuple[Relative, ...] = ()
    sources: tuple[str, ...] = ()
    where: Where | None = NOWHERE
    broken: bool = False  # a date of it was left out, its problem reported: it resolves to nothing, quietly


Bounds = tuple[int | None, int | None]


@dataclass(frozen=True)
class Resolved:
    """A thing's resolved interval of days and what the page needs to show it honestly."""

    iri: str
    earliest: int | None  # None only for an open or unknown end
    latest: int | None
    kind: str  # "point" (one unknown day in the bounds), "span" (lasted from..to), "one-of"
    written: EDTF | None = None  # the written statement shown (qualifiers, precision, time)
    relative: Relative | None = None  # the relative date that narrowed it most (exports name its anchor)
    weekday: int | None = None  # when a weekday constraint applies
    precision: str = "range"  # what the bounds amount to: "day", "month", "year", …, or "range"
    uncertain: bool = False
    approximate: bool = False
    time: str | None = None  # time of day as written ("10:00:00Z")
    start_bounds: Bounds | None = None  # spans: earliest..latest of the start
    end_bounds: Bounds | None = None  # spans: earliest..latest of the end
    open_start: bool = False
    open_end: bool = False
    unknown_start: bool = False
    unknown_end: bool = False
    relatives: tuple[Relative, ...] = field(default=())  # every relative date, in order: the page derives from each


# ---- durations ---------------------------------------------------------------------------------

_DURATION = re.compile(r"(-)?P(?:([0-9]+)Y)?(?:([0-9]+)M)?(?:([0-9]+)D)?"
                       r"(?:T(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9]+(?:\.[0-9]+)?)S)?)?")


def parse_duration_days(lexical: str) -> int:
    """Return a whole-day xsd:dayTimeDuration ("P1D", "-P2D") as a signed number of days.

    The value counts, not the spelling: stores write P0D as "PT0S" and PT48H as "P2D".
    """
    text = lexical.strip()
    m = _DURATION.fullmatch(text)
    if not m or text.lstrip("-") == "P" or text.endswith("T"):
        raise ValueError(f"{lexical!r} is not a duration; write whole days such as \"P1D\", \"-P2D\" or \"P0D\"")
    sign, years, months, days, hours, minutes, seconds = m.groups()
    if years or months:
        raise ValueError(f"{lexical!r} counts months or years, whose length varies; write whole days such as \"P30D\"")
    total = int(days or 0) * 86400 + int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(seconds or 0)
    if total % 86400:
        raise ValueError(f"{lexical!r} is not a whole number of days; offsets are days, such as \"P2D\" "
                         "(\"less than 48 hours before\" is tl:earliestOffset \"-P2D\", tl:latestOffset \"P0D\")")
    n = int(total // 86400)
    return -n if sign else n


# ---- statements --------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Stmt:
    """One dating statement reduced to bounds, with what is needed to name it in a message."""

    label: str
    earliest: int | None
    latest: int | None
    where: Where
    weekday: int | None = None


class _Mark:
    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


_MISSING, _UNDATED, _FAILED, _SKIP = (_Mark(n) for n in ("missing", "undated", "failed", "skip"))
Outcome = Resolved | _Mark


def interval_text(lo: int | None, hi: int | None) -> str:
    """Say an interval of days as ISO dates, for messages."""
    if lo is None and hi is None:
        return "no bound at all"
    if lo is None:
        return f"on or before {xsd_date(hi)}"
    if hi is None:
        return f"on or after {xsd_date(lo)}"
    return xsd_date(lo) if lo == hi else f"{xsd_date(lo)} to {xsd_date(hi)}"


def _shift(n: int | None, by: int | None) -> int | None:
    return None if n is None or by is None else n + by


def _last_weekday(n: int | None, wd: int) -> int | None:
    """The last day of weekday `wd` on or before day n."""
    return None if n is None else n - (weekday_of(n) - wd) % 7


def _apply(rel: Relative, lo: int | None, hi: int | None) -> Bounds:
    """The bounds a relative date gives, from its anchor's bounds."""
    if rel.weekday is not None:
        return _last_weekday(lo, rel.weekday), _last_weekday(hi, rel.weekday)
    if rel.offset is not None:
        return _shift(lo, rel.offset), _shift(hi, rel.offset)
    return _shift(lo, rel.earliest_offset), _shift(hi, rel.latest_offset)


def _shape_problem(rel: Relative) -> str | None:
    """Why a relative date is malformed, if it is."""
    kinds = [rel.offset is not None, rel.earliest_offset is not None or rel.latest_offset is not None,
             rel.weekday is not None]
    if sum(kinds) == 0:
        return ("a relative date needs tl:offset, tl:earliestOffset and/or tl:latestOffset, "
                "or time:dayOfWeek")
    if sum(kinds) > 1:
        return ("a relative date has one of: an exact tl:offset, an offset range "
                "(tl:earliestOffset, tl:latestOffset), or a time:dayOfWeek; this one has several")
    lo, hi = rel.earliest_offset, rel.latest_offset
    if lo is not None and hi is not None and lo > hi:
        return f"tl:earliestOffset ({lo} days) is later than tl:latestOffset ({hi} days)"
    return None


# ---- resolution of one thing (a generator that asks for what it depends on) ---------------------

@dataclass
class _Context:
    inputs: Mapping[str, DateInput]
    described: Collection[str] | None
    short: Callable[[str], str]
    problems: list[Problem]
    undated: dict[str, list[tuple[str, Relative]]] = field(default_factory=dict)  # anchor -> (thing, rel)

    def error(self, where: Where | None, code: str, message: str, hint: str = "") -> None:
        where = where or NOWHERE
        self.problems.append(Problem(where.path, where.line, where.column, "error", code, message, hint))


Request = tuple[str, Where | None, bool]  # (IRI, where it is asked for, optional)
Thinking = Generator[Request, Outcome, "Resolved | _Mark | None"]


def _resolve_one(inp: DateInput, ctx: _Context) -> Thinking:
    """Resolve one thing; yield each IRI it needs and receive its outcome."""
    if inp.broken:  # what counts from it is not reported again as counting from nothing
        return None
    if not inp.written and not inp.relatives:
        return _UNDATED
    used = yield from _relatives(inp, ctx)
    if used is None:
        return None
    stmts = [_Stmt(_relative_label(rel, ctx), *b, rel.where, rel.weekday) for rel, b in used]
    spans = [(e, w) for e, w in inp.written if e.kind == "interval"]
    points = [(e, w) for e, w in inp.written if e.kind != "interval"]
    stmts = [_Stmt(f'"{e.text}"', e.earliest, e.latest, w) for e, w in points] + stmts
    if spans:
        return _span(inp, spans, stmts, used, ctx)
    bounds = _intersect(inp, stmts, ctx)
    if bounds is None:
        return None
    if bounds[1] is None:
        bounds = yield from _bound_by_sources(inp, bounds, ctx)
        if bounds is None:
            return None
    bounds = _weekdays_inward(inp, stmts, bounds, ctx)
    if bounds is None or not _has_bound(inp, bounds, ctx):
        return None
    return _point(inp, points, used, bounds)


def _relatives(inp: DateInput, ctx: _Context) -> Generator[Request, Outcome, list | None]:
    """Each relative date with the bounds it gives; None when any of them cannot be resolved."""
    used = []
    for rel in inp.relatives:
        bounds = yield from _relative_bounds(inp, rel, ctx)
        used.append((rel, bounds))
    return None if any(b is None for _, b in used) else used


def _relative_bounds(inp: DateInput, rel: Relative, ctx: _Context) -> Generator[Request, Outcome, Bounds | None]:
    """The bounds one relative date gives, or None after reporting why it cannot."""
    why = _shape_problem(rel)
    if why:
        ctx.error(rel.where, "bad-relative-date", f"{ctx.short(inp.iri)}: {why}")
        return None
    anchor = yield rel.anchor, rel.where, False
    if anchor is _FAILED:
        return None
    if anchor is _MISSING or anchor is _UNDATED:
        _report_anchor(inp, rel, anchor, ctx)
        return None
    return _apply(rel, anchor.earliest, anchor.latest)


def _report_anchor(inp: DateInput, rel: Relative, outcome: _Mark, ctx: _Context) -> None:
    a, t = ctx.short(rel.anchor), ctx.short(inp.iri)
    if outcome is _MISSING:
        ctx.error(rel.where, "missing-anchor",
                  f"the relative date of {t} counts from {a}, which is never described",
                  "check the spelling of the tl:anchor IRI")
    else:  # said once per anchor, when every thing counting from it is known (_report_undated)
        ctx.undated.setdefault(rel.anchor, []).append((inp.iri, rel))


MOST_NAMED = 5  # dependents an anchor-undated problem names before "and N more"


def _report_undated(ctx: _Context, locate: Callable[[str], Where | None]) -> None:
    """One problem per anchor without a date: at the relative date when one thing counts from it,
    at the anchor itself, naming what counts from it, when several do (a source without its
    dcterms:issued that five events count from is one mistake, not five)."""
    for anchor, users in sorted(ctx.undated.items()):
        a = ctx.short(anchor)
        hint = f"give {a} a dcterms:date (dcterms:issued for a source) or a tl:relativeDate"
        if len(users) == 1:
            thing, rel = users[0]
            ctx.error(rel.where, "anchor-undated",
                      f"the relative date of {ctx.short(thing)} counts from {a}, which has no date", hint)
            continue
        users.sort(key=lambda u: (u[1].where.path, u[1].where.line, u[1].where.column, u[0]))
        names = list(dict.fromkeys(ctx.short(thing) for thing, _ in users))
        shown = ", ".join(names[:MOST_NAMED]) + (f" and {len(names) - MOST_NAMED} more" if len(names) > MOST_NAMED else "")
        where = locate(anchor)
        ctx.error(where if where and where.line else users[0][1].where, "anchor-undated",
                  f"{a} has no date, and {len(users)} relative dates count from it: {shown}", hint)


def _relative_label(rel: Relative, ctx: _Context) -> str:
    phrase = next((text for lang, text in rel.phrases if lang.startswith("en")),
                  rel.phrases[0][1] if rel.phrases else "")
    quoted = f' "{phrase}"' if phrase else ""
    return f"the relative date{quoted} from {ctx.short(rel.anchor)}"


def _intersect(inp: DateInput, stmts: list[_Stmt], ctx: _Context) -> Bounds | None:
    """Intersect statements; report the first that leaves nothing, naming what it disagrees with."""
    lo = hi = None
    lo_by = hi_by = None
    for s in stmts:
        if s.earliest is not None and (lo is None or s.earliest > lo):
            lo, lo_by = s.earliest, s
        if s.latest is not None and (hi is None or s.latest < hi):
            hi, hi_by = s.latest, s
        if lo is not None and hi is not None and lo > hi:
            other = hi_by if lo_by is s else lo_by
            ctx.error(s.where, "empty-intersection",
                      f"the dates of {ctx.short(inp.iri)} disagree: {s.label} gives "
                      f"{interval_text(s.earliest, s.latest)}, but {other.label} gives "
                      f"{interval_text(other.earliest, other.latest)}",
                      "correct one of them, or drop the one the sources do not support")
            return None
    return lo, hi


def _bound_by_sources(inp: DateInput, bounds: Bounds, ctx: _Context) -> Generator[Request, Outcome, Bounds | None]:
    """Bound an open latest side by the latest publication day of the thing's own sources."""
    days = []
    failed = False
    for source in inp.sources:
        r = yield source, inp.where, True
        if isinstance(r, Resolved) and r.latest is not None:
            days.append(r.latest)
        failed = failed or r is _FAILED
    if not days:
        # a source whose date was left out for its error: the thing is not reported again for
        # having no bound (its own dates said nothing more)
        return None if failed and bounds == (None, None) else bounds
    latest = max(days)
    if bounds[0] is not None and bounds[0] > latest:
        ctx.error(inp.where, "empty-intersection",
                  f"the dates of {ctx.short(inp.iri)} disagree: it is on or after {xsd_date(bounds[0])}, "
                  f"but its sources were published by {xsd_date(latest)}",
                  "a thing cannot be reported before it happens: check its dates and sources")
        return None
    return bounds[0], latest


def _weekdays_inward(inp: DateInput, stmts: list[_Stmt], bounds: Bounds, ctx: _Context) -> Bounds | None:
    """Move each bound inward to the nearest day of each weekday named."""
    lo, hi = bounds
    for s in stmts:
        if s.weekday is None:
            continue
        if lo is not None:
            lo += (s.weekday - weekday_of(lo)) % 7
        hi = _last_weekday(hi, s.weekday)
        if lo is not None and hi is not None and lo > hi:
            ctx.error(s.where, "empty-intersection",
                      f"the dates of {ctx.short(inp.iri)} disagree: {s.label} names a "
                      f"{_WEEKDAY_NAMES[s.weekday]}, and none falls within {interval_text(*bounds)}",
                      "correct the weekday or the other dates")
            return None
    return lo, hi


_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _has_bound(inp: DateInput, bounds: Bounds, ctx: _Context) -> bool:
    if bounds != (None, None):
        return True
    ctx.error(inp.where, "no-bound", f"{ctx.short(inp.iri)} has neither an earliest nor a latest day",
              "give it a date, or a relative date whose anchor is dated, or a dated source")
    return False


def _narrowest(items: list, bounds_of: Callable) -> object | None:
    """The first item with the fewest open bounds, then the fewest days."""
    def width(item) -> tuple[int, int]:
        lo, hi = bounds_of(item)
        return (lo is None) + (hi is None), (hi - lo if lo is not None and hi is not None else 0)
    return min(items, key=width) if items else None


def _point(inp: DateInput, points: list, used: list, bounds: Bounds) -> Resolved:
    """Make the Resolved of a point (or one-of) thing from its final bounds."""
    written = _narrowest([e for e, _ in points], lambda e: (e.earliest, e.latest))
    rel = _narrowest(used, lambda u: u[1])
    weekdays = [r.weekday for r, _ in used if r.weekday is not None]
    lo, hi = bounds
    time = written.time if written and written.time and lo == hi == written.earliest else None
    return Resolved(
        inp.iri, lo, hi, "one-of" if written and written.kind == "one-of" else "point",
        written=written, relative=rel[0] if rel else None, weekday=weekdays[0] if weekdays else None,
        precision=_precision(lo, hi, written, bool(weekdays)), uncertain=any(e.uncertain for e, _ in points),
        approximate=any(e.approximate for e, _ in points), time=time,
        relatives=tuple(r for r, _ in used))


def _precision(lo: int | None, hi: int | None, written: EDTF | None, weekday: bool = False) -> str:
    """What a point's bounds amount to, never more precise than they are."""
    if lo == hi and lo is not None:
        return "day"
    if lo is None or hi is None or weekday:
        return "range"  # "a Wednesday between …" even when the bounds fill a month
    if written is not None and written.kind == "date" and (written.earliest, written.latest) == (lo, hi):
        return written.precision
    (y0, m0, d0), (y1, m1, d1) = ymd(lo), ymd(hi)
    if (m0, d0, m1, d1) == (1, 1, 12, 31) and y0 == y1:
        return "year"
    if y0 == y1 and m0 == m1 and d0 == 1 and ymd(hi + 1)[2] == 1:
        return "month"
    if written is not None and written.kind == "one-of" and (written.earliest, written.latest) == (lo, hi):
        # a range written in years or months ("[-0499..-0496]") is said in them ("between 500 BCE
        # and 497 BCE"), never in days the file does not give ("1 January 500 BCE")
        ends = {written.start.precision, written.end.precision}
        if not ends & {"day", "days"}:
            return "years" if ends <= {"year", "decade", "century", "millennium", "years"} else "months"
    return "range"


def _span(inp: DateInput, spans: list, stmts: list[_Stmt], used: list, ctx: _Context) -> Resolved | None:
    """Resolve a thing written as an interval: its other statements place its start."""
    first = spans[0][0]
    starts = [_Stmt(f'"{e.text}"', e.start.earliest, e.start.latest, w) for e, w in spans if e.start]
    ends = [_Stmt(f'"{e.text}"', e.end.earliest, e.end.latest, w) for e, w in spans if e.end]
    start = _intersect(inp, starts + stmts, ctx)
    end = _intersect(inp, ends, ctx) if start is not None else None
    if start is None or end is None:
        return None
    start = _weekdays_inward(inp, stmts, start, ctx)
    if start is None or not _has_bound(inp, (start[0], end[1]), ctx):
        return None
    if start[0] is not None and end[1] is not None and start[0] > end[1]:
        ctx.error(spans[0][1], "empty-intersection",
                  f"the dates of {ctx.short(inp.iri)} disagree: it starts {interval_text(*start)} "
                  f"but ends {interval_text(*end)}")
        return None
    rel = _narrowest(used, lambda u: u[1])
    weekdays = [r.weekday for r, _ in used if r.weekday is not None]
    return Resolved(
        inp.iri, start[0], end[1], "span", written=first, relative=rel[0] if rel else None,
        weekday=weekdays[0] if weekdays else None, precision=first.precision,
        uncertain=first.uncertain, approximate=first.approximate, start_bounds=start, end_bounds=end,
        open_start=first.open_start, open_end=first.open_end, unknown_start=first.unknown_start,
        unknown_end=first.unknown_end, relatives=tuple(r for r, _ in used))


# ---- the driver ----------------------------------------------------------------------------------

def resolve(inputs: Mapping[str, DateInput], described: Collection[str] | None = None,
            short: Callable[[str], str] | None = None,
            locate: Callable[[str], Where | None] | None = None) -> tuple[dict[str, Resolved], list[Problem]]:
    """Resolve every thing's dates; return the resolved intervals and the problems found.

    `described` (optional) is every IRI the knowledge base describes, so that an anchor without
    a date is told apart from one never described; without it, an anchor missing from `inputs`
    is reported as `missing-anchor`. `short` renders an IRI for messages (a prefixed name);
    `locate` says where a thing is described, for an anchor without a date that several things
    count from (by default, where its own dates are written, if any).
    """
    ctx = _Context(inputs, described, short or str, [])
    done: dict[str, Outcome] = {}
    for root in sorted(inputs):
        if root not in done:
            _drive(root, ctx, done)
    _report_undated(ctx, locate or (lambda iri: inputs[iri].where if iri in inputs else None))
    resolved = {iri: r for iri, r in sorted(done.items()) if isinstance(r, Resolved)}
    return resolved, ctx.problems


def _drive(root: str, ctx: _Context, done: dict[str, Outcome]) -> None:
    """Run the resolution of `root` and of all it depends on, with an explicit stack."""
    stack: list[tuple[str, Thinking]] = [(root, _resolve_one(ctx.inputs[root], ctx))]
    depth = {root: 0}
    reply: Outcome | None = None
    while stack:
        iri, thinking = stack[-1]
        try:
            dep, where, optional = thinking.send(reply)
        except StopIteration as stop:
            stack.pop()
            del depth[iri]
            done[iri] = reply = stop.value if stop.value is not None else _FAILED
            continue
        reply = _known(dep, where, optional, stack, depth, ctx, done)
        if reply is None:
            depth[dep] = len(stack)
            stack.append((dep, _resolve_one(ctx.inputs[dep], ctx)))


def _known(dep: str, where: Where | None, optional: bool, stack: list, depth: dict,
           ctx: _Context, done: dict[str, Outcome]) -> Outcome | None:
    """The outcome of a dependency when it is known now; None when it must be resolved first."""
    if dep in done:
        return done[dep]
    if dep in depth:
        if optional:
            return _SKIP
        cycle = [name for name, _ in stack[depth[dep]:]] + [dep]
        ctx.error(where, "date-cycle",
                  "these dates depend on each other in a cycle: " + " → ".join(ctx.short(i) for i in cycle),
                  "one of them needs a date of its own (dcterms:date, or dcterms:issued for a source)")
        return _FAILED
    if dep not in ctx.inputs:
        return _UNDATED if ctx.described is not None and dep in ctx.described else _MISSING
    return None


# ---- ordering and grouping -----------------------------------------------------------------------

def placement(r: Resolved) -> Bounds:
    """Return the days that place a thing on a timeline: where it is listed and how it sorts.

    A span is placed by its start, or by its end when its start is unknown; anything else by
    its whole interval. A side left open is replaced by the known one: "on or before 10 March
    2023" is placed at 10 March 2023, "from 15 November 2019, end unknown" at its first day.
    """
    if r.kind == "span":
        lo, hi = r.start_bounds or (None, None)
        if lo is None and hi is None:
            lo, hi = r.end_bounds or (None, None)
    else:
        lo, hi = r.earliest, r.latest
    return (hi if lo is None else lo), (lo if hi is None else hi)


def extent(r: Resolved) -> Bounds:
    """Return the first and last day a thing may touch, an open side replaced by the known one.

    This is the interval that decides on which year pages a thing lasting several years is
    listed; an open end (a span still going, "on or before") adds no years of its own.
    """
    lo, hi = placement(r)
    if r.earliest is not None and (lo is None or r.earliest < lo):
        lo = r.earliest
    if r.latest is not None and (hi is None or r.latest > hi):
        hi = r.latest
    return lo, hi


def group_key(r: Resolved) -> tuple[int | None, int | None, int | None]:
    """Return (year, month, day) of the most precise calendar unit holding the whole placement.

    Parts are None when no single unit holds it: a month precision date gives (year, month,
    None), never its first day; a date across years (`201X`, one day between 30 December and
    2 January) gives (None, None, None) and is listed from the year it may start in
    (`start_year`).
    """
    lo, hi = placement(r)
    if lo is None or hi is None:
        return None, None, None
    (y0, m0, d0), (y1, m1, d1) = ymd(lo), ymd(hi)
    if y0 != y1:
        return None, None, None
    if m0 != m1:
        return y0, None, None
    return y0, m0, d0 if d0 == d1 else None


def start_year(r: Resolved) -> int | None:
    """Return the year a thing is listed under: the year its placement starts in."""
    lo, _ = placement(r)
    return None if lo is None else ymd(lo)[0]


def sort_key(r: Resolved) -> tuple:
    """Return the timeline order: by placement (its start where known, else its end), then the
    latest day (open last), time of day, IRI."""
    lo, hi = placement(r)
    latest = (1, 0) if r.latest is None else (0, r.latest)
    return lo if lo is not None else 0, hi if hi is not None else 0, latest, r.time or "", r.iri
