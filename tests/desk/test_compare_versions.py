"""Comparing two saved versions reads like the story: labelled fields, rendered text, names."""

import pytest
from django.urls import reverse
from reversion.models import Version

from tests.desk.test_desk import change
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


def test_two_versions_compare_side_by_side_with_names_and_text(client, chief):
    client.force_login(chief)
    before, after = make_author(name="Nadia Karimi"), make_author(name="Omid Rahimi")
    economy = make_section(name="Economy", slug="economy")
    related = make_article(title="Harbour strike ends")
    article = make_article(
        title="Port reopens", body="<p>The <strong>port</strong> reopens.</p>", author=before
    )
    change(client, article, author=before.pk)
    article.refresh_from_db()
    change(
        client,
        article,
        author=after.pk,
        section=economy.pk,
        body='<p>The port reopens <a href="https://example.org/port">on Monday</a>.</p>',
        **{
            "related_links-TOTAL_FORMS": "1",
            "related_links-0-related": related.pk,
            "related_links-0-position": "0",
        },
    )
    new, old = Version.objects.get_for_object(article)[:2]
    history = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert reverse("admin:articles_article_compare", args=[article.pk]) in history.content.decode()

    response = client.get(
        reverse("admin:articles_article_compare", args=[article.pk]),
        {"old": old.pk, "new": new.pk},
    )

    content = response.content.decode()
    rows = {row.name: row for row in response.context["changes"]}
    assert set(rows) == {"author", "section", "body", "related"}
    assert "<del>Nadia Karimi</del>" in rows["author"].old
    assert "<ins>Omid Rahimi</ins>" in rows["author"].new
    assert "Economy" in rows["section"].new
    assert "Harbour strike ends" in rows["related"].new
    assert "[https://example.org/port]" in rows["body"].new  # where the link goes
    assert "&lt;p&gt;" not in content and "<strong>" not in rows["body"].old
    assert f">{before.pk}<" not in content and f"Author {after.pk}" not in content
    for label in ("Author", "Section", "Body", "Related Content"):
        assert f'<th scope="row">{label}</th>' in content


def test_a_version_saved_by_no_one_compares_with_a_dash_for_its_author(client, chief):
    """The demo loader and scripts save versions without a user: the page once answered 500."""
    import reversion

    client.force_login(chief)
    article = make_article(title="Port reopens")
    with reversion.create_revision():  # as load_demo saves: no user
        article.save()
    change(client, article, lead="The port reopens on Monday.")
    new, old = Version.objects.get_for_object(article)[:2]

    response = client.get(
        reverse("admin:articles_article_compare", args=[article.pk]),
        {"old": old.pk, "new": new.pk},
    )

    assert response.status_code == 200
    assert "(—)" in response.content.decode()
