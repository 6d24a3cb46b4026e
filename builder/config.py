"""The site's configuration: `kb/site.toml` in, a frozen `SiteConfig` (or problems) out."""
from __future__ import annotations

import os
import re
import time
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import quote

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


def _syntax_hint(text: str, message: str, line: int, column: int) -> str:
    """Where to look when the parser noticed a mistake only further on: an array left open is
    noticed at the next key or table, or at the end; the array most likely ends on the last line
    with something written on it before there."""
    if not message.startswith("Unclosed array"):
        return ""
    lines = text.split("\n")[:line]
    if column == 1:
        lines = lines[:-1]  # the line it was noticed on starts what follows
    written = [i + 1 for i, s in enumerate(lines) if s.strip() and not s.strip().startswith("#")]
    if not written:
        return ""
    if column > 1:  # noticed at the end of the file
        return f"close the array with ']' at the end of line {written[-1]}"
    return (f"the parser notices a missing ']' only where what follows starts: close the array at the end "
            f"of line {written[-1]}")


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
        # "(at end of document)": after the last character that is not a line break, not at 1:1
        line, col = (int(m.group(1)), int(m.group(2))) if m else _position(raw, len(raw.rstrip(b"\r\n")))
        message = re.sub(r" \(at (line \d+, column \d+|end of document)\)$", "", str(exc))
        return None, [Problem(shown, line, col, "error", "config-syntax", message, _syntax_hint(text, message, line, col))]
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


BASE_URL_EXAMPLE = 'for example base_url = "https://example.org/" or "https://example.org/timeline/"'
# the ASCII an IRI may hold (RFC 3987: unreserved and reserved characters, and "%" for an escape)
_IRI_ASCII = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%")
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_CHAR_NAMES = {" ": "a space", '"': "a double quote", "<": "a '<'", ">": "a '>'", "\\": "a backslash",
               "{": "a '{'", "}": "a '}'", "|": "a '|'", "^": "a '^'", "`": "a backtick"}


def _iri_char(ch: str) -> bool:
    """Whether an IRI may hold the character (RFC 3987 ucschar past ASCII; not a space of any kind)."""
    if ch in _IRI_ASCII:
        return True
    c = ord(ch)
    if c < 0xA0 or ch.isspace():
        return False
    return (c <= 0xD7FF or 0xF900 <= c <= 0xFDCF or 0xFDF0 <= c <= 0xFFEF
            or (0x10000 <= c <= 0xEFFFD and c & 0xFFFF <= 0xFFFD and not 0xE0000 <= c <= 0xE0FFF))


