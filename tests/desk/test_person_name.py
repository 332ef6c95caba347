"""How the desk names a person: one rule for Python (web/people.py) and templates."""

import pytest
import reversion
from django.contrib.auth.models import User
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from articles.models import InternalNote
from tests.desk.test_desk import member_of
from tests.factories import make_article
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


@pytest.mark.django_db
def test_a_storys_notes_and_history_name_people_the_desks_way(client):
    nadia = member_of("Chief Editors", "nkarimi")
    nadia.first_name, nadia.last_name = "Nadia", "Karimi"
    nadia.save()
    plain = member_of("Editors", "plainuser")
    article = make_article()
    for author in (nadia, None):
        InternalNote.objects.create(article=article, author=author, text="A note.")
    for user in (nadia, plain):
        with reversion.create_revision():
            article.save()
            reversion.set_user(user)
    client.force_login(nadia)

    form = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    history = client.get(reverse("admin:articles_article_history", args=[article.pk]))

    assert "<strong>Nadia Karimi</strong>" in form.content.decode()
    assert "<strong>someone</strong>" in form.content.decode()  # an author since deleted
    # The history adds the username after a full name: two people may share one.
    assert 'Nadia Karimi <span class="desk-quiet">(nkarimi)</span>' in history.content.decode()
    assert "<td>plainuser</td>" in history.content.decode()
    # The compare picker names each version's author as the compare page does (saved_by).
    assert "· Nadia Karimi</option>" in history.content.decode()
    assert "· plainuser</option>" in history.content.decode()
