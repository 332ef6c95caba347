"""The article list searches tags and authors and filters by author; compare links back."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from reversion.models import Version

from tests.desk.test_desk import change, member_of
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief(client):
    user = member_of("Chief Editors", "chief")
    client.force_login(user)
    return user


def titles(response):
    return sorted(article.title for article in response.context["cl"].result_list)


def test_search_finds_tags_and_authors_once_each(client, chief):
    writer = User.objects.create_user("leila", first_name="Leila", last_name="Karimi")
    make_article(title="Port story", tags=["Shipping", "Shipyards"], created_by=writer)
    make_article(title="Other story", tags=["Energy"])
    url = reverse("admin:articles_article_changelist")

    assert titles(client.get(url, {"q": "Ship"})) == ["Port story"]  # two tags match, one row
    assert titles(client.get(url, {"q": "Karimi"})) == ["Port story"]


def test_the_author_filter_lists_writers_and_filters(client, chief):
    writer = User.objects.create_user("leila", first_name="Leila")
    make_article(title="Port story", created_by=writer)
    make_article(title="Other story", created_by=chief)
    url = reverse("admin:articles_article_changelist")

    listing = client.get(url)
    filtered = client.get(url, {"created_by__id__exact": writer.pk})

    assert "By created by" in listing.content.decode()  # the desk account, not the Author
    assert titles(filtered) == ["Port story"]


def test_the_compare_header_links_to_both_versions(client, chief):
    article = make_article(title="First")
    change(client, article)
    article.refresh_from_db()
    change(client, article, title="Second")
    new, old = Version.objects.get_for_object(article)[:2]

    content = client.get(
        reverse("admin:articles_article_compare", args=[article.pk]),
        {"old": old.pk, "new": new.pk},
    ).content.decode()

    assert reverse("admin:articles_article_revision", args=[article.pk, old.pk]) in content
    assert reverse("admin:articles_article_revision", args=[article.pk, new.pk]) in content
