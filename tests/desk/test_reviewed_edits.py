"""Reviewed edits to live stories: an Editor's change waits; readers keep the live text."""

import pytest
from django.core import mail
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, PendingChange
from tests.desk.test_publishing_rights import make_user, post_form
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(client, chief, editor):
    """A live article whose lead an Editor changed."""
    article = make_article(title="Port reopens", lead="The port reopens on Monday.")
    client.force_login(editor)
    response = post_form(
        client,
        reverse("admin:articles_article_change", args=[article.pk]),
        {"lead": "The port reopens on Tuesday.", "title": "Port reopens late"},
    )
    assert response.status_code == 302
    return article


def test_an_editors_save_of_a_live_article_waits_and_readers_keep_the_live_text(
    client, held, chief
):
    article = Article.objects.get(pk=held.pk)
    change = PendingChange.objects.get()

    assert (article.title, article.lead) == ("Port reopens", "The port reopens on Monday.")
    assert change.data["fields"]["lead"] == "The port reopens on Tuesday."
    assert change.state == "pending" and change.submitted_by.username == "editor"
    page = client.get(article.get_absolute_url()).content.decode()
    assert "on Monday" in page and "on Tuesday" not in page
    assert [message.to for message in mail.outbox] == [["chief@example.org"]]
    assert "Port reopens" in mail.outbox[0].subject


def test_a_second_save_updates_the_one_waiting_change(client, held):
    url = reverse("admin:articles_article_change", args=[held.pk])

    form = client.get(url).content.decode()
    post_form(client, url, {"lead": "The port reopens on Wednesday."})

    assert "on Tuesday" in form  # the editor goes on from the text under review
    assert PendingChange.objects.get().data["fields"]["lead"] == "The port reopens on Wednesday."


def test_the_chief_editor_sees_a_diff_with_labels_and_a_preview(client, held, chief):
    client.force_login(chief)

    review = client.get(reverse("admin:articles_article_review", args=[held.pk]))
    preview = client.get(reverse("admin:articles_article_review_preview", args=[held.pk]))
    desk = client.get(reverse("admin:index")).content.decode()
    listing = client.get(reverse("admin:articles_article_changelist")).content.decode()

    content = review.content.decode()
    assert review.status_code == 200
    assert '<th scope="row">Lead</th>' in content and '<th scope="row">Title</th>' in content
    assert "<del>Monday.</del>" in content and "<ins>Tuesday.</ins>" in content
    assert "on Tuesday" in preview.content.decode()
    assert "no-store" in preview["Cache-Control"]
    assert "Changes awaiting review (1)" in desk
    assert reverse("admin:articles_article_review", args=[held.pk]) in listing


def test_names_and_the_title_are_set_apart_in_the_review_pages_sentences(
    client, held, chief, editor
):
    """ "Editor (fa)" opening a Persian sentence read "(Editor (fa)": who changed the
    story, and its title in the heading, are isolated from the words around them."""
    client.force_login(chief)

    page = client.get(reverse("admin:articles_article_review", args=[held.pk])).content.decode()

    assert ", \u2068editor\u2069 changed this published article. Readers" in page
    assert "Review the change to “\u2066Port reopens\u2069”" in page


@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_only_publishers_review(client, held, role):
    if role == "moderator":
        client.force_login(make_user("moderator"))

    review = client.get(reverse("admin:articles_article_review", args=[held.pk]))
    publish = client.post(
        reverse("admin:articles_article_review", args=[held.pk]), {"publish": "1"}
    )

    assert review.status_code == 403 and publish.status_code == 403
    assert Article.objects.get(pk=held.pk).lead == "The port reopens on Monday."


def test_publishing_the_change_puts_it_live_as_a_new_revision(client, held, chief):
    client.force_login(chief)

    response = client.post(
        reverse("admin:articles_article_review", args=[held.pk]), {"publish": "1"}
    )

    assert response.status_code == 302
    article = Article.objects.get(pk=held.pk)
    assert (article.title, article.lead) == ("Port reopens late", "The port reopens on Tuesday.")
    assert article.is_live and article.updated_by == chief
    assert PendingChange.objects.get().state == "published"
    assert "on Tuesday" in client.get(article.get_absolute_url()).content.decode()
    assert Version.objects.get_for_object(article).first().field_dict["lead"].endswith("Tuesday.")


def test_sending_back_keeps_the_live_text_and_tells_the_editor(client, held, chief, editor):
    client.force_login(chief)
    client.post(
        reverse("admin:articles_article_review", args=[held.pk]),
        {"send_back": "1", "note": "Check the day with the port authority."},
    )

    change = PendingChange.objects.get()
    assert (change.state, change.reviewed_by) == ("returned", chief)
    assert Article.objects.get(pk=held.pk).lead == "The port reopens on Monday."
    assert mail.outbox[-1].to == ["editor@example.org"]
    client.force_login(editor)
    form = client.get(reverse("admin:articles_article_change", args=[held.pk]))
    assert "Check the day with the port authority." in form.content.decode()


