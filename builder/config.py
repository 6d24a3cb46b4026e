"""The site's configuration: `kb/site.toml` in, a frozen `SiteConfig` (or problems) out."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
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

    @property
    def id_ns(self) -> str:
        """The `id:` namespace: base_url + "id/"."""
        return self.base_url + "id/"

    @property
    def default_language(self) -> str:
        return self.languages[0]


def _line_of(text: str, key: str) -> int:
    """Find the 1-based line where a key is written (tomllib gives no positions)."""
    pattern = re.compile(rf"^\s*(\[\s*)?{re.escape(key)}\s*(=|\])", re.M)
    m = pattern.search(text)
    return text.count("\n", 0, m.start()) + 1 if m else 1


def load_config(kb_dir: Path, display_dir: str) -> tuple[SiteConfig | None, list[Problem]]:
    """Read and validate `site.toml`; return the config or the problems that stop it."""
    path = kb_dir / "site.toml"
    shown = f"{display_dir.rstrip('/')}/site.toml"
    if not path.is_file():
        return None, [Problem(shown, 0, 0, "error", "missing-config", "site.toml is missing",
                              "every knowledge base needs a site.toml with base_url, languages and [title]")]
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, col = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
        return None, [Problem(shown, line, col, "error", "config-syntax", str(exc).split(" (at line")[0])]
    return _validate(data, text, shown)


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
    map_conf = data.get("map", {})
    if not isinstance(map_conf, dict) or set(map_conf) - {"tiles", "attribution"}:
        err("map", "bad-map", "[map] takes only tiles and attribution")
        map_conf = {}
    build_date = data.get("build_date", False)
    if not isinstance(build_date, bool):
        err("build_date", "bad-build-date", "build_date must be true or false")
    if problems:
        return None, problems
    extra = {k: v for k, v in (("map_tiles", map_conf.get("tiles")), ("map_attribution", map_conf.get("attribution"))) if v}
    return SiteConfig(base_url=base_url, languages=tuple(langs), title=dict(title), digits=dict(digits),
                      build_date=build_date, description=dict(data.get("description", {})), **extra), []
