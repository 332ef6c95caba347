"""The list of every word of the search vectors, and the query that asks for a prefix's words."""

import pytest
from django.db import connection

from articles.models import Article, SearchWord
from articles.script import search_words
from articles.search_index import stems_write
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def listed(*words):
    return set(SearchWord.objects.filter(word__in=words).values_list("word", flat=True))


def search_query(expression, config="english"):
    with connection.cursor() as cursor:
        sql = "SELECT articles_search_query(%s::regconfig, %s)::text"
        cursor.execute(sql, [config, expression])
        return cursor.fetchone()[0]


def parsed(expression, config="english"):
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsquery(%s::regconfig, %s)::text", [config, expression])
        return cursor.fetchone()[0]


# --- The list: every word any vector holds ---------------------------------------------


def test_a_new_articles_words_are_listed():
    make_article(title="Glaciers retreating", body="<p>Meltwater</p>")

    assert listed("glacier", "retreat", "meltwat") == {"glacier", "retreat", "meltwat"}


def test_a_changed_title_a_renamed_section_and_an_update_list_their_new_words():
    section = make_section(name="World")
    article = make_article(title="Harbour", section=section)
    article.title = "Lighthouse"
    article.save()
    section.name = "Archipelago"
    section.save()
    Article.objects.filter(pk=article.pk).update(body="<p>Seaweed</p>")

    assert listed("lighthous", "archipelago", "seawe") == {"lighthous", "archipelago", "seawe"}


def test_a_persian_articles_stems_are_listed_when_written():
    article = make_article(language="fa", title="رودخانه‌ها")
    stems_write(article_ids=[article.pk])

    assert set(search_words("رودخانه‌ها", "fa")) <= listed(*search_words("رودخانه‌ها", "fa"))


# --- The query: a prefix asked as the words it starts ----------------------------------


def test_a_prefix_becomes_the_listed_words_it_starts():
    SearchWord.objects.bulk_create(
        [SearchWord(word=word) for word in ("capit", "capitol", "capitul", "capa", "capiu")],
        ignore_conflicts=True,
    )

    assert search_query("officials & capital:*") == (
        "'offici' & ( 'capit' | 'capitol' | 'capitul' )"
    )
    assert search_query("capital:*") == "'capit' | 'capitol' | 'capitul'"


@pytest.mark.parametrize(
    "expression",
    [
        "officials & capital",  # whole words
        "(harbour <-> master) & port",
        "zzyzxq:*",  # a prefix of no listed word
        "officials & covid-19:*",  # a word the parser splits
        "officials & about:*",  # a stop word
    ],
)
def test_anything_else_is_parsed_as_to_tsquery_parses_it(expression):
    SearchWord.objects.bulk_create([SearchWord(word="covid")], ignore_conflicts=True)

    assert search_query(expression) == parsed(expression)


def test_a_prefix_of_more_than_32_words_stays_a_prefix():
    SearchWord.objects.bulk_create(
        [SearchWord(word=f"quixot{number:02}") for number in range(33)], ignore_conflicts=True
    )

    assert search_query("quixot:*", "simple") == "'quixot':*"
    SearchWord.objects.filter(word="quixot32").delete()
    assert search_query("quixot:*", "simple").count("|") == 31


def test_listed_words_with_quotes_and_backslashes_are_quoted_whole():
    SearchWord.objects.bulk_create(
        [SearchWord(word=word) for word in ("wyvern", "wyvern's", "wyvern\\x")],
        ignore_conflicts=True,
    )

    assert search_query("wyvern:*", "simple") == "'wyvern' | 'wyvern''s' | 'wyvern\\\\x'"
