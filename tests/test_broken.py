"""The corpus of broken knowledge bases: each tests/broken/<failure-mode>/ gives exactly its expected.txt.

Each folder holds a tiny kb/ (site.toml and Turtle) with one kind of mistake, and expected.txt:
the problems `tarikh check`'s checker reports, as printed (`path:line:column: severity: message`
and the hint), with paths relative to that folder.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from builder.check import check
from builder.kb import open_kb

CORPUS = Path(__file__).resolve().parent / "broken"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "expected.txt").is_file())


def test_the_corpus_has_a_case_per_failure_mode():
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES)
def test_broken_kb_gives_exactly_the_expected_problems(case, monkeypatch):
    monkeypatch.chdir(CORPUS / case)
    problems = sorted(check(open_kb("kb")))
    got = "\n".join(p.format() for p in problems)
    expected = (CORPUS / case / "expected.txt").read_text(encoding="utf-8").rstrip("\n")
    assert got == expected
    assert problems and all(p.line >= 1 and p.column >= 1 for p in problems)
