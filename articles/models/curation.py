"""Editor's Choice: the hand-ordered slots of an edition's front page."""

from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models.article import Article
from publishing import visibility
from publishing.dates import validate_newsroom_year
from publishing.editions import edition_field


class EditorsChoiceQuerySet(models.QuerySet):
    def current(self, language: str, now: datetime | None = None) -> "EditorsChoiceQuerySet":
        """Return live slots of one edition, in editors' order, with their articles."""
        now = now or timezone.now()
        visible_articles = Article.objects.published(now).in_language(language)
        return (
            self.filter(language=language)
            .filter(Q(until__isnull=True) | Q(until__gt=now))
            .filter(article__in=visible_articles)
            .select_related("article__section", "article__photo")
            .order_by("position", "id")
        )


class EditorsChoice(models.Model):
    """One slot of an edition's hand-ordered Editor's Choice list.

    Each edition numbers its own slots 1, 2, 3...: a desk orders its front page
    without moving another edition's. The slot's edition is its article's,
    copied here on every save (`save`) so the database can hold the numbering
    unique per edition.
    """

    article = models.OneToOneField(
        Article,
        on_delete=models.CASCADE,
        related_name="editors_choice",
        verbose_name=_("article"),
    )
    # Copied from the article (never typed): the numbering is unique within it.
    language = edition_field()
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    until = models.DateTimeField(
        _("until"),
        null=True,
        blank=True,
        validators=[validate_newsroom_year],
        help_text=_("Optional: the slot ends by itself then."),
    )

    objects = EditorsChoiceQuerySet.as_manager()

    class Meta:
        ordering = ["language", "position", "id"]
        verbose_name = _("Editor's Choice slot")
        verbose_name_plural = _("Editor's Choice")
        constraints = [
            # Checked at commit, so articles/editors_choice.py can renumber in one go;
            # its index also serves the front page's query (one edition, in order).
            models.UniqueConstraint(
                fields=["language", "position"],
                name="editors_choice_unique_position_per_edition",
                deferrable=models.Deferrable.DEFERRED,
            )
        ]

    def __str__(self):
        return f"{self.position}. {self.article}"

    def save(self, *args, **kwargs):
        """Save, in the article's edition (the publishing guard checks the user's right to it)."""
        if self.article_id:
            self.language = self.article.language
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "language"}
        super().save(*args, **kwargs)

    def clean(self):
        """Take the article's edition before the form asks who may write the slot.

        Unsaved, the slot is in the default edition: without this a Chief Editor of
        the Arabic or Persian desk was refused every new slot as another edition's.
        """
        super().clean()
        if self.article_id:
            self.language = self.article.language


# Only Chief Editors change the front page (publishing/visibility.py; Article is
# guarded as a Publishable).
visibility.watch(
    EditorsChoice,
    fields=["article", "position", "until"],
    visible=lambda row: True,
    message=_("Only Chief Editors can change Editor's Choice."),
)
