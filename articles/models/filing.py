"""What articles are filed under: sections, authors, tags, In Focus topics."""

import reversion
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from taggit.models import TaggedItemBase

from articles.sanitize import sanitize_html
from articles.urling import section_url, slug_url, unicode_slug
from media.photos_in_text import PhotosInTextField
from publishing import visibility
from publishing.editions import counterpart_key_field, counterpart_key_unique, edition_field
from web.text import cleaned_on_save


class SectionQuerySet(models.QuerySet):
    def in_language(self, language: str) -> "SectionQuerySet":
        """Return the sections of one edition."""
        return self.filter(language=language)


@cleaned_on_save
class Section(models.Model):
    language = edition_field()
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Sections are listed in the navigation by position.")
    )
    counterpart_key = counterpart_key_field()

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(fields=["language", "slug"], name="section_slug_per_edition"),
            models.UniqueConstraint(fields=["language", "name"], name="section_name_per_edition"),
            counterpart_key_unique("section"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return section_url(self.language, self.slug)


@cleaned_on_save
class Author(models.Model):
    """A writer with a page of their own: photo from the library, short bio, articles, feed."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)
    bio = models.TextField(
        _("short bio"), max_length=600, blank=True, help_text=_("One or two sentences.")
    )
    photo = models.ForeignKey(
        "media.Photo",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("photo"),
        help_text=_("From the photo library; its alt text is shown."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.slug = self.slug or unicode_slug(self.name, max_length=120)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        # Authors write for every edition: their page in the one being read.
        return slug_url("articles:author", get_language(), self.slug)


@reversion.register()
class TaggedArticle(TaggedItemBase):
    """Tag links with a real foreign key: joins by integer, integrity by the database."""

    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = _("tagged article")
        verbose_name_plural = _("tagged articles")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_tag")
        ]
        # Tag pages and related-content scoring start from the tag.
        indexes = [models.Index(fields=["tag", "content_object"], name="tagged_article_by_tag")]


class TopicQuerySet(models.QuerySet):
    def in_language(self, language: str) -> "TopicQuerySet":
        """Return the topics of one edition."""
        return self.filter(language=language)

    def in_focus(self, language: str) -> "TopicQuerySet":
        """Return one edition's topics for the In Focus block, in editors' order."""
        return self.filter(in_focus=True, language=language).order_by("position", "name")


@cleaned_on_save
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
    body_photos = PhotosInTextField(text="body")  # what the body shows (publishing/sharing.py)
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
    counterpart_key = counterpart_key_field()

    objects = TopicQuerySet.as_manager()

    class Meta:
        db_table = "topics_topic"  # from when the model lived in topics/ (the pages still do)
        ordering = ["position", "name"]
        verbose_name = _("topic")
        verbose_name_plural = _("In Focus topics")
        constraints = [
            models.UniqueConstraint(fields=["language", "slug"], name="topic_slug_per_edition"),
            models.UniqueConstraint(fields=["language", "name"], name="topic_name_per_edition"),
            counterpart_key_unique("topic"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("topics:detail", self.language, self.slug)


# Only Chief Editors change what the front page shows (publishing/visibility.py).
visibility.watch(
    Topic,
    fields=["in_focus", "position"],
    visible=lambda row: row["in_focus"],
    message=_("Only Chief Editors can change the topics on the front page."),
)
