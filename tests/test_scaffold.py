"""`tarikh new`: well-formed blocks, fresh slugs, appending without overwriting."""
from __future__ import annotations

import argparse
import io
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from builder import scaffold
from builder.check import check
from builder.kb import open_kb
from builder.namespaces import all_prefixes

CLEAN = (Path(__file__).resolve().parent / "fixtures" / "check" / "clean.ttl").read_text(encoding="utf-8")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser()
    p.add_argument("--kb", default="kb")
    scaffold.add_arguments(p)
    return p


def run(argv: list[str], monkeypatch, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return scaffold.run(parser().parse_args(argv))


@pytest.mark.parametrize("label,slug", [
    ("Qaani meets Iraqi factions", "qaani-meets-iraqi-factions"), ("Kafr Sousa: strike!", "kafr-sousa-strike"),
    ("Esmāʿīl Qāʾānī", "esmail-qaani"), ("  --  ", ""), ("قاآني", ""),
])
def test_slugs_are_ascii(label, slug):
    assert scaffold.slugify(label) == slug


def test_fresh_slugs_do_not_collide():
    assert scaffold.fresh_slug("ev-a", {"ev-b"}) == "ev-a"
    assert scaffold.fresh_slug("ev-a", {"ev-a", "ev-a-2"}) == "ev-a-3"


@pytest.mark.parametrize("kind,values", [
    ("event", {"label_en": "A strike", "label_ar": "ضربة", "date": "2024-02", "source": ["id:src-relay"],
               "type": "Airstrike", "place": "baghdad-airport", "actors": [("perpetrator", "id:israel")]}),
    ("actor", {"label_en": "Kataib Hezbollah", "label_ar": "كتائب حزب الله", "type": "Organization"}),
    ("place", {"label_en": "Bukamal", "label_ar": "البوكمال", "type": "City", "lat": "34.45", "long": "40.92"}),
    ("source", {"label_en": "A \"quoted\" title", "publisher": "id:reuters", "date": "2024-02-18",
                "url": "https://example.com/a"}),
    ("claim", {"subject": "id:ev-strike", "predicate": "tl:perpetrator", "object": "id:israel",
               "by": "id:syrian-tv", "status": "denied", "source": ["id:src-relay"]}),
])
def test_every_kind_gives_a_block_that_parses(kind, values, scratch_kb):
    kb = open_kb(scratch_kb({"a.ttl": CLEAN}))
    block = scaffold.new_block(kind, kb, values)
    slug = block.split(" ", 1)[0].removeprefix("id:")
    head = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in all_prefixes(kb.id_ns).items())
    triples = list(ox.parse((head + block).encode(), ox.RdfFormat.TURTLE))
    assert {t.subject.value for t in triples} == {kb.id_ns + slug}
    assert slug.startswith(scaffold.SLUG_PREFIX[kind]) and set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")


def test_a_taken_slug_gets_a_number(scratch_kb):
    kb = open_kb(scratch_kb({"a.ttl": CLEAN}))
    assert scaffold.new_block("actor", kb, {"label_en": "Reuters"}).startswith("id:reuters-2 a sem:Actor")


@pytest.mark.parametrize("values,error", [
    ({"label_en": "x", "source": ["s"]}, "missing --date"),
    ({"label_en": "x", "date": "2024-02-30", "source": ["s"]}, "day 30 does not exist"),
    ({"label_en": "x", "date": "2024", "source": ["s"], "actors": [("killer", "id:x")]}, "ROLE one of"),
    ({"label_en": "x", "date": "2024", "source": ["not an iri"]}, "is not an IRI"),
])
def test_bad_values_are_refused_with_a_reason(values, error):
    with pytest.raises(scaffold.ScaffoldError, match=error):
        scaffold.new_block("event", None, values)


