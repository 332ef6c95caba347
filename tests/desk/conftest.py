"""The desk's people for reviewed edits: an Editor and a Chief Editor of the English desk.

Modules that need others define their own `editor` and `chief` fixtures, which win.
"""

import pytest

from tests.desk.test_publishing_rights import make_user


@pytest.fixture
def chief():
    user = make_user("chief")
    user.email = "chief@example.org"
    user.save()
    return user


@pytest.fixture
def editor():
    user = make_user("editor")
    user.email = "editor@example.org"
    user.save()
    return user
