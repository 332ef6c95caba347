"""Films take the video addresses editors paste, and keep only the host and the id."""

import pytest
from django.urls import reverse
from django.utils import timezone

from media.embeds import parse_video_address
from media.models import Film
from tests.factories import make_film, make_photo

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("https://www.youtube.com/watch?v=M7lc1UVf-VE", ("youtube", "M7lc1UVf-VE")),
        ("https://www.youtube.com/watch?v=M7lc1UVf-VE&t=42s&si=abc", ("youtube", "M7lc1UVf-VE")),
        ("youtube.com/watch?feature=share&v=M7lc1UVf-VE", ("youtube", "M7lc1UVf-VE")),
        ("https://m.youtube.com/watch?v=M7lc1UVf-VE", ("youtube", "M7lc1UVf-VE")),
        ("https://youtu.be/M7lc1UVf-VE?si=xyz", ("youtube", "M7lc1UVf-VE")),
        ("https://www.youtube.com/shorts/M7lc1UVf-VE", ("youtube", "M7lc1UVf-VE")),
        ("https://www.youtube.com/embed/M7lc1UVf-VE?start=3", ("youtube", "M7lc1UVf-VE")),
        ("https://www.youtube-nocookie.com/embed/M7lc1UVf-VE", ("youtube", "M7lc1UVf-VE")),
        ("https://vimeo.com/76979871", ("vimeo", "76979871")),
        ("https://vimeo.com/channels/staffpicks/76979871", ("vimeo", "76979871")),
        ("https://player.vimeo.com/video/76979871?h=abc", ("vimeo", "76979871")),
        ("  https://vimeo.com/76979871  ", ("vimeo", "76979871")),
    ],
)
def test_pasted_addresses_give_host_and_id(address, expected):
    assert parse_video_address(address) == expected


@pytest.mark.parametrize(
    "address",
    [
        "",
        "https://evil.example/watch?v=M7lc1UVf-VE",
        "https://youtube.com.evil.example/watch?v=M7lc1UVf-VE",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/watch?v=M7lc1UVf-VE<script>",
        "javascript:alert(1)//youtube.com/watch?v=M7lc1UVf-VE",
        "https://vimeo.com/not-a-number",
        "https://www.youtube.com/channel/UCxyz",
        "http://[::1",
    ],
)
def test_other_addresses_are_not_read_as_videos(address):
    assert parse_video_address(address) is None


def post_film(client, **fields):
    when = (timezone.now() - timezone.timedelta(hours=1)).strftime("%Y-%m-%d")
    data = {
        "title": "Flood film",
        "slug": "flood-film",
        "poster": make_photo(size=(320, 180)).pk,
        "status": "draft",
        "publish_at_0": when,
        "publish_at_1": "00:00:00",
        **fields,
    }
    return client.post(reverse("admin:media_film_add"), data)


def test_a_long_pasted_address_is_kept_whole_in_the_box_and_stored_as_host_and_id(
    client, admin_user
):
    client.force_login(admin_user)
    form = client.get(reverse("admin:media_film_add")).content.decode()
    assert 'maxlength="500"' in form

    address = "https://www.youtube.com/watch?v=M7lc1UVf-VE&list=PL" + "x" * 60 + "&index=2"
    response = post_film(client, embed_id=address)

    assert response.status_code == 302, response.context["adminform"].form.errors
    film = Film.objects.get()
    assert (film.embed_host, film.embed_id) == ("youtube", "M7lc1UVf-VE")


def test_a_bare_id_still_needs_its_host(client, admin_user):
    client.force_login(admin_user)

    assert post_film(client, embed_id="76979871", embed_host="vimeo").status_code == 302
    Film.objects.all().delete()
    response = post_film(client, embed_id="76979871")

    assert response.status_code == 200
    assert not Film.objects.exists()


def test_an_address_from_elsewhere_is_refused_with_the_text_kept(client, admin_user):
    client.force_login(admin_user)
    address = "https://videos.example.org/watch?v=M7lc1UVf-VE"

    response = post_film(client, embed_id=address)

    form = response.context["adminform"].form
    assert "not a YouTube or Vimeo video address" in str(form.errors["embed_id"])
    assert f'value="{address}"' in response.content.decode()
    assert not Film.objects.exists()


@pytest.mark.parametrize("typed", ["-00:05:00", "-1 00:00:00", "00:00:00"])
def test_a_film_lasts_some_time(client, admin_user, typed):
    client.force_login(admin_user)

    response = post_film(client, embed_id="https://youtu.be/M7lc1UVf-VE", duration=typed)

    form = response.context["adminform"].form
    assert "A film lasts at least a second." in str(form.errors["duration"])
    assert not Film.objects.exists()


# --- A pasted address is enough (issue 22 item 10): the poster is optional


def test_a_film_is_added_from_a_pasted_address_without_a_poster(client, admin_user):
    client.force_login(admin_user)

    response = post_film(
        client, poster="", embed_id="https://youtu.be/M7lc1UVf-VE?si=xyz", status="published"
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    film = Film.objects.get()
    assert (film.poster, film.embed_host, film.embed_id) == (None, "youtube", "M7lc1UVf-VE")


@pytest.mark.parametrize("kind", ["embed", "file"])
def test_a_film_without_a_poster_shows_a_plain_frame_everywhere(client, kind, settings):
    fields = {"poster": None, "exclusive": True}
    if kind == "file":
        fields.update(embed_host="", embed_id="", video="films/flood.mp4")
    film = make_film(**fields)

    page = client.get(film.get_absolute_url())

    assert page.status_code == 200
    body = page.content.decode()
    player = body[body.index('class="film__player"') :]
    player = player[: player.index("</div>")]
    assert "<img" not in player and "poster=" not in player
    assert ('class="film__frame"' in player) is (kind == "embed")
    for url in ("/en/", reverse("media:films")):
        assert client.get(url).status_code == 200  # teasers and the Exclusive block
