"""One publishing model (media.models.Publishable) for articles, galleries, films and maps."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from media.models import Film, Map, PhotoGallery
from publishing.models import Publishable
from tests.factories import make_article, make_film, make_gallery, make_map

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)
KINDS = {
    "article": (make_article, Article),
    "gallery": (make_gallery, PhotoGallery),
    "film": (make_film, Film),
    "map": (make_map, Map),
}


@pytest.fixture(params=sorted(KINDS))
def kind(request):
    return KINDS[request.param]


def test_each_kind_answers_published_scheduled_and_expired_alike(kind):
    make, model = kind
    now = timezone.now()
    live = make()
    draft = make(status="draft", publish_at=None)
    review = make(status="review", publish_at=None)
    scheduled = make(publish_at=now + HOUR)
    expired = make(publish_at=now - 2 * HOUR, unpublish_at=now - HOUR)
    rows = model.objects.filter(pk__in=[r.pk for r in (live, draft, review, scheduled, expired)])

    assert list(rows.published()) == [live]
    assert list(rows.scheduled()) == [scheduled]
    assert list(rows.expired()) == [expired]
    assert [r.visibility_key for r in (live, draft, review, scheduled, expired)] == [
        "live",
        "draft",
        "review",
        "scheduled",
        "expired",
    ]
    assert [r.is_live for r in (live, draft, scheduled, expired)] == [True, False, False, False]
    for key in Publishable.VISIBILITIES:
        assert {r.visibility_key for r in rows.with_visibility(key)} == {key}


def test_constraints_are_named_per_model_and_hold(kind):
    from django.db import IntegrityError, transaction

    make, model = kind
    names = {constraint.name for constraint in model._meta.constraints}
    prefix = model._meta.model_name

    assert {f"{prefix}_published_has_time", f"{prefix}_unpublishes_after_publishing"} <= names
    item = make()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=item.pk).update(unpublish_at=item.publish_at - HOUR)


def test_expired_items_leave_their_reader_pages(client, kind):
    make, model = kind
    now = timezone.now()
    item = make(publish_at=now - 2 * HOUR, unpublish_at=now - HOUR)

    assert client.get(item.get_absolute_url()).status_code == 404


def test_publishing_without_a_time_in_a_form_means_now_not_a_constraint_error(client):
    user = User.objects.create_user("chief", password="pw-for-tests-only-1", is_staff=True)
    user.groups.add(Group.objects.get(name="Chief Editors"))
    user.groups.add(Group.objects.get(name="English desk"))
    client.force_login(user)
    gallery = make_gallery(status="draft", publish_at=None)

    response = client.post(
        reverse("admin:media_photogallery_change", args=[gallery.pk]),
        {
            "title": gallery.title,
            "slug": gallery.slug,
            "status": "published",
            "items-TOTAL_FORMS": "0",
            "items-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    assert PhotoGallery.objects.published().get() == gallery


def test_editors_put_a_gallery_in_review_but_do_not_publish_it(client):
    user = User.objects.create_user("ed", password="pw-for-tests-only-1", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    user.groups.add(Group.objects.get(name="English desk"))
    client.force_login(user)
    gallery = make_gallery(status="draft", publish_at=None)
    url = reverse("admin:media_photogallery_change", args=[gallery.pk])
    data = {
        "title": gallery.title,
        "slug": gallery.slug,
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
    }

    review = client.post(url, {**data, "status": "review"})
    publish = client.post(url, {**data, "status": "published"})

    assert review.status_code == 302
    assert "Only Chief Editors can publish" in publish.content.decode()
    gallery.refresh_from_db()
    assert gallery.status == "review"


@pytest.mark.parametrize(
    ("url", "visibility"),
    [
        ("admin:articles_article_changelist", "scheduled"),
        ("admin:media_photogallery_changelist", "scheduled"),
        ("admin:media_film_changelist", "expired"),
        ("admin:media_map_changelist", "live"),
    ],
)
def test_one_visibility_filter_for_every_kind(admin_client, url, visibility):
    now = timezone.now()
    shown = {
        "scheduled": {"publish_at": now + HOUR},
        "expired": {"publish_at": now - 2 * HOUR, "unpublish_at": now - HOUR},
        "live": {},
    }[visibility]
    make = {"articles": make_article, "photogallery": make_gallery, "film": make_film}.get(
        url.split("_")[1] if "media" in url else "articles", make_map
    )
    wanted = make(title="Wanted one", **shown)
    make(title="Other one", status="draft", publish_at=None)

    response = admin_client.get(reverse(url), {"visibility": visibility})
    bad = admin_client.get(reverse(url), {"visibility": "nonsense"})

    content = response.content.decode()
    assert wanted.title in content and "Other one" not in content
    assert bad.status_code in {200, 302}


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_is_published_to_a_status():
    executor = MigrationExecutor(connection)
    before, after = [("media", "0005_recheck_stored_films")], [("media", "0006_publishable")]
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        Map = old.get_model("media", "Map")
        # The photo as it was then (later migrations add columns to it).
        photo = old.get_model("media", "Photo").objects.create(
            image="photos/x.jpg", width=1, height=1, title="Map", alt_text="A map"
        )
        Map.objects.create(
            title="On", slug="on", photo_id=photo.pk, is_published=True, publish_at=timezone.now()
        )
        Map.objects.create(title="Off", slug="off", photo_id=photo.pk, is_published=False)

        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps.get_model("media", "Map")

        assert dict(new.objects.values_list("slug", "status")) == {
            "on": "published",
            "off": "draft",
        }
    finally:
        executor = MigrationExecutor(connection)  # back to the latest, for the tests after
        executor.migrate(executor.loader.graph.leaf_nodes())
