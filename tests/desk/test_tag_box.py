"""The tag box: commas separate tags, so multi-word tags need no quotes."""

import pytest
from django.urls import reverse

from articles.tag_strings import tags_from_string
from tests.desk.test_desk import change, member_of
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "tags"),
    [
        ("Persian Gulf", ["Persian Gulf"]),
        ("Persian Gulf, Oil", ["Persian Gulf", "Oil"]),
        (' "Strait of Hormuz" ,  oil  , ', ["Strait of Hormuz", "oil"]),
        ("Oil, oil, OIL", ["Oil"]),
        ("Persian   Gulf", ["Persian Gulf"]),
        (", ,", []),
        ("", []),
    ],
)
def test_commas_alone_separate_tags(typed, tags):
    assert tags_from_string(typed) == tags


def test_the_article_form_keeps_a_multi_word_tag_whole_and_shows_it_unquoted(client):
    client.force_login(member_of("Chief Editors", "chief"))
    article = make_article()

    assert change(client, article, tags="Persian Gulf").status_code == 302

    assert list(article.tags.names()) == ["Persian Gulf"]
    form = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert 'value="Persian Gulf"' in form.content.decode()
