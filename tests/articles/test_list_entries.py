"""Tag and topic list entries (articles.models.ListEntry) stay in step on every write path.

Each test writes the way one part of the site does, then compares every entry
with what the links and articles say (`out_of_step`), so a path that forgets
an entry, leaves a stale one, or copies an old visibility fails here. Pages and
feeds read only the entries, so they also must never show what readers may not see.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version
from taggit.models import Tag

from articles.models import Article, PendingChange, TagEntry, TaggedArticle, TopicEntry
from tests.desk.test_desk import change, member_of
from tests.desk.test_publishing_rights import post_form
from tests.factories import make_article, make_section, make_topic

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)

# Every (kind, target, article, language, status, publish_at, unpublish_at) the
# links and articles imply, against every entry stored: both differences empty.
OUT_OF_STEP = """
WITH expected AS (
    SELECT 'tag' AS kind, link.tag_id AS target, article.id AS article_id, article.language,
           article.status, article.publish_at, article.unpublish_at
    FROM articles_taggedarticle link
    JOIN articles_article article ON article.id = link.content_object_id
    UNION ALL
    SELECT 'topic', link.topic_id, article.id, article.language, article.status,
           article.publish_at, article.unpublish_at
    FROM articles_article_topics link
    JOIN articles_article article ON article.id = link.article_id
), stored AS (
    SELECT 'tag' AS kind, tag_id AS target, article_id, language, status, publish_at,
           unpublish_at
    FROM articles_tagentry
    UNION ALL
    SELECT 'topic', topic_id, article_id, language, status, publish_at, unpublish_at
    FROM articles_topicentry
)
(SELECT 'missing', * FROM expected EXCEPT ALL SELECT 'missing', * FROM stored)
UNION ALL
(SELECT 'stale', * FROM stored EXCEPT ALL SELECT 'stale', * FROM expected)
"""


def out_of_step() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(OUT_OF_STEP)
        return cursor.fetchall()


def entry_count() -> int:
    return TagEntry.objects.count() + TopicEntry.objects.count()


def listed(target, now=None) -> list[Article]:
    return list(Article.objects.published(now).listed_under(target, "en", now))


def chief():
    return member_of("Chief Editors", "chief")


# --- Links -------------------------------------------------------------------------


def test_taggits_own_api_keeps_the_entries():
    article = make_article(tags=["Water", "Energy"])
    assert entry_count() == 2

    article.tags.add("Ports")
    article.tags.remove("Water")
    assert sorted(article.tag_entries.values_list("tag__name", flat=True)) == ["Energy", "Ports"]
    article.tags.set(["Rivers"])
    assert list(article.tag_entries.values_list("tag__name", flat=True)) == ["Rivers"]
    assert out_of_step() == []

    article.tags.clear()
    assert entry_count() == 0


def test_topic_links_keep_the_entries():
    article = make_article()
    floods, ports = make_topic(), make_topic()

    article.topics.add(floods, ports)
    assert out_of_step() == [] and entry_count() == 2
    article.topics.remove(floods)
    assert list(article.topic_entries.values_list("topic", flat=True)) == [ports.pk]
    article.topics.set([floods])
    assert out_of_step() == []
    article.topics.clear()
    assert entry_count() == 0


def test_a_moved_link_moves_its_entry():
    make_article(tags=["Water"])
    other = make_article(language="ar")
    link = TaggedArticle.objects.get()

    TaggedArticle.objects.filter(pk=link.pk).update(content_object=other)

    assert list(TagEntry.objects.values_list("article", "language")) == [(other.pk, "ar")]
    assert out_of_step() == []


# --- The article's visibility ------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"status": Article.Status.DRAFT},
        {"publish_at": timezone.now() + HOUR},
        {"unpublish_at": timezone.now() - timedelta(minutes=1)},
        {"language": "fa", "section": lambda: make_section(language="fa")},
    ],
    ids=["unpublished", "rescheduled", "expired", "moved-edition"],
)
def test_saving_an_article_copies_its_visibility(changes):
    water = Tag.objects.create(name="Water", slug="water")
    article = make_article(tags=[water])
    article.topics.add(make_topic())
    assert listed(water) == [article]

    for name, value in changes.items():
        setattr(article, name, value() if callable(value) else value)
    article.save()

    assert out_of_step() == []
    assert listed(water) == []


def test_update_in_bulk_copies_visibility_too():
    articles = [make_article(tags=["Water"]) for _ in range(3)]

    Article.objects.filter(pk__in=[a.pk for a in articles[:2]]).update(status="draft")

    assert out_of_step() == []
    assert listed(Tag.objects.get()) == [articles[2]]


def test_deleting_an_article_tag_or_topic_removes_its_entries():
    topic = make_topic()
    gone, kept = make_article(tags=["Water", "Ports"]), make_article(tags=["Water"])
    gone.topics.add(topic)
    kept.topics.add(topic)

    gone.delete()
    assert out_of_step() == [] and entry_count() == 2
    Tag.objects.get(name="Water").delete()
    topic.delete()

    assert entry_count() == 0


def test_a_renamed_tag_keeps_its_list_and_a_merged_one_joins_the_other(client):
    water = Tag.objects.create(name="Water", slug="water")
    floods = Tag.objects.create(name="Floods", slug="floods")
    first, second = make_article(tags=[water]), make_article(tags=[floods])

    water.name, water.slug = "Water supply", "water-supply"
    water.save()
    renamed = client.get(reverse("articles:tag", args=["water-supply"]))
    # Merge "Floods" into "Water supply" as one would in SQL or a shell: move the links.
    TaggedArticle.objects.filter(tag=floods).update(tag=water)
    floods.delete()

    assert list(renamed.context["articles"]) == [first]
    assert out_of_step() == []
    assert listed(water) == [second, first]


# --- The desk's write paths --------------------------------------------------------


def test_the_admin_form_and_bulk_actions_keep_the_entries(client):
    client.force_login(chief())
    article = make_article(tags=["Water"])
    changelist = reverse("admin:articles_article_changelist")

    response = change(client, article, tags="Water, Energy")
    assert response.status_code == 302
    assert out_of_step() == [] and entry_count() == 2
    energy = Tag.objects.get(name="Energy")
    assert listed(energy) == [article]

    client.post(
        changelist,
        {
            "action": "unpublish",
            "_selected_action": [article.pk],
            "confirm": "yes",
            "takedown_reason": "A wrong figure",
        },
    )
    assert out_of_step() == []
    assert listed(energy) == []
    client.post(changelist, {"action": "publish", "_selected_action": [article.pk]})
    assert out_of_step() == []
    assert listed(energy) == [article]


def test_restoring_a_revision_restores_the_entries(client):
    client.force_login(chief())
    article = make_article(title="First title", tags=["Water"])
    change(client, article)
    article.refresh_from_db()
    change(client, article, title="Second title", tags="Energy")
    first = Version.objects.get_for_object(article).last()
    assert listed(Tag.objects.get(name="Water")) == []

    response = post_form(
        client, reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    )

    assert response.status_code == 302
    assert out_of_step() == []
    assert listed(Tag.objects.get(name="Water")) == [article]
    assert listed(Tag.objects.get(name="Energy")) == []


def test_recovering_a_deleted_article_brings_its_entries_back(client):
    client.force_login(chief())
    article = make_article(tags=["Water"])
    change(client, article)  # its first revision, with its tag links
    pk = article.pk
    article.delete()
    assert entry_count() == 0

    Version.objects.get_deleted(Article).get(object_id=str(pk)).revision.revert(delete=True)

    assert out_of_step() == []
    assert [a.pk for a in listed(Tag.objects.get(name="Water"))] == [pk]


def test_a_reviewed_change_of_tags_and_topics_reaches_the_entries_when_published(client):
    topic = make_topic()
    article = make_article(tags=["Water"])
    client.force_login(member_of("Editors", "ed"))
    url = reverse("admin:articles_article_change", args=[article.pk])
    post_form(client, url, {"tags": "Water, Ports", "topics": [topic.pk]})
    assert PendingChange.objects.get().state == "pending"
    assert not TagEntry.objects.filter(tag__name="Ports").exists()  # readers keep the live one

    client.force_login(chief())
    client.post(reverse("admin:articles_article_review", args=[article.pk]), {"publish": "1"})

    assert out_of_step() == []
    assert listed(Tag.objects.get(name="Ports")) == [article]
    assert listed(topic) == [article]


# --- What readers see --------------------------------------------------------------


def test_scheduled_expired_and_draft_articles_are_never_listed_until_their_time(client):
    now = timezone.now()
    topic = make_topic(slug="floods")
    live = make_article(tags=["Water"])
    scheduled = make_article(tags=["Water"], publish_at=now + HOUR)
    expired = make_article(tags=["Water"], publish_at=now - 2 * HOUR, unpublish_at=now - HOUR)
    make_article(tags=["Water"], status="draft", publish_at=None)
    for article in Article.objects.all():
        article.topics.add(topic)

    pages = [
        client.get(reverse("articles:tag", args=["water"])).context["articles"],
        client.get(topic.get_absolute_url()).context["articles"],
    ]
    feeds = [
        client.get(reverse("articles:tag-feed", args=["water"])).content.decode(),
        client.get(reverse("topics:feed", args=["floods"])).content.decode(),
    ]

    assert [list(page) for page in pages] == [[live], [live]]
    assert all(scheduled.title not in feed and expired.title not in feed for feed in feeds)
    assert all(live.title in feed for feed in feeds)
    later = now + 2 * HOUR
    assert listed(Tag.objects.get(), later) == [scheduled, live]
    assert listed(topic, now - 90 * timedelta(minutes=1)) == [expired]


def test_an_entry_out_of_step_never_shows_an_article_readers_may_not_see(client):
    draft = make_article(tags=["Water"], status="draft", publish_at=None)
    # As if a write had gone around the triggers: the entry says published.
    TagEntry.objects.filter(article=draft).update(status="published", publish_at=timezone.now())

    response = client.get(reverse("articles:tag", args=["water"]))

    assert list(response.context["articles"]) == []


def test_tag_pages_walk_by_the_entries_at_any_depth(client, settings, monkeypatch):
    settings.ARTICLES_PER_PAGE = 2
    monkeypatch.setattr("web.pagination.NUMBERED_PAGES", 2)
    same_time = timezone.now() - HOUR
    for number in range(9):
        # Ties on the publish time are settled by id, as on every list.
        make_article(tags=["Water"], publish_at=same_time - (number // 3) * HOUR)
    make_article(tags=["Energy"])
    water = Article.objects.for_listing().filter(tags__name="Water")
    expected = list(water.values_list("pk", flat=True))

    seen, query = [], {}
    while True:
        response = client.get(reverse("articles:tag", args=["water"]), query)
        seen += [article.pk for article in response.context["articles"]]
        page = response.context["page_obj"]
        if not page.has_next:
            break
        key, value = page.next_query.split("=")
        query = {key: value}
    newer = client.get(reverse("articles:tag", args=["water"]), {"after": expected[6]})
    last = client.get(reverse("articles:tag", args=["water"]), {"page": "last"})

    assert seen == expected
    assert [a.pk for a in newer.context["articles"]] == expected[4:6]
    assert [a.pk for a in last.context["articles"]] == expected[-2:]


def test_the_page_reads_the_entries_index_not_the_links():
    tag = Tag.objects.create(name="Water", slug="water")
    make_article(tags=[tag])
    sql = str(Article.objects.for_listing().listed_under(tag, "en").query)

    assert '"articles_tagentry"' in sql and "articles_taggedarticle" not in sql
    assert sql.count("JOIN") == 4  # the entry, section, author and photo: one join for the tag


# --- The migration -----------------------------------------------------------------


def test_the_migration_fills_the_entries_of_existing_links():
    executor = MigrationExecutor(connection)
    before = [("articles", "0022_edition_desks"), ("topics", "0004_editions")]
    after = [("articles", "0023_list_entries")]
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        section = old.get_model("articles", "Section").objects.create(name="News", slug="news")
        old_article = old.get_model("articles", "Article")
        topic = old.get_model("topics", "Topic").objects.create(name="Floods", slug="floods")
        tag = old.get_model("taggit", "Tag").objects.create(name="Water", slug="water")
        now = timezone.now()
        live = old_article.objects.create(
            section=section, title="Live", slug="live", lead="L", body="B",
            status="published", publish_at=now - HOUR,
        )  # fmt: skip
        draft = old_article.objects.create(
            section=section, title="Draft", slug="draft", lead="L", body="B", language="ar"
        )
        for article in (live, draft):
            old.get_model("articles", "TaggedArticle").objects.create(
                content_object_id=article.pk, tag_id=tag.pk
            )
            article.topics.add(topic)

        executor = MigrationExecutor(connection)
        executor.migrate(after)

        assert out_of_step() == []
        assert sorted(TagEntry.objects.values_list("article", "language", "status")) == [
            (live.pk, "en", "published"),
            (draft.pk, "ar", "draft"),
        ]
        assert TopicEntry.objects.count() == 2
    finally:
        # Later migrations alter articles_article: the deferred foreign-key checks of
        # the rows above must run first ("pending trigger events").
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        executor = MigrationExecutor(connection)  # back to the latest, for the tests after
        executor.migrate(executor.loader.graph.leaf_nodes())
