"""The masthead's sections come from the cache and change as soon as a section does."""

import pytest
from django.urls import reverse

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
