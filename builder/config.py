"""The site's configuration: `kb/site.toml` in, a frozen `SiteConfig` (or problems) out."""
from __future__ import annotations

import os
import re
import time
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from .problems import Problem

KNOWN_KEYS = {"base_url", "languages", "title", "digits", "map", "build_date", "description"}
LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class SiteConfig:
    """What `site.toml` says, validated."""

    base_url: str
    languages: tuple[str, ...]
    title: dict[str, str]
    digits: dict[str, str] = field(default_factory=dict)
    map_tiles: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    map_attribution: str = "© OpenStreetMap contributors"
    build_date: bool = False
    description: dict[str, str] = field(default_factory=dict)
    built_on: int | None = None  # with build_date: the day of the build (days since 1970-01-01)

    @property
    def id_ns(self) -> str:
        """The `id:` namespace: base_url + "id/"."""
        return self.base_url + "id/"

    @property
    def default_language(self) -> str:
        return self.languages[0]


def _line_of(text: str, key: str) -> int:
    """Find the 1-based line where a key is written (tomllib gives no positions)."""
    pattern = re.compile(rf"^[ \t]*(\[\s*)?{re.escape(key)}\s*(=|\])", re.M)
    m = pattern.search(text)
    return text.count("\n", 0, m.start()) + 1 if m else 1


def _key_line(text: str, table: str, key: str) -> int:
    """The 1-based line of `key` in `[table]` (or written `table.key = …`); else the table's line."""
    dotted = re.search(rf"^[ \t]*{re.escape(table)}\s*\.\s*[\"']?{re.escape(key)}[\"']?\s*=", text, re.M)
    if dotted:
        return text.count("\n", 0, dotted.start()) + 1
    header = re.search(rf"^[ \t]*\[\s*{re.escape(table)}\s*\]", text, re.M)
    if header:
        rest = text[header.end():]
        next_table = re.search(r"^[ \t]*\[", rest, re.M)
        body = rest[:next_table.start()] if next_table else rest
        m = re.search(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?\s*=", body, re.M)
        if m:
            return text.count("\n", 0, header.end() + m.start()) + 1
    return _line_of(text, table)


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    """The 1-based line and column (in characters) of a byte offset."""
    before = raw[:offset]
    line_start = before.rfind(b"\n") + 1
    return before.count(b"\n") + 1, len(before[line_start:].decode("utf-8", "replace")) + 1


def load_config(kb_dir: Path, display_dir: str) -> tuple[SiteConfig | None, list[Problem]]:
    """Read and validate `site.toml`; return the config or the problems that stop it."""
    path = kb_dir / "site.toml"
    shown = f"{display_dir.rstrip('/')}/site.toml"
    if not path.is_file():
        return None, [Problem(shown, 0, 0, "error", "missing-config", "site.toml is missing",
                              "every knowledge base needs a site.toml with base_url, languages and [title]")]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _position(raw, exc.start)
        return None, [Problem(shown, line, col, "error", "encoding", f"site.toml is not UTF-8: {exc.reason}",
                              "save it as UTF-8")]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, col = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
        return None, [Problem(shown, line, col, "error", "config-syntax", str(exc).split(" (at line")[0])]
    config, problems = _validate(data, text, shown)
    if config is not None and config.build_date:
        config = replace(config, built_on=build_day())
    return config, problems


def build_day() -> int:
    """Today (UTC) as a day number, or the day of SOURCE_DATE_EPOCH where it is set (the
    reproducible-builds convention, so that a stamped build can still be made twice alike)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    seconds = int(epoch) if epoch.isdigit() else int(time.time())
    return seconds // 86400


def _validate(data: dict, text: str, shown: str) -> tuple[SiteConfig | None, list[Problem]]:
    problems: list[Problem] = []

    def err(key: str, code: str, message: str, hint: str = "") -> None:
        problems.append(Problem(shown, _line_of(text, key), 1, "error", code, message, hint))

    for key in sorted(set(data) - KNOWN_KEYS):
        err(key, "unknown-config-key", f"unknown key {key!r} in site.toml",
            "known keys: " + ", ".join(sorted(KNOWN_KEYS)))
    base_url = data.get("base_url")
    if not isinstance(base_url, str) or not re.match(r"^https?://[^/\s]+(/[^\s]*)?/$", base_url or ""):
        err("base_url", "bad-base-url", "base_url must be an http(s) URL ending in '/'",
            'for example base_url = "https://example.org/"')
    langs = data.get("languages")
    if not isinstance(langs, list) or not langs or not all(isinstance(x, str) and LANG_RE.match(x) for x in langs):
        err("languages", "bad-languages", "languages must be a non-empty list of language codes",
            'for example languages = ["en", "ar"]')
        langs = []
    elif len(set(langs)) != len(langs):
        err("languages", "bad-languages", "languages lists a language twice")
    title = data.get("title")
    if not isinstance(title, dict) or not all(isinstance(v, str) for v in title.values()):
        err("title", "bad-title", "[title] must give the site's title per language")
        title = {}
    for lang in langs:
        if lang not in title:
            err("title", "missing-title", f"[title] has no entry for {lang!r}")
    digits = data.get("digits", {})
    if not isinstance(digits, dict) or any(v not in ("arab", "latn", "arabext") for v in digits.values()):
        err("digits", "bad-digits", '[digits] values must be "arab", "arabext" or "latn"')
        digits = {}
    description = data.get("description", {})
    if not isinstance(description, dict) or not all(isinstance(v, str) for v in description.values()):
        err("description", "bad-description", "[description] must give the site's description per language")
        description = {}

    def unknown_in(table: str, key: str, known) -> None:
        problems.append(Problem(shown, _key_line(text, table, key), 1, "error", "unknown-config-key",
                                f"unknown key {key!r} in [{table}] of site.toml",
                                f"known keys in [{table}]: " + ", ".join(known)))

    if langs:  # a per-language table names only the site's languages: another name is most likely a typo
        for table, values in (("title", title), ("digits", digits), ("description", description)):
            for key in sorted(set(values) - set(langs)):
                unknown_in(table, key, langs)
    map_conf = data.get("map", {})
    if not isinstance(map_conf, dict):
        err("map", "bad-map", "[map] must be a table with tiles and attribution")
        map_conf = {}
    for key in sorted(set(map_conf) - {"tiles", "attribution"}):
        unknown_in("map", key, ["attribution", "tiles"])
    for key in ("tiles", "attribution"):
        if key in map_conf and not isinstance(map_conf[key], str):
            problems.append(Problem(shown, _key_line(text, "map", key), 1, "error", "bad-map",
                                    f"[map] {key} must be a string",
                                    'for example tiles = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"'
                                    if key == "tiles" else 'for example attribution = "© OpenStreetMap contributors"'))
    build_date = data.get("build_date", False)
    if not isinstance(build_date, bool):
        err("build_date", "bad-build-date", "build_date must be true or false")
    if problems:
        return None, problems
    extra = {k: v for k, v in (("map_tiles", map_conf.get("tiles")), ("map_attribution", map_conf.get("attribution"))) if v}
    return SiteConfig(base_url=base_url, languages=tuple(langs), title=dict(title), digits=dict(digits),
                      build_date=build_date, description=dict(description), **extra), []
