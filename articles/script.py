"""Arabic-script spelling folded away for search, the same in Python and in SQL.

A reader may type with an Arabic or a Persian keyboard, with or without
diacritics, tatweel, zero-width non-joiners or hamza forms, in Persian,
Arabic-Indic or Western digits: all of these find the same article. The
database's search trigger applies the SQL function `articles_search_normalize`
(migration 0015) to the indexed text; `normalize_script` applies the same
folding to the reader's query. tests/articles/test_search_script.py checks both
give the same result.

Letters fold towards the edition's own spelling (Arabic ي ك in the Arabic
edition, Persian ی ک elsewhere), so excerpts of text written the edition's
usual way still highlight the words.
"""

import re

# Harakat and Quranic marks, superscript alef, tatweel, ZWNJ, ZWJ, LRM, RLM, ALM.
IGNORED = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c-\u200f\u061c]")
SHARED = str.maketrans(
    {
        **dict.fromkeys("أإآٱٲٳ", "ا"),
        "ة": "ه",
        "ۀ": "ه",
        "ؤ": "و",
        **{chr(0x06F0 + n): str(n) for n in range(10)},  # Persian digits
        **{chr(0x0660 + n): str(n) for n in range(10)},  # Arabic-Indic digits
    }
)
ARABIC_LETTERS = str.maketrans({"ی": "ي", "ى": "ي", "ئ": "ي", "ک": "ك"})
PERSIAN_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ئ": "ی", "ك": "ک"})


def normalize_script(text: str, language: str) -> str:
    """Return `text` folded as the search index folds the edition `language`'s articles."""
    text = IGNORED.sub("", text).translate(SHARED)
    return text.translate(ARABIC_LETTERS if language == "ar" else PERSIAN_LETTERS)
