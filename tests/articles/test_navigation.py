"""The masthead's sections come from the cache and change as soon as a section does."""

import pytest
from django.urls import reverse

from publishing.visibility import acting_as
from tests.factories import make_section

pytestmark = pytest.mark.django_db


def test_sections_are_read_once_then_from_the_cache(client, django_assert_num_queries):
    make_section(name="World", slug="world")
    client.get(reverse("topics:index"))

    with django_assert_num_queries(1):  # the topics; the sections come from the cache
        response = client.get(reverse("topics:index"))

    assert b'href="/en/section/world/"' in response.content


@pytest.mark.parametrize("change", ["rename", "add", "delete"])
def test_a_changed_section_shows_in_the_navigation_at_once(client, change):
    section = make_section(name="World", slug="world")
    client.get(reverse("topics:index"))

    if change == "rename":
        section.name = "Planet"
        section.save()
    elif change == "add":
        make_section(name="Planet", slug="planet")
    else:
        section.delete()

    content = client.get(reverse("topics:index")).content.decode()
    assert ("Planet" in content) is (change != "delete")
    assert ("World" in content) is (change == "add")


def test_a_menu_read_just_before_a_rename_is_never_kept(client, monkeypatch):
    """A reader reads the sections, the rename lands, then the reader stores what it
    read: the old menu must not be what the next readers get (it was, for up to
    300 s, when the list had a cache key of its own dropped on save)."""
    from articles.models import Section

    section = make_section(name="World", slug="world")
    read = Section.objects.in_language

    def read_then_rename(language):
        sections = list(read(language))  # the reader's query: the old name
        section.name = "Planet"
        with acting_as(None):  # the editor's save, in a request of their own, commits meanwhile
            section.save()
        return sections

    monkeypatch.setattr(Section.objects, "in_language", read_then_rename)
    assert "World" in client.get(reverse("topics:index")).content.decode()  # as read
    monkeypatch.undo()

    content = client.get(reverse("topics:index")).content.decode()
    assert "Planet" in content and "World" not in content
