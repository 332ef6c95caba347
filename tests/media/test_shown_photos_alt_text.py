"""A library photo readers are shown always has alt text: a map's image, a film's
poster and a topic's picture are refused without it, on the field, while readers would
see them (photos bulk-uploaded into a gallery have none until someone writes it)."""

import pytest
from django.urls import reverse

from articles.models import Topic
from media.models import Film, Map
from tests.desk.test_publishing_rights import post_form
from tests.factories import make_film, make_map, make_photo, make_staff, make_topic

pytestmark = pytest.mark.django_db

REFUSED = "has no alt text yet, so readers cannot be shown it"


@pytest.fixture
def chief(client):
    client.force_login(make_staff("chief_en", role="chief", desks=["en"]))


@pytest.fixture
def undescribed():
    return make_photo(title="Front line at dawn", alt_text="")


@pytest.mark.parametrize(("status", "kept"), [("published", False), ("draft", True)])
def test_a_map_readers_would_see_needs_its_images_alt_text(
    client, chief, undescribed, status, kept
):
    fields = {
        "language": "en",
        "title": "Front line",
        "slug": "front-line",
        "photo": str(undescribed.pk),
        "status": status,
    }

    response = post_form(client, reverse("admin:media_map_add"), fields)

    assert Map.objects.exists() is kept
    if not kept:
        assert REFUSED in response.content.decode()
        assert "Front line at dawn" in response.content.decode()


def test_a_film_published_from_the_list_needs_its_posters_alt_text(client, chief, undescribed):
    film = make_film(language="en", poster=undescribed, status="draft", publish_at=None)
    listed = client.get(reverse("admin:media_film_changelist"))
    management = listed.context["cl"].formset.management_form.initial
    data = {f"form-{name}": value for name, value in management.items()}
    data |= {"form-0-id": str(film.pk), "form-0-status": "published", "_save": "Save"}

    response = client.post(reverse("admin:media_film_changelist"), data)

    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert Film.objects.get().status == "draft"


def test_a_topics_picture_needs_its_alt_text(client, chief, undescribed):
    topic = make_topic(name="Water diplomacy", slug="water-diplomacy")

    response = post_form(
        client,
        reverse("admin:articles_topic_change", args=[topic.pk]),
        {"photo": str(undescribed.pk)},
    )

    assert REFUSED in response.content.decode()
    assert Topic.objects.get().photo is None


def test_a_topics_words_are_edited_without_touching_its_picture(client, chief, undescribed):
    # A picture readers already see is not the edit's business: the words are saved.
    topic = make_topic(name="Water diplomacy", slug="water-diplomacy", photo=undescribed)

    response = post_form(
        client,
        reverse("admin:articles_topic_change", args=[topic.pk]),
        {"description": "Talks over shared rivers."},
    )

    assert response.status_code == 302
    assert Topic.objects.get().description == "Talks over shared rivers."


def test_a_described_photo_is_taken(client, chief):
    photo = make_photo(title="Front line at dawn", alt_text="Trenches along a river at dawn")
    make_map(language="en", photo=photo)

    response = post_form(
        client,
        reverse("admin:media_map_add"),
        {
            "language": "en",
            "title": "Lines",
            "slug": "lines",
            "photo": str(photo.pk),
            "status": "published",
        },
    )

    assert response.status_code == 302
