"""Database rules broken in a form come back as errors in words, never a 500."""

import pytest
from django.urls import reverse

from articles.models import RelatedArticle
from tests.desk.test_desk import form_data, member_of
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def with_related(article, *related):
    data = form_data(article)
    data.update(
        {
            "related_links-TOTAL_FORMS": str(len(related)),
            "related_links-INITIAL_FORMS": "0",
            **{f"related_links-{n}-related": str(r.pk) for n, r in enumerate(related)},
            **{f"related_links-{n}-position": str(n) for n in range(len(related))},
        }
    )
    return data


def save(client, article, data):
    return client.post(reverse("admin:articles_article_change", args=[article.pk]), data)


@pytest.fixture
def chief(client):
    client.force_login(member_of("Chief Editors", "chief"))


def test_an_article_related_to_itself_is_refused_in_words(client, chief):
    article = make_article()

    response = save(client, article, with_related(article, article))

    assert response.status_code == 200
    assert "An article cannot be related to itself." in response.content.decode()
    assert "is violated" not in response.content.decode()
    assert not RelatedArticle.objects.exists()


def test_the_same_related_article_twice_is_refused_in_words(client, chief):
    article, other = make_article(), make_article()

    response = save(client, article, with_related(article, other, other))

    assert response.status_code == 200
    assert "Please correct the duplicate data for related" in response.content.decode()
    assert not RelatedArticle.objects.exists()


def test_related_content_is_saved_and_kept_in_the_revision(client, chief):
    from reversion.models import Version

    article, other = make_article(status="draft", publish_at=None), make_article()

    response = save(client, article, with_related(article, other))

    assert response.status_code == 302
    assert list(RelatedArticle.objects.values_list("related", flat=True)) == [other.pk]
    revision = Version.objects.get_for_object(article).get().revision
    kept = [v.content_type.model_class() for v in revision.version_set.all()]
    assert RelatedArticle in kept
