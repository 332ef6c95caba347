import pytest

from comments.forms import form_token


@pytest.fixture(autouse=True)
def comment_settings(settings):
    settings.COMMENTS_MIN_SECONDS = 3
    settings.COMMENTS_RATE_LIMIT = (5, 60)
    settings.COMMENTS_AUTO_APPROVE_KNOWN = False
    settings.COMMENTS_NOTIFY_MODERATORS = False
    settings.TRUSTED_PROXIES = 0
    return settings


@pytest.fixture
def post_comment(client):
    """Post the comment form as a reader who opened the page a minute ago."""
    import time

    def post(article, *, token=None, headers=None, **fields):
        data = {
            "name": "Leila",
            "email": "leila@example.org",
            "text": "A thoughtful comment.",
            "website": "",
            "token": token or form_token(article.pk, now=time.time() - 60),
            **fields,
        }
        return client.post(
            f"/en/comments/{article.pk}/",
            data,
            headers=headers or {},
            REMOTE_ADDR="203.0.113.9",
        )

    return post
