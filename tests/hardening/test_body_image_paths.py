"""Body images come from our uploads only, however their path is spelled."""

import pytest

from articles.sanitize import is_own_upload, sanitize_html

ESCAPES = [
    "/uploads/../beacon/articles/20/view",
    "/uploads/%2e%2e/beacon/articles/20/view",
    "/uploads/%2E%2E/beacon/articles/20/view",
    "/uploads/.%2e/beacon/articles/20/view",
    "/uploads/%252e%252e/beacon/articles/20/view",  # encoded twice
    "/uploads/%25252e%25252e/beacon/articles/20/view",
    "/uploads/..%2fbeacon/articles/20/view",
    "/uploads/..%5cbeacon/articles/20/view",
    "/uploads/..\\beacon/articles/20/view",
    "/uploads/.\t./beacon/articles/20/view",  # browsers drop tabs from URLs
    "/uploads/.%09./beacon/articles/20/view",
    "/uploads/./photos/a.jpg",
    "/uploads//evil.example/a.jpg",
    "/uploads/a.jpg?/../../beacon/articles/20/view",
    "/uploads/a.jpg#x",
    "//evil.example/uploads/a.jpg",
    "https://evil.example/uploads/a.jpg",
    "/uploadsx/a.jpg",
    "/beacon/articles/20/view",
]
KEPT = [
    "/uploads/renditions/12/3f2a9c0d1e2b-640x360.jpg",
    "/uploads/photos/2026/11/%D8%B3%D9%84%D8%A7%D9%85.jpg",  # a Persian file name
]


@pytest.mark.parametrize("src", ESCAPES)
def test_a_path_that_leaves_the_uploads_is_refused(src):
    assert not is_own_upload(src)
    assert "src=" not in sanitize_html(f'<p><img src="{src}" alt="x"></p>')


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="/uploads/&#46;&#46;/beacon/articles/20/view">',  # HTML entities
        '<img src="/uploads/&period;&period;/beacon/articles/20/view">',
        '<img src="/uploads/.&#x2e;/beacon/articles/20/view">',
    ],
)
def test_html_escaped_dots_are_refused_too(markup):
    assert "src=" not in sanitize_html(markup)


@pytest.mark.parametrize("src", KEPT)
def test_our_own_uploads_are_kept(src):
    assert is_own_upload(src)
    assert f'src="{src}"' in sanitize_html(f'<img src="{src}" alt="x">')


def test_uploads_on_their_own_origin(settings):
    settings.MEDIA_URL = "https://media.example.org/uploads/"

    assert is_own_upload("https://media.example.org/uploads/photos/a.jpg")
    assert not is_own_upload("/uploads/photos/a.jpg")
    assert not is_own_upload("https://media.example.org/uploads/../admin/")
    assert not is_own_upload("http://media.example.org/uploads/photos/a.jpg")
