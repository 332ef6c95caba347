from django.apps import AppConfig


class WebConfig(AppConfig):
    """Helpers every app shares: client addresses, text cleaning, caches, fragments, backups.

    Text cleaning is declared by each model that stores text (web.text.cleaned_on_save).
    """

    name = "web"
