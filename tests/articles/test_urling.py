"""Article addresses filled in from a pattern reversed once match reverse() itself."""

import pytest
from django.urls import reverse, set_script_prefix
from django.utils.translation import override

from articles.urling import ArticleLinks, article_url, section_url, slug_url


@pytest.mark.parametrize(
    "pk, slug",
    [
        *((1, "plain"), (123456, "with-dashes-2"), (7, "آب-و-برق"), (8, "нефть"), (9, "a_b")),
        (10, "می\u200cخواهم"),  # a Persian word with its zero-width joiner
    ],
)
def test_same_address_as_reverse(pk, slug):
    with override("en"):
        expected = reverse("articles:detail", kwargs={"pk": pk, "slug": slug})

    assert article_url("en", pk, slug) == expected


def test_the_script_prefix_is_honoured():
    set_script_prefix("/news-site/")
    try:
        assert article_url("en", 5, "x") == "/news-site/en/news/5/x/"
    finally:
        set_script_prefix("/")


@pytest.mark.parametrize("language", ["en", "ar", "fa"])
def test_a_lists_links_are_reverses_addresses_in_every_edition(language):
    links = ArticleLinks()  # one for the whole list, as a list's tag makes it

    for pk, slug in [(1, "plain"), (7, "آب-و-برق"), (10, "می\u200cخواهم")]:
        with override(language):
            expected = reverse("articles:detail", kwargs={"pk": pk, "slug": slug})
        assert links(language, pk, slug) == expected


def test_a_slug_the_pattern_refuses_still_goes_through_reverse():
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        article_url("en", 5, "no spaces")


@pytest.mark.parametrize("slug", ["news", "world-affairs", "a_b", "اقتصاد", "sport-2"])
def test_a_sections_address_is_reverses(slug):
    with override("ar"):
        expected = reverse("articles:section", kwargs={"slug": slug})

    assert section_url("ar", slug) == expected


def test_a_section_slug_the_pattern_refuses_still_goes_through_reverse():
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        section_url("en", "joined\u200cword")


@pytest.mark.parametrize(
    "view", ["articles:section", "articles:tag", "articles:author", "topics:detail"]
)
@pytest.mark.parametrize("language", ["en", "ar", "fa"])
@pytest.mark.parametrize("slug", ["oil", "نفت-خام", "انرژی_۱۴۰۳", "a b", "joined\u200cword"])
def test_a_slug_pages_address_is_reverses(view, language, slug):
    from django.urls import NoReverseMatch

    with override(language):
        try:
            expected = reverse(view, kwargs={"slug": slug})
        except NoReverseMatch:
            with pytest.raises(NoReverseMatch):
                slug_url(view, language, slug)
            return
    assert slug_url(view, language, slug) == expected
