"""Standing pages (About, Contact, Privacy, Terms): in the footer, editable, truthful."""

import pytest
from django.urls import reverse

from alwaght.demo.pages import load_standing_pages
from alwaght.models import Page
from tests.factories import make_staff

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


def test_editors_read_standing_pages_and_their_desks_chiefs_edit_them(client):
    """Standing pages are live once saved: Chief Editors of the page's desk edit them."""
    load_standing_pages()
    page = Page.objects.get(slug="about", language="en")
    url = reverse("admin:alwaght_page_change", args=[page.pk])

    client.force_login(make_staff("ed", role="editor", desks=["en"]))
    as_editor = client.get(url)
    client.force_login(make_staff("chief", role="chief", desks=["en"]))
    as_chief = client.get(url)

    assert as_editor.status_code == as_chief.status_code == 200
    assert 'name="_save"' not in as_editor.content.decode()
    assert 'name="_save"' in as_chief.content.decode()


def test_demo_pages_keep_editors_changes(client):
    load_standing_pages()
    Page.objects.filter(slug="about").update(title="Who we are")

    load_standing_pages()

    assert Page.objects.get(slug="about").title == "Who we are"