def test_append_never_overwrites_and_declares_missing_prefixes(tmp_path):
    path = tmp_path / "a.ttl"
    path.write_text("@prefix id: <https://example.org/id/> .\nid:old id:p id:q .", encoding="utf-8")
    scaffold.append_block(path, 'id:new a sem:Actor ;\n    skos:prefLabel "New"@en .\n', all_prefixes("https://example.org/id/"))
    text = path.read_text(encoding="utf-8")
    assert text.startswith("@prefix id: <https://example.org/id/> .\nid:old id:p id:q .\n\n@prefix skos:")
    assert text.count("@prefix id:") == 1 and "@prefix sem:" in text
    assert len(list(ox.parse(text.encode(), ox.RdfFormat.TURTLE))) == 3


def test_new_event_from_flags_checks_clean(scratch_kb, monkeypatch, capsys):
    kb_dir = scratch_kb({"a.ttl": CLEAN})
    target = kb_dir / "2024-02.ttl"
    code = run(["event", "--kb", str(kb_dir), "--file", str(target), "--label-en", "A second strike",
                "--label-ar", "ضربة ثانية", "--date", "2024-02-21?", "--type", "tl:DroneStrike",
                "--actor", "perpetrator=id:israel", "--place", "id:baghdad-airport", "--source", "id:src-relay"],
               monkeypatch)
    assert code == 0
    assert capsys.readouterr().out.strip() == "id:ev-a-second-strike"
    assert check(open_kb(kb_dir)) == []
    before = target.read_text(encoding="utf-8")
    assert run(["actor", "--kb", str(kb_dir), "--file", str(target), "--label-en", "Israel",
                "--label-ar", "إسرائيل", "--type", "Country"], monkeypatch) == 0
    after = target.read_text(encoding="utf-8")
    assert after.startswith(before) and "id:israel-2 a sem:Actor , schema:Country" in after


def test_missing_values_without_a_terminal_exit_2(scratch_kb, monkeypatch, capsys):
    kb_dir = scratch_kb({"a.ttl": CLEAN})
    assert run(["event", "--kb", str(kb_dir), "--file", str(kb_dir / "b.ttl"), "--label-en", "x"], monkeypatch) == 2
    assert "missing --date, --source" in capsys.readouterr().err
    assert not (kb_dir / "b.ttl").exists()


