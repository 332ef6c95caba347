"""The desk's records of an article: takedowns, held changes, edit locks, autosaves."""

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
    """A published article taken off the site: who, when and why. Readers get 410 Gone."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="takedowns", verbose_name=_("article")
    )
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
        return f"{self.article} ({self.taken_down_at:%Y-%m-%d})"


class PendingChangeQuerySet(models.QuerySet):
    def awaiting_review(self) -> "PendingChangeQuerySet":
        """Return open changes to live articles, oldest first (the desk's count)."""
        return self.filter(state=PendingChange.State.PENDING).order_by("submitted_at", "id")


@cleaned_on_save
class PendingChange(models.Model):
    """An Editor's edit to a published article, held until a Chief Editor publishes it.

    Readers keep the live version meanwhile. `data` holds the edited fields as the
    form cleaned them (foreign keys and topics as ids, tags as names).
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        PUBLISHED = "published", _("Published")
        RETURNED = "returned", _("Sent back")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="pending_changes", verbose_name=_("article")
    )
    data = models.JSONField(_("changed text"))
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
            # One open change per article: an Editor's next save updates it.
            models.UniqueConstraint(
                fields=["article"],
                condition=Q(state="pending"),
                name="one_pending_change_per_article",
            )
        ]

    def __str__(self):
        return f"{self.article} ({self.get_state_display()})"


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
