"""Tags, sections and topics lists: each row's article count, counted for the page only.

The counts were Count() over a join with GROUP BY, which made the list's count and
its page aggregate every tag link (900k on the 300k bench: 0.3 s + 0.3 s) or every
article (sections 0.5 s, topics 0.2 s). They are subqueries now
(articles/admin/filing.py count_pointing_here); these tests pin what they show and
what the pages cost.
"""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_article, make_section, make_topic

pytestmark = pytest.mark.django_db

TAGS = reverse("admin:taggit_tag_changelist")
SECTIONS = reverse("admin:articles_section_changelist")
TOPICS = reverse("admin:articles_topic_changelist")


@pytest.fixture
def root(client):
    client.force_login(User.objects.create_superuser("root", "r@example.org", "pw-1-for-tests"))


def counts(response, name_attribute: str, count_attribute: str) -> dict[str, int]:
    assert response.status_code == 200
    return {
        getattr(row, name_attribute): getattr(row, count_attribute)
        for row in response.context["cl"].result_list
    }


def test_each_tag_shows_its_articles(client, root):
    make_article(tags=["oil", "gas"])
    make_article(tags=["oil"], status="draft")
    make_article(tags=["oil"], language="fa")
    from taggit.models import Tag

    Tag.objects.create(name="unused", slug="unused")

    assert counts(client.get(TAGS), "name", "articles") == {"oil": 3, "gas": 1, "unused": 0}
    by_count = client.get(TAGS, {"o": "-3"})  # the articles column, most first
    assert [tag.name for tag in by_count.context["cl"].result_list] == ["oil", "gas", "unused"]


def test_each_section_and_topic_shows_its_articles(client, root):
    busy, empty = make_section(name="Busy"), make_section(name="Empty")
    topic, quiet = make_topic(name="Elections"), make_topic(name="Quiet")
    for _ in range(3):
        make_article(section=busy).topics.add(topic)
    make_article(section=busy)

    assert counts(client.get(SECTIONS), "name", "article_count") == {"Busy": 4, "Empty": 0}
    assert counts(client.get(TOPICS), "name", "article_count") == {"Elections": 3, "Quiet": 0}
    assert empty.pk and quiet.pk


def test_the_list_counts_do_not_aggregate_every_link(client, root):
    make_article(tags=["oil"])

    with CaptureQueriesContext(connection) as page:
        client.get(TAGS)

    sql = [query["sql"] for query in page.captured_queries if "taggit_tag" in query["sql"]]
    assert not [query for query in sql if 'GROUP BY "taggit_tag"' in query]
    assert 'SELECT COUNT(*) AS "__count" FROM "taggit_tag"' in sql


@pytest.mark.parametrize("count", [5, 50])
def test_the_tag_list_runs_a_fixed_number_of_queries(
    client, root, django_assert_num_queries, count
):
    for number in range(count):
        make_article(tags=[f"tag {number}", "shared"])

    # session, user, count, full count, awaiting review and pending comments (header), rows
    with django_assert_num_queries(7):
        response = client.get(TAGS)

    assert len(response.context["cl"].result_list) == min(count + 1, 100)


@pytest.mark.parametrize("count", [5, 50])
def test_the_section_and_topic_lists_run_a_fixed_number_of_queries(
    client, root, django_assert_num_queries, count
):
    for _ in range(count):
        make_article().topics.add(make_topic())

    # session, user, count, full count, rows, awaiting review and pending comments
    with django_assert_num_queries(7):
        sections = client.get(SECTIONS)
    with django_assert_num_queries(7):
        topics = client.get(TOPICS)

    assert sections.context["cl"].result_count == count
    assert topics.context["cl"].result_count == count