def test_chief_editors_own_edits_go_live_at_once(client, chief):
    article = make_article(lead="Old lead.")
    client.force_login(chief)

    post_form(
        client, reverse("admin:articles_article_change", args=[article.pk]), {"lead": "New lead."}
    )

    assert Article.objects.get(pk=article.pk).lead == "New lead."
    assert not PendingChange.objects.exists()


def test_an_editors_restore_of_a_live_article_waits_too(client, chief, editor):
    article = make_article(title="First words")
    url = reverse("admin:articles_article_change", args=[article.pk])
    client.force_login(chief)
    post_form(client, url)
    post_form(client, url, {"title": "Second words"})
    first = Version.objects.get_for_object(article).last()
    client.force_login(editor)

    response = post_form(
        client, reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    )

    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).title == "Second words"
    assert PendingChange.objects.get().data["fields"]["title"] == "First words"


def test_a_draft_put_in_review_tells_the_chief_editors(client, chief, editor):
    draft = make_article(status=Article.Status.DRAFT, publish_at=None, title="Budget")
    client.force_login(editor)

    post_form(
        client, reverse("admin:articles_article_change", args=[draft.pk]), {"status": "review"}
    )

    assert Article.objects.get(pk=draft.pk).status == "review"
    assert [message.to for message in mail.outbox] == [["chief@example.org"]]
    assert not PendingChange.objects.exists()


def test_search_and_social_fields_and_the_author_wait_for_review_too(client, chief, editor):
    from articles.models import Author

    article = make_article(title="Grain deal", lead="The deal holds.")
    writer = Author.objects.create(name="Nadia Karimi", slug="nadia-karimi")
    client.force_login(editor)

    post_form(
        client,
        reverse("admin:articles_article_change", args=[article.pk]),
        {"meta_description": "A misleading summary.", "seo_title": "Shock", "author": writer.pk},
    )

    live = Article.objects.get(pk=article.pk)
    assert (live.meta_description, live.seo_title, live.author) == ("", "", None)
    assert "A misleading summary" not in client.get(live.get_absolute_url()).content.decode()
    client.force_login(chief)
    review = client.get(reverse("admin:articles_article_review", args=[article.pk]))
    content = review.content.decode()
    assert '<th scope="row">Meta description</th>' in content
    assert '<th scope="row">SEO title</th>' in content
    assert "<ins>Nadia Karimi</ins>" in content
    client.post(reverse("admin:articles_article_review", args=[article.pk]), {"publish": "1"})
    live.refresh_from_db()
    assert (live.meta_description, live.seo_title, live.author) == (
        "A misleading summary.",
        "Shock",
        writer,
    )


HOSTILE_BODY = (
    "<p>Update</p>"
    '<meta http-equiv="refresh" content="0;url=https://evil.example/admin/login/">'
    "<script>document.title = 'pwned'</script>"
    '<p><a href="javascript:alert(1)">details</a></p>'
)


@pytest.fixture
def held_hostile_body(client, chief, editor):
    """A live article whose body an Editor changed to markup that must never run."""
    article = make_article(title="Port reopens", body="<p>The port reopens.</p>")
    client.force_login(editor)
    response = post_form(
        client, reverse("admin:articles_article_change", args=[article.pk]), {"body": HOSTILE_BODY}
    )
    assert response.status_code == 302
    return article


def _hostile_markup(html: str) -> list[str]:
    payloads = ('http-equiv="refresh"', "document.title", "javascript:alert", "evil.example")
    return [bad for bad in payloads if bad in html]


def test_a_held_change_is_stored_sanitised(held_hostile_body):
    body = PendingChange.objects.get().data["fields"]["body"]

    assert "<p>Update</p>" in body and _hostile_markup(body) == []


def test_the_review_preview_sanitises_what_the_change_holds(client, held_hostile_body, chief):
    # A change stored before changes were sanitised on the way in still holds raw markup.
    PendingChange.objects.update(data={"fields": {"body": HOSTILE_BODY}, "base": {}})
    client.force_login(chief)

    preview = client.get(
        reverse("admin:articles_article_review_preview", args=[held_hostile_body.pk])
    )
    review = client.get(reverse("admin:articles_article_review", args=[held_hostile_body.pk]))

    html = preview.content.decode()
    assert "Update" in html and _hostile_markup(html) == []
    assert "<script>document.title" not in review.content.decode()


def test_previews_enforce_the_policy_when_the_site_only_reports(
    client, settings, held_hostile_body, chief
):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.SITE_CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    draft = make_article(status=Article.Status.DRAFT, publish_at=None)
    client.force_login(chief)

    review_preview = client.get(
        reverse("admin:articles_article_review_preview", args=[held_hostile_body.pk])
    )
    draft_preview = client.get(reverse("articles:preview", args=[draft.pk]))
    desk = client.get(reverse("admin:articles_article_change", args=[draft.pk]))

    for preview in (review_preview, draft_preview):
        policy = preview["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "Content-Security-Policy" not in desk  # the rest of the site only reports
    assert "Content-Security-Policy-Report-Only" in desk
