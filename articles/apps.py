from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from articles import navigation, related
        from articles.models import Author
        from publishing import sharing

        related.connect_signals()
        navigation.connect_signals()
        # One writer for every edition: their name, bio and photo are on live pages.
        sharing.share(Author, fields=["name", "slug", "bio", "photo"])