def base_url_problem(value) -> tuple[str, str] | None:
    """What is wrong with a base_url (a message and a hint), or None.

    Every address of the site and every IRI of the knowledge base (the id: namespace is
    base_url + "id/") is built from it, so it must be an absolute http(s) IRI of a folder: a
    scheme, a host, a path ending in "/", no query or fragment, and no character an IRI cannot hold
    (a space, <>"{}|^`, a backslash, a control character), which would break every link and every
    `<...>` in Turtle made from it. Non-ASCII letters are fine (an IRI): the sitemap
    percent-encodes them (feeds.uri)."""
    if not isinstance(value, str) or not value:
        return "base_url must be an http(s) URL ending in '/'", BASE_URL_EXAMPLE
    m = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):(//)?", value)
    if m is None or m.group(1) not in ("http", "https") or not m.group(2):
        scheme = m.group(1) if m else ""
        if scheme.lower() in ("http", "https") and not m.group(2):
            message = f"base_url must start with {scheme.lower()}:// (two slashes after the colon)"
        elif scheme.lower() in ("http", "https"):
            message = f"base_url's scheme is written in lower case: {scheme.lower()}://, not {scheme}://"
        else:
            message = f"base_url must start with http:// or https:// (it has {f'{scheme}:' if scheme else 'no scheme'})"
        return message, BASE_URL_EXAMPLE
    for i, ch in enumerate(value):
        if not _iri_char(ch):
            c = ord(ch)
            name = _CHAR_NAMES.get(ch) or ("a control character" if c < 0x20 or 0x7F <= c < 0xA0 else
                                           "a space" if ch.isspace() else
                                           "a noncharacter" if 0xFDD0 <= c <= 0xFDEF or c & 0xFFFE == 0xFFFE else
                                           "a private-use character" if 0xE000 <= c <= 0xF8FF or c >= 0xF0000 else
                                           "a character")
            return (f"base_url holds {name} (U+{c:04X}) at character {i + 1}, which no web address may hold",
                    f"percent-encode it ({quote(ch, safe='')}) or leave it out: write https://host/path/")
    bad = _PERCENT.search(value)
    if bad:
        return (f"base_url holds a '%' at character {bad.start() + 1} that is not followed by two hex digits",
                "a '%' starts an escape such as %20; write '%' itself as %25")
    if "?" in value or "#" in value:
        mark = "?" if "?" in value else "#"
        return (f"base_url holds a '{mark}': it is the address of a folder, without a query or a fragment",
                f"write https://host/path/; a '{mark}' in a folder's name is written {quote(mark, safe='')}")
    scheme = m.group(1)
    authority, _, path = value[m.end():].partition("/")
    host = authority.rpartition("@")[2]  # after any user name
    if host.startswith("["):  # an IPv6 address
        address, close, port = host[1:].partition("]")
        host_ok, port = bool(address) and bool(close) and (not port or port.startswith(":")), port[1:]
    else:
        host, _, port = host.rpartition(":") if ":" in host else (host, "", "")
        host_ok = bool(host) and not re.search(r"[:\[\]]", host)
    if not host_ok:
        return (f"base_url has no host name after {scheme}:// (such as example.org)" if not host else
                f"base_url's host {host!r} is not a host name (an IPv6 address is written in [ ])",
                f'write {scheme}://host/path/, such as "https://example.org/timeline/"')
    if port and not port.isdigit():
        return f"base_url's port {port!r} is not a number", f"write {scheme}://host:8080/path/, or leave the port out"
    if "[" in path or "]" in path:
        return ("base_url holds a '[' or ']' in its path (they only enclose an IPv6 address)",
                "percent-encode them (%5B, %5D)")
    if not value.endswith("/"):
        return "base_url must end in '/' (it is the address of a folder)", f'write base_url = "{value}/"'
    return None


def _validate(data: dict, text: str, shown: str) -> tuple[SiteConfig | None, list[Problem]]:
    problems: list[Problem] = []

    def err(key: str, code: str, message: str, hint: str = "") -> None:
        problems.append(Problem(shown, _line_of(text, key), 1, "error", code, message, hint))

    for key in sorted(set(data) - KNOWN_KEYS):
        err(key, "unknown-config-key", f"unknown key {key!r} in site.toml",
            "known keys: " + ", ".join(sorted(KNOWN_KEYS)))
    base_url = data.get("base_url")
    found = base_url_problem(base_url)
    if found:
        err("base_url", "bad-base-url", *found)
    langs = data.get("languages")
    if not isinstance(langs, list) or not langs or not all(isinstance(x, str) and LANG_RE.match(x) for x in langs):
        err("languages", "bad-languages", "languages must be a non-empty list of language codes",
            'for example languages = ["en", "ar"]')
        langs = []
    elif len(set(langs)) != len(langs):
        err("languages", "bad-languages", "languages lists a language twice")
    def per_language(table: str, code: str, ok, what: str) -> dict:
        """The entries of a per-language table that are right; each wrong one is an error at its
        own line (a top-level key written below the table's header is read as part of it)."""
        values = data.get(table, {})
        good = {}
        for key, value in values.items():
            if ok(value):
                good[key] = value
                continue
            # a key of the whole site written below the table's header is read as part of it; a
            # language's own entry (ar = "arabic") is simply a wrong value
            hint = (f"TOML reads every key below [{table}] as part of [{table}]: "
                    f"if {key} is meant for the whole site, move it above the first [table] line"
                    if key in KNOWN_KEYS else "")
            problems.append(Problem(shown, _key_line(text, table, key), 1, "error", code,
                                    f"[{table}] {key!r} must be {what}", hint))
        return good

    title = data.get("title")
    if not isinstance(title, dict):
        err("title", "bad-title", "[title] must give the site's title per language")
        title = {}
    else:
        title = per_language("title", "bad-title", lambda v: isinstance(v, str),
                             "the site's title in that language, as text")
    for lang in langs:
        if lang not in title:
            err("title", "missing-title", f"[title] has no entry for {lang!r}")
    digits = data.get("digits", {})
    if not isinstance(digits, dict):
        err("digits", "bad-digits", '[digits] values must be "arab", "arabext" or "latn"')
        digits = {}
    else:
        digits = per_language("digits", "bad-digits", lambda v: v in ("arab", "latn", "arabext"),
                              '"arab", "arabext" or "latn"')
    description = data.get("description", {})
    if not isinstance(description, dict):
        err("description", "bad-description", "[description] must give the site's description per language")
        description = {}
    else:
        description = per_language("description", "bad-description", lambda v: isinstance(v, str),
                                   "the site's description in that language, as text")

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
