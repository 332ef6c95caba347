"""A date far outside the newsroom's years is refused in words; one already stored
(by a script, or before the forms refused it) breaks no reader's or desk's page.

The Solar Hijri calendar cannot write a date before 622: one Persian map dated the
year 500 answered 500 on the Persian front page, every Persian article and the
Persian desk's form; a draft dated 9999 answered 500 on its desk's lists, and one
dated the year 1 made them probe every year since (6 s a list).
"""

from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.urls import reverse

from media.models import Map
from tests.desk.test_publishing_rights import post_form
from tests.factories import make_article, make_gallery, make_map, make_photo, make_staff

pytestmark = pytest.mark.django_db


def dated(year: int) -> datetime:
    return datetime(year, 1, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("typed", "desk_language"), [("0205-05-20", "en"), ("9999-12-31", "en")])
def test_a_map_dated_outside_the_newsroom_years_is_refused_in_words(client, typed, desk_language):
    client.force_login(make_staff("chief_fa", role="chief", desks=["fa"]))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = desk_language  # the desk's switch
    fields = {
        "language": "fa",
        "title": "Old map",
        "slug": "old-map",
        "photo": str(make_photo().pk),
        "status": "published",
        "publish_at_0": typed,
        "publish_at_1": "10:00:00",
    }

    response = post_form(client, reverse("admin:media_map_add"), fields)

    assert response.status_code == 200
    assert "Enter a date between the years 1900 and 2999." in response.content.decode()
    assert not Map.objects.exists()


@pytest.mark.parametrize("address", ["/fa/", "/fa/maps/", "/fa/gallery/", "article"])
def test_a_persian_item_dated_the_year_500_breaks_no_readers_page(client, address):
    article = make_article(language="fa")
    make_map(language="fa", slug="old-map")
    make_gallery(language="fa", slug="old-gallery")
    # Stored as a script would, past the forms' check.
    Map.objects.update(publish_at=dated(500))
    type(make_gallery(language="fa", slug="other")).objects.update(publish_at=dated(500))

    response = client.get(article.get_absolute_url() if address == "article" else address)

    assert response.status_code == 200


@pytest.mark.parametrize("year", [1, 500, 9999])
@pytest.mark.parametrize("desk", ["en", "fa"])
def test_the_desks_list_and_form_of_an_item_dated_far_out_open(
    client, django_assert_max_num_queries, year, desk
):
    client.force_login(make_staff(f"chief_{desk}", role="chief", desks=[desk]))
    make_map(language=desk)
    odd = make_map(language=desk, status="draft", slug="odd")
    Map.objects.filter(pk=odd.pk).update(publish_at=dated(year))
    client.get(reverse("admin:media_map_changelist"))  # the session and content types

    with django_assert_max_num_queries(30):  # not a probe per year since the year 1
        listed = client.get(reverse("admin:media_map_changelist"))
    form = client.get(reverse("admin:media_map_change", args=[odd.pk]))

    assert (listed.status_code, form.status_code) == (200, 200)
