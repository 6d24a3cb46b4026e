"""Arabic-script normalisation for search: text in, the form both the index and the query use out.

Readers type the same name many ways: with or without hamza and madda on the alef (إسماعيل,
اسماعيل; قاآني, قااني), taa marbuta or haa (حماة, حماه), alef maqsura or yaa (قاانى, قااني),
with or without diacritics and tatweel, and in Persian letters (اسماعیل قاآنی). Pagefind folds
none of this for pages that are not Arabic, so the builder adds the normalised form of every
Arabic-script label, description and quote to the index, and the search page normalises the query
the same way. `site_templates/static/search.js` holds the same rules: keep the two in step
(tests/test_i18n.py checks them against each other).
"""
from __future__ import annotations

import re
import unicodedata

# Harakat, tanween, shadda, sukun, superscript alef, Quranic marks, tatweel, and the invisible
# direction marks and controls (ALM, LRM, RLM, embeddings, overrides, isolates): removed.
_REMOVE = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640"
                     "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Letters folded to one form each.
_FOLD = str.maketrans({
    "\u0622": "\u0627",  # آ alef with madda → ا
    "\u0623": "\u0627",  # أ alef with hamza above → ا
    "\u0625": "\u0627",  # إ alef with hamza below → ا
    "\u0671": "\u0627",  # ٱ alef wasla → ا
    "\u0672": "\u0627", "\u0673": "\u0627",  # wavy hamza forms → ا
    "\u0624": "\u0648",  # ؤ waw with hamza → و
    "\u0626": "\u064a",  # ئ yaa with hamza → ي
    "\u0649": "\u064a",  # ى alef maqsura → ي
    "\u06cc": "\u064a",  # ی Persian yeh → ي
    "\u06d2": "\u064a",  # ے yeh barree → ي
    "\u0629": "\u0647",  # ة taa marbuta → ه
    "\u06c0": "\u0647",  # ۀ heh with yeh above → ه
    "\u06d5": "\u0647",  # ە ae → ه
    "\u06a9": "\u0643",  # ک keheh (Persian kaf) → ك
})
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def has_arabic(text: str) -> bool:
    """Whether a text holds any Arabic-script letter."""
    return bool(_ARABIC.search(text))


def normalise(text: str) -> str:
    """Fold hamza and alef forms, taa marbuta, alef maqsura, Persian letters; drop diacritics and tatweel."""
    return _REMOVE.sub("", text).translate(_FOLD)


# Latin letters that are no accented form of another letter (Unicode gives them no decomposition),
# so that neither Pagefind nor dropping accents folds them: "Şırnak" (UCDP, GeoNames) is found as
# "Sirnak" only through a variant in the index. The importers match names by the same folding.
LATIN_LETTERS = str.maketrans({"ı": "i", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D",
                               "ħ": "h", "Ħ": "H", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
                               "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D"})
_LATIN_KEYS = re.compile("[ıøØłŁđĐħĦßæÆœŒþÞðÐ]")


def latin_folded(text: str) -> str:
    """A text with those letters spelt in ASCII and every accent dropped ("Şırnak" → "Sirnak")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(LATIN_LETTERS))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def variants(texts) -> list[str]:
    """The normalised forms of the Arabic-script texts that normalisation changes, and the ASCII
    forms of Latin texts with letters no search folds (ı, ł, ø …), each once, in order."""
    out: list[str] = []
    for text in texts:
        if not text:
            continue
        if has_arabic(text):
            folded = normalise(text)
        elif _LATIN_KEYS.search(text):
            folded = latin_folded(text)
        else:
            continue
        if folded != text and folded not in out:
            out.append(folded)
    return out
