import pytest

from articles.sanitize import sanitize_html
from tests.factories import make_article


def test_script_tags_do_not_survive():
    assert "script" not in sanitize_html("<p>Hi</p><script>alert(1)</script>")


def test_event_handlers_do_not_survive():
    cleaned = sanitize_html('<p onclick="steal()">Hi</p><img src="x.jpg" onerror="steal()">')

    assert "onclick" not in cleaned
    assert "onerror" not in cleaned
    assert "steal" not in cleaned


@pytest.mark.parametrize(
    "dangerous",
    [
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<iframe src="https://example.org"></iframe>',
        '<p style="background:url(javascript:alert(1))">x</p>',
        "<svg><script>alert(1)</script></svg>",
        '<form action="https://example.org"><input name="q"></form>',
    ],
)
def test_dangerous_markup_is_removed(dangerous):
    cleaned = sanitize_html(dangerous).lower()

    for marker in ("javascript", "iframe", "style", "<svg", "<script", "<form", "<input"):
        assert marker not in cleaned


def test_editorial_markup_is_kept():
    html = (
        "<h2>Sub-heading</h2><p><strong>Bold</strong> and <em>italic</em></p>"
        "<blockquote><p>A quote</p></blockquote><ul><li>One</li></ul>"
    )

    assert sanitize_html(html) == html


def test_links_get_safe_rel():
    cleaned = sanitize_html('<a href="https://example.org/">source</a>')

    assert 'href="https://example.org/"' in cleaned
    assert 'rel="noopener noreferrer"' in cleaned


@pytest.mark.django_db
def test_body_is_stored_clean_and_rendered_without_the_attack(client):
    article = make_article(body='<p onclick="steal()">Text</p><script>alert("x")</script>')

    article.refresh_from_db()
    page = client.get(article.get_absolute_url()).content.decode()

    assert article.body == "<p>Text</p>"
    assert "<p>Text</p>" in page
    assert "alert(" not in page
    assert "onclick" not in page
