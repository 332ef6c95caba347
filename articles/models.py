from datetime import datetime

import reversion
from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, OuterRef, Q
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from articles.sanitize import sanitize_html
from articles.urling import article_url
from publishing import visibility
from publishing.editions import edition_field
from publishing.models import Publishable, PublishableQuerySet, visible_at
from web.text import clean_text_fields

FALLBACK_SLUG = "article"


def unicode_slug(text: str, max_length: int = 200) -> str:
    """Return a readable slug for `text` in any script ("article" if nothing is left)."""
    slug = slugify(text, allow_unicode=True)[:max_length].strip("-")
    return slug or FALLBACK_SLUG


class SectionQuerySet(models.QuerySet):
    def in_language(self, language: str) -> "SectionQuerySet":
        """Return the sections of one edition."""
        return self.filter(language=language)


class Section(models.Model):
    language = edition_field()
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Sections are listed in the navigation by position.")
    )

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(fields=["language", "slug"], name="section_slug_per_edition"),
            models.UniqueConstraint(fields=["language", "name"], name="section_name_per_edition"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        with override(self.language):
            return reverse("articles:section", kwargs={"slug": self.slug})


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
        return reverse("articles:author", kwargs={"slug": self.slug})


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


class ListEntry(models.Model):
    """An article's place in a tag's or topic's list, with its visibility copied.

    A tag or topic page wants the newest twenty of its articles. Through the link
    tables alone that is a join and a sort over every article carrying the tag
    (the busiest tag at 100k articles: 6-10 ms a page); with each article's
    edition, status and times copied beside the link, one index walk finds them
    at any depth (`ArticleQuerySet.listed_under`).

    Derived data, written only by database triggers (migration 0023): a link
    added, moved or removed, and an article's edition, status or times changed,
    on any path (forms, actions, `update()`, restores, raw SQL). Never edited,
    never versioned. Pages still filter the articles by `published()`, so a row
    out of step could hide an article but never show one readers may not see.
    """

    # Each kind names its article and target (the triggers delete a row with its
    # link, so Django's deletes need do nothing for it).
    language = models.CharField(max_length=8)
    status = models.CharField(max_length=16)
    publish_at = models.DateTimeField(null=True)
    unpublish_at = models.DateTimeField(null=True)

    class Meta:
        abstract = True


class TagEntry(ListEntry):
    article = models.ForeignKey("Article", on_delete=models.DO_NOTHING, related_name="tag_entries")
    tag = models.ForeignKey(
        "taggit.Tag", on_delete=models.DO_NOTHING, related_name="+", db_index=False
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tag", "article"], name="one_tag_entry")]
        indexes = [
            models.Index(
                fields=["tag", "language", "-publish_at", "-article"],
                include=["unpublish_at"],
                condition=Q(status="published"),
                name="tag_entry_latest",
            )
        ]

    def __str__(self):
        return f"{self.tag_id}: {self.article_id}"


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
        db_table = "topics_topic"  # from when the model lived in topics/ (the pages still do)
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


class TopicEntry(ListEntry):
    article = models.ForeignKey(
        "Article", on_delete=models.DO_NOTHING, related_name="topic_entries"
    )
    topic = models.ForeignKey(Topic, on_delete=models.DO_NOTHING, related_name="+", db_index=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "article"], name="one_topic_entry")]
        indexes = [
            models.Index(
                fields=["topic", "language", "-publish_at", "-article"],
                include=["unpublish_at"],
                condition=Q(status="published"),
                name="topic_entry_latest",
            )
        ]

    def __str__(self):
        return f"{self.topic_id}: {self.article_id}"


# Read by the article page only; lists, feeds and search results leave them behind.
LISTING_DEFERRED = ("body", "search_vector")


