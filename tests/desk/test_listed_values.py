"""Many-valued fields on the review and compare pages are listed in the desk's words."""

import pytest
from django.utils import translation

from articles.diffs import shown_value
from articles.review import Names

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "between"), [("en", ", "), ("ar", "، "), ("fa", "، ")])
def test_tags_and_lists_are_separated_as_the_desks_language_writes(language, between):
    with translation.override(language):
        tags = Names().text("tags", ["Oil", "نفت"])
        values = shown_value(["Oil", "نفت"])

    assert tags == f"Oil{between}نفت"
    assert values == f"Oil{between}نفت"
