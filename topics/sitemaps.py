from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import OuterRef
from django.utils.translation import override

from articles.models import Article
from articles.sitemaps import latest_update
from topics.models import Topic


class TopicSitemap(Sitemap):
    def items(self):
        newest = Article.objects.published().filter(topics=OuterRef("pk")).order_by("-updated_at")
        return (
            Topic.objects.annotate(last_update=latest_update(newest))
            .filter(last_update__isnull=False)  # topics with something to read
            .order_by("position")
        )

    def lastmod(self, topic):
        return topic.last_update

    def location(self, topic):
        with override(settings.LANGUAGE_CODE):
            return topic.get_absolute_url()
