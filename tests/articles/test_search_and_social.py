"""SEO title, meta description and social image: used when set, the reader's own when not."""

import pytest

from tests.factories import make_article, make_photo

pytestmark = pytest.mark.django_db


def test_the_article_page_uses_the_search_and_social_fields_when_set(client):
    social = make_photo(title="Square crop", alt_text="Cranes, square")
    article = make_article(
        title="Harbour works begin",
        lead="Cranes arrive at the old port.",
        seo_title="Harbour works begin in Bandar",
        meta_description="Cranes arrive; work starts next week.",
        photo=make_photo(alt_text="Cranes, wide"),
        social_photo=social,
    )

    content = client.get(article.get_absolute_url()).content.decode()

    assert "<title>Harbour works begin in Bandar · " in content
    assert '<meta name="description" content="Cranes arrive; work starts next week.">' in content
    assert '<meta property="og:title" content="Harbour works begin in Bandar">' in content
    assert '<meta property="og:image:alt" content="Cranes, square">' in content
    assert "<h1" in content and "Harbour works begin</h1>" in content  # readers see the title


def test_without_them_the_title_lead_and_main_image_are_used(client):
    article = make_article(
        title="Harbour works begin",
        lead="Cranes arrive at the old port.",
        photo=make_photo(alt_text="Cranes, wide"),
    )

    content = client.get(article.get_absolute_url()).content.decode()

    assert "<title>Harbour works begin · " in content
    assert '<meta name="description" content="Cranes arrive at the old port.">' in content
    assert '<meta property="og:image:alt" content="Cranes, wide">' in content
