from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from alwaght.admin_params import guard_admin_view


class NewsroomAdminSite(admin.AdminSite):
    """The Django admin, titled for the newsroom, with the moderation and review queues' sizes."""

    site_header = f"{settings.SITE_NAME} newsroom"
    site_title = f"{settings.SITE_NAME} newsroom"
    index_title = "Desk"
    # The desk's lists are wide (headlines, moderation buttons): give them the room.
    enable_nav_sidebar = False

    def admin_view(self, view, cacheable=False):
        """Every admin view refuses bad query parameters with 400 (alwaght/admin_params.py)."""
        return super().admin_view(guard_admin_view(view), cacheable)

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            for model in app["models"]:
                if model["model"]._meta.label == "comments.Comment":
                    pending = model["model"].objects.pending().count()
                    if pending:
                        model["name"] = f"{model['name']} ({pending} pending)"
                if model["model"]._meta.label == "articles.PendingChange":
                    waiting = model["model"].objects.awaiting_review().count()
                    if waiting:
                        model["name"] = f"{model['name']} ({waiting})"
        return app_list


class NewsroomAdminConfig(AdminConfig):
    default_site = "alwaght.admin_site.NewsroomAdminSite"
