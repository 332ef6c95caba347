from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The site's composition: front page, composed admin, roles, demo edition."""

    name = "alwaght"
    verbose_name = _("Site")

    def ready(self):
        from django.contrib.auth import get_user_model

        from alwaght.roles import sync_moderators_group, sync_newsroom_groups
        from web.text import cleaned_on_save

        # Staff names are shown on the desk (edit locks, reviews, history).
        cleaned_on_save(get_user_model())

        # Once a migrate (or a flush) is done: post_migrate is sent for every app
        # with models, in order, after any migrate, so the last app's comes after
        # every app's permissions exist. Connected to every app it ran seventeen
        # times a migrate, and after each flush of a transactional test.
        last = [config for config in apps.get_app_configs() if config.models_module][-1]
        post_migrate.connect(
            sync_newsroom_groups, sender=last, dispatch_uid="alwaght.roles.newsroom"
        )
        # After auth's own post_migrate handler has created the permissions.
        post_migrate.connect(
            sync_moderators_group,
            sender=apps.get_app_config("comments"),
            dispatch_uid="alwaght.roles.moderators",
        )
