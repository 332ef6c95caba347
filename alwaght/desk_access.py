"""Every desk address checked against the rules table before its view runs.

The desk site wraps each admin view (alwaght/admin_site.py): the address is
named (the URL pattern's name), the name is read as a row of the table
(publishing/desk_rules.py) and, where the address names an object, the object is
found so that its edition counts. An address with no row is refused: a new
view cannot open a path the table does not know (the matrix test lists them).

`RulesAdminMixin` is put under every registered ModelAdmin: its
has_*_permission methods, list editing and bulk actions ask the same table, so
forms, inlines, changelists and actions follow one rule.
"""

from functools import cache

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.serializers.base import DeserializationError

from publishing.desk_rules import EDITION_OF, RULES, allows
from web.numbers import parse_number

# The model admins' own addresses, by the suffix Django names them with: the action,
# and what names its row (the object's id, a version of a deleted one, or nothing).
STANDARD = {
    "changelist": ("view", None),
    "add": ("add", None),
    "change": ("change", "object_id"),  # a GET only shows: see `_action`
    "delete": ("delete", "object_id"),
    "history": ("view", "object_id"),
    "revision": ("restore", "object_id"),
    "recoverlist": ("add", None),
    "recover": ("add", "version"),
}

# The desk's own addresses: name -> (thing, action, how to find the object or None).
ADDRESSES = {
    "index": ("desk", "enter", None),
    "logout": ("desk", "enter", None),
    "password_change": ("desk", "own_account", None),
    "password_change_done": ("desk", "own_account", None),
    "jsi18n": ("desk", "enter", None),
    # Answers with rows of the model a field points at: that model's view row
    # (`_autocompleted`); Django's view asks that admin, which asks the table, too.
    "autocomplete": (AUTOCOMPLETE := "autocomplete", "view", None),
    "app_list": ("desk", "enter", None),
    "view_on_site": ("desk", "enter", None),
    "two_factor_setup": ("desk", "own_account", None),
    "two_factor_recovery_codes": ("desk", "own_account", None),
    "sign_in_locks": ("desk", "sign_in_locks", None),
    "system": ("desk", "system", None),
    "articles_article_recoverlist": ("articles.article", "recover", None),
    "articles_article_recover": ("articles.article", "recover", "version"),
    "articles_article_tag_suggestions": ("articles.article", "view", None),
    "articles_article_compare": ("articles.article", "view", "pk"),
    "articles_article_lock": ("articles.article", "lock", "pk"),
    "articles_article_lock_release": ("articles.article", "lock", "pk"),
    "articles_article_lock_take_over": ("articles.article", "take_over_lock", "pk"),
    "articles_article_autosave": ("articles.article", "add", None),
    "articles_article_autosave_discard": ("articles.article", "add", None),
    "articles_article_notes": ("articles.article", "notes", "pk"),
    "articles_article_review": ("articles.article", "review", "pk"),
    "articles_article_review_preview": ("articles.article", "review", "pk"),
    "articles_editorschoice_move": ("articles.editorschoice", "change", "pk"),
    "articles_editorschoice_place": ("articles.editorschoice", "change", "pk"),
    # Other editions' live stories, as titles to link to (articles/admin/counterparts.py).
    "articles_article_counterpart_candidates": ("articles.article", "view", None),
    "articles_article_unlink_counterparts": ("articles.article", "unlink_counterparts", "pk"),
    "media_photo_picker": ("media.photo", "view", None),
    "comments_comment_moderate": ("comments.comment", "moderate", "pk"),
    "otp_totp_totpdevice_config": ("otp_totp.totpdevice", "change", "pk"),
    "otp_totp_totpdevice_qrcode": ("otp_totp.totpdevice", "change", "pk"),
    "auth_user_password_change": ("auth.user", "change", "id"),
}
# Reached before signing in; the sign-in form has rules of its own (axes, two-factor).
PUBLIC = {"login"}

# Bulk actions of the lists: name -> the row that allows them. Every action of the
# desk is named here (tests/desk/test_rules_matrix.py): one missing was judged by
# "change", and names that drifted from their actions' went unnoticed.
BULK_ACTIONS = {
    "delete_selected": "delete",
    "publish": "publish",
    "unpublish": "take_down",
    "add_to_editors_choice": "feature",
    "merge": "merge",
    "approve": "moderate",
    "reject": "moderate",
    "mark_spam": "moderate",
    "erase_commenters": "delete",  # deletes every comment sent with the emails
    "cleanup_expired_attempts": "delete",  # django-axes' own
}


@cache
def _model_addresses() -> dict[str, tuple[str, str, str | None]]:
    """Return name -> (thing, action, object kwarg) for every registered model's addresses."""
    found = {}
    for model in admin.site._registry:
        opts = model._meta
        for suffix, (action, locator) in STANDARD.items():
            found[f"{opts.app_label}_{opts.model_name}_{suffix}"] = (
                opts.label_lower,
                action,
                locator,
            )
    return found


def address_row(match) -> tuple[str, str, str | None] | None:
    """Return (thing, action, object kwarg) for a resolved admin address, or None."""
    name = match.url_name
    if name in ADDRESSES:
        return ADDRESSES[name]
    if name in _model_addresses():
        return _model_addresses()[name]
    if name is None and "object_id" in match.kwargs:  # <id>/ redirects to <id>/change/
        app_label, model_name = match.route.split("/")[1:3]
        return f"{app_label}.{model_name}", "view", "object_id"
    return None


