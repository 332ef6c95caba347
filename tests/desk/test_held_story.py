"""A held change is the whole proposed story (issue 22, items 1, 2 and 6).

An Editor's save of a live story holds fields, tags, topics, Related Content and
the corrections it adds; whoever reopens the form, the review diff and the preview
all show it whole; publishing it over a later live edit asks field by field;
corrections are append-only; a restore never removes them nor changes visibility.
"""

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleNote, PendingChange, RelatedArticle
from publishing.visibility import VisibilityChangeRefused, acting_as
from tests.desk.test_publishing_rights import form_values, post_form
from tests.factories import make_article, make_author, make_related, make_topic

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def review_url(article):
    return reverse("admin:articles_article_review", args=[article.pk])


def with_new_note(values: dict, text: str, kind: str = "correction") -> dict:
    """Return form values with one correction or update added in the notes inline."""
    index = int(values["notes-TOTAL_FORMS"])
    now = timezone.localtime()
    return {
        **values,
        "notes-TOTAL_FORMS": str(index + 1),
        f"notes-{index}-kind": kind,
        f"notes-{index}-text": text,
        f"notes-{index}-noted_at_0": now.strftime("%Y-%m-%d"),
        f"notes-{index}-noted_at_1": now.strftime("%H:%M:%S"),
    }


def with_new_pick(values: dict, related: Article) -> dict:
    """Return form values with one more Related Content pick (the empty row filled)."""
    index = next(
        i
        for i in range(int(values["related_links-TOTAL_FORMS"]))
        if not values.get(f"related_links-{i}-related")
    )
    return {**values, f"related_links-{index}-related": str(related.pk)}


@pytest.fixture
def story():
    return make_article(title="Dam talks", lead="Talks resume.", body="<p>Talks resume today.</p>")


@pytest.fixture
def held_correction_and_pick(client, story, editor, chief):
    """An Editor added a correction and a Related Content pick to the live story."""
    background = make_article(title="Why the dam matters")
    client.force_login(editor)
    values = form_values(client.get(change_url(story)))
    values = with_new_pick(with_new_note(values, "We misdated the first round."), background)
    response = client.post(change_url(story), values)
    assert response.status_code == 302
    return story, background


# --- Problem 1: Related Content and corrections on live stories ---------------------


def test_an_editors_correction_and_pick_are_held_not_dropped(held_correction_and_pick):
    story, background = held_correction_and_pick

    change = PendingChange.objects.get()

    assert change.state == "pending"
    assert change.data["fields"] == {"related": [background.pk]}
    assert [note["text"] for note in change.data["notes"]] == ["We misdated the first round."]
    assert not story.notes.exists() and not story.related_links.exists()  # not live yet
    assert [m.to for m in mail.outbox] == [["chief@example.org"]]
    assert review_url(story) in mail.outbox[0].body


def test_the_chief_sees_them_in_the_diff_and_preview_then_readers_after_publishing(
    client, held_correction_and_pick, chief
):
    story, background = held_correction_and_pick
    client.force_login(chief)

    review = client.get(review_url(story)).content.decode()
    preview = client.get(reverse("admin:articles_article_review_preview", args=[story.pk]))
    client.post(review_url(story), {"publish": "1", "live_seen": "x"})

    assert '<th scope="row">Related Content</th>' in review
    assert "<ins>Why the dam matters</ins>" in review
    assert '<th scope="row">New: Correction</th>' in review
    assert "We misdated the first round." in review
    assert "We misdated the first round." in preview.content.decode()
    assert "Why the dam matters" in preview.content.decode()
    assert "no-store" in preview["Cache-Control"]
    reader = client.get(story.get_absolute_url()).content.decode()
    assert "We misdated the first round." in reader
    assert list(story.related_links.values_list("related_id", flat=True)) == [background.pk]
    assert PendingChange.objects.get().state == "published"


