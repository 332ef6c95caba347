from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from articles.roles import sync_newsroom_groups

        # Runs after each app's migrate (idempotent): the permissions of apps
        # migrated later (topics, taggit) exist by the last call.
        post_migrate.connect(sync_newsroom_groups, dispatch_uid="articles.roles")
