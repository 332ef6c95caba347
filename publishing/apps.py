from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    """The publishing core: what readers may see, who may change it, in which edition.

    Below every content app (articles, the photo library, topics): they build on
    `Publishable`, `visibility`, `editions`, `sharing` and `dates`; it names none of them.
    """

    name = "publishing"
    verbose_name = _("Publishing")

    def ready(self):
        from publishing import visibility
        from publishing.models import Publishable

        # Every model with a publishing state, in any app, is guarded alike.
        for model in apps.get_models():
            if issubclass(model, Publishable):
                visibility.watch(
                    model,
                    fields=["status", "publish_at", "unpublish_at"],
                    visible=lambda row: row["status"] == Publishable.Status.PUBLISHED,
                    reviewed=model.REVIEWED_FIELDS,
                )
