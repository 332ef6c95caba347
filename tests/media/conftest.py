"""The desk's people and galleries the library's admin tests share, and how they save a form.

An Editor of the English desk (signed in) and its Chief Editor (signed in by the
test that needs one); a draft and a live gallery of two photos; `change_url` and
`post_changes` for any library item's admin form (galleries, films, maps); and
`who_changes`, who may change a library item of which status.
"""

import pytest
from django.urls import reverse

from publishing.desk_rules import Outcome
from tests.desk.test_publishing_rights import form_values
from tests.factories import make_gallery, make_staff


@pytest.fixture
def editor(client):
    """An Editor of the English desk, signed in."""
    user = make_staff("ed_en", role="editor", desks=["en"])
    client.force_login(user)
    return user


@pytest.fixture
def chief():
    """A Chief Editor of the English desk, not signed in."""
    return make_staff("chief_en", role="chief", desks=["en"])


# The rules table's answer on changing a library item or its rows, by the item's
# status (`chief_when_live`, publishing/desk_rules.py): drafts stay the Editor's.
WHO_CHANGES = [
    ("editor", "published", Outcome.DENY),
    ("editor", "draft", Outcome.ALLOW),
    ("chief", "published", Outcome.ALLOW),
]


@pytest.fixture(params=WHO_CHANGES, ids=lambda case: f"{case[0]}-{case[1]}")
def who_changes(request, editor, chief):
    """Return (user, status, outcome): the table's answer when `user` changes an item
    of that status; the test runs once for each row of WHO_CHANGES."""
    account, status, outcome = request.param
    return {"editor": editor, "chief": chief}[account], status, outcome


@pytest.fixture
def draft_gallery():
    """An English gallery of two photos, not published."""
    return make_gallery(photos=2, status="draft", publish_at=None, language="en")


@pytest.fixture
def live_gallery():
    """An English gallery of two photos, published an hour ago."""
    return make_gallery(photos=2, language="en", title="Harbour at dawn")


@pytest.fixture
def change_url():
    """Return the address of an item's admin form: `change_url(item)`."""

    def url(item):
        return reverse(
            f"admin:{item._meta.app_label}_{item._meta.model_name}_change", args=[item.pk]
        )

    return url


@pytest.fixture
def post_changes(client, change_url):
    """Open an item's admin form as the signed-in user would, change fields and save it:
    `post_changes(item, title="…", add_photos=[file, …])`."""

    def post(item, **changes):
        values = form_values(client.get(change_url(item)))
        return client.post(change_url(item), {**values, **changes})

    return post
