"""The site-wide blocks beside the article: shared with the front page, cached per change."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from alwaght.blocks import cached_blocks_html
from articles.schedule import next_scheduled_change
from tests.factories import (
    make_article,
    make_editors_choice,
    make_film,
    make_gallery,
    make_map,
    make_topic,
)

pytestmark = pytest.mark.django_db


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


def read_beside(**overrides):
    """Return an article to read whose previous and next articles are fillers.

    The side blocks leave out what the article's own column links (its previous
    and next among them), so the stories a test looks for must not be those.
    """
    make_article(title="Older filler", publish_at=hours_ago(4))
    article = make_article(publish_at=hours_ago(3), **overrides)
    make_article(title="Newer filler", publish_at=hours_ago(2))
    return article


def aside_of(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    return html[html.index('class="article-aside') :]


def test_article_page_shows_every_reference_block(client):
    article = read_beside()
    make_editors_choice(make_article(title="A picked story"), position=1)
    make_article(title="A newer story")
    make_topic(name="A recurring subject", in_focus=True)
    make_map(title="The latest front lines")
    make_gallery(title="Harbour at dawn", photos=1)
    make_film(title="Inside the port", exclusive=True)

    aside = aside_of(client, article)

    for text in (
        "Editor's Choice",
        "A picked story",
        "A newer story",
        "Most Viewed",
        "A recurring subject",
        "The latest front lines",
        "Harbour at dawn",
        "Inside the port",
        "Exclusive",
    ):
        assert text in aside, text


def test_front_page_and_article_page_show_the_same_blocks(client):
    make_editors_choice(make_article(title="Picked"), position=1)
    make_gallery(title="Harbour at dawn", photos=1)
    film = make_film(title="Inside the port")
    front = client.get(reverse("articles:front")).content.decode()
    article_aside = aside_of(client, read_beside())

    for text in ("Picked", "Harbour at dawn", film.get_absolute_url()):
        assert text in front and text in article_aside, text


def test_a_change_is_shown_on_the_next_article_page(client):
    article = read_beside()
    assert "Fresh report" not in aside_of(client, article)

    make_article(title="Fresh report")

    assert "Fresh report" in aside_of(client, article)


def test_editing_a_gallery_title_reaches_the_cached_blocks(client):
    article = make_article()
    gallery = make_gallery(title="Old title", photos=1)
    assert "Old title" in aside_of(client, article)

    gallery.title = "New title"
    gallery.save()

    assert "New title" in aside_of(client, article)


def test_cached_blocks_expire_when_a_scheduled_article_is_due(client, monkeypatch):
    now = timezone.now()
    make_article(title="Scheduled", publish_at=now + timedelta(seconds=90))
    timeouts = []
    monkeypatch.setattr(cache, "set", lambda key, value, timeout: timeouts.append(timeout))

    cached_blocks_html("en", lambda blocks: "<p>blocks</p>")

    assert 85 <= timeouts[-1] <= 92
    assert next_scheduled_change(now) == now + timedelta(seconds=90)


@pytest.mark.parametrize("make", [make_gallery, make_film, make_map])
def test_a_library_item_taken_down_on_schedule_is_a_scheduled_change(make):
    now = timezone.now()
    make(unpublish_at=now + timedelta(seconds=90))
    make(status="draft", unpublish_at=now + timedelta(seconds=30))  # not shown anyway

    assert next_scheduled_change(now) == now + timedelta(seconds=90)


def test_blocks_are_rendered_once_per_change(client):
    renders = []

    def render(blocks):
        renders.append(blocks)
        return "<p>blocks</p>"

    cached_blocks_html("en", render)
    cached_blocks_html("en", render)
    assert len(renders) == 1

    make_article()
    cached_blocks_html("en", render)
    assert len(renders) == 2


def test_side_blocks_carry_nothing_of_the_reader(client, django_user_model):
    article = make_article()
    staff = django_user_model.objects.create_user("zebulon", password="x", is_staff=True)
    client.force_login(staff)
    signed_in = aside_of(client, article)
    client.logout()

    assert aside_of(client, article) == signed_in
    assert "zebulon" not in signed_in
