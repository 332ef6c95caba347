import copy

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from taggit.models import Tag

from articles.models import Article, Author, Section
from web.bidi import isolated
from web.text import clean_text

FEED_LENGTH = 30
IMAGE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
}


def site_name() -> str:
    """Return the site's name in the edition's language (the default is in the catalogues)."""
    return _(settings.SITE_NAME)


class LatestArticlesFeed(Feed):
    """RSS 2.0: the edition's newest articles, with lead, tags and main image."""

    def __call__(self, request, *args, **kwargs):
        # The URLconf's one instance serves every request, in every thread of a
        # worker: each request gets a copy of its own, so what the feed keeps while
        # it is written (the request, for absolute addresses) is never another's.
        return super(LatestArticlesFeed, copy.copy(self)).__call__(request, *args, **kwargs)

    def title(self, obj=None):
        return _("%(site)s: latest news") % {"site": site_name()}

    def description(self, obj=None):
        # The default tagline is in the catalogues, as the masthead shows it.
        return _(settings.SITE_TAGLINE)

    def link(self, obj=None):
        return reverse("articles:front")

    def items(self, obj=None):
        articles = Article.objects.for_listing().in_language(get_language())
        return self.narrow(articles, obj).prefetch_related("tags")[:FEED_LENGTH]

    def narrow(self, articles, obj):
        return articles

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.lead

    def item_guid(self, article):
        """Return the article's permanent address, `/<edition>/news/<id>/`: its id alone.

        Django's default guid (and Atom id) is the item's link, which holds the slug:
        a retitled story whose slug was edited then came back to every reader's app
        as a new item. The permanent address answers 301 to the current one in
        every edition (articles.views.article_detail), so it is a permalink.
        """
        with override(article.language):
            path = reverse("articles:detail-no-slug", kwargs={"pk": article.pk})
        return self.request.build_absolute_uri(path)

    def item_guid_is_permalink(self, article):
        return True  # it opens the article (by a redirect): RSS readers may link it

    def item_pubdate(self, article):
        return article.publish_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_author_name(self, article):
        return article.byline_text or site_name()

    def item_categories(self, article):
        return [tag.name for tag in article.tags.all()]

    def item_enclosures(self, article):
        if not article.photo:
            return []
        image = article.photo.image
        extension = image.name[image.name.rfind(".") :].lower()
        return [
            Enclosure(
                self.request.build_absolute_uri(image.url),
                str(article.photo.file_size),  # stored on the row: no storage call per item
                IMAGE_TYPES.get(extension, "application/octet-stream"),
            )
        ]

    def get_feed(self, obj, request):
        self.request = request  # enclosure URLs must be absolute
        feed = super().get_feed(obj, request)
        # XML 1.0 cannot carry control characters and Django refuses to write
        # them; text is cleaned on save, but rows changed by .update() or SQL
        # must not take the feed down for everyone.
        feed.feed = cleaned(feed.feed)
        feed.items = [cleaned(item) for item in feed.items]
        return feed


def cleaned(fields: dict) -> dict:
    """Return feed or item `fields` with clean_text() applied to every string in them."""

    def clean(value):
        if isinstance(value, str):
            return clean_text(value)
        if isinstance(value, list | tuple):
            return type(value)(clean(part) for part in value)
        return value

    return {key: clean(value) for key, value in fields.items()}


class FiledUnderFeed(LatestArticlesFeed):
    """The newest articles filed under one section, tag or topic (by slug)."""

    filed_under_model: type
    article_field: str
    # Read from the tag's or topic's list entries, as their pages are (articles/listing.py).
    listed = False

    def get_object(self, request, slug):
        return get_object_or_404(
            self.filed_under_model.objects.in_language(get_language()), slug=slug
        )

    def narrow(self, articles, obj):
        if self.listed:
            return articles.listed_under(obj, get_language())
        return articles.filter(**{self.article_field: obj})

    def title(self, obj=None):
        # A feed's title is plain text: without the isolates "Jane Doe (ed.)" in a
        # right-to-left title read "(Jane Doe (ed." around the site's name, and an
        # embedding a name leaves open reordered what follows. No direction is given:
        # tags and authors are shared by the editions, in any script, so the name's
        # first letter decides.
        return _("%(site)s: %(name)s") % {"site": site_name(), "name": isolated(obj.name)}

    def description(self, obj=None):
        return getattr(obj, "description", "") or obj.name


class SectionFeed(FiledUnderFeed):
    filed_under_model = Section
    article_field = "section"

    def link(self, obj=None):
        return obj.get_absolute_url()


class TagFeed(FiledUnderFeed):
    filed_under_model = Tag
    article_field = "tags"
    listed = True

    def get_object(self, request, slug):
        # Tags are shared by the editions; items() keeps the edition's articles.
        return get_object_or_404(Tag, slug=slug)

    def link(self, obj=None):
        return reverse("articles:tag", args=[obj.slug])


class AuthorFeed(FiledUnderFeed):
    filed_under_model = Author
    article_field = "author"

    def get_object(self, request, slug):
        # Authors write for every edition; items() keeps the edition's articles.
        return get_object_or_404(Author, slug=slug)

    def description(self, obj=None):
        return obj.bio or obj.name

    def link(self, obj=None):
        return obj.get_absolute_url()


def atom(feed: type[Feed]) -> type[Feed]:
    """Return the Atom 1.0 twin of an RSS feed class."""
    return type(
        f"{feed.__name__}Atom",
        (feed,),
        {"feed_type": Atom1Feed, "subtitle": feed.description},
    )
