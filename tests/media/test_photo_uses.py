"""A photo an In Focus topic, a standing page or a live body shows is that desk's to change.

A probe as an insider found two holes in the shared photo library's guard: a photo
only a Persian topic showed counted as shown nowhere, so an English Editor changed
its alt text and file and an English Chief Editor deleted it (the topic lost its
image); and a photo inside a live Persian article's body was not counted at all,
so deleting it left the story with broken images. Each use is now counted, in the
admin and on the write path alike; a draft's use still leaves the photo free.
"""

import io
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from alwaght.models import Page
from articles.models import Article, Topic
from media.models import Photo
from publishing import sharing
from publishing.sharing import SharedChangeRefused, editions_showing
from publishing.visibility import acting_as
from tests.desk.test_publishing_rights import form_values
from tests.factories import make_article, make_photo, make_section, make_staff, make_topic

pytestmark = pytest.mark.django_db

ALT_TEXT = "What the photo shows"


def figure(photo) -> str:
    """Return a body's figure as the editor's picker writes it."""
    return (
        f'<figure class="figure"><img src="/uploads/renditions/{photo.pk}/0a1b2c3d4e5f-640x480.jpg"'
        f' alt="{ALT_TEXT}" data-file="{photo.pk}"><figcaption>Caption</figcaption></figure>'
    )


def persian_story(photo, **fields):
    return make_article(
        language="fa", section=make_section(language="fa"), body=figure(photo), **fields
    )


# Each way a Persian desk's content uses the photo, and whether readers see it now.
USES = {
    "topic image": (lambda photo: make_topic(language="fa", photo=photo), True),
    "live body image": (persian_story, True),
    "scheduled body image": (
        lambda photo: persian_story(photo, publish_at=timezone.now() + timedelta(days=1)),
        True,
    ),
    "draft body image": (
        lambda photo: persian_story(photo, status=Article.Status.DRAFT, publish_at=None),
        False,
    ),
}
PEOPLE = {
    "own desk chief": ("chief_fa", "chief", ["fa"]),
    "other desk editor": ("ed_en", "editor", ["en"]),
    "other desk chief": ("chief_en", "chief", ["en"]),
}
ACTIONS = ["change alt text", "replace file", "delete"]


@pytest.fixture(params=list(USES))
def use(request):
    return request.param


@pytest.fixture(params=list(PEOPLE))
def person(request):
    return request.param


@pytest.fixture(params=ACTIONS)
def action(request):
    return request.param


@pytest.fixture
def used_photo(use):
    """A photo the Persian desk's content uses as `use` says, and that content."""
    photo = make_photo(alt_text=ALT_TEXT)
    return photo, USES[use][0](photo)


def staff(person):
    username, role, desks = PEOPLE[person]
    return make_staff(username, role=role, desks=desks)


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), "orange").save(buffer, "JPEG")
    return buffer.getvalue()


def may_write(use, person) -> bool:
    """Return whether `person` may change what readers see of the photo `use` makes."""
    shown = USES[use][1]
    return not shown or person == "own desk chief"


def assert_stored(photo, content, *, written: bool, action: str, file_before: str):
    """Assert the photo (and the content's use of it) is as the write left it, or untouched."""
    exists = Photo.objects.filter(pk=photo.pk).exists()
    if action == "delete":
        assert exists is not written
    else:
        assert exists
        photo.refresh_from_db()
        if action == "change alt text":
            assert (photo.alt_text == "Someone else's words") is written
        else:
            assert (photo.image.name != file_before) is written
    if not written:  # the content still shows it
        if isinstance(content, Topic):
            content.refresh_from_db()
            assert content.photo_id == photo.pk
        else:
            assert list(content.body_photos.values_list("pk", flat=True)) == [photo.pk]


