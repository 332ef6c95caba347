"""The article's workflow: which action each person is offered, and what each does.

The desk offers actions, not a status drop-down (issue 22, item 10): Editors "Save
draft" and "Submit for review"; Chief Editors of the story's desk "Publish",
"Schedule" and "Send back" too, and "Take down" on a published story. One small
function per action says who may take it on which story (`may_<action>`); the
form offers exactly the actions they allow, and the write path asks them again for
the action posted (a forged one is refused with words, never taken), and for the
status a client posts without one (old forms, scripts): the transition is read as
the action it amounts to.

On a published story an Editor's actions keep its status: their save is held as a
change (articles/admin/review.py), kept as a draft or submitted for review.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article, PendingChange
from publishing.editions import may_edit_edition
from publishing.visibility import may_publish

SAVE_DRAFT = "save_draft"
SUBMIT = "submit"
PUBLISH = "publish"
SCHEDULE = "schedule"
SEND_BACK = "send_back"
TAKE_DOWN = "take_down"

Status = Article.Status


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    default: bool = False  # the form's main button


LABELS = {
    SAVE_DRAFT: _("Save draft"),
    SUBMIT: _("Submit for review"),
    PUBLISH: _("Publish"),
    SCHEDULE: _("Schedule"),
    SEND_BACK: _("Send back"),
    TAKE_DOWN: _("Take down"),
}


def _stored_status(article: Article | None) -> str | None:
    """Return the status as loaded (None for a new article): callers ask before a form
    sets the posted values on the instance."""
    if article is None or article.pk is None:
        return None
    return article.status


def _writes_in(user, article: Article | None, language: str | None = None) -> bool:
    edition = article.language if article is not None else language
    return may_edit_edition(user, edition)


def _publishes(user, article: Article | None) -> bool:
    if article is None:
        return may_publish(user)
    # Asked once per user and loaded article: the edition check reads the stored row.
    known = article.__dict__.setdefault("_publishers_known", {})
    key = getattr(user, "pk", None)
    if key not in known:
        known[key] = may_publish(user, article)
    return known[key]


# --- One rule per action ----------------------------------------------------------------


def may_save_draft(user, article: Article | None) -> bool:
    """Save as a draft: anyone writing in the edition, except over a published story
    for someone who may publish it (that would take it down: "Take down" says so)."""
    if not _writes_in(user, article):
        return False
    return not (_stored_status(article) == Status.PUBLISHED and _publishes(user, article))


def may_submit(user, article: Article | None) -> bool:
    """Submit for review: Editors writing in the edition (Chief Editors publish instead)."""
    return _writes_in(user, article) and not _publishes(user, article)


def may_publish_story(user, article: Article | None) -> bool:
    """Publish (now, or keep a live story live with this save): its desk's Chief Editors."""
    return _writes_in(user, article) and _publishes(user, article)


def may_schedule(user, article: Article | None) -> bool:
    """Schedule for a future time: its desk's Chief Editors."""
    return may_publish_story(user, article)


def may_send_back(user, article: Article | None, held: PendingChange | None = None) -> bool:
    """Send back to its editor: its desk's Chief Editors, for a submitted story or change."""
    if article is None or not may_publish_story(user, article):
        return False
    submitted_change = held is not None and held.state == PendingChange.State.PENDING
    return _stored_status(article) == Status.REVIEW or submitted_change


def may_take_down(user, article: Article | None) -> bool:
    """Take a published story down (with a reason): its desk's Chief Editors."""
    return _stored_status(article) == Status.PUBLISHED and may_publish_story(user, article)


RULES = {
    SAVE_DRAFT: may_save_draft,
    SUBMIT: may_submit,
    PUBLISH: may_publish_story,
    SCHEDULE: may_schedule,
    TAKE_DOWN: may_take_down,
}


def may_take(action: str, user, article: Article | None, held: PendingChange | None = None):
    """Return whether `user` may take `action` on `article` (None: a new article)."""
    if action == SEND_BACK:
        return may_send_back(user, article, held)
    rule = RULES.get(action)
    return bool(rule and rule(user, article))


def offered_actions(user, article: Article | None, held: PendingChange | None = None):
    """Return the actions the form offers `user`, the main one first.

    The main one: publishing for those who may, submitting for the others.
    """
    # Save draft first: the Enter key presses the first button, and a draft is harmless.
    order = [SAVE_DRAFT, SUBMIT, PUBLISH, SCHEDULE, SEND_BACK, TAKE_DOWN]
    names = [name for name in order if may_take(name, user, article, held)]
    main = PUBLISH if PUBLISH in names else SUBMIT if SUBMIT in names else None
    return [Action(name, str(LABELS[name]), default=name == main) for name in names]


# --- What an action does -------------------------------------------------------------------


def target_status(action: str, user, article: Article | None) -> str:
    """Return the status a story takes with `action` (held edits keep the live status)."""
    stored = _stored_status(article)
    if stored == Status.PUBLISHED and not _publishes(user, article):
        return Status.PUBLISHED  # an Editor's save of a live story is held, not applied
    return {
        SAVE_DRAFT: Status.DRAFT,
        SUBMIT: Status.REVIEW,
        PUBLISH: Status.PUBLISHED,
        SCHEDULE: Status.PUBLISHED,
        SEND_BACK: Status.DRAFT,
        TAKE_DOWN: Status.DRAFT,
    }[action]


def implied_action(user, article: Article | None, posted: str | None) -> str:
    """Return the action a posted status amounts to (for clients that post no action).

    Keeping a published story published is an Editor's held change, submitted.
    """
    stored = _stored_status(article)
    if posted == Status.PUBLISHED == stored and not _publishes(user, article):
        return SUBMIT
    if posted == Status.PUBLISHED:
        return PUBLISH
    if posted == Status.REVIEW:
        return SUBMIT
    if stored == Status.PUBLISHED:
        return TAKE_DOWN
    return SAVE_DRAFT


def publish_time(action: str, stored_at: datetime | None, wanted: datetime | None, now=None):
    """Return the publish time an action gives; raise ValueError when it cannot.

    Publish: now, unless the story already went live earlier (its date stays) or
    the form gives a past time (a back-dated story). Schedule: the form's time,
    which must be in the future.
    """
    now = now or timezone.now()
    if action == SCHEDULE:
        if wanted is None or wanted <= now:
            raise ValueError("schedule needs a future time")
        return wanted
    if wanted is not None and wanted <= now:
        return wanted
    if wanted is None and stored_at is not None and stored_at <= now:
        return stored_at
    return now


# --- Internal notes ------------------------------------------------------------------------


def may_read_internal_notes(user, article: Article) -> bool:
    """Read a story's internal notes: staff who see the desk's stories, on its desk only.

    Moderators (no view of articles) and other desks' people do not.
    """
    return bool(
        getattr(user, "is_active", False)
        and user.is_staff
        and user.has_perm("articles.view_article")
        and may_edit_edition(user, article.language)
    )


def may_post_internal_note(user, article: Article) -> bool:
    """Add to a story's internal notes: whoever may read them."""
    return may_read_internal_notes(user, article)
