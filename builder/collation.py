"""Name order for a page's language: the key the lists (/actors/ …) are sorted by.

The project has no collation library (Babel has none, PyICU is not a dependency), so this is a
small, well-defined collation in the manner of the Unicode Collation Algorithm at its primary
level, the strength the lists' sorting script compares at (`sensitivity: "base"`), following
what the Unicode CLDR collations (as browsers' Intl.Collator has them) do in these cases:

- case, accents and Arabic diacritics (harakat, shadda, sukun …) do not count, nor do tatweel,
  direction marks and other invisible format characters ("Éclair" files under e, "صَنْعَـــاء"
  as "صنعاء");
- spaces, punctuation and symbols come before digits, digits before letters; a run of digits
  counts as its number, in any digits ("event 9" before "event 10", "٩" with "9");
- on a page in Arabic, Persian or Urdu the letters of the Arabic script come before those of
  other scripts (CLDR's `[reorder Arab]`): Arabic names first, then Latin ones; elsewhere letters
  keep the Unicode order of their scripts, Latin before Arabic;
- on an Arabic page, as CLDR's Arabic collation has it, the hamza forms (ء أ إ ؤ ئ) file with
  alef, alef with madda (آ) just after alef, taa marbuta (ة) with taa, alef maqsura (ى) and
  Persian yeh (ی) with yaa; on other pages each of these letters has its own place, in Unicode
  order; the letters Persian adds (پ چ ژ ک گ) come after the Arabic letters they are drawn from.

Ties (names equal at this strength) are broken by the text itself, then by the caller (the IRI),
so the order is total and the same on every build. The server writes each row's rank in this
order into the page, and static/sortable.js sorts the name column by that rank: the order a
list is written in and the order its name heading sorts to are one order, whatever the browser.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

# CLDR's Arabic tailoring at primary strength (pages in Arabic only).
_ARABIC_FOLD = str.maketrans({
    "\u0621": "\u0627", "\u0623": "\u0627", "\u0625": "\u0627", "\u0624": "\u0627", "\u0626": "\u0627",
    "\u0622": "\u0627\u0621",  # آ: alef, then a weight below every other letter's (ء is not folded again)
    "\u0629": "\u062a",  # ة → ت
    "\u0649": "\u064a", "\u06cc": "\u064a",  # ى ی → ي
})
# The letters Persian and Urdu add, each just after the Arabic letter it is drawn from (Unicode
# puts them after yaa): pe after beh, tcheh after jeem, jeh after zain, keheh and gaf after kaf.
_AFTER = {"\u067e": "\u0628\U0010fffe", "\u0686": "\u062c\U0010fffe", "\u0698": "\u0632\U0010fffe",
          "\u06a9": "\u0643\U0010fffe", "\u06af": "\u0643\U0010ffff"}
# Languages whose pages put Arabic-script names before the others.
ARABIC_FIRST = {"ar", "fa", "ur"}

_SPACE, _DIGIT, _OWN, _OTHER = 0, 1, 2, 3


def _is_arabic(ch: str) -> bool:
    o = ord(ch)
    return 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0x08A0 <= o <= 0x08FF or 0xFB50 <= o <= 0xFEFF


@lru_cache(maxsize=1 << 14)
def sort_key(text: str, lang: str) -> tuple:
    """The collation key of a name on a page in `lang`: compare keys to order names."""
    base = lang.split("-")[0].lower()
    folded = unicodedata.normalize("NFKC", text).casefold()
    if base == "ar":
        folded = folded.translate(_ARABIC_FOLD)
    arabic_first = base in ARABIC_FIRST
    elements: list[tuple[int, int | str]] = []
    number: int | None = None
    for ch in folded:
        for kind, value in _elements_of(ch, arabic_first):
            if kind is None:  # a digit: a run of them counts as its number
                number = (number or 0) * 10 + value
                continue
            if number is not None:
                elements.append((_DIGIT, number))
                number = None
            elements.append((kind, value))
    if number is not None:
        elements.append((_DIGIT, number))
    while elements and elements[-1] == (_SPACE, " "):
        elements.pop()
    while elements and elements[0] == (_SPACE, " "):
        elements.pop(0)
    return (tuple(elements), text)


@lru_cache(maxsize=1 << 13)
def _elements_of(ch: str, arabic_first: bool) -> tuple:
    """What one character of a folded name adds to its key, (kind, value) each: (None, n) for a
    digit of value n. Made once per character (a list of 10,000 names spent half its context
    making each key letter by letter)."""
    out = []
    # An Arabic letter keeps its hamza or madda (a letter of its own, but where the tailoring
    # above folds it); any other letter sheds its accents.
    for c in (ch if _is_arabic(ch) else unicodedata.normalize("NFD", ch)):
        cat = unicodedata.category(c)
        if cat.startswith("M") or cat in ("Cf", "Cc") or c == "\u0640":
            continue  # accents, harakat, tatweel, invisible format and control characters
        if cat == "Nd":
            out.append((None, unicodedata.decimal(c)))
        elif cat.startswith(("Z", "P", "S")):
            out.append((_SPACE, " " if cat.startswith("Z") else c))
        elif arabic_first and not _is_arabic(c):
            out.append((_OTHER, c))
        else:
            out.append((_OWN, _AFTER.get(c, c)))
    return tuple(out)