def test_the_admin_changes_or_deletes_a_used_photo_only_for_whoever_may_publish_there(
    client, used_photo, use, person, action
):
    photo, content = used_photo
    file_before = photo.image.name
    client.force_login(staff(person))

    if action == "delete":
        response = client.post(
            reverse("admin:media_photo_delete", args=[photo.pk]), {"post": "yes"}
        )
    else:
        url = reverse("admin:media_photo_change", args=[photo.pk])
        page = client.get(url)
        values = form_values(page) if b'name="alt_text"' in page.content else {}
        if action == "change alt text":
            values["alt_text"] = "Someone else's words"
        else:
            values["image"] = SimpleUploadedFile("other.jpg", jpeg(), content_type="image/jpeg")
        response = client.post(url, values)

    # Editors delete no photo at all (publishing/desk_rules.py): only Chief Editors.
    written = may_write(use, person) and not (action == "delete" and person.endswith("editor"))
    assert response.status_code == (302 if written else 403)
    assert_stored(photo, content, written=written, action=action, file_before=file_before)
    if not written and action != "delete":
        assert "Persian edition shows this photo" in page.content.decode()


def write(photo, action):
    if action == "delete":
        photo.delete()
        return
    if action == "change alt text":
        photo.alt_text = "Someone else's words"
    else:
        photo.image.save("other.jpg", ContentFile(jpeg()), save=False)
    photo.save()


def test_the_write_path_refuses_what_the_admin_refuses(used_photo, use, person, action):
    """A script run in someone's request, a restore, list editing: the guard's pre_save/delete."""
    photo, content = used_photo
    file_before = photo.image.name
    written = may_write(use, person)

    with acting_as(staff(person)):
        try:
            with transaction.atomic():  # as a request's: a refused delete undoes itself
                write(photo, action)
        except SharedChangeRefused as refused:
            assert not written, refused
            assert "Persian edition" in str(refused)
        else:
            assert written

    assert_stored(photo, content, written=written, action=action, file_before=file_before)


def test_an_expired_storys_body_image_is_shown_nowhere():
    photo = make_photo()
    persian_story(
        photo,
        publish_at=timezone.now() - timedelta(days=2),
        unpublish_at=timezone.now() - timedelta(days=1),
    )

    assert editions_showing(photo) == set()


def test_every_edition_content_that_shows_it_counts():
    """A topic's image and body, a standing page's body, a story's body: each its edition."""
    photo = make_photo()
    make_topic(language="ar", body=figure(photo))
    Page.objects.create(language="en", slug="about", title="About", body=figure(photo))
    persian_story(photo)

    assert editions_showing(photo) == {"ar", "en", "fa"}


def test_a_topic_shows_its_image_whether_or_not_it_is_on_the_front_page():
    photo = make_photo()
    make_topic(language="fa", photo=photo, in_focus=False)

    assert editions_showing(photo) == {"fa"}


# Relations to a shared item that show nothing by themselves, each with the reason.
NOT_USES = {
    # The link rows of a counted many-to-many (Article.tags): counted through it.
    ("articles.TaggedArticle", "tag"),
    # taggit's own generic links: articles link tags through TaggedArticle only.
    ("taggit.TaggedItem", "tag"),
    # A copy of an article's tag link with its visibility (articles/models/entries.py).
    ("articles.TagEntry", "tag"),
}


def test_every_relation_to_a_shared_item_is_counted_or_said_to_show_nothing():
    """A new model that picks photos, authors or tags is counted, or this fails."""
    for item in sharing._shared:
        counted = {(owner._meta.label, name) for owner, name in sharing._uses(item)}
        links = {  # the rows of a counted many-to-many hold it as a foreign key
            owner._meta.get_field(name).remote_field.through._meta.label
            for owner, name in sharing._uses(item)
            if owner._meta.get_field(name).many_to_many
        }
        for model in apps.get_models(include_auto_created=True):
            for field in model._meta.get_fields():
                if not (field.is_relation and not field.auto_created):
                    continue
                if field.related_model is not item or not (field.many_to_one or field.many_to_many):
                    continue
                relation = (model._meta.label, field.name)
                assert relation in counted or model._meta.label in links or relation in NOT_USES, (
                    f"{relation} points at the shared {item._meta.label}: count it in "
                    "publishing/sharing.py or say here why it shows nothing"
                )
