from django.apps import AppConfig
from django.urls import register_converter


class WebConfig(AppConfig):
    """Helpers every app shares: client addresses, text cleaning, caches, fragments, backups.

    Text cleaning is declared by each model that stores text (web.text.cleaned_on_save).
    """

    name = "web"

    def ready(self):
        from web.numbers import IdConverter

        # Before any URLconf is read: they are imported on the first request or check.
        register_converter(IdConverter, "id")
