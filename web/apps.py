from django.apps import AppConfig
from django.db.models.signals import pre_save


class WebConfig(AppConfig):
    """Helpers every app shares; here, text cleaned on every save."""

    name = "web"

    def ready(self):
        from web.text import clean_text_fields

        # No sender: one receiver for every model; it picks the apps it cleans.
        pre_save.connect(clean_text_fields, dispatch_uid="web.clean_text_fields")