def address_names() -> set[str]:
    """Return every admin address name the rules know (the matrix test's list)."""
    return {*ADDRESSES, *_model_addresses(), *PUBLIC}


def check_address(request) -> None:
    """Raise PermissionDenied unless the table lets the user reach this address."""
    match = request.resolver_match
    if match.url_name in PUBLIC:
        return
    row = address_row(match)
    if row is None:
        raise PermissionDenied("This desk address has no row in the rules table.")
    label, action, locator = row
    if label == AUTOCOMPLETE:
        label = _autocompleted(request)
    action = _action(request, label, action, match)
    obj = _located(label, locator, match) if locator else None
    if not allows(request.user, label, action, obj):
        raise PermissionDenied


def _action(request, label, action, match):
    if action == "change" and request.method in ("GET", "HEAD"):
        return "view"  # the form shows read-only to those who may only view
    return action


def _autocompleted(request) -> str:
    """Return the label of the model whose rows an autocomplete request asks for."""
    from django.apps import apps

    try:
        model = apps.get_model(request.GET["app_label"], request.GET["model_name"])
        field = model._meta.get_field(request.GET["field_name"])
        return field.remote_field.model._meta.label_lower
    except (KeyError, LookupError, FieldDoesNotExist, AttributeError):
        raise PermissionDenied("Not a field that autocompletes.") from None


def _located(label: str, locator: str, match):
    """Return the row the address names, or None (the view answers 404 for itself)."""
    from django.apps import apps

    model = apps.get_model(label)
    raw = match.kwargs.get(locator) or (match.args[0] if match.args else None)
    if locator == "version":
        return _recovered(raw)
    try:
        return model._default_manager.filter(pk=unquote(str(raw))).first()
    except (ValueError, TypeError, ValidationError):  # a malformed id: the view answers
        return None


def _recovered(version_id):
    """Return the deleted row a recover address would bring back, from its version."""
    from reversion.models import Version

    pk = parse_number(str(version_id))
    version = Version.objects.filter(pk=pk).first() if pk is not None else None
    if version is None:
        return None
    try:
        return version._object_version.object
    except DeserializationError:  # a version whose model changed since: the view refuses it
        return None


class _RuledRights:
    """The four rights of a model admin or an inline: the table's row, then Django's."""

    def has_view_permission(self, request, obj=None):
        return self._rules_allow(request, "view", obj) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):  # an inline's also names the parent
        return self._rules_allow(request, "add", *args[:1]) and super().has_add_permission(
            request, *args
        )

    def has_change_permission(self, request, obj=None):
        return self._rules_allow(request, "change", obj) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return self._rules_allow(request, "delete", obj) and super().has_delete_permission(
            request, obj
        )


class RulesAdminMixin(_RuledRights):
    """Put under every ModelAdmin: its rights are the table's rows for its model."""

    def _rules_label(self):
        return self.model._meta.label_lower

    def _rules_allow(self, request, action, obj=None):
        label = self._rules_label()
        if (label, action) not in RULES:
            return request.user.is_superuser
        return allows(request.user, label, action, obj)

    def get_queryset(self, request):
        """Lists of an edition's things show only the editions of one's desks."""
        from publishing.editions import user_editions

        queryset = super().get_queryset(request)
        label = self._rules_label()
        row = RULES.get((label, "view"))
        if request.user.is_superuser or row is None or not row.desk:
            return queryset
        path = EDITION_OF.get(label, "language")
        return queryset.filter(**{f"{path}__in": user_editions(request.user)})

    def get_actions(self, request):
        actions = super().get_actions(request)
        label = self._rules_label()
        return {
            name: action
            for name, action in actions.items()
            if allows(request.user, label, BULK_ACTIONS.get(name, "change"))
            or (label, BULK_ACTIONS.get(name, "change")) not in RULES
        }

    def get_inlines(self, request, obj):
        return [_ruled_inline(inline) for inline in super().get_inlines(request, obj)]


class RulesInlineMixin(_RuledRights):
    """Put under every inline: its rows follow the table's rows for its model and the parent."""

    def _rules_allow(self, request, action, obj=None):
        label = self.model._meta.label_lower
        if (label, action) not in RULES:
            return request.user.is_superuser
        # The parent decides the edition (and whether a change is held).
        return allows(request.user, label, action, _edition_holder(label, obj))


class _ParentAsRow:
    """An inline's parent standing in for one of its rows: the edition is the parent's."""

    def __init__(self, parent, path):
        self.parent, self.path = parent, path

    def __getattr__(self, name):
        head = self.path.split("__")[0]
        if name == head:
            return self.parent
        raise AttributeError(name)


def _edition_holder(label, parent):
    if parent is None:
        return None
    path = EDITION_OF.get(label)
    return _ParentAsRow(parent, path) if path else parent


_ruled_inlines: dict[type, type] = {}


def _ruled_inline(inline: type) -> type:
    if issubclass(inline, RulesInlineMixin):
        return inline
    if inline not in _ruled_inlines:
        namespace = {"__module__": inline.__module__, "__qualname__": inline.__qualname__}
        _ruled_inlines[inline] = type(inline.__name__, (RulesInlineMixin, inline), namespace)
    return _ruled_inlines[inline]


def ruled(admin_class: type) -> type:
    """Return `admin_class` with the rules under it (registering does this for every admin)."""
    if issubclass(admin_class, RulesAdminMixin):
        return admin_class
    namespace = {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__}
    return type(admin_class.__name__, (RulesAdminMixin, admin_class), namespace)