def test_prompts_at_a_terminal(scratch_kb, monkeypatch):
    kb_dir = scratch_kb({"a.ttl": CLEAN})
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    answers = iter(["Hezbollah", "id:reuters"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    assert scaffold.run(parser().parse_args(["source", "--kb", str(kb_dir), "--file", str(kb_dir / "s.ttl")])) == 0
    assert "id:src-hezbollah a prov:Entity , schema:NewsArticle" in (kb_dir / "s.ttl").read_text(encoding="utf-8")


def test_a_file_outside_the_kb_is_refused(scratch_kb, monkeypatch, tmp_path, capsys):
    kb_dir = scratch_kb({"a.ttl": CLEAN})
    assert run(["actor", "--kb", str(kb_dir), "--file", str(tmp_path / "elsewhere.ttl"), "--label-en", "X"],
               monkeypatch) == 2
    assert "is not inside" in capsys.readouterr().err


@pytest.mark.parametrize("flag, value", [("--source", "id:src-relai"), ("--place", "id:baghdad-airprot"),
                                         ("--actor", "perpetrator=id:isreal")])
def test_a_reference_to_a_thing_the_kb_does_not_describe_is_refused_and_nothing_is_written(
        scratch_kb, monkeypatch, capsys, flag, value):
    kb_dir = scratch_kb({"a.ttl": CLEAN})
    target = kb_dir / "b.ttl"
    values = {"--source": "id:src-relay", "--place": "id:baghdad-airport", "--actor": "perpetrator=id:israel"}
    values[flag] = value
    argv = ["event", "--kb", str(kb_dir), "--file", str(target), "--label-en", "A strike", "--date", "2024-02-21"]
    assert run(argv + [x for pair in values.items() for x in pair], monkeypatch) == 2
    err = capsys.readouterr().err
    wrong = value.split("=")[-1]
    assert f"{wrong} is not described in the knowledge base" in err and "did you mean id:" in err
    assert not target.exists()


HOSTILE_EN = 'He said """stop""" \\ then\nleft; <b>x</b> > y, \u202eevil\u202c 🎉'
HOSTILE_AR = 'قال """توقفوا""" \\ ثم\r\nغادر، «نعم»'
KIND_ARGS = {
    "event": ["--date", "2024-02-21?", "--type", "tl:DroneStrike", "--actor", "perpetrator=id:israel",
              "--place", "id:baghdad-airport", "--source", "id:src-relay", "--description", HOSTILE_EN],
    "actor": ["--type", "Person"],
    "place": ["--type", "City", "--lat", "-33.5", "--long", "179.99", "--place", "id:iraq"],
    "source": ["--publisher", "id:reuters", "--date", "2024-02", "--language", "ar-SY",
               "--url", "https://example.com/a?b=1&c=%22x%22#top"],
    "claim": ["--subject", "id:ev-strike", "--predicate", "tl:perpetrator", "--object", "id:israel",
              "--by", "id:syrian-tv", "--status", "Denied", "--date", "2024-02-22", "--source", "id:src-relay"],
}


@pytest.mark.parametrize("kind", scaffold.KINDS)
def test_hostile_labels_go_in_as_given_and_the_block_checks_clean(kind, scratch_kb, monkeypatch, capsys):
    """Quotes, triple quotes, backslashes, line breaks, '>' and bidi controls, in English and
    Arabic: the appended block parses, passes the checker, and its labels are exactly what was given."""
    kb_dir = scratch_kb({"a.ttl": CLEAN})
    target = kb_dir / "new.ttl"
    code = run([kind, "--kb", str(kb_dir), "--file", str(target), "--label-en", HOSTILE_EN,
                "--label-ar", HOSTILE_AR, *KIND_ARGS[kind]], monkeypatch)
    assert code == 0, capsys.readouterr().err
    iri = capsys.readouterr().out.strip()
    kb = open_kb(kb_dir)
    assert [p.format() for p in check(kb) if p.is_error] == []
    subject = ox.NamedNode(kb.id_ns + iri.removeprefix("id:"))
    triples = list(kb.store.quads_for_pattern(subject, None, None))
    texts = {(q.object.value, q.object.language) for q in triples
             if isinstance(q.object, ox.Literal) and q.object.language}
    label = "title" if kind == "source" else "prefLabel"
    assert {(HOSTILE_EN, "en"), (HOSTILE_AR, "ar")} <= texts
    assert sum(q.predicate.value.endswith(label) for q in triples) == 2
    if kind == "source":
        url = next(q.object for q in triples if q.predicate.value == "http://schema.org/url")
        assert url == ox.NamedNode("https://example.com/a?b=1&c=%22x%22#top")
    # the block says nothing but what was given: no statement about any other subject
    head = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in all_prefixes(kb.id_ns).items())
    written = target.read_text(encoding="utf-8")
    assert {t.subject for t in ox.parse((head + written).encode(), ox.RdfFormat.TURTLE)} == {subject}


@pytest.mark.parametrize("kind, flag, value, error", [
    # an IRI closed early would let the rest of the value write statements of its own
    ("source", "--url", "<https://x.org/> ; a <https://evil.example/Thing>", "it holds '>'"),
    ("event", "--place", "<https://example.org/id/baghdad-airport> , <https://evil.example/>", "it holds '>'"),
    ("source", "--url", 'https://example.com/a?b="x"', "percent-encoded, as %22"),
    ("source", "--url", "<no-scheme>", "no scheme"),
    ("place", "--lat", "91.0", "--lat is between -90 and 90 degrees"),
    ("place", "--long", "-180.5", "--long is between -180 and 180 degrees"),
    ("source", "--language", "Arabic", "not 'Arabic' (did you mean ar?)"),
    ("source", "--language", "en us", "BCP 47 language code"),
    ("actor", "--label-ar", "\udcff\udcfe", "--label-ar is not valid UTF-8 text"),
])
def test_values_that_would_say_more_or_fail_the_checker_are_refused(
        kind, flag, value, error, scratch_kb, monkeypatch, capsys):
    kb_dir = scratch_kb({"a.ttl": CLEAN})
    target = kb_dir / "new.ttl"
    args = {"event": ["--date", "2024-02", "--source", "id:src-relay"], "place": ["--lat", "33.0", "--long", "44.0"],
            "source": ["--publisher", "id:reuters"], "actor": []}[kind]
    if flag in args:
        i = args.index(flag)
        args = args[:i] + args[i + 2:]
    assert run([kind, "--kb", str(kb_dir), "--file", str(target), "--label-en", "X", *args, flag, value],
               monkeypatch) == 2
    err = capsys.readouterr().err
    assert err.startswith("tarikh: error: ") and error in err and "Traceback" not in err
    assert not target.exists()


def test_a_file_the_build_would_not_read_is_refused(scratch_kb, monkeypatch, capsys):
    kb_dir = scratch_kb({"a.ttl": CLEAN})
    assert run(["actor", "--kb", str(kb_dir), "--file", str(kb_dir / "notes.txt"), "--label-en", "X"],
               monkeypatch) == 2
    assert "the build reads only files named *.ttl" in capsys.readouterr().err
    assert not (kb_dir / "notes.txt").exists()


def test_a_file_that_cannot_be_written_is_an_error_not_a_traceback(scratch_kb, monkeypatch, capsys):
    kb_dir = scratch_kb({"a.ttl": CLEAN})
    (kb_dir / "folder.ttl").mkdir()
    before = (kb_dir / "a.ttl").read_bytes()
    for target, why in ((kb_dir / "folder.ttl", "Is a directory"), (kb_dir / "a.ttl" / "x.ttl", "")):
        assert run(["actor", "--kb", str(kb_dir), "--file", str(target), "--label-en", "X"], monkeypatch) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"tarikh: error: cannot write {target}: ") and why in err, err
    assert (kb_dir / "a.ttl").read_bytes() == before


