from datetime import datetime, timedelta

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import OuterRef, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article


class ViewCountQuerySet(models.QuerySet):
    def top_articles(
        self, *, since: datetime, language: str, limit: int, now: datetime | None = None
    ) -> list[int]:
        """Return ids of the most viewed visible articles since `since`, most viewed first."""
        visible = Article.objects.published(now).in_language(language)
        rows = (
            self.filter(hour__gte=since, article__in=visible)
            .values("article_id")
            .annotate(total=Sum("views"))
            .order_by("-total", "-article_id")[:limit]
        )
        return [row["article_id"] for row in rows]

    def views_by_article(self, *, since: datetime) -> Subquery:
        """Return an annotation: each article's views since `since` (None if none).

        For `Article` querysets (the article admin's views column). A subquery,
        not a join with GROUP BY, so the admin list's count() can drop it.
        """
        views = (
            self.filter(article=OuterRef("pk"), hour__gte=since)
            .order_by()
            .values("article")
            .annotate(total=Sum("views"))
            .values("total")
        )
        return Subquery(views)


class ViewCount(models.Model):
    """Views of one article in one hour, split over a few shard rows.

    Each view is one atomic upsert on a random shard row: concurrent readers of a
    popular article do not queue on one row lock (and never on the article's own
    row), and no count is lost. `prune_view_counts` folds old shards together.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField(_("hour"))
    shard = models.PositiveSmallIntegerField(default=0)
    views = models.PositiveIntegerField(default=0)

    objects = ViewCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("view count")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "hour", "shard"], name="one_view_counter_per_shard"
            )
        ]
        # The Most Viewed windows read recent hours, summing per article.
        indexes = [
            models.Index(fields=["hour", "article"], include=["views"], name="views_by_hour")
        ]

    def __str__(self):
        return f"{self.article_id} @ {self.hour:%Y-%m-%d %H}:00 #{self.shard}: {self.views}"


def start_of_hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


class Period(models.TextChoices):
    DAY = "day", _("Day")
    WEEK = "week", _("Week")
    MONTH = "month", _("Month")

    @property
    def span(self) -> timedelta:
        return {"day": timedelta(days=1), "week": timedelta(days=7), "month": timedelta(days=30)}[
            self.value
        ]

    def since(self, now: datetime | None = None) -> datetime:
        """Return the first hour bucket inside this window."""
        now = now or timezone.now()
        return start_of_hour(now - self.span) + timedelta(hours=1)


class MostViewedList(models.Model):
    """One edition's Most Viewed list for one window, as the background job stored it.

    Derived data: `manage.py run_background` recomputes it from ViewCount every
    MOST_VIEWED_CACHE_SECONDS; readers only ever read it (popularity/services.py).
    """

    language = models.CharField(max_length=10)
    period = models.CharField(max_length=10, choices=Period.choices)
    ids = ArrayField(models.BigIntegerField())
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["language", "period"], name="one_list_per_window")
        ]

    def __str__(self):
        return f"{self.language} {self.period}: {self.ids}"
