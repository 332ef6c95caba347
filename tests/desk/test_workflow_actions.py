"""Workflow actions, not a status drop-down: each person is offered what they may do, and
the write path refuses anything else, whatever the page showed (articles/workflow.py)."""

from datetime import timedelta

import lxml.html
import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, PendingChange
from tests.desk.actions import press, press_schedule
from tests.desk.test_publishing_rights import make_user
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def buttons(response) -> list[str]:
    """Return the workflow buttons' labels, in order, leaving out hidden ones."""
    page = lxml.html.fromstring(response.content)
    return [
        " ".join(button.text_content().split())
        for button in page.xpath("//*[contains(@class, 'desk-workflow')]//button")
        if button.get("hidden") is None
    ]


def chief_of(desk: str, username: str):
    user = make_user("chief", username)
    user.groups.remove(Group.objects.get(name="English desk"))
    user.groups.add(Group.objects.get(name=desk))
    user.email = f"{username}@example.org"
    user.save()
    return user


# --- What is offered ------------------------------------------------------------------


def test_an_editor_is_offered_save_draft_and_submit_and_no_status_list(client, editor):
    draft = make_article(status="draft", publish_at=None, created_by=editor)
    client.force_login(editor)

    response = client.get(change_url(draft))

    assert buttons(response) == ["Save draft", "Submit for review"]
    page = lxml.html.fromstring(response.content)
    assert not page.xpath("//select[@id='id_status']")
    assert page.xpath("//input[@id='id_status']/@type") == ["hidden"]
    assert buttons(client.get(reverse("admin:articles_article_add"))) == [
        "Save draft",
        "Submit for review",
    ]


def test_a_chief_editor_is_offered_publish_schedule_and_send_back_by_the_story(client, chief):
    client.force_login(chief)
    draft = make_article(status="draft", publish_at=None)
    submitted = make_article(status="review", publish_at=None)
    later = make_article(status="draft", publish_at=timezone.now() + timedelta(days=1))
    live = make_article()

    assert buttons(client.get(change_url(draft))) == ["Save draft", "Publish"]
    assert buttons(client.get(change_url(submitted))) == ["Save draft", "Publish", "Send back"]
    # Schedule shows while the publish time is in the future.
    assert buttons(client.get(change_url(later))) == ["Save draft", "Publish", "Schedule"]
    assert buttons(client.get(change_url(live))) == ["Publish", "Take down"]


def test_send_back_is_offered_on_a_live_story_only_while_a_change_awaits_review(
    client, chief, editor
):
    live = make_article()
    client.force_login(editor)
    assert buttons(client.get(change_url(live))) == ["Save draft", "Submit for review"]
    press(client, live, "submit", lead="A changed lead.")
    client.force_login(chief)

    page = lxml.html.fromstring(client.get(change_url(live)).content)

    (send_back,) = page.xpath("//button[@name='send_back']")
    assert send_back.get("formaction") == reverse("admin:articles_article_review", args=[live.pk])


# --- What each action does ---------------------------------------------------------------


def test_submitting_puts_a_draft_in_review_and_tells_its_desk_once(client, editor, chief):
    chief_of("Persian desk", "fa-chief")  # another desk's chief is not told
    draft = make_article(status="draft", publish_at=None, created_by=editor)
    client.force_login(editor)

    assert press(client, draft, "submit").status_code == 302
    assert press(client, draft, "submit", lead="Better lead.").status_code == 302

    draft.refresh_from_db()
    assert draft.status == Article.Status.REVIEW
    assert [message.to for message in mail.outbox] == [["chief@example.org"]]
    assert reverse("admin:articles_article_change", args=[draft.pk]) in mail.outbox[0].body


def test_save_draft_takes_a_submitted_story_back_without_telling_anyone(client, editor):
    story = make_article(status="review", publish_at=None, created_by=editor)
    client.force_login(editor)

    press(client, story, "save_draft")

    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT
    assert mail.outbox == []


