"""Two-factor sign-in for staff: an authenticator app (TOTP) and recovery codes (django-otp).

Optional for every staff account; with REQUIRE_2FA_FOR_CHIEFS, those who can
publish (Chief Editors, superusers) reach the desk only after signing in with a
code, and are sent to set up an authenticator app first if they have none.

Setting up (admin:two_factor_setup): the app reads a QR code, drawn inline as SVG
by segno (no image request, no script: nothing the CSP must allow), or types its
key; a first code confirms it. Ten recovery codes (django-otp's static device),
each good once in place of a code when the phone is lost, are shown then and
never again; new ones can be made at any time (admin:two_factor_recovery_codes),
and the old ones stop working.

Once an account has an authenticator, changing its two-factor sign-in takes a
session that signed in with a code (issue 20 M4: a password-only session enrolled
a second authenticator and reached the desk); a session without one is asked for
a code first. Setting up an authenticator ends the account's other sessions, so
no session signed in with a password alone outlives it.
"""

import logging

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.sessions.models import Session
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from publishing.visibility import may_publish

logger = logging.getLogger(__name__)

RECOVERY_CODES = 10
APP_DEVICE_NAME = "Authenticator app"
CODES_DEVICE_NAME = "Recovery codes"


class CodeField(forms.CharField):
    """A 6-digit code or an 8-character recovery code, typed with spaces or not."""

    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            max_length=20,
            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
            **kwargs,
        )

    def to_python(self, value):
        value = super().to_python(value)
        return "".join(value.split()).replace("-", "").lower()


def requires_two_factor(user) -> bool:
    """Return whether this account must sign in with a code to use the desk."""
    return bool(settings.REQUIRE_2FA_FOR_CHIEFS and user.is_authenticated and may_publish(user))


def missing_two_factor(request) -> bool:
    """Return whether the signed-in user still owes the desk a code."""
    user = request.user
    return requires_two_factor(user) and not user.is_verified()


def has_two_factor(user) -> bool:
    """Return whether `user` signs in with a code (has a confirmed authenticator app)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


class StaffLoginForm(AdminAuthenticationForm):
    """The desk login: password, then a code for accounts that have an authenticator."""

    otp_token = CodeField(
        label=gettext_lazy("Code from your authenticator app"),
        help_text=gettext_lazy(
            "Only if you have set one up. Lost your phone? Type a recovery code."
        ),
    )

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not list(devices_for_user(user, confirmed=True)):
            return
        token = self.cleaned_data.get("otp_token") or ""
        if not token:
            raise forms.ValidationError(
                _("Enter the 6-digit code from your authenticator app."), code="token_required"
            )
        device = match_token(user, token)
        if device is None:
            raise forms.ValidationError(
                _("That code is wrong or has expired. Enter the one your app shows now."),
                code="invalid_token",
            )
        user.otp_device = device  # django-otp stores it in the session on login
        if isinstance(device, StaticDevice):
            left = device.token_set.count()
            messages.warning(
                self.request,
                ngettext(
                    "You signed in with a recovery code; %(count)d is left. Make new ones "
                    "under “Two-factor sign-in”.",
                    "You signed in with a recovery code; %(count)d are left. Make new ones "
                    "under “Two-factor sign-in”.",
                    left,
                )
                % {"count": left},
            )


class CodeForm(forms.Form):
    otp_token = CodeField(label=gettext_lazy("Code shown by the app"))


def recovery_codes_create(*, user) -> list[str]:
    """Replace `user`'s recovery codes with new ones and return them (they are shown once)."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name=CODES_DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def other_sessions_end(*, user, keep: str | None) -> int:
    """End `user`'s sessions but the one keyed `keep`; return how many ended.

    Sessions are in the database (Django's default engine) and only staff have
    any, so reading the live ones is cheap; this runs when two-factor is set up.
    """
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.session_key != keep and session.get_decoded().get("_auth_user_id") == str(
            user.pk
        ):
            ended.append(session.session_key)
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


