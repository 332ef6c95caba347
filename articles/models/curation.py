"""Editor's Choice: the hand-ordered slots of an edition's front page."""

from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models.article import Article
from publishing import visibility


class EditorsChoiceQuerySet(models.QuerySet):
    def current(self, language: str, now: datetime | None = None) -> "EditorsChoiceQuerySet":
        """Return live slots of one edition, in editors' order, with their articles."""
        now = now or timezone.now()
        visible_articles = Article.objects.published(now).in_language(language)
        return (
            self.filter(Q(until__isnull=True) | Q(until__gt=now))
            .filter(article__in=visible_articles)
            .select_related("article__section", "article__photo")
            .order_by("position", "id")
        )


class EditorsChoice(models.Model):
    """One slot of the hand-ordered Editor's Choice list."""

    article = models.OneToOneField(
        Article,
        on_delete=models.CASCADE,
        related_name="editors_choice",
        verbose_name=_("article"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0, db_index=True)
    until = models.DateTimeField(
        _("until"), null=True, blank=True, help_text=_("Optional: the slot ends by itself then.")
    )

    objects = EditorsChoiceQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("Editor's Choice slot")
        verbose_name_plural = _("Editor's Choice")
        constraints = [
            # Checked at commit, so articles/editors_choice.py can renumber in one go.
            models.UniqueConstraint(
                fields=["position"],
                name="editors_choice_unique_position",
                deferrable=models.Deferrable.DEFERRED,
            )
        ]

    def __str__(self):
        return f"{self.position}. {self.article}"

    @property
    def language(self) -> str | None:
        """Return the slot's edition: its article's (the publishing rule asks for it)."""
        return self.article.language if self.article_id else None


# Only Chief Editors change the front page (publishing/visibility.py; Article is
# guarded as a Publishable).
visibility.watch(
    EditorsChoice,
    fields=["article", "position", "until"],
    visible=lambda row: True,
    message=_("Only Chief Editors can change Editor's Choice."),
)
