"""The photos a body shows are stored beside it, in step with it on every save path.

The photo library's guard finds a live body's photos by this relation
(tests/media/test_photo_uses.py), so it must say what the body as stored shows:
after the admin's save, a held change put live, a revision restore (a raw save),
a script's save, and for the bodies stored before it (the migrations fill it).
"""

import pytest
import reversion
from django.urls import reverse
from reversion.models import Version

from alwaght.models import Page
from articles.models import PendingChange
from articles.revisions import restore_article
from media.models import Photo
from media.photos_in_text import photo_references
from tests.desk.test_publishing_rights import post_form
from tests.factories import make_article, make_photo, make_section, make_staff, make_topic

pytestmark = pytest.mark.django_db


def figure(photo, src=None) -> str:
    """Return a body's figure as the editor's picker writes it (or naming only `src`)."""
    if src is not None:
        return f'<figure class="figure"><img src="{src}" alt="A photo"></figure>'
    return (
        f'<figure class="figure"><img src="/uploads/renditions/{photo.pk}/0a1b2c3d4e5f-640x480.jpg"'
        f' alt="A photo" data-file="{photo.pk}"><figcaption>Caption</figcaption></figure>'
    )


def shown(content) -> list[int]:
    return sorted(content.body_photos.values_list("pk", flat=True))


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.mark.parametrize(
    ("html", "ids", "names"),
    [
        ('<img src="/uploads/renditions/75/ab-640x480.jpg" alt="x" data-file="75">', {75}, set()),
        (
            '<img src="/uploads/photos/2026/05/ab.jpg" alt="x" data-file="7">',
            {7},
            {"photos/2026/05/ab.jpg"},
        ),
        ('<img src="/uploads/renditions/75/ab-640x480.webp" alt="x">', {75}, set()),
        ('<img src="/uploads/photos/2026/05/ab.jpg" alt="x">', set(), {"photos/2026/05/ab.jpg"}),
        ('<img src="/uploads/renditions/%37%35/ab.jpg" alt="x">', {75}, set()),
        ('<img src="https://elsewhere.example/uploads/renditions/9/a.jpg">', set(), set()),
        ('<a href="/uploads/renditions/9/a.jpg">the file</a>', set(), set()),
        ("<p>No images.</p>", set(), set()),
        # Digits to str.isdigit(), not to int(); past a bigint: no photo, and no 500.
        ('<img src="/a.jpg" alt="x" data-file="²">', set(), set()),
        ('<img src="/a.jpg" alt="x" data-file="99999999999999999999">', set(), set()),
        ('<img src="/uploads/renditions/99999999999999999999/a.jpg" alt="x">', set(), set()),
    ],
)
def test_the_images_name_photos_by_data_file_rendition_or_original_file(html, ids, names):
    assert photo_references(html) == (ids, names)


def test_an_image_without_alt_text_named_by_a_bad_data_file_is_named_by_its_file():
    from articles.services import body_images_problem

    problem = body_images_problem('<p><img src="/uploads/photos/harbour.jpg" data-file="²"></p>')

    assert "harbour.jpg" in problem


def test_a_save_records_the_photos_its_body_shows_and_drops_those_it_no_longer_shows():
    first, second, original = make_photo(), make_photo(), make_photo()
    article = make_article(body=figure(first) + figure(None, f"/uploads/{original.image.name}"))
    assert shown(article) == sorted([first.pk, original.pk])

    article.body = f"<p>Rewritten.</p>{figure(second)}"
    article.save()

    assert shown(article) == [second.pk]


def test_a_body_naming_a_deleted_photo_records_the_photos_still_there():
    kept, deleted = make_photo(), make_photo()
    gone = deleted.pk
    deleted.delete()

    article = make_article(
        body=figure(kept) + f'<img src="/uploads/renditions/{gone}/a.jpg" alt="x">'
    )

    assert shown(article) == [kept.pk]


def test_a_save_that_leaves_the_body_out_writes_neither_it_nor_its_photos():
    photo = make_photo()
    article = make_article(body=figure(photo))
    article.body = "<p>Typed, not saved.</p>"

    article.title = "New title"
    article.save(update_fields=["title"])

    assert shown(article) == [photo.pk]


def test_topics_and_standing_pages_record_theirs():
    photo = make_photo()

    topic = make_topic(body=figure(photo))
    page = Page.objects.create(language="fa", slug="about", title="About", body=figure(photo))

    assert (shown(topic), shown(page)) == ([photo.pk], [photo.pk])


