from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PopularityConfig(AppConfig):
    name = "popularity"
    verbose_name = _("Most Viewed")

    def ready(self):
        from popularity.counting import connect_signals

        connect_signals()
