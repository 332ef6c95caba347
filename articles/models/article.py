"""The article, its corrections and updates, and its Related Content."""

from datetime import datetime

import reversion
from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, OuterRef, Q
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import Tag

from articles.models.filing import Author, Section, TaggedArticle, Topic
from articles.models.indexes import edition_words, newest_published
from articles.sanitize import sanitize_html
from articles.urling import ArticleSlugField, article_slug, article_url, joiners_restored
from media.photos_in_text import PhotosInTextField
from publishing.editions import edition_field
from publishing.models import Publishable, PublishableQuerySet, visible_at
from web.bidi import isolated
from web.text import clean_text_fields, cleaned_on_save

# Read by the article page only; lists, feeds and search results leave them behind.
LISTING_DEFERRED = ("body", "search_vector")
SEARCH_COLUMNS = ("search_vector", "search_pending", "search_recent")


class ArticleQuerySet(PublishableQuerySet):
    # published(), scheduled(), expired(): media.models.PublishableQuerySet.

    def in_language(self, language: str) -> "ArticleQuerySet":
        """Return articles of one edition."""
        return self.filter(language=language)

    def first_visible_by_edition(self, *, besides: str) -> dict[str, "Article"]:
        """Return the first published of these articles in each edition but `besides`,
        by edition: what the edition switcher links to (one query)."""
        found = (
            self.published()
            .exclude(language=besides)
            .only("id", "slug", "language", "title")
            .order_by("publish_at")
        )
        firsts = {}
        for article in found:
            firsts.setdefault(article.language, article)
        return firsts

    def for_listing(self, now: datetime | None = None) -> "ArticleQuerySet":
        """Return published articles, newest first, with what a teaser card shows."""
        return (
            self.published(now)
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

        Corrections, tags and topics come inside the article's own row, as JSON
        read by `shown_notes`, `shown_tags` and `shown_topics`: one query for the
        page's article where a prefetch per relation cost two more round trips
        and the ORM's prefetch machinery (a fifth of a first view's CPU).
        """
        notes = ArticleNote.objects.filter(article=OuterRef("pk")).order_by("noted_at", "id")
        # In the order the desk added them: the through rows' ids.
        tags = TaggedArticle.objects.filter(content_object=OuterRef("pk")).order_by("id")
        topics = Topic.objects.filter(articles=OuterRef("pk")).order_by("name", "id")
        return self.select_related(
            "section", "photo", "social_photo", "author__photo", "related_list"
        ).annotate(
            notes_json=ArraySubquery(
                notes.values(json=JSONObject(kind="kind", text="text", noted_at="noted_at"))
            ),
            tags_json=ArraySubquery(
                tags.values(json=JSONObject(id="tag_id", name="tag__name", slug="tag__slug"))
            ),
            topics_json=ArraySubquery(
                topics.values(
                    json=JSONObject(id="id", name="name", slug="slug", language="language")
                )
            ),
        )


# A revision holds the article and everything hanging off it, so restoring an
# old version brings back its tags, related articles and notes too (topics are
# a many-to-many stored with the article itself). articles/revisions.py restores
# exactly these rows of one article.
REVISION_FOLLOWS = ("tagged_items", "related_links", "notes")


@cleaned_on_save
@reversion.register(follow=REVISION_FOLLOWS, exclude=["body_photos"])
class Article(Publishable):
    # status, publish_at, unpublish_at and what they mean: media.models.Publishable.

    # An Editor's change to these of a published article waits for review
    # (articles/admin/review.py); the write guard refuses it on any other path.
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

    # Indexed with the columns it is filtered with (the desk's and readers' lists).
    language = edition_field(db_index=False)
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="articles", verbose_name=_("section")
    )
    title = models.CharField(_("title"), max_length=200)
    # A slug that may keep ZWNJs (article_slug), which a plain SlugField refuses.
    slug = ArticleSlugField(
        _("slug"),
        max_length=200,
        help_text=_("Part of the address. Changing it later is safe: old links redirect."),
    )
    lead = models.TextField(
        _("lead"), max_length=600, help_text=_("The standfirst: one or two sentences.")
    )
    body = models.TextField(_("body"), help_text=_("Cleaned of scripts and unsafe markup on save."))
    # Written from the body by each save: the photo library's guard finds the photos a
    # live body shows by it (publishing/sharing.py). Not versioned: a restore's save
    # writes it from the restored body, where a stored copy could name deleted photos.
    body_photos = PhotosInTextField(text="body")
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
    # Kept by the database's trigger, and for editions whose words Python stems by
    # articles/search_index.py, which clears `search_pending` once it has written
    # them (until then the folded words are found). Saves never write either.
    search_vector = SearchVectorField(null=True, editable=False)
    search_pending = models.BooleanField(default=False, editable=False)
    # In the GIN index of recent articles (articles/search_recent.py): new articles
    # are, and the background job keeps each edition's newest there.
    search_recent = models.BooleanField(default=True, db_default=True, editable=False)

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
            newest_published(name="article_edition_latest"),
            # Search (articles/search.py) matches against the trigger-kept vector, in each
            # edition's own indexes: of the articles marked recent, which search asks
            # first, and of the others (older), asked when those fall short. The section
            # beside it (btree_gin) lets a search within a section read only that
            # section's matches from the index (migration 0037). And the marks by
            # edition and date: the newest unmarked article of an edition, and the
            # articles the background job marks or unmarks (articles/search_recent.py).
            *edition_words("article_search_recent", Q(search_recent=True)),
            *edition_words("article_search_older", Q(search_recent=False)),
            models.Index(
                fields=["language", "search_recent", "publish_at"], name="article_search_marks"
            ),
            # The articles whose stems Python has yet to write (articles/search_index.py).
            models.Index(
                fields=["id"], condition=Q(search_pending=True), name="article_search_pending"
            ),
            # Section pages: one section's published articles of an edition, newest first.
            newest_published("section", name="article_section_latest"),
            # Author pages and feeds: one author's published articles of an edition, newest
            # first (authors write for every edition). Without it a feed sorted every
            # article of its author, or walked the edition's newest past other writers'.
            newest_published("author", name="article_author_latest"),
            # The desk's lists: an edition's first and last publish time, every status
            # (the Persian desk's Solar Hijri years, publishing/desk_dates.py date_bounds).
            models.Index(fields=["language", "publish_at"], name="article_edition_publish_at"),
            # The desk's article list, newest first (Publishable.Meta.ordering), when it
            # shows more than one edition (a superuser, someone on two desks): a page is
            # 50 steps back along it, where the index above needs every row of those
            # editions sorted (0.9 s at 300k articles).
            models.Index(fields=["publish_at", "id"], name="article_desk_order"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.slug = self.slug or article_slug(self.title)
        if self._state.adding:  # the desk's slug from the title, less its joiners
            self.slug = joiners_restored(self.slug, self.title)
        self.sanitize()
        if not self._state.adding and kwargs.get("update_fields") is None:
            # The search columns belong to the trigger and the stemmer: an instance
            # read before they last wrote must not put its stale copy back.
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key
                and field.name not in SEARCH_COLUMNS
                and field.attname not in self.get_deferred_fields()
            ]
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

    @cached_property
    def shown_tags(self) -> list[Tag]:
        """Return the tags, in the order they were added (no query after `with_detail()`)."""
        rows = getattr(self, "tags_json", None)
        if rows is None:
            return [item.tag for item in self.tagged_items.select_related("tag").order_by("id")]
        return [Tag(id=row["id"], name=row["name"], slug=row["slug"]) for row in rows]

    @cached_property
    def shown_topics(self) -> list[Topic]:
        """Return the In Focus topics by name (no query after `with_detail()`)."""
        rows = getattr(self, "topics_json", None)
        if rows is None:
            return list(self.topics.order_by("name", "id"))
        return [Topic(**row) for row in rows]

    @property
    def last_noted_at(self) -> datetime | None:
        """Return when the newest correction or update was made."""
        notes = self.shown_notes
        return notes[-1].noted_at if notes else None

    def live_counterparts(self) -> dict[str, "Article"]:
        """Return the visible counterparts in other editions, by edition (a query if linked)."""
        if self.translation_group is None:
            return {}
        group = Article.objects.filter(translation_group=self.translation_group)
        return group.exclude(pk=self.pk).first_visible_by_edition(besides=self.language)

    @property
    def byline_text(self) -> str:
        """Return the byline as shown: the byline field, else the author's name."""
        return self.byline or (self.author.name if self.author_id else "")

    @property
    def is_right_to_left(self) -> bool:
        from django.utils.translation import get_language_info

        return get_language_info(self.language)["bidi"]

    @property
    def isolated_title(self) -> str:
        """Return the title set apart in its edition's direction, for text in another
        language's: the desk's messages, form errors and review page (web/bidi.py)."""
        return isolated(self.title, rtl=self.is_right_to_left)


@cleaned_on_save
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
