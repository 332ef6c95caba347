"""A search's walk of the newest articles reads the search entries (SearchEntry), which
database triggers keep equal to their articles on every path that writes one."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article, SearchEntry
from articles.search import _from_search_entries, search_articles
from tests.articles.search_plans import search_plan_nodes
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

# What each entry copies from its article, the vector as text (comparable).
COPIED = "SELECT id, language, status, publish_at, unpublish_at, section_id, search_vector::text"
COPIES = {
    "articles_article": COPIED + " FROM articles_article ORDER BY id",
    "articles_searchentry": COPIED + " FROM articles_searchentry ORDER BY id",
}


def copies(table: str) -> list[tuple]:
    """Return every row of `table`'s copied columns, by id."""
    with connection.cursor() as cursor:
        cursor.execute(COPIES[table])
        return cursor.fetchall()


def assert_entries_follow_the_articles():
    assert copies("articles_searchentry") == copies("articles_article")


def found(query, language="en") -> list[int]:
    page = search_articles(query, language=language, page=1, per_page=20)
    return [result.pk for result in page.results]


def test_a_new_article_has_its_entry():
    make_article(title="Harbour pilots strike")
    make_article(language="ar", title="ميناء", status=Article.Status.DRAFT, publish_at=None)

    assert len(copies("articles_searchentry")) == 2
    assert_entries_follow_the_articles()


def test_an_edit_saved_moves_the_words_into_the_entry():
    article = make_article(title="Harbour pilots strike")
    article.body = "<p>The lighthouse keepers joined them.</p>"
    article.save()

    assert_entries_follow_the_articles()
    assert found("lighthouse") == [article.pk]


def test_every_change_by_update_reaches_the_entry():
    # update() sends no signal and names no search vector: the vector changes in the
    # articles' own BEFORE trigger, which an UPDATE OF list would not see.
    article = make_article(title="Harbour pilots strike")
    other = make_section(name="Economy", slug="economy")
    later = timezone.now() + timedelta(days=1)
    changes = [
        {"body": "<p>The lighthouse keepers joined them.</p>"},
        {"section": other},
        {"unpublish_at": later},
        {"publish_at": timezone.now() - timedelta(days=3)},
        {"status": Article.Status.DRAFT},
    ]
    for change in changes:
        Article.objects.filter(pk=article.pk).update(**change)
        assert_entries_follow_the_articles()


def test_a_withdrawn_article_leaves_the_search_at_once():
    article = make_article(title="Harbour pilots strike")
    assert found("harbour") == [article.pk]

    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)

    assert found("harbour") == []


def test_raw_sql_writes_reach_the_entries_too():
    article = make_article(title="Harbour pilots strike")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_article SET title = 'Lighthouse keepers' WHERE id = %s", [article.pk]
        )

    assert_entries_follow_the_articles()
    assert found("lighthouse") == [article.pk]


def test_a_deleted_article_takes_its_entry_with_it():
    kept, deleted = make_article(), make_article()
    deleted.delete()
    Article.objects.filter(pk=kept.pk).delete()

    assert SearchEntry.objects.count() == 0


def test_the_walk_reads_the_entries_not_the_articles():
    make_article(title="Harbour pilots strike")

    nodes = search_plan_nodes("harbour", analyze=["articles_searchentry"])

    walked = [node for node in nodes if node.get("Index Name") == "search_entry_latest"]
    # recent, boundary, middle, middle_end, further and the window's end
    assert len(walked) == 6


def test_a_walk_whose_filters_need_another_table_is_refused():
    walk = Article.objects.filter(section__name="World").values("id")

    with pytest.raises(ValueError, match="article's own row"):
        _from_search_entries(walk)


def test_the_synthetic_archive_has_its_entries_in_publication_order():
    # Inserted in random order of publication, as no newsroom publishes.
    from alwaght.demo.loader import generate_synthetic_archive

    generate_synthetic_archive(40)

    assert_entries_follow_the_articles()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM articles_searchentry ORDER BY ctid")
        stored = [row[0] for row in cursor.fetchall()]
    published = Article.objects.order_by("publish_at", "id").values_list("id", flat=True)
    assert stored == list(published)
