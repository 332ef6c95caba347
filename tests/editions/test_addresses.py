"""Persian and Arabic addresses stay readable: slugs keep ZWNJ, print shows letters."""

import pytest
from django.core.exceptions import ValidationError

from articles.urling import article_slug, validate_article_slug
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("کتاب‌ها و می‌خواهد", "کتاب\u200cها-و-می\u200cخواهد"),
        ("نیم‌فاصله ‌ها", "نیم\u200cفاصله-ها"),  # a ZWNJ beside a space is no joiner
        ("‌آغاز‌", "آغاز"),
        ("كتـــاب‌ها", "كتاب\u200cها"),  # tatweel dropped, the ZWNJ kept
        ("Plain English title!", "plain-english-title"),
        ("‌‌", "article"),
    ],
)
def test_article_slugs_keep_the_zwnj_inside_words(title, slug):
    assert article_slug(title) == slug


def test_a_zwnj_slug_is_valid_and_spaces_are_not():
    validate_article_slug("کتاب\u200cها-و-می\u200cخواهد")
    with pytest.raises(ValidationError):
        validate_article_slug("کتاب ها")


def test_a_persian_article_is_reached_at_its_zwnj_address(client):
    article = make_article(language="fa", title="کتاب‌ها بازگشایی شد")

    assert "\u200c" in article.slug
    assert client.get(article.get_absolute_url()).status_code == 200
    assert "%E2%80%8C" in article.get_absolute_url()  # the joiner, escaped as an address must be
    old = article.get_absolute_url().replace("%E2%80%8C", "")
    assert client.get(old).status_code == 301  # the slug without it redirects


def test_the_printed_address_is_written_in_letters(client):
    article = make_article(language="fa", title="کتاب‌ها بازگشایی شد")

    page = client.get(article.get_absolute_url()).content.decode()

    printed = f"http://testserver/fa/news/{article.pk}/کتاب\u200cها-بازگشایی-شد/"
    assert f'<p class="print-only article__url" dir="ltr">{printed}</p>' in page


def test_the_desks_slug_from_the_title_gets_its_joiners_back():
    # The admin fills the slug in from the title as the editor types, and drops ZWNJs.
    article = make_article(language="fa", title="کتاب‌ها بازگشایی شد", slug="کتابها-بازگشایی-شد")
    chosen = make_article(language="fa", title="کتاب‌ها بازگشایی شد", slug="کتابخانه")

    assert article.slug == "کتاب\u200cها-بازگشایی-شد"
    assert chosen.slug == "کتابخانه"  # an editor's own slug is kept
