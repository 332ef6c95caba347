from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from taggit.models import Tag

        from articles import corrections, counterparts, editors_choice, related, search_index
        from articles.models import Author
        from publishing import sharing
        from web.text import cleaned_on_save

        related.connect_signals()
        corrections.connect_signals()
        search_index.connect_signals()
        editors_choice.connect_signals()
        counterparts.connect_signals()
        # One writer for every edition: their name, bio and photo are on live pages.
        sharing.share(Author, fields=["name", "slug", "bio", "photo"])
        # Tag names are on pages and in feeds, of every edition whose articles carry them.
        sharing.share(Tag, fields=["name", "slug"])
        cleaned_on_save(Tag)