@pytest.mark.parametrize("text", [b'id:x a sem:Actor ; skos:prefLabel "X"@en',
                                  b'<http://a.example/> <http://b.example/> "caf\xe9" .\n'])
def test_a_file_that_does_not_load_is_refused(text, scratch_kb, monkeypatch, capsys):
    """A file with a syntax error, or not UTF-8, is read whole or not at all: a block appended
    to it would never be read, though `new` said it was added."""
    kb_dir = scratch_kb({"a.ttl": CLEAN})
    target = kb_dir / "broken.ttl"
    target.write_bytes(text)
    assert run(["actor", "--kb", str(kb_dir), "--file", str(target), "--label-en", "X"], monkeypatch) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"tarikh: error: {target} does not load (") and "fix it first" in err, err
    assert target.read_bytes() == text


def test_a_stray_byte_in_a_comment_does_not_stop_new(scratch_kb, monkeypatch, capsys):
    """The parser skips a comment whatever its bytes, so the file loads; `new` appends after it."""
    kb_dir = scratch_kb({"a.ttl": CLEAN})
    target = kb_dir / "latin.ttl"
    target.write_bytes(b"# caf\xe9 (Latin-1)\n")
    assert run(["actor", "--kb", str(kb_dir), "--file", str(target), "--label-en", "X"], monkeypatch) == 0
    assert target.read_bytes().startswith(b"# caf\xe9 (Latin-1)\n\n@prefix ")
    node = ox.NamedNode(open_kb(kb_dir).id_ns + capsys.readouterr().out.strip().removeprefix("id:"))
    assert list(open_kb(kb_dir).store.quads_for_pattern(node, None, None))


@pytest.mark.parametrize("folder", [".git", ".hg", ".svn", "sub/.git/objects", ".tarikh-cache", "__pycache__"])
def test_a_file_in_a_folder_the_build_skips_is_refused(folder, scratch_kb, monkeypatch, capsys):
    kb_dir = scratch_kb({"a.ttl": CLEAN})
    target = kb_dir / folder / "x.ttl"
    assert run(["actor", "--kb", str(kb_dir), "--file", str(target), "--label-en", "X"], monkeypatch) == 2
    assert "which the build does not read" in capsys.readouterr().err
    assert not target.exists()


