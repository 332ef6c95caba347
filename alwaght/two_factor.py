"""Two-factor sign-in for staff with TOTP codes (django-otp).

Optional for every staff account; with REQUIRE_2FA_FOR_CHIEFS, those who can
publish (Chief Editors, superusers) reach the desk only after signing in with a
code, and are sent to set up an authenticator app first if they have none.
"""

import base64

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from publishing.visibility import may_publish

token_field_options = {
    "required": False,
    "max_length": 8,
    "widget": forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
}


def requires_two_factor(user) -> bool:
    """Return whether this account must sign in with a code to use the desk."""
    return bool(settings.REQUIRE_2FA_FOR_CHIEFS and user.is_authenticated and may_publish(user))


def missing_two_factor(request) -> bool:
    """Return whether the signed-in user still owes the desk a code."""
    user = request.user
    return requires_two_factor(user) and not user.is_verified()


class StaffLoginForm(AdminAuthenticationForm):
    """The desk login: password, then a code for accounts that have an authenticator."""

    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("Only if you have set one up."),
        **token_field_options,
    )

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not list(devices_for_user(user, confirmed=True)):
            return
        token = (self.cleaned_data.get("otp_token") or "").replace(" ", "")
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


class ConfirmDeviceForm(forms.Form):
    otp_token = forms.CharField(label=_("Code shown by the app"), **token_field_options)


def two_factor_setup(request, admin_site):
    """Set up an authenticator app: show its key, confirm it with a first code.

    Template: admin/two_factor_setup.html; context: key, config_url, form.
    """
    user = request.user
    if not (user.is_active and user.is_staff):
        return redirect("admin:login")
    if list(devices_for_user(user, confirmed=True)) and user.is_verified():
        messages.info(request, _("Two-factor sign-in is already on for your account."))
        return redirect("admin:index")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = ConfirmDeviceForm(request.POST or None)
    if form.is_valid():
        token = form.cleaned_data["otp_token"].replace(" ", "")
        if token and device.verify_token(token):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Two-factor sign-in is on for your account."))
            return redirect("admin:index")
        form.add_error("otp_token", _("That code does not match. Enter the one the app shows now."))
    context = {
        **admin_site.each_context(request),
        "title": _("Set up two-factor sign-in"),
        "key": base64.b32encode(device.bin_key).decode(),
        "config_url": device.config_url,
        "form": form,
        "required": requires_two_factor(user),
    }
    return TemplateResponse(request, "admin/two_factor_setup.html", context)
