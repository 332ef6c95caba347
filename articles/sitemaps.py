from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import F, Max, OuterRef, Subquery
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from taggit.models import Tag

from articles.feeds import site_name
from articles.models import Article, Section

NEWS_SITEMAP_HOURS = 48
NEWS_SITEMAP_LIMIT = 1000  # the most a news sitemap may list


class ArticleSitemap(Sitemap):
    """Every visible article, with only the columns an address and lastmod need."""

    limit = 10_000

    def items(self):
        return (
            Article.objects.published()
            .only("id", "slug", "language", "updated_at")
            .order_by("-publish_at", "-id")
        )

    def lastmod(self, article):
        return article.updated_at


def latest_update(articles):
    """Return a subquery: the newest update among `articles` (filtered by OuterRef)."""
    return Subquery(articles.order_by().values("updated_at")[:1])


class FiledUnderSitemap(Sitemap):
    """Sections or topics with at least one visible article, last changed when it was."""

    filed_under_model: type
    article_field: str

    def items(self):
        newest = (
            Article.objects.published()
            .filter(**{self.article_field: OuterRef("pk")})
            .order_by("-updated_at")
        )
        return (
            self.filed_under_model.objects.annotate(last_update=latest_update(newest))
            .filter(last_update__isnull=False)
            .order_by("language", "position", "pk")
        )

    def lastmod(self, item):
        return item.last_update


class SectionSitemap(FiledUnderSitemap):
    filed_under_model = Section
    article_field = "section"


class TagSitemap(Sitemap):
    """Each edition's tag pages: a tag once per edition with a visible article carrying it."""

    limit = 10_000

    def items(self):
        visible = Article.objects.published()
        article = "articles_taggedarticle_items__content_object"
        return (
            Tag.objects.filter(**{f"{article}__in": visible})
            .values("slug", edition=F(f"{article}__language"))
            .annotate(last_update=Max(f"{article}__updated_at"))
            .order_by("edition", "slug")
        )

    def lastmod(self, tag):
        return tag["last_update"]

    def location(self, tag):
        with override(tag["edition"]):
            return reverse("articles:tag", args=[tag["slug"]])


def news_sitemap(request):
    """Render sitemaps/news.xml: the last 48 hours' articles, for news search engines."""
    since = timezone.now() - timedelta(hours=NEWS_SITEMAP_HOURS)
    articles = list(
        Article.objects.published()
        .filter(publish_at__gte=since)
        .only("id", "slug", "language", "title", "publish_at")
        .order_by("-publish_at")[:NEWS_SITEMAP_LIMIT]
    )
    # Each story's publication is named in its own edition's language: it was the
    # language the crawler asked for, "الوقت" over English stories and back.
    names = {}
    for article in articles:
        if article.language not in names:
            with override(article.language):
                names[article.language] = site_name()
        article.publication_name = names[article.language]
    return render(
        request,
        "sitemaps/news.xml",
        {"articles": articles, "base": f"{request.scheme}://{request.get_host()}"},
        content_type="application/xml",
    )
