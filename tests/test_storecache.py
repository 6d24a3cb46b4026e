"""The derived store kept between `tarikh query` runs (builder/storecache.py): used while what it
was made from is unchanged, made again when anything is, never for a knowledge base with errors,
never written into kb/."""
from __future__ import annotations

import os
import shutil

import pyoxigraph as ox
import pytest

from builder import query as q
from builder import storecache
from sparqlkit import small_kb, tarikh

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?e a sem:Event }"
LABELS = "SELECT ?l WHERE { id:ev-one skos:prefLabel ?l FILTER(lang(?l) = 'en') }"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.delenv("TARIKH_NO_STORE_CACHE", raising=False)
    return folder / "tarikh" / "stores"


def copies(cache) -> list:
    return sorted(cache.glob("*.nq")) if cache.is_dir() else []


def answer(kb, text: str) -> list:
    return [[t.value for t in row] for row in q.run(kb.store, text, kb.id_ns)]


def every_file(folder) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_second_run_answers_from_the_copy_without_loading(tmp_path, cache, monkeypatch):
    kb_dir = small_kb(tmp_path / "kb")
    before = every_file(kb_dir)
    first, fatal = storecache.open_store(kb_dir)
    assert not fatal and len(copies(cache)) == 1

    def no_load(*a, **k):
        raise AssertionError("loaded and derived again although nothing changed")
    monkeypatch.setattr(q, "open_query_store", no_load)
    second, fatal = storecache.open_store(kb_dir)
    assert not fatal
    # the same quads, derived ones included, in the same graphs (blank nodes get new names on
    # every load, from the files too)
    def named(store):
        return {x for x in store if not any(isinstance(t, ox.BlankNode) for t in (x.subject, x.object))}
    assert len(second.store) == len(first.store)
    assert named(second.store) == named(first.store)
    assert answer(second, COUNT) == answer(first, COUNT) == [["3"]]
    assert second.id_ns == first.id_ns
    assert every_file(kb_dir) == before  # nothing written into the knowledge base


def test_an_edit_is_seen_even_when_size_and_time_stay_the_same(tmp_path, cache):
    kb_dir = small_kb(tmp_path / "kb")
    kb, _ = storecache.open_store(kb_dir)
    assert answer(kb, LABELS) == [["First event"]]
    events = kb_dir / "events.ttl"
    stat = events.stat()
    text = events.read_text(encoding="utf-8")
    assert "First event" in text
    events.write_text(text.replace("First event", "Fir5t event"), encoding="utf-8")
    os.utime(events, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same time: only the bytes differ
    kb, _ = storecache.open_store(kb_dir)
    assert answer(kb, LABELS) == [["Fir5t event"]]
    assert len(copies(cache)) == 1  # the folder's older copy is gone


def test_a_new_file_is_seen(tmp_path, cache):
    kb_dir = small_kb(tmp_path / "kb")
    assert answer(storecache.open_store(kb_dir)[0], COUNT) == [["3"]]
    small_kb(tmp_path / "kb", **{"more.ttl": """
        id:ev-four a sem:Event ; skos:prefLabel "Fourth"@en , "الرابع"@ar ;
            dcterms:date "2024-01-09"^^xsd:date ; prov:wasDerivedFrom id:src-report ."""})
    assert answer(storecache.open_store(kb_dir)[0], COUNT) == [["4"]]


def test_two_folders_with_the_same_files_keep_their_own_copies(tmp_path, cache):
    a = small_kb(tmp_path / "a")
    b = tmp_path / "b"
    shutil.copytree(a, b)
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'file:')) }"
    ga = {row[0] for row in answer(storecache.open_store(a)[0], graphs)}
    gb = {row[0] for row in answer(storecache.open_store(b)[0], graphs)}
    assert len(copies(cache)) == 2
    # each store's graphs name its own folder's files
    assert all("/a/" in g for g in ga) and all("/b/" in g for g in gb) and ga and gb


def test_a_knowledge_base_with_errors_is_never_copied(tmp_path, cache):
    kb_dir = small_kb(tmp_path / "kb", **{"broken.ttl": "id:x a sem:Event ;\n  skos:prefLabel \"unclosed ."})
    for _ in range(2):
        kb, fatal = storecache.open_store(kb_dir)
        assert fatal and fatal[0].path.endswith("broken.ttl")
    assert copies(cache) == []


def test_a_damaged_copy_is_passed_over_and_made_again(tmp_path, cache):
    kb_dir = small_kb(tmp_path / "kb")
    storecache.open_store(kb_dir)
    [copy] = copies(cache)
    copy.write_bytes(b"<not n-quads")
    kb, fatal = storecache.open_store(kb_dir)
    assert not fatal and answer(kb, COUNT) == [["3"]]
    [again] = copies(cache)
    assert again.read_bytes() != b"<not n-quads"


def test_copies_can_be_turned_off(tmp_path, cache, monkeypatch):
    monkeypatch.setenv("TARIKH_NO_STORE_CACHE", "1")
    kb_dir = small_kb(tmp_path / "kb")
    kb, fatal = storecache.open_store(kb_dir)
    assert not fatal and answer(kb, COUNT) == [["3"]]
    assert copies(cache) == []


def test_an_unwritable_cache_still_answers(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    kb, fatal = storecache.open_store(small_kb(tmp_path / "kb"))
    assert not fatal and answer(kb, COUNT) == [["3"]]


def test_the_command_answers_the_same_from_the_copy(tmp_path):
    kb_dir = small_kb(tmp_path / "kb")
    env_cache = tmp_path / "xdg"
    runs = []
    for _ in range(2):
        proc = tarikh("query", "--kb", str(kb_dir), "--format", "csv",
                      "SELECT ?e ?from WHERE { ?e sem:hasEarliestBeginTimeStamp ?from } ORDER BY ?e",
                      env={"XDG_CACHE_HOME": str(env_cache)})
        assert proc.returncode == 0, proc.stderr
        runs.append(proc.stdout)
    assert runs[0] == runs[1] and b"ev-three" in runs[0] and b"2024-01-06" in runs[0]
    assert len(list((env_cache / "tarikh" / "stores").glob("*.nq"))) == 1


def test_only_the_most_recently_used_copies_are_kept(tmp_path, cache, monkeypatch):
    monkeypatch.setattr(storecache, "KEEP", 2)
    a, b, c = (small_kb(tmp_path / name) for name in "abc")
    storecache.open_store(a)
    storecache.open_store(b)
    def copy_of(folder):
        return next(p for p in copies(cache) if p.name.startswith(storecache._folder_key(folder)))
    os.utime(copy_of(a), ns=(1, 1))  # both copies old, a's older than b's
    os.utime(copy_of(b), ns=(2, 2))
    storecache.open_store(a)  # a used again: now the most recent
    storecache.open_store(c)  # a third folder: b's copy, least recently used, goes
    kept = {p.name.split("-")[0] for p in copies(cache)}
    assert kept == {storecache._folder_key(a), storecache._folder_key(c)}


def test_a_commit_in_the_knowledge_base_s_own_repository_keeps_the_copy(tmp_path, cache, monkeypatch):
    kb_dir = small_kb(tmp_path / "kb")
    storecache.open_store(kb_dir)
    (kb_dir / ".git").mkdir()
    (kb_dir / ".git" / "index").write_bytes(b"changed by every git status")

    def no_load(*a, **k):
        raise AssertionError("loaded again for a change in .git")
    monkeypatch.setattr(q, "open_query_store", no_load)
    kb, fatal = storecache.open_store(kb_dir)
    assert not fatal and answer(kb, COUNT) == [["3"]]
