from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Topic
from tests.factories import make_article, make_photo, make_topic

pytestmark = pytest.mark.django_db


def test_index_lists_every_topic_with_its_description(client):
    make_topic(name="Water diplomacy", description="States sharing rivers.")
    make_topic(name="Elections", description="Campaigns and counts.", in_focus=True)

    content = client.get(reverse("topics:index")).content.decode()

    for text in ["Water diplomacy", "States sharing rivers.", "Elections", "Campaigns and counts."]:
        assert text in content


def test_topic_page_shows_body_and_visible_articles_newest_first(client):
    topic = make_topic(body='<p>Longer story.</p><script>alert("x")</script>')
    now = timezone.now()
    older = make_article(title="Older", publish_at=now - timedelta(days=2))
    newer = make_article(title="Newer", publish_at=now - timedelta(days=1))
    draft = make_article(title="Draft", status=Article.Status.DRAFT, publish_at=None)
    make_article(title="Unrelated")
    for article in (older, newer, draft):
        article.topics.add(topic)

    response = client.get(topic.get_absolute_url())

    assert list(response.context["articles"]) == [newer, older]
    content = response.content.decode()
    assert "<p>Longer story.</p>" in content
    assert "alert(" not in content


def test_unknown_topic_is_404(client):
    assert client.get(reverse("topics:detail", args=["nothing-here"])).status_code == 404


@pytest.mark.parametrize("page", ["0", "abc", "9999"])
def test_bad_topic_page_numbers_are_404(client, page):
    topic = make_topic()
    make_article().topics.add(topic)

    assert client.get(topic.get_absolute_url(), {"page": page}).status_code == 404


def test_front_page_in_focus_block_lists_flagged_topics_in_order(client):
    second = make_topic(name="Second", position=2, in_focus=True)
    first = make_topic(name="First", position=1, in_focus=True)
    make_topic(name="Not flagged", in_focus=False)

    response = client.get(reverse("articles:front"))

    assert list(response.context["in_focus"]) == [first, second]
    assert "Not flagged" not in response.content.decode()


def test_article_page_links_its_topics(client):
    topic = make_topic(name="Maritime security")
    article = make_article()
    article.topics.add(topic)

    content = client.get(article.get_absolute_url()).content.decode()

    assert f'<a href="{topic.get_absolute_url()}">Maritime security</a>' in content


@pytest.mark.parametrize("with_photo", [False, True])
def test_topic_page_shows_its_library_photo_at_no_extra_query(
    client, django_assert_num_queries, with_photo
):
    photo = make_photo(size=(640, 480), alt_text="Dam on the river") if with_photo else None
    topic = make_topic(photo=photo, body="<p>Story.</p>")
    make_article().topics.add(topic)

    # The topic with its photo, the sections, the page (no count), and the next
    # scheduled change (when the rendered list expires: web/fragments.py).
    with django_assert_num_queries(4):
        response = client.get(topic.get_absolute_url())

    assert response.status_code == 200
    content = response.content.decode()
    assert ('alt="Dam on the river"' in content) is with_photo
    assert ('<meta property="og:image:alt" content="Dam on the river">' in content) is with_photo


def test_topic_admin_picks_its_photo_from_the_library_by_autocomplete(client, admin_user):
    client.force_login(admin_user)

    content = client.get(reverse("admin:articles_topic_add")).content.decode()

    assert 'name="photo"' in content
    assert reverse("admin:autocomplete") in content
    assert 'name="image"' not in content


@pytest.mark.django_db(transaction=True)
def test_existing_topic_images_move_into_the_photo_library():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("topics", "0002_clean_images")], [("topics", "0003_photo_from_library")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old_apps = executor.loader.project_state(before).apps
        OldTopic = old_apps.get_model("topics", "Topic")
        OldTopic.objects.create(
            name="Rivers",
            slug="rivers",
            description="d",
            image="topics/ab/cd.jpg",
            image_width=640,
            image_height=480,
            image_alt="A river delta",
        )
        OldTopic.objects.create(name="Bare", slug="bare", description="d")

        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new_apps = executor.loader.project_state(after).apps
        Topic = new_apps.get_model("topics", "Topic")
        rivers, bare = Topic.objects.get(slug="rivers"), Topic.objects.get(slug="bare")

        assert bare.photo_id is None
        photo = new_apps.get_model("media", "Photo").objects.get(pk=rivers.photo_id)
        assert (photo.image.name, photo.width, photo.height) == ("topics/ab/cd.jpg", 640, 480)
        assert (photo.title, photo.alt_text) == ("Rivers", "A river delta")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_moving_the_model_into_the_article_core_keeps_rows_links_and_permissions():
    """articles 0024: the table stays, its content type follows (permissions, revisions)."""
    executor = MigrationExecutor(connection)
    before = [("articles", "0023_list_entries"), ("topics", "0004_editions")]
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        kind = old.get_model("contenttypes", "ContentType").objects.get_or_create(
            app_label="topics", model="topic"
        )[0]
        old.get_model("auth", "Permission").objects.get_or_create(
            content_type=kind, codename="change_topic", defaults={"name": "Can change topic"}
        )
        old.get_model("topics", "Topic").objects.create(name="Floods", slug="floods")
        # Later migrations alter the table: the rows' deferred foreign-key checks run first.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

        assert Topic.objects.get().name == "Floods"
        assert ContentType.objects.get(pk=kind.pk).app_label == "articles"
        assert Permission.objects.filter(
            content_type__app_label="articles", codename="change_topic"
        ).exists()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
