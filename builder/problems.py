"""Problems found in a knowledge base: one dataclass, and how the CLI prints them.

Input: whatever a stage finds wrong. Output: `Problem` values that checks return (never print),
and their text or JSON rendering as `spec/contract.md` fixes it.
"""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass

# What a terminal must not be given raw from a knowledge base: control characters (they move the
# cursor, clear the screen, retitle the window) and the bidi embeddings, overrides and isolates
# (a U+202E in a label reverses the rest of its line in a terminal that lays out bidi text; the
# marks, U+200E, U+200F and U+061C, change no more than the letter beside them, and stay)
_UNSHOWN = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NAMES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def visible(text: str) -> str:
    """Text for a terminal: line breaks, other control characters and bidi controls written as
    escapes (`\\n`, `\\x1b`, `\\u202e`), so that a value keeps to its line and shows what it holds."""
    return _UNSHOWN.sub(lambda m: _NAMES.get(m.group()) or (f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                                                            else f"\\u{ord(m.group()):04x}"), text)


@dataclass(frozen=True, order=True)
class Problem:
    """One problem at a place in a file: `path:line:column: severity: message`."""

    path: str
    line: int
    column: int
    severity: str  # "error" | "warning"
    code: str  # stable kebab-case name, e.g. "unknown-iri"
    message: str
    hint: str = ""

    def __post_init__(self):
        # contract.md: line and column are 1-based. A problem of a file as a whole (a missing
        # site.toml, an unreadable file) is at its start, 1:1, never at 0.
        if self.line < 1 or self.column < 1:
            object.__setattr__(self, "line", max(1, self.line))
            object.__setattr__(self, "column", max(1, self.column))

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def format(self) -> str:
        """Render as the contract's text form: one line, then an indented hint."""
        text = f"{self.path}:{self.line}:{self.column}: {self.severity}: {visible(self.message)}"
        if self.hint:
            text += f"\n    hint: {visible(self.hint)}"
        return text


class KBError(Exception):
    """Raised by a stage that cannot go on; carries every problem found so far."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


def format_problems(problems: list[Problem], fmt: str = "text") -> str:
    """Render problems for the terminal (`text`) or for tools (`json`)."""
    ordered = sorted(problems)
    if fmt == "json":
        return json.dumps([asdict(p) for p in ordered], ensure_ascii=False, indent=2)
    return "\n".join(p.format() for p in ordered)


def has_errors(problems: list[Problem], strict: bool = False) -> bool:
    """True when the problems should stop a build (warnings count under --strict)."""
    return any(p.is_error or strict for p in problems)