def test_a_save_that_changes_nothing_holds_nothing_and_emails_nobody(client, story, editor):
    client.force_login(editor)

    response = post_form(client, change_url(story))

    assert response.status_code == 302
    assert not PendingChange.objects.exists()
    assert mail.outbox == []
    follow = client.get(change_url(story)).content.decode()
    assert "Nothing was changed: nothing is held and nobody is told." in follow


def test_saving_a_change_again_tells_the_chief_editors_once(client, story, editor, chief):
    client.force_login(editor)

    post_form(client, change_url(story), {"lead": "Talks resume on Monday."})
    post_form(client, change_url(story), {"lead": "Talks resume on Tuesday."})
    post_form(client, change_url(story), {"lead": "Talks resume on Wednesday."})

    assert len(mail.outbox) == 1
    assert PendingChange.objects.get().data["fields"]["lead"] == "Talks resume on Wednesday."


def test_bringing_a_change_back_to_the_live_text_withdraws_it(client, story, editor):
    client.force_login(editor)
    post_form(client, change_url(story), {"lead": "Talks resume on Monday."})

    post_form(client, change_url(story), {"lead": "Talks resume."})

    assert PendingChange.objects.get().state == "withdrawn"
    assert "Talks resume." in client.get(change_url(story)).content.decode()


# --- Problem 2: held edits lose no work -------------------------------------------------


def test_reopening_shows_the_held_tags_and_topics_and_saving_again_keeps_them(client, editor):
    old, new = make_topic(name="Water"), make_topic(name="Energy")
    story = make_article(title="Dam talks", tags=["Dams"])
    story.topics.set([old])
    client.force_login(editor)
    post_form(client, change_url(story), {"tags": "Dams, Rivers", "topics": [str(new.pk)]})

    reopened = form_values(client.get(change_url(story)))
    post_form(client, change_url(story), {"lead": "A new lead."})

    assert reopened["tags"] == "Dams, Rivers"
    assert reopened["topics"] == [str(new.pk)]
    fields = PendingChange.objects.get().data["fields"]
    assert fields["tags"] == ["Dams", "Rivers"] and fields["topics"] == [new.pk]
    assert fields["lead"] == "A new lead."
    assert list(story.tags.names()) == ["Dams"]  # readers still see the live ones


def test_the_preview_shows_tag_and_topic_changes(client, editor, chief):
    topic = make_topic(name="Energy")
    story = make_article(title="Dam talks", tags=["Dams"])
    client.force_login(editor)
    post_form(client, change_url(story), {"tags": "Dams, Rivers", "topics": [str(topic.pk)]})
    client.force_login(chief)

    preview = client.get(reverse("admin:articles_article_review_preview", args=[story.pk]))
    review = client.get(review_url(story)).content.decode()

    html = preview.content.decode()
    assert ">Rivers</a>" in html and ">Energy</a>" in html
    assert '<th scope="row">Tags</th>' in review and "<ins>Rivers</ins>" in review
    assert "<ins>Energy</ins>" in review


def test_after_send_back_the_editor_reopens_their_change_not_the_live_text(
    client, held_correction_and_pick, editor, chief
):
    story, background = held_correction_and_pick
    client.force_login(editor)
    post_form(client, change_url(story), {"title": "Dam talks stall"})
    client.force_login(chief)
    client.post(review_url(story), {"send_back": "1", "note": "Source the date."})
    client.force_login(editor)

    page = client.get(change_url(story))
    values = form_values(page)

    content = page.content.decode()
    assert "Source the date." in content
    assert values["title"] == "Dam talks stall"
    assert values["related_links-0-related"] == str(background.pk)
    assert values["notes-0-text"] == "We misdated the first round."
    assert Article.objects.get(pk=story.pk).title == "Dam talks"
    # Resubmitting the same change as it was shown keeps all of it.
    client.post(change_url(story), values)
    change = PendingChange.objects.get()
    assert change.state == "pending"
    assert change.data["fields"]["related"] == [background.pk]
    assert len(change.data["notes"]) == 1


