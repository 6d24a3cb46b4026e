"""Reading a built site as a reader would: pages, links, anchors (shared by the end-to-end tests)."""
from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.ids.add(a["name"])
        for key in ("href", "src"):
            if a.get(key) is not None:
                self.links.append(a[key])


def parse(path: Path) -> _Links:
    """Links and ids of one HTML file."""
    p = _Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def broken_links(site: Path, root: str = "/") -> list[str]:
    """Every internal link or #anchor that does not resolve, as 'page -> target'. A link from the
    server's root (the 404 page's, served at any address) starts from `root`, base_url's path."""
    parsed = {f.relative_to(site).as_posix(): parse(f) for f in site.rglob("*.html")}
    broken = []
    for page, info in parsed.items():
        for link in info.links:
            if re.match(r"^[a-z][a-z0-9+.-]*:", link, re.I):
                continue  # external (http, https, mailto): checked elsewhere for scheme only
            target, frag = urldefrag(link)
            if not target:
                resolved = page
            elif target.startswith("/"):
                resolved = posixpath.normpath(unquote(target.removeprefix(root))) if target.startswith(root) else "../"
            else:
                resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(target)))
            if resolved.startswith("../") or not (site / resolved).exists():
                broken.append(f"{page} -> {link}")
                continue
            if (site / resolved).is_dir():
                resolved = posixpath.join(resolved, "index.html")
            if frag and resolved.endswith(".html") and frag not in parsed.get(resolved, _Links()).ids:
                broken.append(f"{page} -> {link} (no #{frag})")
    return broken


def text_of(path: Path) -> str:
    """The visible text of a page, whitespace collapsed."""
    html = path.read_text(encoding="utf-8")
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    import html as h
    return re.sub(r"\s+", " ", h.unescape(html)).strip()


def search_bundles(site: Path) -> dict[str, set[str]]:
    """Each Pagefind bundle of a site (`pagefind`, `pagefind/shard-N`) and the addresses of the
    pages it indexes (its fragments: gzip, a signature, then JSON)."""
    import gzip
    import json
    found = {}
    for bundle in [site / "pagefind", *sorted((site / "pagefind").glob("shard-*"))]:
        found[bundle.relative_to(site).as_posix()] = {
            json.loads(gzip.decompress(f.read_bytes()).removeprefix(b"pagefind_dcd"))["url"]
            for f in (bundle / "fragment").glob("*.pf_fragment")}
    return found
