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