def test_publishing_an_old_change_over_a_later_live_edit_asks_field_by_field(
    client, story, editor, chief
):
    client.force_login(editor)
    post_form(client, change_url(story), {"lead": "Talks resume on Monday."})
    client.force_login(chief)
    post_form(client, change_url(story), {"lead": "Talks are off.", "title": "Dam talks off"})

    asked = client.post(review_url(story), {"publish": "1"})

    story.refresh_from_db()
    assert (story.title, story.lead) == ("Dam talks off", "Talks are off.")  # nothing reverted
    content = asked.content.decode()
    assert 'data-field="lead"' in content and "Keep the published version" in content
    assert 'class="desk-conflict" data-field="title"' not in content  # the Editor left it
    seen = asked.context["live_seen"]
    chosen = client.post(
        review_url(story), {"publish": "1", "live_seen": seen, "resolve-lead": "mine"}
    )
    assert chosen.status_code == 302
    story.refresh_from_db()
    assert (story.title, story.lead) == ("Dam talks off", "Talks resume on Monday.")


def test_a_field_only_the_chief_changed_later_is_not_reverted_by_publishing(
    client, story, editor, chief
):
    client.force_login(editor)
    post_form(client, change_url(story), {"lead": "Talks resume on Monday."})
    client.force_login(chief)
    post_form(client, change_url(story), {"title": "Dam talks resume"})

    response = client.post(review_url(story), {"publish": "1"})

    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.title, story.lead) == ("Dam talks resume", "Talks resume on Monday.")


def test_the_review_diff_reads_as_text_with_names(client, story, editor, chief):
    author = make_author(name="Leila Ahmadi")
    client.force_login(editor)
    post_form(
        client,
        change_url(story),
        {
            "body": '<p>Talks <a href="https://example.org/a">resume</a> today.</p><p>Second.</p>',
            "author": str(author.pk),
        },
    )
    client.force_login(chief)

    review = client.get(review_url(story)).content.decode()

    assert "&lt;p&gt;" not in review and "<p>Talks" not in review
    assert "resume [https://example.org/a]" in review.replace("<ins>", "").replace("</ins>", "")
    assert "<br><ins>Second.</ins>" in review
    assert "<ins>Leila Ahmadi</ins>" in review


# --- Problem 6: corrections are append-only; restores keep what was added -------------


def test_a_published_correction_cannot_be_edited_or_removed_through_the_form(
    client, story, chief, editor
):
    note = ArticleNote.objects.create(article=story, kind="correction", text="We misnamed it.")
    for user in (editor, chief):
        client.force_login(user)
        values = form_values(client.get(change_url(story)))
        assert "notes-0-text" not in values  # shown read-only
        forged = {
            **values,
            "notes-0-id": str(note.pk),
            "notes-0-text": "Nothing happened.",
            "notes-0-DELETE": "on",
        }
        client.post(change_url(story), forged)

    note.refresh_from_db()
    assert note.text == "We misnamed it."


def test_no_desk_user_changes_a_published_correction_on_any_path(story, editor):
    note = ArticleNote.objects.create(article=story, kind="correction", text="We misnamed it.")

    with acting_as(editor), pytest.raises(VisibilityChangeRefused), transaction.atomic():
        note.text = "Nothing happened."
        note.save()
    with acting_as(editor), pytest.raises(VisibilityChangeRefused), transaction.atomic():
        ArticleNote.objects.get(pk=note.pk).delete()
    assert ArticleNote.objects.get(pk=note.pk).text == "We misnamed it."


def test_restoring_an_older_version_keeps_corrections_and_picks_added_since(client, chief):
    client.force_login(chief)
    story = make_article(title="First words")
    post_form(client, change_url(story))  # the version to restore
    first = story.__class__.objects.get(pk=story.pk)
    from reversion.models import Version

    version = Version.objects.get_for_object(first).first()
    later_pick = make_article(title="Added since")
    values = form_values(client.get(change_url(story)))
    values = with_new_pick(with_new_note(values, "Corrected the date."), later_pick)
    values["title"] = "Second words"
    assert client.post(change_url(story), values).status_code == 302

    url = reverse("admin:articles_article_revision", args=[story.pk, version.pk])
    page = client.get(url)
    response = post_form(client, url)

    assert "Corrections and updates are never removed" in page.content.decode()
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.title == "First words" and story.is_live
    assert [n.text for n in story.notes.all()] == ["Corrected the date."]
    assert list(story.related_links.values_list("related_id", flat=True)) == [later_pick.pk]
    assert "Corrected the date." in client.get(story.get_absolute_url()).content.decode()


