"""Two-factor sign-in: set up with a QR code, recovery codes, and no way around the code."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import segno
import time_machine
from django.contrib.auth.models import Group, User
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "right-pass-for-tests-1"
LOGIN = "/admin/login/?next=/admin/"
SETUP = "/admin/two-factor/"
RECOVERY = "/admin/two-factor/recovery-codes/"


@pytest.fixture
def clock():
    """Stop the clock (TOTP codes and django-otp's throttling read it); shift() moves it."""
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture
def chiefs_need_codes(settings):
    settings.REQUIRE_2FA_FOR_CHIEFS = True


def make_staff(username, group="Chief Editors"):
    user = User.objects.create_user(username, password=PASSWORD)
    user.groups.add(Group.objects.get(name=group))
    return user


def log_in(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def signed_in(client):
    return client.get("/admin/").status_code == 200


def code(device, later=0):
    """Return the code `device`'s app shows now (or `later` steps on)."""
    return (
        f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + later):06d}"
    )


def not_the_code(device):
    return "000000" if code(device) != "000000" else "111111"


def enrol(client, username):
    """Set up an authenticator through the desk as `username`; return device and codes."""
    client.force_login(User.objects.get(username=username))
    client.get(SETUP)
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    response = client.post(SETUP, {"otp_token": code(device)})
    assert response.status_code == 200, response
    device.refresh_from_db()
    return device, response.context["codes"]


# --- Setting up ------------------------------------------------------------------


