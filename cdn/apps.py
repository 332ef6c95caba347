from django.apps import AppConfig


class CdnConfig(AppConfig):
    """Surrogate keys on reader pages, and purges of them when content changes."""

    name = "cdn"
    verbose_name = "CDN"

    def ready(self):
        from cdn.purge import scopes_touched_purge
        from web.scopes import scopes_touched

        # What a write touched (pagecache/invalidation.py), once it is committed.
        scopes_touched.connect(scopes_touched_purge, dispatch_uid="cdn.purge")