def test_a_link_in_the_kb_to_a_file_is_appended_to(scratch_kb, monkeypatch, tmp_path, capsys):
    """The build reads a linked file under the knowledge base, so new writes to it too."""
    kb_dir = scratch_kb({"a.ttl": CLEAN})
    (tmp_path / "shared.ttl").write_text("", encoding="utf-8")
    (kb_dir / "linked.ttl").symlink_to(tmp_path / "shared.ttl")
    assert run(["actor", "--kb", str(kb_dir), "--file", str(kb_dir / "linked.ttl"), "--label-en", "Linked X"],
               monkeypatch) == 0
    assert "id:linked-x a sem:Actor" in (tmp_path / "shared.ttl").read_text(encoding="utf-8")
    assert not [p for p in check(open_kb(kb_dir)) if p.severity == "error"]


@pytest.mark.parametrize("kind, flags, error", [
    ("event", ["--type", "Airstrik"], "tl:Airstrik is not a term of the Tarikh vocabulary (did you mean tl:Airstrike?)"),
    ("event", ["--type", "schema:Foo"], "schema:Foo is not a term of schema.org"),
    ("event", ["--type", "wd:Q123"], "--type wd:Q123 is not an event type"),
    ("event", ["--type", "id:israel"], "--type id:israel is not an event type"),
    ("claim", ["--predicate", "perpetrater"], "tl:perpetrater is not a term of the Tarikh vocabulary (did you mean tl:perpetrator?)"),
    ("claim", ["--predicate", "sem:hasplace"], "sem:hasplace is not a term of SEM (did you mean sem:hasPlace?)"),
])
def test_a_term_the_checker_would_reject_is_refused(kind, flags, error, scratch_kb, monkeypatch, capsys):
    """A misspelt vocabulary term, or an event type that is not a described concept, went into the
    file, and the checker then rejected the knowledge base."""
    kb_dir = scratch_kb({"a.ttl": CLEAN})
    target = kb_dir / "new.ttl"
    base = {"event": ["--label-en", "X", "--date", "2024-02", "--source", "id:src-relay"],
            "claim": ["--subject", "id:ev-strike", "--object", "id:israel", "--by", "id:syrian-tv",
                      "--status", "Attributed", "--source", "id:src-relay", "--predicate", "tl:perpetrator"]}[kind]
    if flags[0] in base:
        i = base.index(flags[0])
        base = base[:i] + base[i + 2:]
    assert run([kind, "--kb", str(kb_dir), "--file", str(target), *base, *flags], monkeypatch) == 2
    err = capsys.readouterr().err
    assert err.startswith("tarikh: error: ") and error in err, err
    assert not target.exists()
    # the real terms go in, and the file checks clean
    good = {"event": ["--type", "tl:Airstrike"], "claim": ["--predicate", "sem:hasPlace", "--object", "id:iraq"]}[kind]
    assert run([kind, "--kb", str(kb_dir), "--file", str(target), *base, *good], monkeypatch) == 0, capsys.readouterr().err
    assert not [p for p in check(open_kb(kb_dir)) if p.severity == "error"]


@pytest.mark.parametrize("binding", ["@prefix id: <https://other.example/id/> .",
                                     "PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem>",
                                     "@prefix schema: <https://schema.org/> ."])
def test_a_file_binding_a_prefix_elsewhere_is_refused(binding, scratch_kb, monkeypatch, capsys):
    """The block's id:x would be the file's id:x, another thing than the one new reports."""
    kb_dir = scratch_kb({"a.ttl": CLEAN})
    target = kb_dir / "other.ttl"
    target.write_text(binding + "\n", encoding="utf-8")
    assert run(["actor", "--kb", str(kb_dir), "--file", str(target), "--label-en", "X", "--type", "Person"],
               monkeypatch) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"tarikh: error: {target} binds ") and "fix its @prefix line" in err, err
    assert target.read_text(encoding="utf-8") == binding + "\n"


