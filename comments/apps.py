from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Comments")

    def ready(self):
        from comments.roles import sync_moderators_group

        # After auth's own post_migrate handler has created the permissions.
        post_migrate.connect(sync_moderators_group, sender=self)