class ArticleQuerySet(PublishableQuerySet):
    # published(), scheduled(), expired(): media.models.PublishableQuerySet.

    def in_language(self, language: str) -> "ArticleQuerySet":
        """Return articles of one edition."""
        return self.filter(language=language)

    def for_listing(self) -> "ArticleQuerySet":
        """Return published articles, newest first, with what a teaser card shows."""
        return (
            self.published()
            .select_related("section", "photo", "author")
            # No card shows the body or the search vector: the two widest columns.
            .defer(*LISTING_DEFERRED)
            .order_by("-publish_at", "-id")
        )

    def listed_under(
        self, target: models.Model, language: str, now: datetime | None = None
    ) -> "ArticleQuerySet":
        """Return one edition's visible articles under a tag or topic, newest first.

        Read from the target's list entries (`ListEntry`), ordered by their copy of
        the publish time, annotated as `listed_at`: the entries' index gives the
        order and bounds keyset pages at any depth. Chain it after `published()`
        (or `for_listing()`): the articles' own rule has the last word.
        """
        now = now or timezone.now()
        kind = target._meta.model_name  # "tag" or "topic": TagEntry.tag, TopicEntry.topic
        entries = f"{kind}_entries"
        # One filter() call: every condition is on the same entry row (one join).
        return (
            self.in_language(language)
            .filter(
                visible_at(now, through=f"{entries}__"),
                **{f"{entries}__{kind}": target, f"{entries}__language": language},
            )
            .annotate(listed_at=F(f"{entries}__publish_at"))
            .order_by("-listed_at", "-id")
        )

    def for_detail(self) -> "ArticleQuerySet":
        """Return published articles with everything the article page shows."""
        return self.published().with_detail()

    def with_detail(self) -> "ArticleQuerySet":
        """Return articles with everything the article page shows (also for previews).

        Corrections come inside the article's own row (as JSON, read by
        `shown_notes`): most articles have none, and a query per view to learn
        that is a sixth of the page's queries.
        """
        notes = ArticleNote.objects.filter(article=OuterRef("pk")).order_by("noted_at", "id")
        return (
            self.select_related("section", "photo", "social_photo", "author__photo", "related_list")
            .annotate(
                notes_json=ArraySubquery(
                    notes.values(json=JSONObject(kind="kind", text="text", noted_at="noted_at"))
                )
            )
            .prefetch_related(
                "tags", models.Prefetch("topics", queryset=Topic.objects.order_by("name"))
            )
        )


# A revision holds the article and everything hanging off it, so restoring an
# old version brings back its tags, related articles and notes too (topics are
# a many-to-many stored with the article itself). articles/revisions.py restores
# exactly these rows of one article.
REVISION_FOLLOWS = ("tagged_items", "related_links", "notes")


