"""Pressing the article form's workflow buttons as a browser would, for any module's tests.

The form is opened first and posted back whole, with the button's `_action`: what the
page would send, not a hand-built payload that drifts from the form.
"""

from django.urls import reverse
from django.utils import timezone

from tests.desk.test_publishing_rights import form_values


def press(client, article, action, **changes):
    """Open the article's form (None: a new one) and press the button of `action`."""
    if article is None:
        url = reverse("admin:articles_article_add")
    else:
        url = reverse("admin:articles_article_change", args=[article.pk])
    data = {**form_values(client.get(url)), **changes, "_action": action}
    return client.post(url, data)


def press_schedule(client, article, at, **changes):
    """Type `at` (an aware datetime) into the publish time, as the English desk writes it
    in the site's time zone, and press Schedule."""
    local = timezone.localtime(at)
    return press(
        client,
        article,
        "schedule",
        publish_at_0=local.strftime("%Y-%m-%d"),
        publish_at_1=local.strftime("%H:%M:%S"),
        **changes,
    )