def test_a_prefix_after_a_byte_order_mark_is_not_declared_again(scratch_kb, monkeypatch):
    kb_dir = scratch_kb({"a.ttl": CLEAN})
    target = kb_dir / "bom.ttl"
    target.write_bytes("\ufeff@prefix id: <https://example.org/id/> .\n".encode())
    assert run(["actor", "--kb", str(kb_dir), "--file", str(target), "--label-en", "X"], monkeypatch) == 0
    assert target.read_text(encoding="utf-8").count("@prefix id:") == 1


@pytest.mark.parametrize("kind, flags, error", [
    ("actor", ["--source", "id:src-relay", "--date", "2024"], "--date, --source do not apply to an actor, which takes "),
    ("event", ["--date", "2024", "--source", "id:src-relay", "--lat", "33.1"], "--lat does not apply to an event"),
    ("event", ["--date", "2024", "--source", "id:src-relay", "--url", "https://example.com/"], "--url does not apply"),
    ("source", ["--publisher", "id:reuters", "--actor", "id:israel"], "--actor does not apply to a source"),
    ("place", ["--status", "Denied"], "--status does not apply to a place"),
])
def test_a_flag_the_kind_does_not_write_is_refused(kind, flags, error, scratch_kb, monkeypatch, capsys):
    """--source on an actor, --lat on an event … were dropped without a word: the user believed
    them recorded."""
    kb_dir = scratch_kb({"a.ttl": CLEAN})
    target = kb_dir / "new.ttl"
    assert run([kind, "--kb", str(kb_dir), "--file", str(target), "--label-en", "X", *flags], monkeypatch) == 2
    err = capsys.readouterr().err
    assert err.startswith("tarikh: error: ") and error in err, err
    assert not target.exists()


def test_a_flag_that_is_not_utf8_is_named_as_typed(scratch_kb, monkeypatch, capsys):
    kb_dir = scratch_kb({"a.ttl": CLEAN})
    assert run(["claim", "--kb", str(kb_dir), "--file", str(kb_dir / "n.ttl"), "--status", "Denied\udcff"],
               monkeypatch) == 2
    assert "--status is not valid UTF-8 text" in capsys.readouterr().err


def test_control_characters_are_written_as_escapes_and_read_back_the_same(scratch_kb, monkeypatch):
    """A label pasted with ESC [31m, a bell or U+0085 is the same text in the knowledge base, but
    the file holds no invisible byte, and showing it in a terminal runs nothing."""
    kb_dir = scratch_kb({"a.ttl": CLEAN})
    target = kb_dir / "new.ttl"
    label = "Red\x1b[31m alert\x07 tab\there\x00\x7f\x85\x9f end"
    assert run(["actor", "--kb", str(kb_dir), "--file", str(target), "--label-en", label], monkeypatch) == 0
    text = target.read_text(encoding="utf-8")
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", text.replace("\n", ""))
    assert '"Red\\u001B[31m alert\\u0007 tab\\there\\u0000\\u007F\\u0085\\u009F end"@en' in text
    lits = {q.object.value for q in open_kb(kb_dir).store.quads_for_pattern(None, None, None)
            if isinstance(q.object, ox.Literal) and q.object.language == "en"}
    assert label in lits