def test_an_editors_actions_on_a_live_story_hold_the_change_as_draft_or_submitted(
    client, editor, chief
):
    live = make_article(lead="The old lead.")
    client.force_login(editor)

    press(client, live, "save_draft", lead="A draft lead.")
    change = PendingChange.objects.get(article=live)
    assert change.state == PendingChange.State.DRAFT
    assert mail.outbox == []

    press(client, live, "submit", lead="A submitted lead.")
    change.refresh_from_db()
    assert change.state == PendingChange.State.PENDING
    assert len(mail.outbox) == 1
    live.refresh_from_db()
    assert live.lead == "The old lead." and live.is_live


def test_publish_puts_a_draft_live_now(client, chief):
    draft = make_article(status="draft", publish_at=None)
    client.force_login(chief)

    assert press(client, draft, "publish").status_code == 302

    draft.refresh_from_db()
    assert draft.is_live


def test_publish_on_a_scheduled_story_publishes_it_now(client, chief):
    later = make_article(publish_at=timezone.now() + timedelta(days=2))
    client.force_login(chief)

    press(client, later, "publish")

    later.refresh_from_db()
    assert later.is_live


def test_publish_keeps_a_live_storys_date(client, chief):
    live = make_article(publish_at=timezone.now() - timedelta(days=3))
    before = live.publish_at
    client.force_login(chief)

    press(client, live, "publish", lead="Fixed a typo.")

    live.refresh_from_db()
    assert live.lead == "Fixed a typo." and abs(live.publish_at - before) < timedelta(seconds=1)


def test_schedule_needs_a_future_time(client, chief):
    draft = make_article(status="draft", publish_at=None)
    client.force_login(chief)
    tomorrow = timezone.now() + timedelta(days=1)

    refused = press(client, draft, "schedule")
    assert refused.status_code == 200
    assert "Choose a time in the future to schedule it." in refused.content.decode()
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT

    press_schedule(client, draft, tomorrow)
    draft.refresh_from_db()
    assert draft.visibility_key == "scheduled"


def test_send_back_returns_a_submitted_story_to_its_writer_with_the_note(client, editor, chief):
    story = make_article(status="review", publish_at=None, created_by=editor)
    client.force_login(chief)

    response = press(client, story, "send_back", note="The second paragraph needs a source.")

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT
    (message,) = mail.outbox
    assert message.to == ["editor@example.org"]
    assert "The second paragraph needs a source." in message.body
    assert change_url(story) in message.body


def test_take_down_asks_for_a_reason(client, chief):
    live = make_article()
    client.force_login(chief)

    refused = press(client, live, "take_down")
    assert refused.status_code == 200
    live.refresh_from_db()
    assert live.is_live
    # Shown again with the buttons of the live story, Take down among them.
    assert "Take down" in buttons(refused)

    press(client, live, "take_down", takedown_reason="The source withdrew it.")
    live.refresh_from_db()
    assert live.status == Article.Status.DRAFT


# --- Forged actions are refused on the write path ---------------------------------------


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("review", "send_back"),  # an Editor cannot send back (review → draft by this path)
        ("draft", "publish"),
        ("draft", "schedule"),
        ("review", "publish"),
        ("published", "take_down"),
        ("draft", "no_such_action"),
    ],
)
def test_an_editor_forging_an_action_is_refused_in_words(client, editor, status, action):
    story = (
        make_article() if status == "published" else make_article(status=status, publish_at=None)
    )
    client.force_login(editor)
    before = Article.objects.get(pk=story.pk)

    response = press(client, story, action, note="x", takedown_reason="x")

    assert response.status_code == 200
    assert "is not yours to do on this story" in response.content.decode()
    story.refresh_from_db()
    assert (story.status, story.publish_at) == (before.status, before.publish_at)
    assert mail.outbox == []


def test_a_chief_editor_cannot_send_back_a_story_nobody_submitted(client, chief):
    draft = make_article(status="draft", publish_at=None)
    client.force_login(chief)

    response = press(client, draft, "send_back", note="No.")

    assert "is not yours to do on this story" in response.content.decode()
    assert mail.outbox == []
