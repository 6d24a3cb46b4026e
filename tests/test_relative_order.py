"""A thing with several relative dates reads the same however they are written or stored."""
from __future__ import annotations

import shutil
from pathlib import Path

from builder.site import build

SEED = Path(__file__).resolve().parent.parent / "kb"
FIRST = """    tl:relativeDate [
        tl:anchor id:src-mena-monitor-bukamal ;
        tl:latestOffset "P0D"^^xsd:dayTimeDuration ] ;
"""
SECOND = """    tl:relativeDate [
        tl:anchor id:ev-arrests-after-embassy-attack ;
        tl:earliestOffset "P0D"^^xsd:dayTimeDuration ;
        tl:phrase "مشيراً إلى عدم تنفيذ سوى عدد محدود من الاعتقالات"@ar ,
            "pointing out that only a limited number of arrests had been made"@en ] ;
"""


def test_two_relative_dates_written_in_either_order_give_the_same_pages(tmp_path):
    pages = []
    for name, swap in (("as-written", False), ("swapped", True)):
        kb = tmp_path / name / "kb"
        shutil.copytree(SEED, kb, ignore=shutil.ignore_patterns("locale"))
        events = kb / "events-2024.ttl"
        text = events.read_text(encoding="utf-8")
        assert FIRST + SECOND in text  # the seed's event with two relative dates
        if swap:
            events.write_text(text.replace(FIRST + SECOND, SECOND + FIRST), encoding="utf-8")
        build(kb, tmp_path / name / "out")
        page = tmp_path / name / "out" / "id" / "ev-senior-us-official-statement" / "index.html"
        pages.append(page.read_bytes())
    assert b"pointing out that only a limited number of arrests" in pages[0]
    assert pages[0] == pages[1]
