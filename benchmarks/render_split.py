"""Where rendering's CPU goes, by template: a knowledge base in, a table on stdout out.

The pages are laid out as a build lays them out; then, on one core, each page's context is made,
digested (what an incremental build compares) and rendered in turn, and the CPU time of each step
is summed by template, with the bytes written. Used to measure changes to views, fragments and
templates (docs/scale.md, "afternoon").

    python -m benchmarks.render_split KB_DIR [PAGES]
"""
from __future__ import annotations

import gc
import sys
import time
from collections import defaultdict
from functools import partial


def main(kb_dir: str, limit: int | None = None) -> None:
    import builder.render as R
    from builder import fragments, pagecache, site
    from builder.i18n import catalog_path
    from builder.kb import open_kb
    kb = open_kb(kb_dir)
    timings = site.Timings()
    _, _, _, laid = site._diagnose(kb, timings, beside=partial(site.lay_out, kb, timings=timings))
    if laid is None:
        raise SystemExit(f"{kb_dir}: the knowledge base has errors")
    _, pages, _ = laid
    gc.freeze()
    fragments.reset()
    for lang, template in sorted({(p.lang, p.template) for p in pages}):  # compiled before timing
        R.environment(lang, catalog=str(catalog_path(lang))).get_template(template)
    code = pagecache.code_digest(R.TEMPLATES, [catalog_path(lang) for lang in kb.config.languages])
    ctx, dig, ren = defaultdict(float), defaultdict(float), defaultdict(float)
    count, size = defaultdict(int), defaultdict(int)
    for page in pages[:limit]:
        a = time.process_time()
        context = R.page_context(page)
        b = time.process_time()
        pagecache.page_digest(page.path, page.template, page.lang, context, code)
        c = time.process_time()
        html = R.render(page, context)
        d = time.process_time()
        k = page.template
        ctx[k] += b - a
        dig[k] += c - b
        ren[k] += d - c
        count[k] += 1
        size[k] += len(html.encode("utf-8"))
    print(f"{'template':<20}{'pages':>7}{'context':>9}{'digest':>8}{'render':>8}{'MB':>8}")
    for k in sorted(count, key=lambda k: -(ctx[k] + ren[k])):
        print(f"{k:<20}{count[k]:>7}{ctx[k]:>9.2f}{dig[k]:>8.2f}{ren[k]:>8.2f}{size[k] / 1e6:>8.1f}")
    print(f"{'all, CPU s':<27}{sum(ctx.values()):>9.2f}{sum(dig.values()):>8.2f}{sum(ren.values()):>8.2f}"
          f"{sum(size.values()) / 1e6:>8.1f}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else None)
