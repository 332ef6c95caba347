"""The demo loader writes three complete editions: every page type has content in each."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import override

from articles.models import Article, EditorsChoice, Section, Topic
from media.models import Film, Map, PhotoGallery

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(media_root):
    call_command("load_demo", verbosity=0)


def page_addresses(edition):
    """Return one address of every reader page type of `edition`, from its demo content."""
    article = Article.objects.published().in_language(edition).exclude(tags=None).first()
    topic = Topic.objects.in_language(edition).exclude(articles=None).first()
    newest = {
        model: model.objects.published().in_language(edition).first()
        for model in (PhotoGallery, Film, Map)
    }
    with override(edition):
        return {
            "front": reverse("articles:front"),
            "archive": reverse("articles:archive"),
            "article": article.get_absolute_url(),
            "section": article.section.get_absolute_url(),
            "tag": reverse("articles:tag", args=[article.tags.first().slug]),
            "topic index": reverse("topics:index"),
            "topic": topic.get_absolute_url(),
            "search": reverse("articles:search") + "?q=" + article.title.split()[0],
            "most viewed": reverse("popularity:most-viewed"),
            "gallery index": reverse("media:index"),
            "films": reverse("media:films"),
            "gallery": PhotoGallery.objects.published()
            .in_language(edition)
            .first()
            .get_absolute_url(),
            "film": Film.objects.published().in_language(edition).first().get_absolute_url(),
            "maps": reverse("media:maps"),
            "map": newest[Map].get_absolute_url(),
            "feed": reverse("articles:feed"),
        }


def test_each_edition_has_its_own_content_and_every_page_type(client, demo):
    # One test: loading the demo (with its images) is the slow part.
    for edition in ["ar", "fa"]:
        has_its_own_content(edition)
    for edition in ["en", "ar", "fa"]:
        for name, address in page_addresses(edition).items():
            response = client.get(address)
            assert response.status_code == 200, (name, address)
            assert response.headers["Content-Language"] == edition, name
    persian = Article.objects.get(language="fa", title__startswith="مذاکرات تقسیم آب")
    assert set(persian.live_counterparts()) == {"en", "ar"}
    page = client.get(persian.get_absolute_url()).content.decode()
    assert 'hreflang="x-default"' in page


def has_its_own_content(edition):
    assert Section.objects.in_language(edition).count() == 5
    assert Article.objects.published().in_language(edition).count() >= 6
    assert Topic.objects.in_focus(edition).count() >= 3
    assert EditorsChoice.objects.current(edition).count() >= 3
    for model in (PhotoGallery, Film, Map):
        assert model.objects.published().in_language(edition).exists(), model
    for section in Section.objects.in_language(edition):
        assert section.articles.filter(language=edition).exists(), section
