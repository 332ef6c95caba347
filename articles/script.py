"""How each edition's words are found: spelling folded, words stemmed, stop words.

One function, `search_words`, turns text into the words search compares, for the
index and for the reader's query alike, so the two cannot drift apart:

- Every edition: a reader may type with an Arabic or a Persian keyboard, with or
  without diacritics, tatweel, zero-width non-joiners or hamza forms, in Persian,
  Arabic-Indic or Western digits; all of these are folded away
  (`normalize_script`). The database applies the same folding to the indexed
  text with the SQL function `articles_search_normalize` (its latest version is
  in migration 0026); tests/articles/test_search_script.py checks both agree.
- English and Arabic: PostgreSQL's own Snowball configurations (`english`,
  `arabic`) stem the folded words, in the trigger and in to_tsquery alike.
- Persian: PostgreSQL ships no Persian stemmer, so Python stems (Snowball's
  Persian algorithm through PyStemmer) and the vector of a Persian article is
  written by articles/search_index.py from these same words.

Letters fold towards the edition's own spelling (Arabic ي ك in the Arabic
edition, Persian ی ک elsewhere), so excerpts of text written the edition's
usual way still highlight the words. Arabic folds a final ه to ة (readers often
type المدرسه for المدرسة; the Snowball stemmer strips ة but not ه, so the folded
forms meet with or without ال); Persian folds ة to ه.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

# Harakat and Quranic marks, superscript alef, tatweel, ZWJ, LRM, RLM, ALM. The
# zero-width non-joiner (U+200C) is dropped later, once Persian suffixes are read.
IGNORED = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200d-\u200f\u061c]")
ZWNJ = "\u200c"
SHARED = str.maketrans(
    {
        **dict.fromkeys("أإآٱٲٳ", "ا"),
        "ۀ": "ه",
        "ؤ": "و",
        **{chr(0x06F0 + n): str(n) for n in range(10)},  # Persian digits
        **{chr(0x0660 + n): str(n) for n in range(10)},  # Arabic-Indic digits
    }
)
ARABIC_LETTERS = str.maketrans({"ی": "ي", "ى": "ي", "ئ": "ي", "ک": "ك"})
PERSIAN_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ئ": "ی", "ك": "ک", "ة": "ه"})
# A final ه in the Arabic edition (before anything that is not an Arabic letter).
ARABIC_FINAL_HEH = re.compile("ه(?![\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff])")
# Words: letters, digits and joiners; a ZWNJ inside a Persian word keeps it whole.
WORD = re.compile(r"[\w\u200c]+")
# Persian suffixes typed as words of their own ("رودخانه ها", "خانه ی", "بزرگ تر"):
# joined back to the word before them, as a ZWNJ would join them.
PERSIAN_DETACHED = re.compile(r"(?<=\w) +(?=(?:ها|های|هایی|ان|ات|ی|ای|تر|ترین)(?![\w\u200c]))")
PREFIX_MIN_LENGTH = 4  # shorter last words are matched whole: "من" is no prefix of "منذ"


@dataclass(frozen=True)
class SearchLanguage:
    """How one edition's words are indexed and queried (see EDITIONS)."""

    # The PostgreSQL text search configuration of its vectors and queries (the SQL
    # function articles_search_config must answer the same: a test checks it).
    config: str
    # The Snowball algorithm Python stems with, where PostgreSQL has none.
    python_stemmer: str = ""
    # Words too common to search by, as written (folded when compared). English
    # needs none here: PostgreSQL's english configuration drops its own.
    stop_words: frozenset[str] = frozenset()
    # How much of a body the excerpt is looked for in: ts_headline parses (and stems)
    # all it is given, and Snowball's Arabic stemmer costs about four times the
    # English one (a page of twenty Arabic excerpts from 3,000 characters each:
    # 20 of 41 ms at 100k; from 1,000: 2 ms).
    excerpt_chars: int = 3000


