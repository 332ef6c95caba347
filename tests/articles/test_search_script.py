"""Search understands Arabic script: either keyboard, diacritics, hamza forms, digits.

How each edition's words are stemmed and which are stop words: test_search_editions.py.
"""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils.translation import override

from articles.script import normalize_script
from tests.factories import make_article

pytestmark = pytest.mark.django_db

SAMPLES = [
    "كتابخانه ملي ايران",  # Persian words typed with the Arabic keyboard's ي and ك
    "کتابخانه ملی ایران",
    "إسرائيل والأردن وآسيا",
    "مدرسة المؤمنين ومسئول",
    "كَتَبَ الطّالِبُ",  # harakat
    "كـــتاب",  # tatweel
    "می‌خواهد",  # zero-width non-joiner
    "خانۀ ما",
    "سال ۱۴۰۴ و ٢٠٢٥ و 1999",
    "المدرسه والحكومة، كتابه. الله",  # a final heh, before punctuation and at the end
    "مدرسة وزارة هوية",
    "Plain English stays as it is, 2025.",
]


def search(client, edition, words):
    with override(edition):
        url = reverse("articles:search")
    return client.get(url, {"q": words}).content.decode()


@pytest.mark.parametrize("language", ["ar", "fa", "en"])
def test_python_and_the_database_fold_alike(language):
    with connection.cursor() as cursor:
        for text in SAMPLES:
            cursor.execute("SELECT articles_search_normalize(%s, %s)", [text, language])
            assert cursor.fetchone()[0] == normalize_script(text, language), text


def test_persian_text_found_with_the_arabic_keyboard(client):
    article = make_article(language="fa", title="کتابخانه ملی ایران بازگشایی شد")

    page = search(client, "fa", "كتابخانه ملي")  # Arabic ك and ي

    assert article.title in page


def test_arabic_text_found_with_the_persian_keyboard(client):
    article = make_article(language="ar", title="افتتاح مكتبة جديدة في بيروت")

    page = search(client, "ar", "مکتبة")  # Persian ک

    assert article.title in page


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("المفاوضات مع إسرائيل", "اسرائيل"),  # hamza below folded to bare alef
        ("اجتماع في المدرسة", "المدرسه"),  # teh marbuta typed as heh
        ("كَتَبَ الصحفيُّ تقريرًا", "كتب"),  # harakat in the text
        ("وصل الـــوفد", "الوفد"),  # tatweel in the text
    ],
)
def test_arabic_spellings_meet(client, written, typed):
    article = make_article(language="ar", title=written)

    assert article.title in search(client, "ar", typed)


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("دولت می‌خواهد بودجه را تغییر دهد", "میخواهد"),  # ZWNJ left out by the reader
        ("دولت میخواهد بودجه را تغییر دهد", "می‌خواهد"),  # ZWNJ typed by the reader
        ("بودجه سال ۱۴۰۴ تصویب شد", "1404"),  # Persian digits in the text
        ("بودجه سال 1404 تصویب شد", "۱۴۰۴"),  # Persian digits typed
    ],
)
def test_persian_spellings_meet(client, written, typed):
    article = make_article(language="fa", title=written)

    assert article.title in search(client, "fa", typed)


def test_arabic_indic_digits_find_western_ones(client):
    article = make_article(language="ar", title="ميزانية عام 2025")

    assert article.title in search(client, "ar", "٢٠٢٥")


def test_an_unrelated_word_still_finds_nothing(client):
    article = make_article(language="fa", title="کتابخانه ملی ایران")

    assert article.title not in search(client, "fa", "دانشگاه")
