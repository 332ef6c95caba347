"""What readers may see: a status, a publish time and an optional unpublish time.

Articles, galleries, films and maps share `Publishable`; `visible_at` is the one
definition of "visible now" that querysets, list entries and caches use.
publishing/visibility.py guards who may change it.
"""

from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from publishing.dates import validate_newsroom_year


def visible_at(now: datetime, through: str = "") -> Q:
    """Return the condition for rows readers may see at `now`: published, due, not expired.

    `through` reaches the fields over a relation ("tag_listings__"), for tables
    that copy a row's visibility to index by it (articles/listings.py).
    """
    return Q(
        Q(**{f"{through}unpublish_at__isnull": True}) | Q(**{f"{through}unpublish_at__gt": now}),
        **{f"{through}status": Publishable.Status.PUBLISHED, f"{through}publish_at__lte": now},
    )


class PublishableQuerySet(models.QuerySet):
    """What readers see, decided by the clock at query time (no cron job)."""

    def published(self, now: datetime | None = None) -> "PublishableQuerySet":
        """Return rows readers may see: published, due, and not yet expired."""
        return self.filter(visible_at(now or timezone.now()))

    def scheduled(self, now: datetime | None = None) -> "PublishableQuerySet":
        """Return published rows whose time has not come yet."""
        return self.filter(
            status=Publishable.Status.PUBLISHED, publish_at__gt=now or timezone.now()
        )

    def expired(self, now: datetime | None = None) -> "PublishableQuerySet":
        """Return published rows whose unpublish time has passed."""
        return self.filter(
            status=Publishable.Status.PUBLISHED, unpublish_at__lte=now or timezone.now()
        )

    def with_visibility(self, visibility: str, now: datetime | None = None):
        """Return rows of one `Publishable.VISIBILITIES` key (all rows for an unknown key)."""
        match visibility:
            case "draft" | "review":
                return self.filter(status=visibility)
            case "scheduled":
                return self.scheduled(now)
            case "live":
                return self.published(now)
            case "expired":
                return self.expired(now)
        return self

    def in_language(self, language: str) -> "PublishableQuerySet":
        """Return the rows of one edition."""
        return self.filter(language=language)


class Publishable(models.Model):
    """A status, a publish time and an optional unpublish time: what readers get.

    Articles, galleries, films and maps share it; publishing/visibility.py guards it
    (only users with the publish permission move a row to or from Published).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")

    # Fields whose change to a published row only publishers make (publishing/visibility.py).
    REVIEWED_FIELDS: tuple[str, ...] = ()

    # What readers get now (the admin's filter and badges), by key.
    VISIBILITIES = {
        "draft": _("Draft"),
        "review": _("In review"),
        "scheduled": _("Scheduled"),
        "live": _("Published"),
        "expired": _("Expired"),
    }

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        validators=[validate_newsroom_year],
        help_text=_("A future time schedules it; it appears by itself then."),
    )
    unpublish_at = models.DateTimeField(
        _("unpublish at"),
        null=True,
        blank=True,
        validators=[validate_newsroom_year],
        help_text=_("Optional: it is hidden again from this time."),
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-publish_at", "-id"]
        # Named per concrete model through %(class)s.
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(publish_at__isnull=False),
                name="%(class)s_published_has_time",
            ),
            models.CheckConstraint(
                condition=Q(unpublish_at__isnull=True)
                | Q(publish_at__isnull=True)
                | Q(unpublish_at__gt=models.F("publish_at")),
                name="%(class)s_unpublishes_after_publishing",
            ),
        ]

    def save(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()
        super().save(*args, **kwargs)

    def clean(self):
        # Before the constraint checks: publishing without a time means now.
        if self.status == self.Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()

    @property
    def visibility_key(self) -> str:
        """Return what readers get now, as a key of VISIBILITIES."""
        now = timezone.now()
        if self.status != self.Status.PUBLISHED:
            return self.status
        if self.publish_at and self.publish_at > now:
            return "scheduled"
        if self.unpublish_at and self.unpublish_at <= now:
            return "expired"
        return "live"

    @property
    def visibility(self) -> str:
        """Return what readers get now: draft, in review, scheduled, published or expired."""
        return self.VISIBILITIES[self.visibility_key]

    @property
    def is_live(self) -> bool:
        """Return whether readers can see it now (as `published()` decides)."""
        return self.visibility_key == "live"
