from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "media"
    verbose_name = _("Gallery and maps")

    def ready(self):
        from media import files  # noqa: F401 - connects the deletion receivers
        from media.models import Photo
        from publishing import sharing

        # One photo, every edition: what readers see of it is the publishing desks' to change.
        sharing.share(
            Photo, fields=["image", "title", "alt_text", "caption", "credit", "focal_x", "focal_y"]
        )