def test_setup_shows_the_app_a_qr_code_drawn_inline_and_its_key(client, clock):
    client.force_login(make_staff("chief"))

    response = client.get(SETUP)

    device = TOTPDevice.objects.get(user__username="chief", confirmed=False)
    page = response.content.decode()
    assert response.context["step"] == "setup"
    # The very QR code segno draws for the device's otpauth:// address, in the page.
    drawn = segno.make(device.config_url, error="m", micro=False)
    assert (
        drawn.svg_inline(
            scale=4,
            dark="#000",
            light="#fff",
            svgclass="desk-qr",
            title="QR code for your authenticator app",
        )
        in page
    )
    assert device.config_url.startswith("otpauth://totp/")
    key = re.sub(r"\s", "", response.context["key"])
    assert f"secret={key}" in device.config_url
    # Nothing for the Content-Security-Policy to allow: no script, no image request.
    assert (
        "unsafe-inline"
        not in response["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    )
    assert re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)[^>]*>", page) == []
    assert "<img" not in page.split('class="desk-two-factor"')[1]


def test_a_refresh_shows_the_same_key_until_it_is_confirmed(client, clock):
    client.force_login(make_staff("chief"))

    first, second = client.get(SETUP), client.get(SETUP)

    assert first.context["key"] == second.context["key"]
    assert TOTPDevice.objects.filter(user__username="chief").count() == 1


def test_confirming_turns_it_on_and_shows_ten_recovery_codes_once(client, clock):
    make_staff("chief")

    device, codes = enrol(client, "chief")

    assert device.confirmed
    assert len(codes) == len(set(codes)) == 10
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == sorted(codes)
    manage = client.get(SETUP)
    assert manage.context["step"] == "manage"
    assert "10 recovery codes left" in manage.content.decode()
    assert not any(recovery in manage.content.decode() for recovery in codes)


def test_a_wrong_first_code_keeps_the_form_and_turns_nothing_on(client, clock):
    client.force_login(make_staff("chief"))
    client.get(SETUP)
    device = TOTPDevice.objects.get()

    response = client.post(SETUP, {"otp_token": not_the_code(device)})

    assert "does not match" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert not StaticToken.objects.exists()


def test_setup_is_for_signed_in_staff_only(client):
    assert client.get(SETUP).url.startswith(reverse("admin:login"))
    assert client.post(RECOVERY).url.startswith(reverse("admin:login"))
    client.force_login(User.objects.create_user("reader", password=PASSWORD))
    assert client.get(SETUP).url.startswith(reverse("admin:login"))
    assert not TOTPDevice.objects.exists()


# --- Signing in with a code or a recovery code -------------------------------------


def test_an_account_with_an_authenticator_signs_in_only_with_its_code(client, clock):
    make_staff("ed", group="Editors")
    device, _codes = enrol(Client(), "ed")

    without = log_in(client, "ed")
    wrong = log_in(client, "ed", otp_token=not_the_code(device))
    assert "Enter the 6-digit code" in without.content.decode()
    assert "That code is wrong" in wrong.content.decode()
    assert not signed_in(client)

    clock.shift(timedelta(seconds=31))  # past django-otp's pause after a wrong code; a new code
    assert log_in(client, "ed", otp_token=" ".join(code(device))).status_code == 302
    assert signed_in(client)


def test_a_recovery_code_signs_in_once_and_says_how_many_are_left(client, clock):
    make_staff("chief")
    _device, codes = enrol(Client(), "chief")

    first = log_in(client, "chief", otp_token=codes[0].upper())
    follow = client.get("/admin/")
    client.logout()
    again = log_in(Client(), "chief", otp_token=codes[0])

    assert first.status_code == 302
    assert "You signed in with a recovery code; 9 are left." in follow.content.decode()
    assert "That code is wrong" in again.content.decode()


def test_new_recovery_codes_replace_the_old_ones(client, clock):
    make_staff("chief")
    enrolling = Client()
    _device, old = enrol(enrolling, "chief")

    response = enrolling.post(RECOVERY)

    new = response.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert log_in(Client(), "chief", otp_token=old[1]).status_code == 200  # refused
    clock.shift(timedelta(seconds=2))  # past django-otp's pause after a wrong code
    assert log_in(client, "chief", otp_token=new[1]).status_code == 302


# --- Issue 20 M4: a password-only session changes nothing ---------------------------


def test_a_password_only_session_cannot_enrol_a_second_authenticator(
    client, clock, chiefs_need_codes
):
    chief = make_staff("chief")
    device, codes = enrol(Client(), "chief")
    client.force_login(chief)  # a session that never gave a code

    page = client.get(SETUP)
    posted = client.post(SETUP, {"otp_token": "123456"})
    recovery = client.post(RECOVERY)

    assert page.context["step"] == "verify"
    assert posted.context["step"] == "verify" and recovery.context["step"] == "verify"
    assert list(TOTPDevice.objects.values_list("pk", "confirmed")) == [(device.pk, True)]
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == sorted(codes)
    assert not signed_in(client)
    assert client.get(SETUP + "?new-phone=1").context["step"] == "verify"
    assert TOTPDevice.objects.count() == 1


def test_a_session_gives_a_code_before_it_may_change_two_factor(client, clock):
    chief = make_staff("chief")
    device, _codes = enrol(Client(), "chief")
    client.force_login(chief)

    clock.shift(timedelta(seconds=30))
    response = client.post(SETUP, {"verify": "1", "otp_token": code(device)}, follow=True)

    assert response.context["step"] == "manage"


def test_a_verified_session_moves_to_a_new_phone_and_the_old_one_stops(client, clock):
    make_staff("chief")
    old, codes = enrol(client, "chief")

    client.get(SETUP + "?new-phone=1")
    new = TOTPDevice.objects.get(confirmed=False)
    clock.shift(timedelta(seconds=30))
    response = client.post(SETUP + "?new-phone=1", {"otp_token": code(new)})

    assert response.status_code == 302
    assert list(TOTPDevice.objects.values_list("pk", flat=True)) == [new.pk]
    assert StaticToken.objects.count() == len(codes)  # the recovery codes still work
    clock.shift(timedelta(seconds=30))
    assert log_in(Client(), "chief", otp_token=code(old)).status_code == 200  # refused


def test_turning_it_on_ends_the_accounts_other_sessions(clock):
    chief = make_staff("chief")
    elsewhere, other_account = Client(), Client()
    elsewhere.force_login(chief)  # signed in with a password before the app was set up
    other_account.force_login(make_staff("colleague"))

    enrol(Client(), "chief")

    assert not signed_in(elsewhere)
    assert signed_in(other_account)
    assert Session.objects.count() == 2  # the enrolling session and the colleague's


# --- Who must use it --------------------------------------------------------------


def test_chief_with_an_authenticator_must_use_it_when_required(client, clock, chiefs_need_codes):
    user = make_staff("chief")
    device, _codes = enrol(Client(), "chief")
    client.force_login(user)  # a password-only session, as before the rule

    response = client.get("/admin/", follow=True)
    assert "sign in to the desk with a code" in response.content.decode()
    assert not signed_in(client)

    clock.shift(timedelta(seconds=30))
    assert log_in(client, "chief", otp_token=code(device)).status_code == 302
    assert signed_in(client)


def test_chief_without_an_authenticator_is_sent_to_set_one_up(client, clock, chiefs_need_codes):
    client.force_login(make_staff("chief"))

    response = client.get("/admin/articles/article/", follow=True)

    assert response.redirect_chain[-1][0] == reverse("admin:two_factor_setup")
    assert response.context["required"]
    assert not signed_in(client)
    device = TOTPDevice.objects.get(user__username="chief", confirmed=False)
    confirmed = client.post(SETUP, {"otp_token": code(device)})
    assert confirmed.context["step"] == "codes"
    assert signed_in(client)


def test_editors_need_no_code_even_when_chiefs_do(client, chiefs_need_codes):
    client.force_login(make_staff("ed", group="Editors"))

    assert signed_in(client)


def test_chiefs_need_no_code_unless_required(client):
    client.force_login(make_staff("chief"))

    assert signed_in(client)


def test_posting_a_code_again_after_setting_up_changes_nothing(client, clock):
    """A refreshed confirmation page posts the code again: no second app is begun."""
    make_staff("chief")
    device, _codes = enrol(client, "chief")

    again = client.post(SETUP, {"otp_token": code(device)})

    assert again.status_code == 302
    assert list(TOTPDevice.objects.values_list("pk", "confirmed")) == [(device.pk, True)]
