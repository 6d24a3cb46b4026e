"""Shared by the language tests: the seed knowledge base with a third language (Persian) added by
configuration alone — "fa" in languages, a [title] entry, and tests/fixtures/locale/fa.po copied to
kb/locale/fa.po — built by the command line."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SEED_KB

FIXTURE_PO = Path(__file__).parent / "fixtures" / "locale" / "fa.po"


def persian_kb(root: Path) -> Path:
    """Copy the seed under root and add Persian to it; return the new kb folder."""
    kb = root / "kb"
    shutil.copytree(SEED_KB, kb)
    toml = (kb / "site.toml").read_text(encoding="utf-8")
    toml = toml.replace('languages = ["en", "ar"]', 'languages = ["en", "ar", "fa"]')
    toml = toml.replace("[title]\n", '[title]\nfa = "عراق و سوریه، ۲۰۲۳–۲۰۲۴: گاه‌شمار"\n', 1)
    assert '"fa"' in toml, "the seed's site.toml no longer reads as this helper expects"
    (kb / "site.toml").write_text(toml, encoding="utf-8")
    (kb / "locale").mkdir(exist_ok=True)
    shutil.copy(FIXTURE_PO, kb / "locale" / "fa.po")
    return kb


def build_persian(root: Path) -> Path:
    """Build the Persian copy of the seed with `tarikh build`; return the output folder."""
    kb = persian_kb(root)
    out = root / "output"
    proc = subprocess.run([sys.executable, "-m", "builder.cli", "build", "--kb", str(kb), "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return out
