"""Hostile knowledge bases and the means to inspect what a build made of them.

`markup_kb` writes a knowledge base of every kind of thing whose every literal carries markup or
template syntax, whose descriptions carry hostile Markdown, and whose links use hostile schemes.
`SiteHTML` parses every page of a built site with the HTML5 tokeniser rules a browser follows
closely enough for these checks (Python's html.parser on our own output) and collects elements,
attributes, scripts and text.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from conftest import PREFIXES

# Markup and template syntax, each tagged by where it is put, so a test can find it again.
PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "</title><script>alert(3)</script>",
    "</script><script>alert(4)</script>",
    "{{ 7*7 }}",
    "{% raw %}{{ 8*8 }}{% endraw %}",
    "' onmouseover='alert(5)' x='",
    "&lt;b&gt; &amp; <!-- comment -->",
)

HOSTILE_MARKDOWN = """Raw <script>alert('md1')</script> and <iframe src="https://evil.example/frame"></iframe>
<img src=x onerror=alert('md2')> and <a href="javascript:alert('md3')">a raw link</a>

[js link](javascript:alert('md4')) [data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
[vb link](vbscript:msgbox) [file link](file:///etc/passwd) [spaced](%20JaVaScRiPt:alert('md5'))
[entity](&#106;avascript:alert('md6')) [tab](java\tscript:alert('md7'))

<javascript:alert('md8')> and <https://ok.example/autolink>

![an image](https://evil.example/track.png) <div onclick="alert('md9')">div</div>
<style>body { display: none }</style> <svg onload="alert('md10')"></svg>

[good link](https://good.example/page "a title")"""

BAD_URLS = (
    "javascript:alert('u1')",
    " JaVaScRiPt:alert('u2')",
    "data:text/html,<script>alert('u3')</script>",
    "file:///etc/passwd",
    "vbscript:msgbox('u4')",
    "\tjavascript:alert('u5')",
    "java\nscript:alert('u6')",
    "//evil.example/protocol-relative",
    "https://ok.example/\"><script>alert('u7')</script>",
)
BAD_IRIS = ("javascript:alert(8)", "data:text/html,x", "file:///etc/passwd", "vbscript:msgbox(9)", "JaVaScRiPt:alert(10)")


def turtle_string(text: str) -> str:
    """A Turtle string literal (double quotes) for any text."""
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{out}"'


def tagged(field: str, i: int) -> str:
    """A payload tagged with the field it is written in."""
    return f"{field}{i}:{PAYLOADS[i % len(PAYLOADS)]}"


def _lits(field: str, i: int, langs=("en", "ar")) -> str:
    return " , ".join(f"{turtle_string(tagged(field, i) + ('' if lang == 'en' else ' ع'))}@{lang}" for lang in langs)


def markup_kb(root: Path) -> tuple[Path, set[str]]:
    """Write the hostile-markup knowledge base; return its folder and every hostile text it holds."""
    texts: set[str] = set()

    def lit(field: str, i: int, langs=("en", "ar")) -> str:
        for lang in langs:
            texts.add(tagged(field, i) + ("" if lang == "en" else " ع"))
        return _lits(field, i, langs)

    n = len(PAYLOADS)
    blocks = []
    for i in range(n):
        blocks.append(f"""
id:actor-{i} a sem:Actor , schema:Person ;
    skos:prefLabel {lit('actor-label', i)} ;
    skos:altLabel {lit('actor-alt', i, ('en',))} ;
    schema:jobTitle {lit('job', i)} ;
    dcterms:description {lit('actor-desc', i)} .

id:place-{i} a sem:Place , schema:City ;
    skos:prefLabel {lit('place-label', i)} ;
    skos:altLabel {lit('place-alt', i, ('ar',))} ;
    schema:latitude 33.{i}1 ; schema:longitude 44.{i}2 ; tl:geoPrecision {('tl:Near', 'tl:Region', 'tl:Exact')[i % 3]} .

id:src-{i} a prov:Entity , schema:NewsArticle ;
    dcterms:title {lit('title', i, ('ar',))} ;
    skos:prefLabel {lit('source-label', i)} ;
    dcterms:publisher id:actor-{i} ;
    dcterms:issued "2024-02-2{i}"^^edtf:EDTF ;
    dcterms:language "ar" ;
    tl:sourceCount 3 ;
    tl:sourcing {lit('sourcing', i)} ;
    schema:url <{BAD_IRIS[i % len(BAD_IRIS)]}> ;
    schema:archivedAt <{BAD_IRIS[(i + 1) % len(BAD_IRIS)]}> .

id:type-{i} a skos:Concept ;
    skos:inScheme tl:EventTypes ;
    skos:broader tl:Attack ;
    skos:prefLabel {lit('type-label', i)} ;
    skos:definition {lit('definition', i)} .

id:ev-{i} a sem:Event ;
    skos:prefLabel {lit('event-label', i)} ;
    sem:eventType id:type-{i} ;
    tl:perpetrator id:actor-{i} ;
    sem:hasPlace id:place-{i} ;
    dcterms:date "2024-02-1{i}"^^edtf:EDTF ;
    tl:fatalities {i + 1} ;
    tl:fatalitiesOf {lit('fatalities-of', i)} ;
    tl:quote {lit('quote', i, ('ar', 'en'))} ;
    dcterms:description {lit('event-desc', i)} ;
    owl:sameAs <{BAD_IRIS[i % len(BAD_IRIS)]}> ;
    prov:wasDerivedFrom id:src-{i} .

id:ev-rel-{i} a sem:Event ;
    skos:prefLabel {lit('rel-label', i)} ;
    tl:relativeDate [ tl:anchor id:ev-{i} ; tl:offset "P1D"^^xsd:dayTimeDuration ;
        tl:phrase {lit('phrase', i)} ] ;
    prov:wasDerivedFrom id:src-{i} .

id:claim-{i} a tl:Claim ;
    skos:prefLabel {lit('claim-label', i)} ;
    rdf:subject id:ev-{i} ; rdf:predicate tl:perpetrator ; rdf:object id:actor-{(i + 1) % n} ;
    sem:accordingTo id:actor-{i} ; tl:status {('tl:Claimed', 'tl:Attributed', 'tl:Denied')[i % 3]} ;
    tl:quote {lit('claim-quote', i, ('ar', 'en'))} ;
    dcterms:date "2024-02-2{i}"^^edtf:EDTF ;
    prov:wasDerivedFrom id:src-{i} .

id:qty-{i} a tl:Quantity ;
    skos:prefLabel {lit('qty-label', i)} ;
    schema:value {100 + i} ;
    schema:unitText {lit('unit', i)} ;
    tl:quantityOf id:actor-{i} ; tl:location id:place-{i} ;
    dcterms:date "2024-02-0{i + 1}"^^edtf:EDTF ;
    prov:wasDerivedFrom id:src-{i} .
""")
    blocks.append(f"""
id:md-event a sem:Event ;
    skos:prefLabel "Markdown event"@en , "حدث ماركداون"@ar ;
    dcterms:date "2024-02-01"^^edtf:EDTF ;
    dcterms:description {turtle_string(HOSTILE_MARKDOWN)}@en , {turtle_string(HOSTILE_MARKDOWN)}@ar ;
    prov:wasDerivedFrom id:src-0 .

id:url-actor a sem:Actor , schema:Organization ;
    skos:prefLabel "Actor with hostile links"@en , "فاعل بروابط عدائية"@ar ;
    owl:sameAs {" , ".join(f"<{u}>" for u in BAD_IRIS)} .
""")
    for j, iri in enumerate(BAD_IRIS):
        blocks.append(f"""
id:url-src-{j} a prov:Entity , schema:Report ;
    skos:prefLabel "Source with a hostile link {j}"@en , "مصدر برابط عدائي {j}"@ar ;
    dcterms:publisher id:url-actor ;
    schema:url <{iri}> ;
    schema:archivedAt <{BAD_IRIS[-1 - j]}> .
""")
    site_toml = ('base_url = "https://example.org/"\nlanguages = ["en", "ar"]\n[title]\n'
                 f'en = {json.dumps("site-title:" + PAYLOADS[0])}\nar = {json.dumps("site-title-ar:" + PAYLOADS[1])}\n')
    texts |= {"site-title:" + PAYLOADS[0], "site-title-ar:" + PAYLOADS[1]}
    kb = root / "kb"
    (kb / "queries").mkdir(parents=True, exist_ok=True)
    (kb / "site.toml").write_text(site_toml, encoding="utf-8")
    (kb / "hostile.ttl").write_text(PREFIXES + "".join(blocks), encoding="utf-8")
    query_title = "query-title:" + PAYLOADS[3]
    texts.add(query_title)
    (kb / "queries" / "hostile.rq").write_text(
        f"# title@en: {query_title}\n# title@ar: {query_title} ع\n"
        f"# description@en: query-desc:{PAYLOADS[1]}\n# description@ar: query-desc:{PAYLOADS[4]}\n"
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "SELECT ?s ?label WHERE { ?s skos:prefLabel ?label } ORDER BY ?s ?label\n", encoding="utf-8")
    texts |= {f"query-desc:{PAYLOADS[1]}", f"query-desc:{PAYLOADS[4]}"}
    return kb, texts


# ---- reading built pages -----------------------------------------------------------------------

BAD_SCHEME = re.compile(r"^(?:javascript|data|vbscript|file):", re.I)


def built_markup_site(root: Path) -> tuple[Path, Path, set[str]]:
    """Write the hostile-markup knowledge base under root and build it: (kb, site, hostile texts)."""
    from builder.site import build
    kb, texts = markup_kb(root)
    out = root / "output"
    problems, _ = build(kb, out)
    assert not [p for p in problems if p.is_error], [p.format() for p in problems if p.is_error]
    return kb, out, texts


def scheme_of(url: str) -> str:
    """The scheme a browser would see: control characters and whitespace are dropped first."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", url)
    m = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", cleaned)
    return m.group(1).lower() if m else ""


@dataclass
class Page:
    """What one HTML page holds."""

    path: str
    tags: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    scripts: list[tuple[dict[str, str | None], str]] = field(default_factory=list)
    texts: list[tuple[tuple[str, ...], str]] = field(default_factory=list)  # (open elements, text)
    title: str = ""

    def text(self) -> str:
        return "".join(t for _, t in self.texts)


class _Collector(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, page: Page):
        super().__init__(convert_charrefs=True)
        self.page, self.stack, self.script = page, [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.page.tags.append((tag, a))
        if tag == "script":
            self.script = (a, [])
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.page.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "script" and self.script is not None:
            self.page.scripts.append((self.script[0], "".join(self.script[1])))
            self.script = None
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        if self.script is not None:
            self.script[1].append(data)
            return
        if self.stack and self.stack[-1] == "title":
            self.page.title += data
        self.page.texts.append((tuple(self.stack), data))


def parse_page(path: Path, site: Path) -> Page:
    page = Page(path.relative_to(site).as_posix())
    collector = _Collector(page)
    collector.feed(path.read_text(encoding="utf-8"))
    collector.close()
    return page


def site_pages(site: Path) -> list[Page]:
    return [parse_page(p, site) for p in sorted(site.rglob("*.html")) if "pagefind" not in p.parts]
