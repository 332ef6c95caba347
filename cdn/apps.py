from django.apps import AppConfig


class CdnConfig(AppConfig):
    """Surrogate keys on reader pages, and purges of them when content changes."""

    name = "cdn"
    verbose_name = "CDN"

    def ready(self):
        from cdn.receivers import connect

        connect()
