"""Found by a historian writing a knowledge base of their own (the Suez Canal, 600 BCE to 2024,
English first) from kb-format.md alone: what the seed, Arabic sources throughout, never showed."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from builder.site import build
from conftest import make_kb

KB = {
    "things.ttl": """
        id:company a sem:Actor , schema:Organization ; skos:prefLabel "Canal company"@en , "شركة القناة"@ar .
        id:times a sem:Actor , schema:NewsMediaOrganization ; skos:prefLabel "The Times"@en , "ذا تايمز"@ar .
        id:src-pamphlet a prov:Entity , schema:Report ; dcterms:title "Notice historique"@fr ;
            dcterms:publisher id:company ; dcterms:issued "1900"^^edtf:EDTF ; dcterms:language "fr" .
        id:src-times a prov:Entity , schema:NewsArticle ; dcterms:title "The canal shares"@en ;
            dcterms:publisher id:times ; dcterms:issued "1875-11-27"^^edtf:EDTF ; dcterms:language "en" .
        id:ev-first-blow a sem:Event ; skos:prefLabel "Construction begins"@en , "بدء الحفر"@ar ;
            dcterms:date "1859-04-25"^^edtf:EDTF ;
            tl:quote "Nous allons donner le premier coup de pioche."@fr ,
                "We are about to strike the first blow of the pickaxe."@en ,
                "نحن على وشك توجيه أول ضربة معول."@ar ;
            prov:wasDerivedFrom id:src-pamphlet .
        id:ev-letter a sem:Event ; skos:prefLabel "Disraeli writes to the Queen"@en , "دزرائيلي يكتب إلى الملكة"@ar ;
            dcterms:date "1875-11-24"^^edtf:EDTF ;
            tl:quote "It is just settled; you have it, Madam."@en , "لقد تمّ الأمر للتو؛ إنها لكِ يا سيدتي."@ar ;
            prov:wasDerivedFrom id:src-times .
        id:claim-letter a tl:Claim ; skos:prefLabel "The Times: Disraeli wrote"@en , "ذا تايمز: دزرائيلي كتب"@ar ;
            rdf:subject id:ev-letter ; rdf:predicate tl:speaker ; rdf:object id:company ;
            sem:accordingTo id:times ; tl:status tl:Reported ;
            tl:quote "you have it, Madam"@en , "إنها لكِ يا سيدتي"@ar ;
            prov:wasDerivedFrom id:src-times .
    """,
    "quantities.ttl": """
        id:src-stats a prov:Entity , schema:Report ; dcterms:title "Traffic statistics"@en ;
            dcterms:publisher id:company ; dcterms:issued "2000-06"^^edtf:EDTF ; dcterms:language "en" .
        id:qty-1980 a tl:Quantity ; skos:prefLabel "Transits, 1980"@en , "العبور، 1980"@ar ;
            schema:value 20795 ; tl:quantityOf id:company ;
            dcterms:date "1980"^^edtf:EDTF ; prov:wasDerivedFrom id:src-stats .
        id:qty-1990 a tl:Quantity ; skos:prefLabel "Transits, 1990"@en , "العبور، 1990"@ar ;
            schema:value 17664 ; tl:approximate true ; tl:quantityOf id:company ;
            dcterms:date "1990"^^edtf:EDTF ; prov:wasDerivedFrom id:src-stats .
        id:qty-latest a tl:Quantity ; skos:prefLabel "Transits, latest"@en , "العبور، آخر رقم"@ar ;
            schema:value 14141 ; tl:quantityOf id:company ;
            tl:relativeDate [ tl:anchor id:src-stats ; tl:latestOffset "P0D"^^xsd:dayTimeDuration ] ;
            prov:wasDerivedFrom id:src-stats .
    """,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("qa-terms")
    out = root / "out"
    build(make_kb(root, KB), out)
    return out


def quote_languages(page: Path) -> list[str]:
    html = page.read_text(encoding="utf-8")
    pair = re.search(r'<div class="quote-pair">(.*?)</div>', html, re.S)
    assert pair, page
    return re.findall(r'<blockquote lang="([^"]+)"', pair[1])


@pytest.mark.parametrize("prefix", ["", "ar/"])
@pytest.mark.parametrize("slug, first", [("ev-first-blow", "fr"), ("ev-letter", "en"), ("claim-letter", "en")])
def test_a_quote_in_its_sources_language_comes_first_as_the_original(site, prefix, slug, first):
    # the original came after the Arabic translation whatever the sources' language: a French
    # quote from a French pamphlet was shown third, under its English and Arabic translations
    langs = quote_languages(site / f"{prefix}id/{slug}/index.html")
    assert langs[0] == first, langs


def series_rows(page: Path) -> list[str]:
    html = page.read_text(encoding="utf-8")
    table = re.search(r'<section class="series">.*?<tbody>(.*?)</tbody>', html, re.S)
    assert table, page
    rows = re.findall(r"<tr>(.*?)</tr>", table[1], re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r)).strip() for r in rows]


def test_a_series_of_measurements_is_in_time_order_with_approximate_values_said_so(site):
    # a measurement known only as "on or before June 2000" was sorted as if it were of 1970
    # (day 0), before 1980; and "about 17,664" lost its "about" in the series
    rows = series_rows(site / "id/qty-1980/index.html")
    assert [r.split()[-1] for r in rows] == ["1980", "1990", "latest"], rows
    assert "about 17,664" in rows[1], rows
    assert "about" not in rows[0] + rows[2], rows
    ar = series_rows(site / "ar/id/qty-1980/index.html")
    assert "نحو" in ar[1] and "نحو" not in ar[0] + ar[2], ar


def test_a_bce_date_as_written_stays_as_it_is_in_the_csv(tmp_path):
    # "-0599~" (about 600 BCE) got the spreadsheet guard's "'" as if it were a formula, though
    # the README promises that BCE dates stay as they are; a formula still gets it
    import csv
    import io

    from builder.exporters import export
    from test_export import model_of

    kb = make_kb(tmp_path, {"e.ttl": """
        id:pub a sem:Actor , schema:Person ; skos:prefLabel "Herodotus"@en , "هيرودوت"@ar .
        id:src a prov:Entity , schema:CreativeWork ; dcterms:title "Histories"@en ; dcterms:publisher id:pub .
        id:ev-about a sem:Event ; skos:prefLabel "Necho begins a canal"@en , "نخاو يبدأ قناة"@ar ;
            dcterms:date "-0599~"^^edtf:EDTF ; prov:wasDerivedFrom id:src .
        id:ev-span a sem:Event ; skos:prefLabel "A reign"@en , "عهد"@ar ;
            dcterms:date "-0609/-0594"^^edtf:EDTF ; prov:wasDerivedFrom id:src .
        id:ev-decade a sem:Event ; skos:prefLabel "-1+1"@en , "عقد"@ar ;
            dcterms:date "-059X"^^edtf:EDTF ; prov:wasDerivedFrom id:src .
    """})
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(export(model_of(kb), "csv").decode("utf-8")))}
    assert rows["ev-about"]["date_text"] == "-0599~"
    assert rows["ev-span"]["date_text"] == "-0609/-0594"
    assert rows["ev-decade"]["date_text"] == "-059X"
    assert rows["ev-decade"]["label_en"] == "'-1+1"
