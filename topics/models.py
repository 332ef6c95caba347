from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from articles.sanitize import sanitize_html
from publishing import visibility
from publishing.editions import edition_field


class TopicQuerySet(models.QuerySet):
    def in_language(self, language: str) -> "TopicQuerySet":
        """Return the topics of one edition."""
        return self.filter(language=language)

    def in_focus(self, language: str) -> "TopicQuerySet":
        """Return one edition's topics for the In Focus block, in editors' order."""
        return self.filter(in_focus=True, language=language).order_by("position", "name")


class Topic(models.Model):
    """An In Focus entry: a recurring subject with its own page and articles."""

    language = edition_field()
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, allow_unicode=True)
    description = models.CharField(
        _("short description"),
        max_length=300,
        help_text=_("One or two sentences, shown in the In Focus lists."),
    )
    body = models.TextField(
        _("body"), blank=True, help_text=_("The longer description on the topic's page.")
    )
    photo = models.ForeignKey(
        "media.Photo",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("image"),
        help_text=_("From the photo library; its alt text is shown."),
    )
    in_focus = models.BooleanField(
        _("on the front page"),
        default=False,
        db_index=True,
        help_text=_("List this topic in the front page's In Focus block."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("topic")
        verbose_name_plural = _("In Focus topics")
        constraints = [
            models.UniqueConstraint(fields=["language", "slug"], name="topic_slug_per_edition"),
            models.UniqueConstraint(fields=["language", "name"], name="topic_name_per_edition"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        with override(self.language):
            return reverse("topics:detail", kwargs={"slug": self.slug})


# Only Chief Editors change what the front page shows (publishing/visibility.py).
visibility.watch(
    Topic,
    fields=["in_focus", "position"],
    visible=lambda row: row["in_focus"],
    message=_("Only Chief Editors can change the topics on the front page."),
)