@pytest.mark.parametrize("date", ["-0599~", "-0599/-0500", "-05XX", "-0232"])
def test_a_bce_date_is_taken_as_the_value_of_date(date, scratch_kb, monkeypatch, capsys):
    """argparse took "-0599~" for an option ("--date: expected one argument")."""
    kb_dir = scratch_kb({"a.ttl": CLEAN})
    target = kb_dir / "ancient.ttl"
    assert run(["event", "--kb", str(kb_dir), "--file", str(target), "--label-en", "Ancient", "--date", date,
                "--source", "id:src-relay"], monkeypatch) == 0
    assert f'dcterms:date "{date}"^^edtf:EDTF' in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("kind, flags, error", [
    ("event", ["--label-en", "X", "--date", "2024", "--source", "id:src-relay", "--actor", "perpetrator=id:iraq"],
     "the tl:perpetrator of a sem:Event must be a sem:Actor, and id:iraq is not"),
    ("event", ["--label-en", "X", "--date", "2024", "--source", "id:israel"],
     "the prov:wasDerivedFrom of a sem:Event must be a prov:Entity, and id:israel is not"),
    ("event", ["--label-en", "X", "--date", "2024", "--source", "id:src-relay", "--place", "id:israel"],
     "the sem:hasPlace of a sem:Event must be a sem:Place, and id:israel is not"),
    ("source", ["--label-en", "X", "--publisher", "id:iraq"], "the dcterms:publisher of a prov:Entity must be a sem:Actor"),
    ("place", ["--label-en", "X", "--place", "id:israel"], "the schema:containedInPlace of a sem:Place must be a sem:Place"),
    ("claim", ["--subject", "id:ev-strike", "--predicate", "tl:perpetrator", "--object", "id:israel", "--by", "id:iraq",
               "--status", "Claimed", "--source", "id:src-relay"], "the sem:accordingTo of a tl:Claim must be a sem:Actor"),
    ("claim", ["--subject", "id:ev-strike", "--predicate", "tl:perpetrator", "--object", "id:iraq", "--by", "id:israel",
               "--status", "Claimed", "--source", "id:src-relay"],
     "what a claim says is the tl:perpetrator must be a sem:Actor, and id:iraq is not"),
])
def test_a_thing_of_the_wrong_kind_is_refused(kind, flags, error, scratch_kb, monkeypatch, capsys):
    """A place as a perpetrator, an actor as a source …: described, so written, and then the
    checker rejected the knowledge base (the shapes' sh:class)."""
    kb_dir = scratch_kb({"a.ttl": CLEAN})
    target = kb_dir / "new.ttl"
    assert run([kind, "--kb", str(kb_dir), "--file", str(target), *flags], monkeypatch) == 2
    err = capsys.readouterr().err
    assert err.startswith("tarikh: error: ") and error in err, err
    assert not target.exists()


def test_a_misspelt_event_type_of_the_kb_gets_a_did_you_mean(scratch_kb, monkeypatch, capsys):
    kb_dir = scratch_kb({"a.ttl": CLEAN, "c.ttl": 'id:ceasefire-talks a skos:Concept ; skos:inScheme tl:EventTypes ;'
                         ' skos:prefLabel "Ceasefire talks"@en , "محادثات وقف إطلاق النار"@ar .\n'})
    args = ["event", "--kb", str(kb_dir), "--file", str(kb_dir / "n.ttl"), "--label-en", "X", "--date", "2024",
            "--source", "id:src-relay", "--type"]
    assert run([*args, "id:ceasefire-talk"], monkeypatch) == 2
    assert "did you mean id:ceasefire-talks?" in capsys.readouterr().err
    assert run([*args, "id:ceasefire-talks", "--actor", "speaker=id:israel", "--place", "id:iraq"], monkeypatch) == 0


@pytest.mark.parametrize("flags, error", [
    (["--label-en", "   "], "--label-en is empty"), (["--label-en", "X", "--label-ar", "\n"], "--label-ar is empty"),
    (["--label-en", ""], "--label-en is empty"), ([], "missing --label-en (or --label-ar)"),
])
def test_a_blank_label_is_refused(flags, error, scratch_kb, monkeypatch, capsys):
    """'   ' went in as the label, and the slug became id:actor."""
    kb_dir = scratch_kb({"a.ttl": CLEAN})
    target = kb_dir / "new.ttl"
    assert run(["actor", "--kb", str(kb_dir), "--file", str(target), *flags], monkeypatch) == 2
    assert error in capsys.readouterr().err
    assert not target.exists()
