"""The benchmark's results (the dicts `benchmarks/run.py` makes) in, Markdown tables out.

    python -m benchmarks.report RESULTS.json [MORE.json ...]   # sizes from several runs, merged
"""
from __future__ import annotations

import json
import sys


def _fmt(v, unit: str = "s") -> str:
    if v is None:
        return "—"
    if unit == "s":
        return f"{v:.2f} s"
    if unit == "ms":
        return f"{v:.1f} ms"
    if unit == "mb":
        return f"{v / 1024:.2f} GB" if v >= 1024 else f"{v:.0f} MB"
    return f"{v:,}" if isinstance(v, int) else str(v)


def build_time(r: dict) -> float | None:
    """The full build's time without the search stage (when the build runs Pagefind itself)."""
    b = r.get("full_build") or {}
    return round(b["best_s"] - (b.get("stages") or {}).get("search", 0.0), 3) if b.get("best_s") else None


def table(results: list[dict]) -> str:
    """The results as a Markdown table: one row per measurement, one column per size."""
    def get(r, *keys):
        for k in keys:
            r = r.get(k) if isinstance(r, dict) else None
        return r

    def ratio(r):
        t, h = build_time(r), get(r, "hugo", "best_s")
        if t and get(r, "hugo", "stopped_over_memory_mb"):
            return "Hugo did not finish"
        return f"{t / h:.2f}×" if t and h else "—"

    def hugo_time(r):
        if (cap := get(r, "hugo", "stopped_over_memory_mb")):
            return f"stopped past {_fmt(cap, 'mb')} after {_fmt(max(get(r, 'hugo', 'all_s') or [0]))}"
        return _fmt(get(r, "hugo", "best_s"))

    def mem(r, what):
        p = get(r, what, "peak") or {}
        return (f"{_fmt(p.get('max_single_rss_mb'), 'mb')} / {_fmt(p.get('sum_rss_mb'), 'mb')} / "
                f"{_fmt(p.get('sum_pss_mb'), 'mb')}") if p else "—"

    def written(r, what):
        w = get(r, what, "written")
        return f"{_fmt(get(r, what, 'best_s'))} ({w:,} files written)" if w is not None else _fmt(get(r, what, "best_s"))

    rows = [("triples (asserted)", lambda r: _fmt(get(r, "kb", "triples"), "n")),
            ("pages (HTML) / files", lambda r: f"{_fmt(get(r, 'site', 'html_pages'), 'n')} / {_fmt(get(r, 'site', 'files'), 'n')}"),
            ("**full build** (`tarikh build`)", lambda r: written(r, "full_build")),
            ("  the same without its search stage", lambda r: _fmt(build_time(r)))]
    rows += [("search index on its own (`python -m pagefind`)", lambda r: _fmt(get(r, "search", "best_s"))),
             ("rebuild, nothing changed", lambda r: written(r, "no_change_rebuild")),
             ("**rebuild after a one-file edit**", lambda r: written(r, "incremental")),
             ("`tarikh serve`, the same edit: page shows it / new site in place",
              lambda r: f"{_fmt(get(r, 'serve_edit', 'shown_s'))} / {_fmt(get(r, 'serve_edit', 'site_s'))}"),
             ("`tarikh check`", lambda r: _fmt(get(r, "check", "best_s"))),
             ("`tarikh query`, first run (loads, derives, keeps the store)", lambda r: _fmt(get(r, "query_cli_first", "best_s")))]
    for name in ("actor-events", "actor-events-fast", "month-events", "month-events-fast", "disagreements",
                 "disagreements-saved"):
        rows.append((f"query {name}: in process / `tarikh query` (store kept)",
                     lambda r, name=name: f"{_fmt(get(r, 'query_in_process', 'queries', name, 'best_ms'), 'ms')} / "
                                          f"{_fmt(get(r, 'query_cli', name, 'best_s'))}"))
    rows += [("peak memory, build: max RSS / ΣRSS / ΣPSS", lambda r: mem(r, "full_build")),
             ("Hugo pages (HTML) / files", lambda r: f"{_fmt(get(r, 'hugo', 'site', 'html_pages'), 'n')} / {_fmt(get(r, 'hugo', 'site', 'files'), 'n')}"),
             ("Hugo (`hugo --quiet`)", hugo_time),
             ("peak memory, Hugo: max RSS / ΣRSS / ΣPSS", lambda r: mem(r, "hugo")),
             ("**Tarikh / Hugo**", ratio),
             ("limit: load + render + write", lambda r: " + ".join(_fmt(get(r, "limit", k)) for k in ("load_s", "render_s", "write_s"))
              + f" = {_fmt(get(r, 'limit', 'total_s'))}"),
             ("**full build / limit**", lambda r: f"{get(r, 'limit', 'build_over_limit') or '—'}×"),
             ("load average (1 min) during", lambda r: f"{r['load_start']:.1f} → {r['load_end']:.1f}")]
    head = "| | " + " | ".join(f"{r['events']:,} events" for r in results) + " |"
    lines = [head, "|---|" + "---|" * len(results)]
    lines += ["| " + name + " | " + " | ".join(fn(r) for r in results) + " |" for name, fn in rows]
    return "\n".join(lines)


def stage_table(results: list[dict]) -> str:
    """Each build's stages (from --timings), and the time outside them (start-up, swap, clean-up)."""
    kinds = [("full_build", "full"), ("no_change_rebuild", "no change"), ("incremental", "one-file edit")]
    cols = [(r, k, label) for r in results for k, label in kinds if (r.get(k) or {}).get("stages")]
    names = list(dict.fromkeys(s for r, k, _ in cols for s in r[k]["stages"] if s != "total"))
    lines = ["| stage | " + " | ".join(f"{r['events']:,}: {label}" for r, _, label in cols) + " |",
             "|---|" + "---|" * len(cols)]
    for name in names + ["total"]:
        lines.append(f"| {name} | " + " | ".join(_fmt(r[k]["stages"].get(name)) for r, k, _ in cols) + " |")
    lines.append("| outside the stages | " + " | ".join(
        _fmt(r[k]["best_s"] - r[k]["stages"].get("total", 0)) for r, k, _ in cols) + " |")
    lines.append("| wall (as run) | " + " | ".join(_fmt(r[k]["best_s"]) for r, k, _ in cols) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    sizes = [size for path in sys.argv[1:] for size in json.loads(open(path, encoding="utf-8").read())["sizes"]]
    sizes.sort(key=lambda r: r["events"])
    print(table(sizes))
    print()
    print(stage_table(sizes))
