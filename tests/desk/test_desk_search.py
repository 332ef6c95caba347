"""The article list searches tags and authors and filters by author; compare links back."""

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version

from tests.desk.test_desk import change, member_of
from tests.factories import make_article, make_author

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


# --- Body words and authors (issue 22 item 10): the reader search's vector, per edition


def test_search_finds_words_of_the_body_in_any_form(client, chief):
    make_article(title="Port story", body="<p>The dredgers deepened the channel.</p>")
    make_article(title="Other story", body="<p>Nothing about ships.</p>")
    url = reverse("admin:articles_article_changelist")

    assert titles(client.get(url, {"q": "dredger"})) == ["Port story"]  # a word of the body
    assert titles(client.get(url, {"q": "deepening channels"})) == ["Port story"]  # its stems


def test_search_finds_persian_body_words_by_their_stems(client):
    client.force_login(member_of("Chief Editors", "chief-fa"))
    Group.objects.get(name="Persian desk").user_set.add(User.objects.get(username="chief-fa"))
    make_article(title="گزارش", language="fa", body="<p>رودخانه‌ها در تابستان کم‌آب شدند</p>")
    make_article(title="Rivers", body="<p>Rivers ran dry.</p>")

    listing = client.get(reverse("admin:articles_article_changelist"), {"q": "رودخانه"})

    assert titles(listing) == ["گزارش"]


def test_search_finds_the_bylines_author_by_name(client, chief):
    make_article(title="Port story", author=make_author(name="Leila Karimi"))
    make_article(title="Other story", author=make_author(name="Sam Jones"))

    listing = client.get(reverse("admin:articles_article_changelist"), {"q": "karimi"})

    assert titles(listing) == ["Port story"]


def test_search_of_only_common_words_or_odd_characters_answers(client, chief):
    make_article(title="The port", body="<p>A story.</p>")
    url = reverse("admin:articles_article_changelist")

    assert titles(client.get(url, {"q": "the"})) == ["The port"]  # by its title, as before
    for typed in ["&|!:*", "'", "\\", "x" * 5000]:
        assert client.get(url, {"q": typed}).status_code == 200


@pytest.mark.parametrize("count", [5, 50])
def test_search_costs_the_same_queries_at_any_size(client, chief, count):
    for number in range(count):
        make_article(title=f"Story {number}", body="<p>The dredgers came.</p>")
    url = reverse("admin:articles_article_changelist")
    client.get(url, {"q": "dredgers"})

    with CaptureQueriesContext(connection) as queries:
        assert len(client.get(url, {"q": "dredgers"}).context["cl"].result_list) == count

    assert len(queries) <= 20
