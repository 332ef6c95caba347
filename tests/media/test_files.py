"""Stored files through the storage API: sizes on the row, files follow their rows."""

import feedparser
import pytest
from django.core.files.storage import default_storage
from django.db import transaction

from media.models import Photo
from media.renditions import renditions
from tests.factories import make_article, make_photo

pytestmark = pytest.mark.django_db


def test_a_photo_stores_its_byte_size(media_root):
    photo = make_photo(size=(64, 48))

    assert photo.file_size == default_storage.size(photo.image.name) > 0
    assert Photo.objects.get().file_size == photo.file_size


def test_feed_enclosures_take_the_size_from_the_row_not_the_storage(client, monkeypatch):
    make_article(photo=make_photo(size=(64, 48)))
    stored = Photo.objects.get().file_size

    def refuse(*args, **kwargs):
        raise AssertionError("the feed asked the storage for a size")

    monkeypatch.setattr(type(default_storage._wrapped), "size", refuse)
    response = client.get("/en/feed/")

    enclosure = feedparser.parse(response.content).entries[0].enclosures[0]
    assert int(enclosure.length) == stored


def test_deleting_a_photo_deletes_its_file_and_renditions(django_capture_on_commit_callbacks):
    photo = make_photo(size=(700, 400))
    made = renditions(photo, [320, 640], "16:9", "webp")
    names = [photo.image.name, *(item.url.removeprefix("/uploads/") for item in made)]
    assert all(default_storage.exists(name) for name in names)

    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()

    assert not any(default_storage.exists(name) for name in names)


def test_a_rolled_back_delete_keeps_the_files(django_capture_on_commit_callbacks):
    photo = make_photo(size=(64, 48))

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                photo.delete()
                raise RuntimeError("the editor's request failed after the delete")
        except RuntimeError:
            pass

    assert Photo.objects.exists()
    assert default_storage.exists(photo.image.name)
