"""Counterparts: hreflang alternates and the edition switcher lead only to linked articles."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.counterparts import article_counterparts_link, article_counterparts_unlink
from articles.models import Article, RelatedArticle
from tests.factories import EMPTY_ARTICLE_INLINES, make_article
from web.fragments import fragments_off

pytestmark = pytest.mark.django_db

ALTERNATE = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')


def alternates(client, article):
    return dict(ALTERNATE.findall(client.get(article.get_absolute_url()).content.decode()))


def test_an_article_without_counterparts_has_no_hreflang(client):
    english = make_article(title="Talks resume")
    make_article(title="گفتگوها از سر گرفته شد", language="fa")  # the same story, not linked

    assert alternates(client, english) == {}


def test_linked_counterparts_name_each_other_and_x_default(client):
    english = make_article(title="Talks resume")
    persian = make_article(title="گفتگوها از سر گرفته شد", language="fa")
    arabic = make_article(title="استئناف المحادثات", language="ar")
    article_counterparts_link(article=persian, counterpart=english)
    article_counterparts_link(article=arabic, counterpart=persian)

    links = alternates(client, persian)

    base = "http://testserver"
    assert links == {
        "en": base + english.get_absolute_url(),
        "ar": base + arabic.get_absolute_url(),
        "fa": base + persian.get_absolute_url(),
        "x-default": base + english.get_absolute_url(),
    }
    assert alternates(client, english)["fa"] == base + persian.get_absolute_url()


def test_an_unpublished_counterpart_is_not_named(client):
    english = make_article(title="Talks resume")
    draft = make_article(title="پیش‌نویس", language="fa", status=Article.Status.DRAFT)
    article_counterparts_link(article=draft, counterpart=english)

    assert alternates(client, english) == {}


def test_unlinking_removes_the_alternates(client):
    english = make_article()
    persian = make_article(language="fa")
    article_counterparts_link(article=persian, counterpart=english)
    article_counterparts_unlink(article=persian)

    assert alternates(client, english) == {}


def test_edition_switcher_leads_to_the_counterpart_else_to_a_note(client):
    english = make_article(title="Talks resume")
    persian = make_article(title="گفتگوها از سر گرفته شد", language="fa")
    article_counterparts_link(article=english, counterpart=persian)

    page = client.get(english.get_absolute_url()).content.decode()
    switcher = page[page.index('class="editions"') :]
    switcher = switcher[: switcher.index("</nav>")]

    assert f'href="{persian.get_absolute_url()}" lang="fa"' in switcher
    assert 'href="#edition-ar" lang="ar"' in switcher  # "not available", test_switcher.py
    assert "English" not in switcher  # the edition being read is not offered


def test_a_linked_article_page_costs_one_query_more_than_an_unlinked_one(client):
    english = make_article()
    persian = make_article(language="fa")
    client.get(english.get_absolute_url())  # fills what later views share
    with fragments_off(), CaptureQueriesContext(connection) as unlinked:
        client.get(english.get_absolute_url())
    article_counterparts_link(article=english, counterpart=persian)
    client.get(english.get_absolute_url())  # asks the next scheduled change again
    with fragments_off(), CaptureQueriesContext(connection) as linked:
        client.get(english.get_absolute_url())

    assert len(linked) == len(unlinked) + 1  # when the page's fragments are rendered
    client.get(english.get_absolute_url())
    with CaptureQueriesContext(connection) as later:
        html = client.get(english.get_absolute_url()).content.decode()
    assert len(later) == 0  # later views read them, counterparts included
    assert persian.get_absolute_url() in html


def test_editors_link_a_counterpart_in_the_admin(client, admin_user):
    english = make_article(title="Talks resume")
    persian = make_article(title="گفتگوها", language="fa")
    client.force_login(admin_user)
    change = reverse("admin:articles_article_change", args=[english.pk])
    data = {
        "title": english.title,
        "slug": english.slug,
        "section": english.section_id,
        "lead": english.lead,
        "body": english.body,
        "status": "published",
        "publish_at_0": english.publish_at.strftime("%Y-%m-%d"),
        "publish_at_1": english.publish_at.strftime("%H:%M:%S"),
        "language": "en",
        "comments_open": "on",
        "counterpart": persian.pk,
        **EMPTY_ARTICLE_INLINES,
    }

    response = client.post(change, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    english.refresh_from_db()
    persian.refresh_from_db()
    assert english.translation_group and english.translation_group == persian.translation_group
    assert RelatedArticle.objects.count() == 0


def test_a_counterpart_in_the_same_edition_is_refused(client, admin_user):
    english = make_article()
    other = make_article()
    client.force_login(admin_user)
    data = {
        "title": english.title,
        "slug": english.slug,
        "section": english.section_id,
        "lead": english.lead,
        "body": english.body,
        "status": "draft",
        "language": "en",
        "counterpart": other.pk,
        **EMPTY_ARTICLE_INLINES,
    }

    response = client.post(reverse("admin:articles_article_change", args=[english.pk]), data)

    assert response.status_code == 200
    assert "A counterpart is in another edition." in response.content.decode()
    english.refresh_from_db()
    assert english.translation_group is None
