from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "media"
    verbose_name = _("Gallery and maps")

    def ready(self):
        from media import (
            files,  # noqa: F401 - connects the deletion receivers
            publishing,
            sharing,
        )
        from media.models import Photo, Publishable

        # One photo, every edition: what readers see of it is the publishing desks' to change.
        sharing.share(
            Photo, fields=["image", "title", "alt_text", "caption", "credit", "focal_x", "focal_y"]
        )

        # Every model with a publishing state, in any app, is guarded alike.
        for model in apps.get_models():
            if issubclass(model, Publishable):
                publishing.watch(
                    model,
                    fields=["status", "publish_at", "unpublish_at"],
                    visible=lambda row: row["status"] == Publishable.Status.PUBLISHED,
                    reviewed=model.REVIEWED_FIELDS,
                )
