from django.contrib.sitemaps import Sitemap

from media.models import Film, Map, PhotoGallery


class PublishableSitemap(Sitemap):
    model: type

    def items(self):
        return self.model.objects.published().order_by("-publish_at")

    def lastmod(self, item):
        return item.updated_at


class GallerySitemap(PublishableSitemap):
    model = PhotoGallery


class FilmSitemap(PublishableSitemap):
    model = Film


class MapSitemap(PublishableSitemap):
    model = Map