def authenticator_confirm(*, request, device: TOTPDevice, token: str) -> bool:
    """Confirm `device` with its first code; it replaces the account's other apps.

    The session becomes verified with it and the account's other sessions end.
    """
    if not (token and device.verify_token(token)):
        return False
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    otp_login(request, device)
    ended = other_sessions_end(user=device.user, keep=request.session.session_key)
    logger.info("Two-factor set up for %s; %d other sessions ended", device.user, ended)
    return True


def qr_code_svg(data: str) -> str:
    """Return `data` as a QR code in inline SVG markup (segno; dark on white)."""
    code = segno.make(data, error="m", micro=False)
    return code.svg_inline(
        scale=4,
        dark="#000",
        light="#fff",
        svgclass="desk-qr",
        title=_("QR code for your authenticator app"),
    )


# --- Views (admin:two_factor_setup, admin:two_factor_recovery_codes) -----------------


def two_factor_setup(request, admin_site):
    """Set up, replace or review the account's two-factor sign-in.

    Every active staff account, for its own devices only. A session that has not
    signed in with a code while the account has an authenticator is asked for one
    first. Template: admin/two_factor_setup.html; context: step ("verify",
    "manage", "setup", "codes"), form, and per step: qr_code, key, codes, codes_left.
    """
    user = request.user
    if not (user.is_active and user.is_staff):
        return redirect("admin:login")
    enrolled = has_two_factor(user)
    if enrolled and not user.is_verified():
        return _verify(request, admin_site)
    if enrolled and "new-phone" not in request.GET:
        if request.method == "POST":
            return redirect("admin:two_factor_setup")
        return _page(request, admin_site, "manage", codes_left=_codes_left(user))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if authenticator_confirm(
            request=request, device=device, token=form.cleaned_data["otp_token"]
        ):
            if enrolled and _codes_left(user):
                messages.success(
                    request, _("Your new phone gives the codes now; the old one no longer does.")
                )
                return redirect("admin:two_factor_setup")
            return _page(request, admin_site, "codes", codes=recovery_codes_create(user=user))
        form.add_error("otp_token", _("That code does not match. Enter the one the app shows now."))
    return _page(
        request,
        admin_site,
        "setup",
        form=form,
        key=_grouped(device.config_url.split("secret=")[1].split("&")[0]),
        config_url=device.config_url,
        qr_code=mark_safe(qr_code_svg(device.config_url)),  # segno's own markup, no user text  # noqa: S308
        replacing=enrolled,
    )


def two_factor_recovery_codes(request, admin_site):
    """Make new recovery codes (POST) and show them once; the old ones stop working.

    Active staff with an authenticator, in a session that signed in with a code.
    """
    user = request.user
    if not (user.is_active and user.is_staff):
        return redirect("admin:login")
    if not has_two_factor(user):
        return redirect("admin:two_factor_setup")
    if not user.is_verified():
        return _verify(request, admin_site)
    if request.method != "POST":
        return redirect("admin:two_factor_setup")
    return _page(request, admin_site, "codes", codes=recovery_codes_create(user=user))


def _verify(request, admin_site):
    """Ask a session that signed in without a code for one (step-up), then go on."""
    form = CodeForm(request.POST if "verify" in request.POST else None)
    if form.is_valid():
        device = match_token(request.user, form.cleaned_data["otp_token"])
        if device is not None:
            otp_login(request, device)
            return redirect(request.get_full_path())
        form.add_error(
            "otp_token", _("That code is wrong or has expired. Enter the one your app shows now.")
        )
    return _page(request, admin_site, "verify", form=form)


def _codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _grouped(key: str) -> str:
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _page(request, admin_site, step, **context):
    context = {
        **admin_site.each_context(request),
        "title": _("Two-factor sign-in"),
        "step": step,
        "required": requires_two_factor(request.user),
        **context,
    }
    return TemplateResponse(request, "admin/two_factor_setup.html", context)
