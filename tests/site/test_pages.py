"""Standing pages (About, Contact, Privacy, Terms): in the footer, editable, truthful."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from alwaght.demo.pages import load_standing_pages
from alwaght.models import Page
from alwaght.roles import EDITORS

pytestmark = pytest.mark.django_db


def test_footer_links_every_standing_page_and_the_feed(client):
    load_standing_pages()
    html = client.get(reverse("articles:front")).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]

    for slug in ("about", "contact", "privacy", "terms"):
        url = reverse("pages:page", args=[slug])
        assert f'href="{url}"' in footer
        assert client.get(url).status_code == 200
    assert f'href="{reverse("articles:feed")}"' in footer
    assert "©" in footer


def test_privacy_page_says_what_comments_collect_and_for_how_long(client, settings):
    settings.COMMENTS_IP_RETENTION_DAYS = 17
    load_standing_pages()

    text = client.get(reverse("pages:page", args=["privacy"])).content.decode()

    for fact in (
        "name",
        "email address",
        "IP address",
        "erased after 17 days by the site",
        "no cookies",
    ):
        assert fact in text, fact


def test_page_body_is_cleaned_on_save(client):
    page = Page.objects.create(
        slug="about", title="About", body='<p onclick="x()">Hi</p><script>alert(1)</script>'
    )

    assert page.body == "<p>Hi</p>"


def test_unknown_page_answers_404_and_an_edition_without_its_own_shows_the_default(client):
    Page.objects.create(language="en", slug="about", title="About", body="<p>Hi</p>")
    Page.objects.create(language="fa", slug="terms", title="شرایط", body="<p>متن</p>")

    assert client.get("/en/pages/nothing-here/").status_code == 404
    assert client.get("/en/pages/about/").status_code == 200
    borrowed = client.get("/ar/pages/about/").content.decode()
    assert 'class="standing-page" lang="en"' in borrowed and "About" in borrowed
    own = client.get("/fa/pages/terms/").content.decode()
    assert 'lang="fa"' in own and "شرایط" in own
    assert client.get("/en/pages/terms/").status_code == 404  # never the other way round


def test_standing_page_runs_two_queries(client, django_assert_num_queries):
    load_standing_pages()

    with django_assert_num_queries(2):  # the page, the sections for the menu
        client.get(reverse("pages:page", args=["terms"]))


def test_editors_may_edit_standing_pages(client, django_user_model):
    load_standing_pages()
    editor = django_user_model.objects.create_user("ed", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(editor)
    page = Page.objects.get(slug="about")

    response = client.get(reverse("admin:alwaght_page_change", args=[page.pk]))

    assert response.status_code == 200


def test_demo_pages_keep_editors_changes(client):
    load_standing_pages()
    Page.objects.filter(slug="about").update(title="Who we are")

    load_standing_pages()

    assert Page.objects.get(slug="about").title == "Who we are"
