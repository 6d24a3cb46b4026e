"""Random knowledge bases within the format (hypothesis): each builds without a crash, gives every
thing a page in every language, every internal link resolves, every literal appears escaped, and
the same knowledge base builds to the same bytes under different PYTHONHASHSEEDs.

The strategies write events, actors, places, sources, claims and quantities with every EDTF form
of docs/format.md, relative dates (offsets, ranges, open sides, weekdays) that chain without
cycles, and labels in both languages of arbitrary Unicode: right-to-left scripts, bidirectional
controls, combining marks, markup, template syntax, quotes and newlines.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import hostilekit as hk
from builder.problems import KBError
from builder.render import balance_bidi
from conftest import PREFIXES, ROOT, SITE_TOML
from sitecheck import broken_links

# ---- text ----------------------------------------------------------------------------------------

TRICKY = list("<>&\"'{}%#\\`=/;:[]()") + ["{{", "}}", "{%", "%}", "</title>", "</script>", "<!--", "-->",
                                           "\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u202c",
                                           "\u200f", "\u200e", "\u061c", "\u0301", "\ufeff", "\n", "\t", "  "]
LETTERS = st.characters(categories=("L", "M", "N", "P", "S", "Zs"), exclude_characters="\x85\u2028\u2029")
ARABIC = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF, categories=("L", "M", "N", "P"))
PIECE = st.one_of(st.sampled_from(TRICKY), st.text(LETTERS, min_size=1, max_size=6), st.text(ARABIC, min_size=1, max_size=6))


@st.composite
def label(draw) -> str:
    """A non-blank label: arbitrary Unicode with markup, RTL text, controls and newlines mixed in."""
    text = "".join(draw(st.lists(PIECE, min_size=1, max_size=5)))
    return text if text.strip() else text + "x"


# ---- dates ---------------------------------------------------------------------------------------

@st.composite
def edtf(draw) -> tuple[str, str, bool]:
    """(lexical form, datatype, closed): an EDTF or XML Schema date of any form of the format."""
    year = draw(st.integers(1900, 2030))
    month, day = draw(st.integers(1, 12)), draw(st.integers(1, 28))
    y, ym, ymd = f"{year:04d}", f"{year:04d}-{month:02d}", f"{year:04d}-{month:02d}-{day:02d}"
    later = f"{year + draw(st.integers(0, 2)):04d}-{month:02d}-{day:02d}"
    form = draw(st.sampled_from(["day", "month", "year", "qualified", "unspecified", "interval", "set",
                                 "open-end", "unknown-end", "open-start", "bce", "xsd-date", "xsd-month", "xsd-year"]))
    return {
        "day": (ymd, "edtf:EDTF", True), "month": (ym, "edtf:EDTF", True), "year": (y, "edtf:EDTF", True),
        "qualified": (draw(st.sampled_from([ymd, ym, y])) + draw(st.sampled_from("?~%")), "edtf:EDTF", True),
        "unspecified": (draw(st.sampled_from([f"{ym}-{day // 10}X", f"{y[:3]}X", f"{y}-XX"])), "edtf:EDTF", True),
        "interval": (f"{ymd}/{later}", "edtf:EDTF", True),
        "set": (f"[{ymd}..{later}]", "edtf:EDTF", True),
        "open-end": (f"{y}/..", "edtf:EDTF", False), "unknown-end": (f"{ym}/", "edtf:EDTF", False),
        "open-start": (f"../{ymd}", "edtf:EDTF", False),
        "bce": (f"-{draw(st.integers(1, 3000)):04d}", "edtf:EDTF", True),
        "xsd-date": (ymd, "xsd:date", True), "xsd-month": (ym, "xsd:gYearMonth", True), "xsd-year": (y, "xsd:gYear", True),
    }[form]


def days(n: int) -> str:
    return f'"{"-" if n < 0 else ""}P{abs(n)}D"^^xsd:dayTimeDuration'


@st.composite
def relative(draw, anchor: str) -> str:
    kind = draw(st.sampled_from(["exact", "range", "after", "before", "weekday"]))
    if kind == "exact":
        body = f"tl:offset {days(draw(st.integers(-30, 30)))}"
    elif kind == "range":
        lo = draw(st.integers(-30, 30))
        body = f"tl:earliestOffset {days(lo)} ; tl:latestOffset {days(lo + draw(st.integers(0, 10)))}"
    elif kind == "after":
        body = f"tl:earliestOffset {days(draw(st.integers(0, 10)))}"
    elif kind == "before":
        body = f"tl:latestOffset {days(-draw(st.integers(0, 10)))}"
    else:
        body = "time:dayOfWeek time:" + draw(st.sampled_from(["Monday", "Tuesday", "Wednesday", "Thursday",
                                                                "Friday", "Saturday", "Sunday"]))
    return f"tl:relativeDate [ tl:anchor {anchor} ; {body} ; tl:phrase {literal(draw(label()), 'en')} ]"


# ---- knowledge bases -----------------------------------------------------------------------------

def literal(text: str, lang: str) -> str:
    return f"{hk.turtle_string(text)}@{lang}"


@dataclass
class KB:
    turtle: list[str] = field(default_factory=list)
    slugs: list[str] = field(default_factory=list)
    texts: set[str] = field(default_factory=set)  # literals every page shows as text, in some page

    def labels(self, draw, slug: str) -> str:
        en, ar = draw(label()), draw(label())
        self.slugs.append(slug)
        self.texts |= {en, ar}
        return f"skos:prefLabel {literal(en, 'en')} , {literal(ar, 'ar')}"


@st.composite
def knowledge_base(draw) -> KB:
    kb = KB()
    n_actors, n_places, n_sources = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 2))
    for i in range(n_actors):
        kind = draw(st.sampled_from(["Person", "Organization", "Country", "NewsMediaOrganization"]))
        extra = f" ; schema:memberOf id:actor-{draw(st.integers(0, i - 1))}" if i and draw(st.booleans()) else ""
        job = draw(label())
        kb.texts.add(job)
        kb.turtle.append(f"id:actor-{i} a sem:Actor , schema:{kind} ; {kb.labels(draw, f'actor-{i}')} ;\n"
                         f"    skos:altLabel {literal(draw(label()), 'en')} ; schema:jobTitle {literal(job, 'en')}{extra} .")
    for i in range(n_places):
        extra = f" ; schema:containedInPlace id:place-{draw(st.integers(0, i - 1))}" if i and draw(st.booleans()) else ""
        if draw(st.booleans()):
            lat, lon = draw(st.integers(-8999, 8999)) / 100, draw(st.integers(-17999, 17999)) / 100
            extra += f" ; schema:latitude {lat} ; schema:longitude {lon} ; tl:geoPrecision " + \
                     draw(st.sampled_from(["tl:Exact", "tl:Near", "tl:Region"]))
        kb.turtle.append(f"id:place-{i} a sem:Place ; {kb.labels(draw, f'place-{i}')}{extra} .")
    for i in range(n_sources):
        relay = f" ; prov:wasDerivedFrom id:src-{i - 1}" if i and draw(st.booleans()) else ""
        sourcing = draw(label())
        kb.texts.add(sourcing)
        kb.turtle.append(f"id:src-{i} a prov:Entity , schema:NewsArticle ; {kb.labels(draw, f'src-{i}')} ;\n"
                         f"    dcterms:publisher id:actor-{draw(st.integers(0, n_actors - 1))} ;\n"
                         f'    dcterms:issued "2099-12-31"^^edtf:EDTF ; dcterms:language "ar" ;\n'
                         f"    schema:url <https://example.com/{i}> ; tl:sourceCount 2 ;\n"
                         f"    tl:sourcing {literal(sourcing, 'en')}{relay} .")
    closed: list[str] = []  # events whose dates are bounded on both sides: anchors for others
    for i in range(draw(st.integers(1, 5))):
        slug = f"ev-{i}"
        lines = [f"id:{slug} a sem:Event ; {kb.labels(draw, slug)}"]
        if closed and draw(st.booleans()):
            lines.append(draw(relative(f"id:{draw(st.sampled_from(closed))}")))
            closed.append(slug)  # a chain: relative dates from closed anchors stay bounded
        else:
            value, datatype, is_closed = draw(edtf())
            lines.append(f'dcterms:date "{value}"^^{datatype}')
            if is_closed:
                closed.append(slug)
        for role in draw(st.lists(st.sampled_from(["tl:perpetrator", "tl:target", "tl:participant", "tl:speaker"]),
                                  max_size=2, unique=True)):
            lines.append(f"{role} id:actor-{draw(st.integers(0, n_actors - 1))}")
        if draw(st.booleans()):
            lines.append(f"sem:hasPlace id:place-{draw(st.integers(0, n_places - 1))}")
        if draw(st.booleans()):
            quote = draw(label())
            kb.texts.add(quote)
            lines.append(f"tl:quote {literal(quote, 'ar')} , {literal(draw(label()), 'en')}")
        if draw(st.booleans()):
            lines.append(f"dcterms:description {literal(draw(label()), 'en')}")
        if draw(st.booleans()):
            low = draw(st.integers(0, 50))
            lines.append(f"tl:fatalitiesLow {low} ; tl:fatalitiesHigh {low + draw(st.integers(0, 50))}")
        lines.append(f"prov:wasDerivedFrom id:src-{draw(st.integers(0, n_sources - 1))}")
        kb.turtle.append(" ;\n    ".join(lines) + " .")
    events = [s for s in kb.slugs if s.startswith("ev-")]
    for i in range(draw(st.integers(0, 2))):
        status = draw(st.sampled_from(["tl:Claimed", "tl:Attributed", "tl:Reported", "tl:Denied"]))
        kb.turtle.append(f"id:claim-{i} a tl:Claim ; {kb.labels(draw, f'claim-{i}')} ;\n"
                         f"    rdf:subject id:{draw(st.sampled_from(events))} ; rdf:predicate tl:perpetrator ;\n"
                         f"    rdf:object id:actor-{draw(st.integers(0, n_actors - 1))} ;\n"
                         f"    sem:accordingTo id:actor-{draw(st.integers(0, n_actors - 1))} ; tl:status {status} ;\n"
                         f"    prov:wasDerivedFrom id:src-0 .")
    if closed and draw(st.booleans()):
        unit = draw(label())
        kb.texts.add(unit)
        kb.turtle.append(f"id:qty-0 a tl:Quantity ; {kb.labels(draw, 'qty-0')} ;\n"
                         f"    schema:value {draw(st.integers(0, 10 ** 6))} ; schema:unitText {literal(unit, 'en')} ;\n"
                         f"    {draw(relative('id:' + draw(st.sampled_from(closed))))} ;\n"
                         f"    prov:wasDerivedFrom id:src-0 .")
    return kb


def write(kb: KB, root: Path) -> Path:
    folder = root / "kb"
    folder.mkdir(parents=True)
    (folder / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    (folder / "a.ttl").write_text(PREFIXES + "\n\n".join(kb.turtle) + "\n", encoding="utf-8")
    return folder


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


# ---- properties ----------------------------------------------------------------------------------

@pytest.fixture
def no_search(monkeypatch):
    """Pagefind is not what is tested here, and it costs a second a build (the hash-seed test keeps it)."""
    import builder.search
    monkeypatch.setattr(builder.search, "available", lambda: False)


# No shrinking: a build per step makes it take minutes; the failing example is printed as found.
@settings(max_examples=25, deadline=None, phases=(Phase.explicit, Phase.reuse, Phase.generate), suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow, HealthCheck.data_too_large])
@given(kb=knowledge_base())
def test_any_knowledge_base_within_the_format_builds_into_a_sound_site(kb, tmp_path_factory, no_search):
    from builder.site import build
    root = tmp_path_factory.mktemp("fuzz")
    folder = write(kb, root)
    out = root / "out"
    try:
        build(folder, out)
    except KBError as exc:
        pytest.fail("a knowledge base within the format was refused:\n" + str(exc) + "\n\n" + "\n\n".join(kb.turtle))
    missing = [f"{prefix}id/{slug}/index.html" for slug in kb.slugs for prefix in ("", "ar/")
               if not (out / prefix / "id" / slug / "index.html").is_file()]
    assert not missing
    assert [b for b in broken_links(out) if "pagefind/" not in b] == []  # no search index built here
    pages = hk.site_pages(out)
    shown = "\n".join(page.text() for page in pages)
    absent = [t for t in kb.texts if balance_bidi(t) not in shown]
    assert not absent, absent
    for page in pages:
        for tag, attrs in page.tags:
            assert tag not in {"img", "iframe", "object", "embed", "svg", "style"}, (page.path, tag)
            assert not any(name.startswith("on") for name in attrs), (page.path, tag, attrs)
        for attrs, body in page.scripts:
            assert attrs.get("src") or attrs.get("type") in ("application/ld+json", "application/json"), page.path


def build_with_hash_seed(folder: Path, out: Path, seed: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-m", "builder.cli", "build", "--kb", str(folder), "--out", str(out)],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.mark.slow
@settings(max_examples=4, deadline=None, phases=(Phase.explicit, Phase.reuse, Phase.generate), suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                HealthCheck.too_slow, HealthCheck.data_too_large])
@given(kb=knowledge_base())
def test_the_same_knowledge_base_builds_to_the_same_bytes_under_any_hash_seed(kb, tmp_path_factory):
    root = tmp_path_factory.mktemp("seeds")
    folder = write(kb, root)
    build_with_hash_seed(folder, root / "one", "1")
    build_with_hash_seed(folder, root / "two", "4242")
    one, two = tree(root / "one"), tree(root / "two")
    assert one == two, sorted(k for k in one.keys() | two.keys() if one.get(k) != two.get(k))[:10]
