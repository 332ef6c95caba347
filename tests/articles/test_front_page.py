from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_editors_choice

pytestmark = pytest.mark.django_db


def front_page(client):
    response = client.get(reverse("articles:front"))
    assert response.status_code == 200
    return response


def test_editors_choice_follows_the_editors_order(client):
    first, second, third = (make_article(title=f"Pick {n}") for n in range(3))
    make_editors_choice(third, position=1)
    make_editors_choice(first, position=2)
    make_editors_choice(second, position=3)

    shown = front_page(client).context["editors_choice"]

    assert shown == [third, first, second]


def test_news_is_newest_first_and_never_repeats_editors_choice(client):
    now = timezone.now()
    older = make_article(publish_at=now - timedelta(hours=3))
    newer = make_article(publish_at=now - timedelta(hours=1))
    chosen = make_article(publish_at=now - timedelta(hours=2))
    make_editors_choice(chosen, position=1)

    response = front_page(client)

    assert list(response.context["news"]) == [newer, older]
    assert response.content.decode().count(chosen.title) == 1


def test_slot_past_its_until_time_leaves_the_front_page(client):
    article = make_article()
    make_editors_choice(article, until=timezone.now() - timedelta(minutes=1))

    response = front_page(client)

    assert response.context["editors_choice"] == []
    assert article in response.context["news"]


def test_slot_of_an_unpublished_article_is_not_shown(client):
    draft = make_article(status=Article.Status.DRAFT, publish_at=None)
    make_editors_choice(draft, position=1)

    response = front_page(client)

    assert response.context["editors_choice"] == []
    assert draft.title not in response.content.decode()


def test_front_page_shows_masthead_and_sections(client):
    section = make_article().section

    content = front_page(client).content.decode()

    assert "News &amp; Analysis Website" in content
    assert f'href="/en/section/{section.slug}/"' in content
    assert 'role="search"' in content
    assert '<html lang="en" dir="ltr">' in content


def test_article_page_shows_everything_a_reader_expects(client, settings):
    from media.renditions import renditions_make_missing
    from tests.factories import make_photo

    article = make_article(
        title="Talks resume",
        lead="Delegations met again.",
        body="<p>First paragraph.</p><h2>Context</h2><p>More.</p>",
        byline="Staff reporter",
        photo=make_photo(
            size=(800, 450),
            alt_text="Delegates at a table",
            caption="The opening session.",
            credit="Alwaght photo desk",
        ),
        tags=["Water", "Diplomacy"],
    )
    article.publish_at = article.publish_at.replace(year=2025, month=5, day=29)
    article.save()
    renditions_make_missing([article.photo], budget_seconds=600)  # the background job's work

    content = client.get(article.get_absolute_url()).content.decode()

    for expected in [
        article.section.name,
        '<h1 class="article__title">Talks resume</h1>',
        "Thursday 29 May 2025",
        "Delegations met again.",
        'width="640" height="360" alt="Delegates at a table" loading="eager"',
        "The opening session.",
        "Alwaght photo desk",
        "<h2>Context</h2>",
        "Water",
        "Diplomacy",
        "Staff reporter",
    ]:
        assert expected in content, expected