def test_the_admins_save_records_them(client):
    photo = make_photo()
    draft = make_article(
        language="fa", section=make_section(language="fa"), status="draft", publish_at=None
    )
    client.force_login(make_staff("ed_fa", role="editor", desks=["fa"]))

    response = post_form(client, change_url(draft), {"body": f"<p>Port.</p>{figure(photo)}"})

    assert response.status_code == 302
    assert shown(draft) == [photo.pk]


def test_a_held_body_shows_its_photos_once_put_live_not_before(client):
    photo = make_photo()
    story = make_article(body="<p>Talks resume.</p>")
    client.force_login(make_staff("editor", role="editor"))
    assert post_form(client, change_url(story), {"body": figure(photo)}).status_code == 302
    assert PendingChange.objects.get() and shown(story) == []  # readers see the old body

    client.force_login(make_staff("chief", role="chief"))
    response = client.post(
        reverse("admin:articles_article_review", args=[story.pk]), {"publish": "1"}
    )

    assert response.status_code == 302
    story.refresh_from_db()
    assert f'data-file="{photo.pk}"' in story.body
    assert shown(story) == [photo.pk]


def saved_in_a_revision(article) -> Version:
    with reversion.create_revision():
        article.save()
    return Version.objects.get_for_object(article).first()


def test_a_restore_records_the_photos_of_the_body_it_brings_back(client):
    then, now = make_photo(), make_photo()
    article = make_article(body=figure(then))
    version = saved_in_a_revision(article)
    article.body = figure(now)
    saved_in_a_revision(article)
    assert shown(article) == [now.pk]

    restore_article(version)  # the raw write django-reversion makes
    assert shown(article) == [then.pk]

    article.body = figure(now)
    saved_in_a_revision(article)
    client.force_login(make_staff("chief", role="chief"))
    url = reverse("admin:articles_article_revision", args=[article.pk, version.pk])
    assert post_form(client, url).status_code == 302  # the History's restore

    assert shown(article) == [then.pk]


def test_a_restore_of_a_body_whose_photo_was_deleted_since_still_restores():
    """The relation is not versioned: a stored copy would name the deleted photo."""
    kept, deleted = make_photo(), make_photo()
    article = make_article(title="Then", body=figure(kept) + figure(deleted))
    version = saved_in_a_revision(article)
    article.title = "Now"
    saved_in_a_revision(article)
    Photo.objects.filter(pk=deleted.pk).delete()

    restore_article(version)

    article.refresh_from_db()
    assert article.title == "Then"
    assert shown(article) == [kept.pk]


@pytest.mark.django_db(transaction=True)
def test_the_migrations_record_the_photos_of_the_bodies_stored_before():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [
        ("articles", "0042_search_indexes_short_pending_lists"),
        ("alwaght", "0004_clean_stored_text"),
    ]
    after = [("articles", "0043_body_photos"), ("alwaght", "0005_page_body_photos")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        photos = [
            old.get_model("media", "Photo").objects.create(
                image=f"photos/2026/05/{name}.jpg", width=640, height=480, title=name, alt_text=name
            )
            for name in ("by-id", "by-file", "unused")
        ]
        by_id, by_file = figure(photos[0]), figure(None, f"/uploads/{photos[1].image.name}")
        section = old.get_model("articles", "Section").objects.create(name="News", slug="news")
        article = old.get_model("articles", "Article").objects.create(
            section=section, title="Story", slug="story", lead="Lead.", body=by_id + by_file
        )
        plain = old.get_model("articles", "Article").objects.create(
            section=section, title="Plain", slug="plain", lead="Lead.", body="<p>Words.</p>"
        )
        topic = old.get_model("articles", "Topic").objects.create(
            name="Rivers", slug="rivers", description="d", body=by_file
        )
        page = old.get_model("alwaght", "Page").objects.create(
            language="ar", slug="about", title="About", body=by_id
        )

        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps

        def recorded(model, pk):
            row = new.get_model(*model.split(".")).objects.get(pk=pk)
            return sorted(row.body_photos.values_list("pk", flat=True))

        assert recorded("articles.Article", article.pk) == sorted([photos[0].pk, photos[1].pk])
        assert recorded("articles.Article", plain.pk) == []
        assert recorded("articles.Topic", topic.pk) == [photos[1].pk]
        assert recorded("alwaght.Page", page.pk) == [photos[0].pk]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
