import ipaddress

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from web.text import cleaned_on_save


class CommentQuerySet(models.QuerySet):
    def approved(self) -> "CommentQuerySet":
        """Return comments readers may see, oldest first."""
        return self.filter(status=Comment.Status.APPROVED).order_by("submitted_at", "id")

    def pending(self) -> "CommentQuerySet":
        """Return the moderation queue, newest first."""
        return self.filter(status=Comment.Status.PENDING).order_by("-submitted_at", "-id")

    def count_by_article(self, status: str) -> Coalesce:
        """Return an annotation: each article's number of comments of one status.

        For `Article` querysets (the article admin's comments column). A subquery,
        not a join with GROUP BY, so the admin list's count() can drop it.
        """
        comments = (
            self.filter(article=OuterRef("pk"), status=status)
            .order_by()
            .values("article")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return Coalesce(Subquery(comments), 0)


@cleaned_on_save
class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SPAM = "spam", _("Spam")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="comments", verbose_name=_("article")
    )
    name = models.CharField(_("name"), max_length=80, blank=True)
    email = models.EmailField(
        _("email"), blank=True, help_text=_("Never shown to readers."), db_index=True
    )
    text = models.TextField(_("text"), max_length=3000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    flag_reason = models.CharField(
        _("why it was flagged"), max_length=120, blank=True, help_text=_("Set by the filters.")
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(
        _("IP address"), null=True, blank=True, help_text=_("Erased after a retention period.")
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        permissions = [("can_moderate", _("Can approve, reject and mark comments as spam"))]
        indexes = [
            # An article's approved comments, oldest first.
            models.Index(
                fields=["article", "submitted_at"],
                condition=Q(status="approved"),
                name="comment_approved_by_article",
            ),
        ]

    def __str__(self):
        return f"{self.display_name} on {self.article}"

    @property
    def display_name(self) -> str:
        return self.name or _("A reader")


class BlockedTerm(models.Model):
    """An entry of the moderators' blocklist: comments matching it go to spam."""

    class Kind(models.TextChoices):
        WORD = "word", _("Word or phrase in the name or text")
        EMAIL = "email", _("Email address or @domain")
        IP = "ip", _("IP address or network (CIDR)")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=200)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "value"]
        verbose_name = _("blocked term")
        verbose_name_plural = _("blocklist")
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="unique_blocked_term")
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    def clean(self):
        from django.core.exceptions import ValidationError

        self.value = self.value.strip().lower()
        if self.kind == self.Kind.IP:
            try:
                ipaddress.ip_network(self.value, strict=False)
            except ValueError:
                raise ValidationError(
                    {"value": _("Enter an IP address or a network such as 203.0.113.0/24.")}
                ) from None


class SendingAllowance(models.Model):
    """How soon one client address may comment again (the rate limit's state).

    In the database rather than the cache so that every worker process sees the
    same count (a per-process cache let a limit of 5 a minute pass 10 with two
    workers) and cache evictions cannot reset it. See comments/rate_limit.py.
    """

    client = models.CharField(_("client address"), max_length=64, primary_key=True)
    # The generic cell rate algorithm's "theoretical arrival time": the allowance
    # is full again at this moment.
    full_at = models.DateTimeField(_("allowance full again at"))
    refused = models.BooleanField(_("last attempt refused"), default=False)

    class Meta:
        verbose_name = _("sending allowance")
        verbose_name_plural = _("sending allowances")

    def __str__(self):
        return self.client
