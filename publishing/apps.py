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
        from publishing import edition_guard, visibility
        from publishing.desk_rules import chief_only_when_live
        from publishing.models import Publishable

        # Every edition's content is written by its desk and links within its edition:
        # checked first, before what the rows' state allows (the guards run in order).
        edition_guard.guard_editions()

        # Every model with a publishing state, in any app, is guarded alike.
        state = ["status", "publish_at", "unpublish_at"]
        for model in apps.get_models():
            if not issubclass(model, Publishable):
                continue
            # Where the rules table says a live row is a Chief Editor's alone (the library:
            # no held change carries it), every field of it is; else the model's own
            # REVIEWED_FIELDS, which the desk holds for review (articles).
            refused = chief_only_when_live(model._meta.label_lower)
            reviewed = (
                [
                    field.name
                    for field in model._meta.concrete_fields
                    if field.editable and not field.primary_key and field.name not in state
                ]
                if refused
                else model.REVIEWED_FIELDS
            )
            visibility.watch(
                model,
                fields=state,
                visible=lambda row: row["status"] == Publishable.Status.PUBLISHED,
                reviewed=reviewed,
                held=not refused,
            )
