"""Opening a knowledge base: a folder in, a `KnowledgeBase` (config, files, store, load problems) out."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .config import SiteConfig, load_config
from .load import SourceFile, find_files, load_kb, unread_files
from .problems import Problem


@dataclass
class KnowledgeBase:
    """Everything read from `kb/`: nothing here is ever written back."""

    root: Path
    shown: str  # the folder as the user typed it
    config: SiteConfig | None
    files: list[SourceFile]
    store: ox.Store
    problems: list[Problem] = field(default_factory=list)
    origin: str = ""  # where the statements come from when not from files (a SPARQL endpoint's URL)

    @property
    def id_ns(self) -> str:
        return self.config.id_ns if self.config else "https://example.org/id/"


def open_kb(kb_dir: str | Path) -> KnowledgeBase:
    """Read site.toml and load every Turtle file; collect (never raise) their problems."""
    root = Path(kb_dir)
    shown = str(kb_dir).rstrip("/") or "."
    config, problems = load_config(root, shown)
    files = find_files(root, shown)
    base = config.id_ns if config else "https://example.org/id/"
    store, load_problems = load_kb(files, base)
    return KnowledgeBase(root, shown, config, files, store, problems + load_problems + unread_files(root, shown))