def test_a_pick_kept_by_a_held_change_is_not_duplicated(client, story, editor, chief):
    """Reopening a change that keeps a live pick and adds one saves both, once each."""
    kept, added = make_article(title="Kept pick"), make_article(title="Added pick")
    make_related(story, kept)
    client.force_login(editor)
    values = with_new_pick(form_values(client.get(change_url(story))), added)
    client.post(change_url(story), values)

    reopened = form_values(client.get(change_url(story)))
    response = client.post(change_url(story), reopened)
    client.force_login(chief)
    client.post(review_url(story), {"publish": "1"})

    assert response.status_code == 302
    assert list(
        RelatedArticle.objects.filter(article=story).values_list("related_id", flat=True)
    ) == [kept.pk, added.pk]


@pytest.mark.parametrize("count", [5, 50])
def test_the_review_page_and_preview_cost_the_same_queries_with_more_items(
    client, chief, django_assert_num_queries, count
):
    story = make_article(title="Dam talks", tags=[f"Old {n}" for n in range(count)])
    topics = [make_topic(name=f"Topic {n}") for n in range(count)]
    picks = [make_article(title=f"Pick {n}").pk for n in range(count)]
    PendingChange.objects.create(
        article=story,
        data={
            "fields": {
                "tags": [f"New {n}" for n in range(count)],
                "topics": [topic.pk for topic in topics],
                "related": picks,
            },
            "base": {},
            "notes": [
                {"kind": "update", "text": f"Update {n}", "noted_at": timezone.now().isoformat()}
                for n in range(count)
            ],
        },
    )
    client.force_login(chief)
    client.get(review_url(story))  # warm the session's permission cache

    # session, user, the user's permissions (2), the article's edition for the rules
    # table, the change with its article and editor, the article's stored edition, the
    # live topics, tags and picks, the names of the topics and the picked articles, the
    # story's internal notes, the header's count of the queue
    with django_assert_num_queries(14):
        assert client.get(review_url(story)).status_code == 200
    preview = reverse("admin:articles_article_review_preview", args=[story.pk])
    # the same first seven; the article with its detail (tags and topics inside its
    # row), its picks, the change's tags and picks by name, the page's blocks and the
    # column's lists, one statement (counted in tests/site)
    with django_assert_num_queries(24):
        assert client.get(preview).status_code == 200


def test_a_held_edit_is_found_by_search_only_once_published(client, story, editor, chief):
    # Review × search: search reads its own copy of each article's words (the search
    # entries); a held change must not reach it before the chief publishes it.
    from articles.search import search_articles

    def found(word):
        page = search_articles(word, language="en", page=1, per_page=20)
        return [result.pk for result in page.results]

    def excerpt(word):
        [result] = search_articles(word, language="en", page=1, per_page=20).results
        return str(result.excerpt)

    client.force_login(editor)
    values = form_values(client.get(change_url(story)))
    values["lead"] = "Keepers join the talks."
    values["body"] = "<p>Talks resume; the lighthouse keepers join them.</p>"
    assert client.post(change_url(story), values).status_code == 302
    assert found("lighthouse") == [] and found("dam") == [story.pk]
    # "Dam" is in the title only: the excerpt is the lead, the live one.
    assert excerpt("dam") == "Talks resume."

    client.force_login(chief)
    client.post(review_url(story), {"publish": "1", "live_seen": "x"})

    assert found("lighthouse") == [story.pk]
    assert excerpt("dam") == "Keepers join the talks."
