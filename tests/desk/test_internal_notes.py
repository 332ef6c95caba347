"""Internal notes: a thread on a story for its desk only, never for readers or revisions."""

import pytest
import reversion
from django.contrib.auth.models import Group
from django.urls import reverse
from reversion.models import Version

from articles.models import InternalNote, PendingChange
from tests.desk.actions import press
from tests.desk.test_publishing_rights import make_user
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def notes_url(article):
    return reverse("admin:articles_article_notes", args=[article.pk])


def post_note(client, article, text, back="change"):
    return client.post(notes_url(article), {"text": text, "back": back})


def test_a_note_shows_its_author_and_time_on_the_form_and_the_review_page(client, editor, chief):
    editor.first_name, editor.last_name = "Nadia", "Karimi"
    editor.save()
    story = make_article(title="Dam talks")
    client.force_login(editor)

    response = post_note(client, story, "Quote from the minister checked with the ministry.")

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_change", args=[story.pk])
    note = InternalNote.objects.get()
    assert (note.author, note.article) == (editor, story)
    form = client.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()
    assert "Quote from the minister checked with the ministry." in form
    assert "Nadia Karimi" in form
    assert note.created_at.isoformat()[:16] in form  # <time datetime="…">

    PendingChange.objects.create(article=story, data={"fields": {"lead": "New."}, "base": {}})
    client.force_login(chief)
    review = client.get(reverse("admin:articles_article_review", args=[story.pk]))
    assert "Quote from the minister checked with the ministry." in review.content.decode()
    answer = post_note(client, story, "Agreed.", back="review")
    assert answer["Location"] == reverse("admin:articles_article_review", args=[story.pk])


def test_readers_never_see_a_note(client, editor):
    story = make_article(title="Dam talks")
    client.force_login(editor)
    post_note(client, story, "Source is anonymous: do not name the village.")
    preview = reverse("articles:preview", kwargs={"pk": story.pk})

    for url in [story.get_absolute_url(), preview, "/en/", "/en/feed/"]:
        body = client.get(url).content.decode()
        assert "do not name the village" not in body, url
    client.logout()
    assert "do not name the village" not in client.get(story.get_absolute_url()).content.decode()


def test_a_note_is_not_part_of_the_storys_revisions(client, editor):
    with reversion.create_revision():
        story = make_article(title="Dam talks")
    client.force_login(editor)
    post_note(client, story, "Not for the history.")
    with reversion.create_revision():
        story.save()

    kept = [version.serialized_data for version in Version.objects.all()]
    assert kept and not any("Not for the history." in data for data in kept)


def test_only_the_storys_desk_reads_and_posts(client, editor):
    story = make_article(title="Dam talks")
    InternalNote.objects.create(article=story, author=editor, text="Desk-only words.")
    persian = make_user("editor", "fa-editor")
    persian.groups.remove(Group.objects.get(name="English desk"))
    persian.groups.add(Group.objects.get(name="Persian desk"))
    moderator = make_user("moderator", "mod")

    for outsider in (persian, moderator):
        client.force_login(outsider)
        assert client.get(notes_url(story)).status_code == 403
        assert post_note(client, story, "Sneaking in.").status_code == 403
    assert InternalNote.objects.count() == 1


def test_an_empty_or_overlong_note_is_refused_and_the_text_kept(client, editor):
    story = make_article()
    client.force_login(editor)

    empty = post_note(client, story, "   ")
    long_text = "word " * 500

    assert empty.status_code == 200
    assert "Write the note first." in empty.content.decode()
    overlong = post_note(client, story, long_text)
    assert overlong.status_code == 200
    assert "at most 2000 characters" in overlong.content.decode()
    assert long_text.strip() in overlong.content.decode()
    assert InternalNote.objects.count() == 0


def test_sending_back_and_submitting_are_marked_in_the_thread(client, editor, chief):
    story = make_article(status="draft", publish_at=None, created_by=editor)
    client.force_login(editor)
    press(client, story, "submit")
    client.force_login(chief)
    press(client, story, "send_back", note="Name the second source.")

    marks = list(InternalNote.objects.values_list("kind", "author__username", "text"))
    assert marks == [
        ("submitted", "editor", ""),
        ("sent_back", "chief", "Name the second source."),
    ]
    form = client.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()
    assert "Name the second source." in form
