from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.utils.translation import override

from media.models import Film, Map, PhotoGallery


class PublishableSitemap(Sitemap):
    model: type

    def items(self):
        return self.model.objects.published().order_by("-publish_at")

    def lastmod(self, item):
        return item.updated_at

    def location(self, item):
        with override(settings.LANGUAGE_CODE):
            return item.get_absolute_url()


class GallerySitemap(PublishableSitemap):
    model = PhotoGallery


class FilmSitemap(PublishableSitemap):
    model = Film


class MapSitemap(PublishableSitemap):
    model = Map
