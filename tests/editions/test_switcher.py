"""The edition switcher leads from every page to its equivalent in the other editions."""

import re
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils.translation import override

from articles.counterparts import article_counterparts_link
from articles.models import Section
from tests.factories import (
    make_article,
    make_author,
    make_film,
    make_gallery,
    make_map,
    make_section,
    make_topic,
)

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<li><a href="([^"]*)" lang="(\w+)"')


def switcher(client, address) -> dict[str, str]:
    """Return {edition: where its link leads} from the masthead of the page at `address`."""
    response = client.get(address)
    assert response.status_code == 200, address
    page = response.content.decode()
    nav = page[page.index('class="editions"') :]
    return {code: href for href, code in LINK.findall(nav[: nav.index("</nav>")])}


def address(edition, name, *args, **query):
    with override(edition):
        url = reverse(name, args=args)
    return url + ("?" + "&".join(f"{k}={quote(v)}" for k, v in query.items()) if query else "")


def test_a_section_leads_to_its_counterpart_by_key(client):
    english = make_section(name="Analysis", slug="analysis", counterpart_key="analysis")
    persian = make_section(language="fa", name="تحلیل", slug="تحلیل", counterpart_key="analysis")
    make_section(language="ar", name="رأي", slug="رأي", counterpart_key="opinion")

    links = switcher(client, english.get_absolute_url())

    assert links == {"ar": "/ar/", "fa": persian.get_absolute_url()}  # no Arabic analysis
    assert switcher(client, persian.get_absolute_url())["en"] == english.get_absolute_url()


def test_renaming_a_key_reaches_the_cached_masthead(client):
    english = make_section(name="Analysis", slug="analysis", counterpart_key="analysis")
    persian = make_section(language="fa", name="تحلیل", slug="تحلیل")
    assert switcher(client, english.get_absolute_url())["fa"] == "/fa/"

    persian.counterpart_key = "analysis"
    persian.save()

    assert switcher(client, english.get_absolute_url())["fa"] == persian.get_absolute_url()


def test_a_topic_leads_to_its_counterpart_else_the_topic_index(client):
    english = make_topic(name="Water diplomacy", slug="water", counterpart_key="water")
    arabic = make_topic(language="ar", name="المياه", slug="المياه", counterpart_key="water")

    links = switcher(client, english.get_absolute_url())

    assert links == {"ar": arabic.get_absolute_url(), "fa": address("fa", "topics:index")}


def test_pages_of_any_edition_keep_their_address(client):
    tag_article = make_article(tags=["Water"])
    author = make_author(name="Leila Haddad")
    pages = {
        "front": address("en", "articles:front"),
        "archive": address("en", "articles:archive"),
        "tag": address("en", "articles:tag", tag_article.tags.first().slug),
        "author": author.get_absolute_url(),
        "most viewed": address("en", "popularity:most-viewed-period", "week"),
        "topics": address("en", "topics:index"),
        "gallery index": address("en", "media:index"),
        "films": address("en", "media:films"),
        "maps": address("en", "media:maps"),
    }
    for name, page in pages.items():
        links = switcher(client, page)
        assert links["fa"] == "/fa/" + page.removeprefix("/en/"), name
        assert links["ar"] == "/ar/" + page.removeprefix("/en/"), name


def test_search_keeps_the_readers_words(client):
    links = switcher(client, address("en", "articles:search", q="water talks", sort="newest"))

    assert links["fa"] == address("fa", "articles:search") + "?q=water+talks"


def test_every_search_keeps_its_own_words_though_they_share_a_masthead(client):
    make_article(title="Harbour reopens")
    switcher(client, address("en", "articles:search", q="harbour"))

    second = switcher(client, address("en", "articles:search", q='water & "talks"'))
    empty = switcher(client, address("en", "articles:search"))

    assert second["fa"] == address("fa", "articles:search") + "?q=water+%26+%22talks%22"
    assert empty["ar"] == address("ar", "articles:search")


def test_another_page_keeps_no_readers_words(client):
    # Its masthead is shared by every reader of the address.
    assert switcher(client, "/en/?q=anything")["fa"] == "/fa/"


def test_an_editions_gallery_film_or_map_leads_to_the_others_list_of_its_kind(client):
    pages = {
        "media:index": make_gallery(photos=1).get_absolute_url(),
        "media:films": make_film().get_absolute_url(),
        "media:maps": make_map().get_absolute_url(),
    }
    for kind, page in pages.items():
        assert switcher(client, page)["ar"] == address("ar", kind), kind


def test_an_article_without_a_counterpart_says_so_with_the_front_page(client):
    english = make_article(title="Talks resume")
    persian = make_article(language="fa", title="گفتگوها از سر گرفته شد")
    article_counterparts_link(article=english, counterpart=persian)

    page = client.get(english.get_absolute_url()).content.decode()
    links = switcher(client, english.get_absolute_url())

    assert links == {"fa": persian.get_absolute_url(), "ar": "#edition-ar"}
    note = page[page.index('id="edition-ar"') :]
    note = note[: note.index("</p>")]
    assert "This article is not available in العربيّة." in note
    assert 'href="/ar/" hreflang="ar">Go to the العربيّة edition</a>' in note
    assert 'id="edition-fa"' not in page


def test_the_note_speaks_the_pages_language(client):
    persian = make_article(language="fa", title="گفتگوها از سر گرفته شد")

    page = client.get(persian.get_absolute_url()).content.decode()

    assert "این مطلب در نسخهٔ English در دسترس نیست." in page


def test_each_page_keeps_its_own_masthead(client):
    # The masthead is cached per address: one page's links never show on another's.
    first = make_section(name="Analysis", slug="analysis", counterpart_key="analysis")
    second = make_section(name="Opinion", slug="opinion", counterpart_key="opinion")
    make_section(language="fa", name="تحلیل", slug="تحلیل", counterpart_key="analysis")
    make_section(language="fa", name="یادداشت", slug="یادداشت", counterpart_key="opinion")

    assert switcher(client, first.get_absolute_url())["fa"].endswith(quote("تحلیل") + "/")
    assert switcher(client, second.get_absolute_url())["fa"].endswith(quote("یادداشت") + "/")
    assert Section.objects.count() == 4