# Function words only (particles, prepositions, pronouns, conjunctions, the copula):
# a reader searching for a noun must never be told it is too common. The lists of
# the stop-words packages were not used: they come from news corpora and hold
# words such as زيارة (a visit), مليون, اسلامی and بزرگ.
ARABIC_STOP_WORDS = frozenset(
    """
    من في على إلى الى عن مع و او أو ثم أن إن ان لا ما لم لن قد هذا هذه ذلك تلك هؤلاء
    التي الذي الذين اللذين اللتين هو هي هم هن انا نحن انت أنت كان كانت يكون كل بعد
    قبل بين حتى عند منذ اي أي إذا اذا لكن بل ف ب ل ك له لها لهم فيه فيها منه منها
    عليه عليها به بها وفي ومن وعلى وهو وهي وقد ولا وما كما أيضا ايضا غير دون حيث
    """.split()
)
PERSIAN_STOP_WORDS = frozenset(
    """
    از به با در و که را این آن برای تا بر یا هم نیز اما ولی اگر چه چون پس هر همه
    او ما من تو شما آنها ایشان خود است هست نیست بود شد شده باشد می نمی ها های ای
    یک دیگر روی زیر پیش بین بی مگر چنین چنان همین همان آیا نه وی اند ام ایم اید
    """.split()
)

EDITIONS = {
    "en": SearchLanguage(config="english"),
    "ar": SearchLanguage(config="arabic", stop_words=ARABIC_STOP_WORDS, excerpt_chars=1000),
    "fa": SearchLanguage(config="simple", python_stemmer="persian", stop_words=PERSIAN_STOP_WORDS),
}


def search_language(language: str) -> SearchLanguage:
    """Return how edition `language` is searched (an unknown code: no stemming)."""
    return EDITIONS.get(language, SearchLanguage(config="simple"))


def normalize_script(text: str, language: str) -> str:
    """Return `text` folded as the search index folds the edition `language`'s articles."""
    return _fold(text, language).replace(ZWNJ, "")


def _fold(text: str, language: str) -> str:
    text = IGNORED.sub("", text).translate(SHARED)
    if language == "ar":
        return ARABIC_FINAL_HEH.sub("ة", text.translate(ARABIC_LETTERS))
    return text.translate(PERSIAN_LETTERS)


def search_words(text: str, language: str) -> list[str]:
    """Return the words of `text` as search compares them in edition `language`.

    Folded (`normalize_script`); in Persian also stemmed, so that رودخانه ها,
    رودخانه‌ها and رودخانهها are one word, and اقتصادی meets اقتصاد. English and
    Arabic words are stemmed by PostgreSQL's configuration afterwards.
    """
    return [compared for _written, compared in search_terms(text, language)]


def search_terms(text: str, language: str) -> list[tuple[str, str]]:
    """Return each word of `text` folded as written, beside its `search_words` form."""
    if not search_language(language).python_stemmer:
        return [(word, word) for word in WORD.findall(normalize_script(text, language))]
    # Suffixes are read before the ZWNJ that joins them is folded away.
    text = _fold(text, language)
    if language == "fa":
        text = PERSIAN_DETACHED.sub(ZWNJ, text)
    words = (word.strip(ZWNJ) for word in WORD.findall(text))
    return [(word.replace(ZWNJ, ""), _stem(language, word)) for word in words if word]


def is_stop_word(word: str, language: str) -> bool:
    """Return whether `word` (as written, folded or not) is too common to search by."""
    return normalize_script(word, language) in _folded_stop_words(language)


@lru_cache(maxsize=8)
def _folded_stop_words(language: str) -> frozenset[str]:
    return frozenset(normalize_script(w, language) for w in search_language(language).stop_words)


@lru_cache(maxsize=8)
def _stemmer(algorithm: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(algorithm)


@lru_cache(maxsize=65536)
def _stem(language: str, word: str) -> str:
    """Return the stem of one folded `word` (ZWNJs still in) of edition `language`."""
    if language == "fa":
        word = _persian_adjective_stripped(word)
    stemmer = _stemmer(search_language(language).python_stemmer)
    return stemmer.stemWord(word.replace(ZWNJ, ""))


def _persian_adjective_stripped(word: str) -> str:
    # Snowball's Persian algorithm strips plurals (ها, های, ان, ات), comparatives and
    # verb endings, but not the ی that makes adjectives and relations of nouns
    # (اقتصادی, ایرانی, آمریکایی) nor the ezafe after a final ه (خانه‌ی, منطقه‌ای):
    # those come off first, where enough of the word is left to mean something.
    for suffix in (ZWNJ + "ای", ZWNJ + "ی"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    letters = len(word.replace(ZWNJ, ""))
    if word.endswith("یی") and word[-3:-2] in ("ا", "و"):
        return word[:-2]
    if word.endswith("ی") and letters >= 4:
        return word[:-1]
    return word
