"""How the desk names a person: one rule for Python (web/people.py) and templates."""

import pytest
from django.contrib.auth.models import User
from django.template import Context, Template
from django.utils import translation

from web.people import person_name

FULL_NAME = User(username="nkarimi", first_name="Nadia", last_name="Karimi")
USERNAME_ONLY = User(username="nkarimi")


@pytest.mark.parametrize(
    ("user", "name"),
    [(FULL_NAME, "Nadia Karimi"), (USERNAME_ONLY, "nkarimi"), (None, "")],
    ids=["full name", "username only", "no user"],
)
def test_a_person_is_named_by_full_name_else_username(user, name):
    assert person_name(user) == name


@pytest.mark.parametrize(
    ("user", "shown"),
    [(FULL_NAME, "Nadia Karimi"), (USERNAME_ONLY, "nkarimi"), (None, "someone")],
    ids=["full name", "username only", "no user"],
)
def test_the_template_filter_names_a_person_the_same_way(user, shown):
    template = Template('{% load desk_tags %}{{ user|person_name|default:_("someone") }}')
    with translation.override("en"):
        assert template.render(Context({"user": user})) == shown


def test_the_template_filter_escapes_the_name():
    user = User(username="x", first_name="<b>Nadia</b>")
    assert (
        Template("{% load desk_tags %}{{ user|person_name }}").render(Context({"user": user}))
        == "&lt;b&gt;Nadia&lt;/b&gt;"
    )
