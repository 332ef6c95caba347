from functools import wraps

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.db.models.signals import m2m_changed
from django.shortcuts import redirect
from django.urls import path
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from alwaght.admin_params import guard_admin_view
from alwaght.desk_access import check_address, ruled
from web.csp import with_media_nonce


def with_rules(view):
    @wraps(view)
    def checked(request, *args, **kwargs):
        check_address(request)
        return view(request, *args, **kwargs)

    return checked


class NewsroomAdminSite(admin.AdminSite):
    """The Django admin, titled for the newsroom, with the moderation and review queues' sizes."""

    # Lazy: read per request, in the desk's language (the site's name has its own
    # entry in the catalogues, as readers see it).
    site_header = lazy(lambda: _("%(site)s newsroom") % {"site": _(settings.SITE_NAME)}, str)()
    site_title = site_header
    index_title = gettext_lazy("Desk")
    # The desk's lists are wide (headlines, moderation buttons): give them the room.
    enable_nav_sidebar = False

    def admin_view(self, view, cacheable=False):
        """Every admin view refuses bad query parameters with 400 (alwaght/admin_params.py),
        answers only those the rules table lets reach it (alwaght/desk_access.py), and its
        page's scripts (a rich-text editor's import map) carry the CSP nonce."""
        return super().admin_view(guard_admin_view(with_rules(with_media_nonce(view))), cacheable)

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every model admin, ours or a library's, takes its rights from the rules table."""
        super().register(model_or_iterable, ruled(admin_class or admin.ModelAdmin), **options)

    @property
    def login_form(self):
        from alwaght.two_factor import StaffLoginForm

        return StaffLoginForm

    def has_permission(self, request):
        """Staff may use the desk; those who must sign in with a code, only after it."""
        from alwaght.two_factor import missing_two_factor

        return super().has_permission(request) and not missing_two_factor(request)

    def staff_may(self, request, label: str, action: str, obj=None) -> bool:
        """Return whether the signed-in user may take `action` on `obj` (the rules table),
        for desk pages outside the admin (the staff preview): after the two-factor code."""
        from publishing.desk_rules import allows

        return self.has_permission(request) and allows(request.user, label, action, obj)

    def login(self, request, extra_context=None):
        """Send a signed-in account that owes a code to set up its authenticator app."""
        from django_otp import devices_for_user

        from alwaght.two_factor import missing_two_factor

        user = request.user
        if user.is_active and user.is_staff and missing_two_factor(request):
            if not list(devices_for_user(user, confirmed=True)):
                return redirect("admin:two_factor_setup")
            extra_context = {**(extra_context or {}), "two_factor_required": True}
        return super().login(request, extra_context)

    def index(self, request, extra_context=None):
        """The desk's home: my drafts, review, schedule, latest, comments; then the apps."""
        from alwaght.desk_home import desk_home

        return super().index(request, {**(extra_context or {}), **desk_home(request.user)})

    def get_urls(self):
        from alwaght.staff_accounts import sign_in_locks
        from alwaght.two_factor import two_factor_recovery_codes, two_factor_setup

        # Not behind admin_view: an account that owes a code has no desk permission
        # yet. Every active staff account, for its own devices only.
        def setup(request):
            return two_factor_setup(request, self)

        def recovery_codes(request):
            return two_factor_recovery_codes(request, self)

        def locks(request):
            return sign_in_locks(request, self)

        def system(request):
            from alwaght.system_page import system_view

            return system_view(request, self)

        return [
            path("two-factor/", never_cache(csrf_protect(setup)), name="two_factor_setup"),
            path(
                "two-factor/recovery-codes/",
                never_cache(csrf_protect(recovery_codes)),
                name="two_factor_recovery_codes",
            ),
            # Chief Editors and administrators only (may_see_locks, may_unlock).
            path("sign-in-locks/", self.admin_view(locks), name="sign_in_locks"),
            # Superusers only (alwaght/system_page.py checks); behind the desk's sign-in.
            path("system/", self.admin_view(system), name="system"),
            *super().get_urls(),
        ]

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            for model in app["models"]:
                if model["model"]._meta.label == "comments.Comment":
                    pending = model["model"].objects.pending().count()
                    if pending:
                        model["name"] = _("%(name)s (%(count)s pending)") % {
                            "name": model["name"],
                            "count": pending,
                        }
                if model["model"]._meta.label == "articles.PendingChange":
                    waiting = model["model"].objects.awaiting_review().count()
                    if waiting:
                        model["name"] = f"{model['name']} ({waiting})"
        return app_list


class NewsroomAdminConfig(AdminConfig):
    default_site = "alwaght.admin_site.NewsroomAdminSite"

    def ready(self):
        super().ready()
        from django.contrib.admin import options
        from django.contrib.auth import get_user_model

        from web import autocomplete

        # Every admin's autocomplete boxes (ModelAdmin and inlines alike build them from
        # these two names): a posted value their field cannot hold made a 500 (web/autocomplete.py).
        options.AutocompleteSelect = autocomplete.AutocompleteSelect
        options.AutocompleteSelectMultiple = autocomplete.AutocompleteSelectMultiple

        from alwaght.staff_accounts import make_desk_members_staff

        m2m_changed.connect(
            make_desk_members_staff,
            sender=get_user_model().groups.through,
            dispatch_uid="alwaght.desk_members_are_staff",
        )
