"""The desk's records of an article: takedowns, held changes, internal notes, edit locks,
autosaves."""

import reversion
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models.article import Article
from web.text import cleaned_on_save


@cleaned_on_save
@reversion.register()
class Takedown(models.Model):
    """A published article taken off the site: who, when and why. Readers get 410 Gone.

    The record outlives the article's row: a taken-down story deleted afterwards must
    keep answering 410 Gone at its address (a legal desk's removal stays on record,
    and search engines are told it is gone, not missing). The address's id, edition
    and slug are kept on the record itself; the article link is emptied by a delete.
    Addresses carry the id, which the database never hands out again, so a new story
    with the same slug lives at an address of its own.
    """

    article = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="takedowns",
        verbose_name=_("article"),
    )
    # Copied from the article when the record is made (save()).
    article_number = models.PositiveBigIntegerField(_("article id"), db_index=True)
    language = models.CharField(_("edition"), max_length=8)
    slug = models.CharField(_("slug"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    taken_down_at = models.DateTimeField(_("taken down"), default=timezone.now)
    taken_down_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("taken down by"),
    )
    reason = models.TextField(_("reason"), max_length=1000)

    class Meta:
        ordering = ["-taken_down_at", "-id"]
        verbose_name = _("takedown")
        verbose_name_plural = _("takedowns")

    def __str__(self):
        return f"{self.title} ({self.taken_down_at:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        if self.article is not None and not self.article_number:
            self.article_number = self.article.pk
            self.language, self.slug = self.article.language, self.article.slug
            self.title = self.article.title
        super().save(*args, **kwargs)


class PendingChangeQuerySet(models.QuerySet):
    def awaiting_review(self) -> "PendingChangeQuerySet":
        """Return submitted changes to live articles, oldest first (the desk's queue)."""
        return self.filter(state=PendingChange.State.PENDING).order_by("submitted_at", "id")

    def still_open(self) -> "PendingChangeQuerySet":
        """Return changes not yet published or withdrawn: drafts, submitted, sent back."""
        return self.filter(state__in=PendingChange.OPEN)


@cleaned_on_save
class PendingChange(models.Model):
    """An Editor's change to a published article, held until a Chief Editor publishes it.

    Readers keep the live version meanwhile. `data` holds the whole proposed story
    as articles/review.py describes it: the fields it changes (foreign keys and
    topics as ids, tags as names, Related Content as ordered ids), the live values
    they were changed from, and the corrections and updates it adds.

    A change is open (one per article) from its first save until it is published or
    withdrawn: a draft its editor keeps working on, submitted (awaiting review), or
    sent back to its editor with a note.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft, not submitted")
        PENDING = "pending", _("Awaiting review")
        RETURNED = "returned", _("Sent back")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN = (State.DRAFT, State.PENDING, State.RETURNED)

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="pending_changes", verbose_name=_("article")
    )
    data = models.JSONField(_("proposed story"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    note = models.TextField(_("note to the editor"), max_length=1000, blank=True)

    objects = PendingChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("change awaiting review")
        verbose_name_plural = _("changes awaiting review")
        constraints = [
            # One open change per article: the next save by any Editor updates it.
            models.UniqueConstraint(
                fields=["article"],
                condition=Q(state__in=["draft", "pending", "returned"]),
                name="one_open_change_per_article",
            )
        ]
        indexes = [
            # The review queue, oldest first; an editor's own drafts and sent-back changes.
            models.Index(fields=["state", "submitted_at", "id"], name="pending_change_queue"),
            models.Index(fields=["submitted_by", "state"], name="pending_change_by_editor"),
        ]

    def __str__(self):
        return f"{self.article} ({self.get_state_display()})"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN


class InternalNoteQuerySet(models.QuerySet):
    def thread(self, article) -> "InternalNoteQuerySet":
        """Return one story's notes, oldest first, with their authors (one query)."""
        return self.filter(article=article).select_related("author").order_by("created_at", "id")


@cleaned_on_save
class InternalNote(models.Model):
    """A note on a story for the desk only: a thread kept with the story, never shown to
    readers and never part of its revisions (not followed by django-reversion).

    Besides what staff write, the workflow leaves its marks here: a story submitted
    for review, and sent back with the Chief Editor's words (the desk home reads the
    latest of these to list an Editor's stories sent back).
    """

    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        SUBMITTED = "submitted", _("Submitted for review")
        SENT_BACK = "sent_back", _("Sent back")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="internal_notes", verbose_name=_("article")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NOTE)
    text = models.TextField(_("text"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    objects = InternalNoteQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        indexes = [
            # A story's thread in order; the latest workflow mark of each story.
            models.Index(fields=["article", "created_at", "id"], name="internal_note_thread"),
        ]

    def __str__(self):
        return f"{self.article_id}: {self.get_kind_display()}"


class EditLock(models.Model):
    """Who has an article's form open: a soft lock kept alive by the page's heartbeat."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, related_name="edit_lock", verbose_name=_("article")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("editor"),
    )
    # One per open page, so a closing page releases only its own lock.
    token = models.CharField(max_length=32)
    since = models.DateTimeField(_("editing since"), default=timezone.now)
    seen_at = models.DateTimeField(_("last heartbeat"), default=timezone.now)

    class Meta:
        verbose_name = _("edit lock")
        verbose_name_plural = _("edit locks")

    def __str__(self):
        return f"{self.user} on {self.article_id}"


class Autosave(models.Model):
    """An editor's unsaved article form, kept every few seconds: never a revision."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("editor"),
    )
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("article"),
        help_text=_("Empty for a new article's form."),
    )
    data = models.JSONField(_("form fields"))
    saved_at = models.DateTimeField(_("saved"), auto_now=True)

    class Meta:
        verbose_name = _("autosave")
        verbose_name_plural = _("autosaves")
        constraints = [
            # One per editor and article, and one per editor for the new-article form.
            models.UniqueConstraint(
                fields=["user", "article"], name="one_autosave_per_form", nulls_distinct=False
            )
        ]

    def __str__(self):
        return f"{self.user} on {self.article_id or 'a new article'}"