@reversion.register(follow=REVISION_FOLLOWS)
class Article(Publishable):
    # status, publish_at, unpublish_at and what they mean: media.models.Publishable.

    # An Editor's change to these of a published article waits for review
    # (articles/admin_review.py); the write guard refuses it on any other path.
    REVIEWED_FIELDS = (
        "title",
        "slug",
        "section",
        "lead",
        "body",
        "byline",
        "author",
        "photo",
        "seo_title",
        "meta_description",
        "social_photo",
        "language",
        "comments_open",
    )

    language = models.CharField(
        _("edition"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="articles", verbose_name=_("section")
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        allow_unicode=True,
        help_text=_("Part of the address. Changing it later is safe: old links redirect."),
    )
    lead = models.TextField(
        _("lead"), max_length=600, help_text=_("The standfirst: one or two sentences.")
    )
    body = models.TextField(_("body"), help_text=_("Cleaned of scripts and unsafe markup on save."))
    author = models.ForeignKey(
        Author,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("author"),
        help_text=_("Links the byline to the author's page."),
    )
    byline = models.CharField(
        _("byline"),
        max_length=120,
        blank=True,
        help_text=_("Shown instead of the author's name when given (e.g. with a co-author)."),
    )

    photo = models.ForeignKey(
        "media.Photo",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("main image"),
        help_text=_("From the photo library; its alt text, caption and credit are shown."),
    )

    # Search engines and social networks: each falls back to the reader's version.
    seo_title = models.CharField(
        _("SEO title"),
        max_length=120,
        blank=True,
        help_text=_("For search results and browser tabs; the title when empty. About 60 "
                    "characters show in full."),
    )  # fmt: skip
    meta_description = models.CharField(
        _("meta description"),
        max_length=300,
        blank=True,
        help_text=_("Under the link in search results and shares; the lead when empty. "
                    "About 155 characters show in full."),
    )  # fmt: skip
    social_photo = models.ForeignKey(
        "media.Photo",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("social image"),
        help_text=_("For shares on social networks; the main image when empty."),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("last changed by"),
    )
    comments_open = models.BooleanField(
        _("comments open"),
        default=True,
        help_text=_("Readers may comment (comments also close by themselves on old articles)."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Articles telling the same story in other editions share this (see
    # articles/services.py `article_counterparts_link`); empty for most articles,
    # which then cost no query for their counterparts.
    translation_group = models.UUIDField(
        _("counterparts group"), null=True, blank=True, editable=False, db_index=True
    )

    # Kept current by database triggers (title, lead, body, tags, section): see
    # migration 0005. Never computed per query.
    search_vector = SearchVectorField(null=True, editable=False)

    tags = TaggableManager(through=TaggedArticle, blank=True, verbose_name=_("tags"))
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="articles", verbose_name=_("In Focus topics")
    )

    objects = ArticleQuerySet.as_manager()

    class Meta(Publishable.Meta):
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [
            ("can_publish", _("Can publish, schedule and unpublish articles")),
            # One per edition in settings.LANGUAGES (publishing/editions.py): which desks a
            # user writes and publishes for.
            ("edit_edition_en", _("Can write in the English edition")),
            ("edit_edition_ar", _("Can write in the Arabic edition")),
            ("edit_edition_fa", _("Can write in the Persian edition")),
        ]
        indexes = [
            # The front page and the archive: one edition's published articles, newest first.
            # unpublish_at is carried in the index so counts need not visit the table.
            models.Index(
                fields=["language", "-publish_at", "-id"],
                include=["unpublish_at"],
                condition=Q(status="published"),
                name="article_edition_latest",
            ),
            # Search (articles/search.py) matches against the trigger-kept vector.
            GinIndex(fields=["search_vector"], name="article_search"),
            # Section pages: one section's published articles of an edition, newest first.
            models.Index(
                fields=["section", "language", "-publish_at", "-id"],
                include=["unpublish_at"],
                condition=Q(status="published"),
                name="article_section_latest",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.slug = self.slug or unicode_slug(self.title)
        self.sanitize()
        super().save(*args, **kwargs)

    def sanitize(self) -> None:
        """Make the text what a save would store: no control characters, allowed HTML only.

        Saving does it; so must anything that shows unsaved text (a held change's
        preview), or an editor's markup would reach a Chief Editor's browser raw.
        """
        clean_text_fields(type(self), self)
        self.body = sanitize_html(self.body)

    def get_absolute_url(self):
        return article_url(self.language, self.pk, self.slug)

    @property
    def share_photo(self):
        """Return the image shown when the article is shared (the social one, else the main)."""
        return self.social_photo or self.photo

    @cached_property
    def shown_notes(self) -> list["ArticleNote"]:
        """Return the corrections and updates, oldest first (no query after `with_detail()`)."""
        rows = getattr(self, "notes_json", None)
        if rows is None:
            return list(self.notes.all())
        return [
            ArticleNote(
                article=self,
                kind=row["kind"],
                text=row["text"],
                noted_at=datetime.fromisoformat(row["noted_at"]),
            )
            for row in rows
        ]

    @property
    def last_noted_at(self) -> datetime | None:
        """Return when the newest correction or update was made."""
        notes = self.shown_notes
        return notes[-1].noted_at if notes else None

    def live_counterparts(self) -> dict[str, "Article"]:
        """Return the visible counterparts in other editions, by edition (a query if linked)."""
        if self.translation_group is None:
            return {}
        found = (
            Article.objects.published()
            .filter(translation_group=self.translation_group)
            .exclude(pk=self.pk)
            .exclude(language=self.language)
            .only("id", "slug", "language", "title")
            .order_by("publish_at")
        )
        counterparts = {}
        for article in found:
            counterparts.setdefault(article.language, article)
        return counterparts

    @property
    def byline_text(self) -> str:
        """Return the byline as shown: the byline field, else the author's name."""
        return self.byline or (self.author.name if self.author_id else "")

    @property
    def is_right_to_left(self) -> bool:
        from django.utils.translation import get_language_info

        return get_language_info(self.language)["bidi"]


@reversion.register()
class ArticleNote(models.Model):
    """A dated correction or update that readers see at the foot of an article."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        UPDATE = "update", _("Update")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="notes", verbose_name=_("article")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.UPDATE)
    text = models.TextField(_("text"), max_length=1000)
    noted_at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        ordering = ["noted_at", "id"]
        verbose_name = _("correction or update")
        verbose_name_plural = _("corrections and updates")

    def __str__(self):
        return f"{self.get_kind_display()} {self.noted_at:%Y-%m-%d}"


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


@reversion.register()  # followed by Article's revisions (restores bring it back)
class RelatedArticle(models.Model):
    """An editor's pick for an article's Related Content, in the editor's order."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="related_links", verbose_name=_("article")
    )
    related = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="+", verbose_name=_("related article")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("related article")
        verbose_name_plural = _("Related Content (picked by editors)")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "related"],
                name="unique_related_article",
                violation_error_message=_("This article is already in the Related Content."),
            ),
            models.CheckConstraint(
                condition=~Q(article=models.F("related")),
                name="article_not_related_to_itself",
                violation_error_message=_("An article cannot be related to itself."),
            ),
        ]

    def __str__(self):
        return f"{self.article} → {self.related}"


class RelatedList(models.Model):
    """An article's Related Content as computed last: ids in display order.

    Derived data (articles/related.py keeps it): never edited, never versioned.
    """

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="related_list"
    )
    ids = ArrayField(models.BigIntegerField())
    computed_at = models.DateTimeField()

    def __str__(self):
        return f"{self.article_id}: {self.ids}"


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


# Only Chief Editors change the front page (publishing/visibility.py; Article is
# guarded as a Publishable).
visibility.watch(
    EditorsChoice,
    fields=["article", "position", "until"],
    visible=lambda row: True,
    message=_("Only Chief Editors can change Editor's Choice."),
)
