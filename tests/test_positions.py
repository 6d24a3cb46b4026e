"""The Turtle position index: where subjects, predicates, objects and prefixes are written."""
from __future__ import annotations

import textwrap

import pytest

from builder.load import find_files
from builder.positions import Where, index_files, index_text

ID = "https://example.org/id/"
TL = "https://w3id.org/tarikh/ns#"
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

TEXT = textwrap.dedent('''\
    @prefix id: <https://example.org/id/> .
    @prefix tl: <https://w3id.org/tarikh/ns#> .
    PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
    # a comment with "a quote and <an iri> ;
    id:x a sem:Event ;  # trailing comment .
        tl:label """long
    "quoted" text """@en , 'x\\'y' ;
        tl:relativeDate [ tl:anchor id:y ; tl:offset "P1D"^^<http://www.w3.org/2001/XMLSchema#dayTimeDuration> ] ;
        tl:n 12, 1.5, -3e2, true ;
        tl:list ( id:a id:b [ tl:q 1 ] ) .
    <z> tl:p id:x\\.y , <http://other.example/k> .
    [ tl:p 1 ] tl:q id:w .
    id:\u0627 tl:p "\u0642\u0627\u0622\u0646\u064a"@ar ; tl:p id:x .
''')


@pytest.fixture(scope="module")
def index():
    return index_text(TEXT, "kb/a.ttl", ID)


def test_subject_predicate_and_object_positions(index):
    assert index.where(ID + "x") == Where("kb/a.ttl", 5, 1)
    assert index.where(ID + "x", RDF_TYPE) == Where("kb/a.ttl", 5, 6)
    assert index.where(ID + "x", RDF_TYPE, SEM + "Event") == Where("kb/a.ttl", 5, 8)
    assert index.where(ID + "x", TL + "label") == Where("kb/a.ttl", 6, 5)


def test_strings_of_every_form_are_keyed_by_their_value(index):
    assert index.where(ID + "x", TL + "label", 'long\n"quoted" text ') == Where("kb/a.ttl", 6, 14)
    assert index.where(ID + "x", TL + "label", "x'y") == Where("kb/a.ttl", 7, 24)


def test_numbers_and_booleans(index):
    for value, column in (("12", 10), ("1.5", 14), ("-3e2", 19), ("true", 25)):
        assert index.where(ID + "x", TL + "n", value) == Where("kb/a.ttl", 9, column)


def test_blank_node_property_lists_are_keyed_by_their_path(index):
    assert index.where_nested(ID + "x", TL + "relativeDate", TL + "anchor", ID + "y") == Where("kb/a.ttl", 8, 33)
    assert index.where_nested(ID + "x", TL + "relativeDate", TL + "offset", "P1D") == Where("kb/a.ttl", 8, 50)
    assert index.where_nested(ID + "x", TL + "list", TL + "q", "1") == Where("kb/a.ttl", 10, 32)


def test_collection_items_count_as_objects(index):
    assert index.where(ID + "x", TL + "list", ID + "b") == Where("kb/a.ttl", 10, 20)


def test_escapes_in_local_names_and_full_iris(index):
    assert index.where(ID + "z", TL + "p", ID + "x.y") == Where("kb/a.ttl", 11, 10)
    assert index.where(ID + "z", TL + "p", "http://other.example/k") == Where("kb/a.ttl", 11, 20)


def test_columns_count_characters_not_bytes(index):
    assert index.where(ID + "\u0627", TL + "p", ID + "x") == Where("kb/a.ttl", 13, 29)


def test_occurrences_list_every_place(index):
    assert index.occurrences(ID + "x") == [Where("kb/a.ttl", 5, 1), Where("kb/a.ttl", 13, 29)]
    assert index.occurrences("http://www.w3.org/2001/XMLSchema#dayTimeDuration") == [Where("kb/a.ttl", 8, 50)]
    assert index.occurrences(ID + "nowhere") == []


def test_prefix_declarations_with_positions(index):
    assert [(d.prefix, d.namespace, d.where) for d in index.prefixes] == [
        ("id", ID, Where("kb/a.ttl", 1, 9)),
        ("tl", TL, Where("kb/a.ttl", 2, 9)),
        ("sem", SEM, Where("kb/a.ttl", 3, 8)),
    ]


def test_base_resolves_relative_iris():
    index = index_text("<a> <p> <b> .\n@base <https://other.example/> .\n<c> <p> <d> .\n", "f.ttl", ID)
    assert index.where(ID + "a", ID + "p", ID + "b") == Where("f.ttl", 1, 9)
    assert index.where("https://other.example/c") == Where("f.ttl", 3, 1)


@pytest.mark.parametrize("broken", [
    "id:x a .", '"unterminated', "id:x tl:p [ tl:q ", "@prefix x <nope> .", "] ) ( [ ; , . .",
    '"""never closed', "id:x tl:p id:y id:z .", "@prefix : <x> . :a :b :c", "\x00\x01 <", "PREFIX",
])
def test_broken_text_never_raises(broken):
    index_text("@prefix id: <https://example.org/id/> .\n@prefix tl: <https://w3id.org/tarikh/ns#> .\n"
               + broken + "\nid:after tl:p id:q .\n", "f.ttl", ID)


def test_it_recovers_at_the_next_statement():
    index = index_text("@prefix id: <https://example.org/id/> .\nid:x id:p id:y id:z .\nid:after id:p id:q .\n", "f.ttl", ID)
    assert index.where(ID + "after", ID + "p", ID + "q") == Where("f.ttl", 3, 15)


def test_positions_are_built_lazily_per_file(scratch_kb):
    kb = scratch_kb({"a.ttl": "id:a skos:prefLabel \"A\"@en .\n", "b.ttl": "id:b skos:prefLabel \"B\"@en .\n"})
    files = find_files(kb, "kb")
    positions = index_files(files, ID)
    graph_b = files[1].path.as_uri()
    assert positions.where(ID + "b", graphs=[graph_b]).path == "kb/b.ttl"
    assert list(positions._built) == ["kb/b.ttl"]
    assert positions.where(ID + "a") == Where("kb/a.ttl", 15, 1)
    assert [d.prefix for d in positions.prefixes][:2] == ["rdf", "rdfs"]
