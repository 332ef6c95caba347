"""Staff sign-in: lockout after guessing (django-axes), two-factor codes (django-otp)."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "right-pass-for-tests-1"
LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def small_limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(seconds=2)


def make_staff(username, group="Chief Editors"):
    user = User.objects.create_user(username, password=PASSWORD)
    user.groups.add(Group.objects.get(name=group))
    return user


def log_in(client, username, password, address="198.51.100.1", **extra):
    return client.post(
        LOGIN,
        {"username": username, "password": password, **extra},
        REMOTE_ADDR=address,
    )


def signed_in(client):
    return client.get("/admin/").status_code == 200


def current_code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


# --- Lockout -------------------------------------------------------------------------


def test_repeated_wrong_passwords_lock_the_account_even_for_the_right_one(client, small_limits):
    make_staff("chief")
    for _ in range(2):
        assert log_in(client, "chief", "guess").status_code == 200  # the form again

    third = log_in(client, "chief", "guess")
    right = log_in(client, "chief", PASSWORD)

    assert third.status_code == 429
    assert right.status_code == 429
    assert "Sign-in is locked" in right.content.decode()
    assert "Try again in 0 minutes" in right.content.decode()  # 2 s in these tests
    assert not signed_in(client)


def test_the_account_is_locked_from_every_address(client, small_limits):
    make_staff("chief")
    for number in range(3):
        log_in(client, "chief", "guess", address=f"198.51.100.{number + 1}")

    assert log_in(client, "chief", PASSWORD, address="203.0.113.9").status_code == 429
    assert not signed_in(client)


def test_an_address_guessing_many_accounts_is_locked_for_all_of_them(client, small_limits):
    make_staff("chief")
    for name in ("alice", "bob", "carol"):
        log_in(client, name, "guess", address="198.51.100.7")

    assert log_in(client, "chief", PASSWORD, address="198.51.100.7").status_code == 429
    assert log_in(client, "chief", PASSWORD, address="203.0.113.9").status_code == 302


def test_sign_in_works_again_after_the_cool_off(client, small_limits):
    make_staff("chief")
    for _ in range(3):
        log_in(client, "chief", "guess")
    assert log_in(client, "chief", PASSWORD).status_code == 429

    time.sleep(2.1)

    assert log_in(client, "chief", PASSWORD).status_code == 302
    assert signed_in(client)


def test_an_insiders_own_good_login_does_not_clear_guesses_at_a_colleague(client, small_limits):
    make_staff("chief")
    make_staff("ed", group="Editors")
    for _ in range(2):
        log_in(client, "chief", "guess")
    assert log_in(client, "ed", PASSWORD).status_code == 302
    client.logout()

    log_in(client, "chief", "guess")

    assert log_in(client, "chief", PASSWORD).status_code == 429


def test_the_default_limits_lock_after_five_failures_for_fifteen_minutes(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


# --- Two-factor ----------------------------------------------------------------------


@pytest.fixture
def chiefs_need_codes(settings):
    settings.REQUIRE_2FA_FOR_CHIEFS = True


def test_an_account_with_an_authenticator_signs_in_only_with_its_code(client):
    user = make_staff("ed", group="Editors")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

    without = log_in(client, "ed", PASSWORD)
    not_the_code = "000000" if current_code(device) != "000000" else "111111"
    wrong = log_in(client, "ed", PASSWORD, otp_token=not_the_code)
    assert "Enter the 6-digit code" in without.content.decode()
    assert "That code is wrong" in wrong.content.decode()
    assert not signed_in(client)

    time.sleep(1.1)  # django-otp refuses every code for 1 s after a wrong one
    assert log_in(client, "ed", PASSWORD, otp_token=current_code(device)).status_code == 302
    assert signed_in(client)


def test_chief_with_an_authenticator_must_use_it_when_required(client, chiefs_need_codes):
    user = make_staff("chief")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)  # a password-only session, as before the rule

    response = client.get("/admin/", follow=True)
    assert "sign in to the desk with a code" in response.content.decode()
    assert not signed_in(client)

    assert log_in(client, "chief", PASSWORD, otp_token=current_code(device)).status_code == 302
    assert signed_in(client)


def test_chief_without_an_authenticator_is_sent_to_set_one_up(client, chiefs_need_codes):
    client.force_login(make_staff("chief"))

    response = client.get("/admin/articles/article/", follow=True)

    assert response.redirect_chain[-1][0] == reverse("admin:two_factor_setup")
    device = TOTPDevice.objects.get(user__username="chief", confirmed=False)
    assert response.context["key"]
    assert not signed_in(client)

    wrong = client.post(reverse("admin:two_factor_setup"), {"otp_token": "12"})
    assert "does not match" in wrong.content.decode()
    time.sleep(1.1)  # django-otp refuses every code for 1 s after a wrong one
    confirmed = client.post(reverse("admin:two_factor_setup"), {"otp_token": current_code(device)})

    assert confirmed.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert signed_in(client)


def test_editors_need_no_code_even_when_chiefs_do(client, chiefs_need_codes):
    client.force_login(make_staff("ed", group="Editors"))

    assert signed_in(client)


def test_chiefs_need_no_code_unless_required(client):
    client.force_login(make_staff("chief"))

    assert signed_in(client)


def test_the_setup_page_is_for_signed_in_staff_only(client):
    response = client.get(reverse("admin:two_factor_setup"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert not TOTPDevice.objects.exists()


# --- Desk groups make staff ----------------------------------------------------------


@pytest.mark.parametrize("group", ["Editors", "Chief Editors", "Moderators"])
def test_joining_a_desk_group_makes_the_account_staff(group):
    user = User.objects.create_user("newcomer")
    user.groups.add(Group.objects.get(name=group))

    user.refresh_from_db()
    assert user.is_staff


def test_adding_members_from_the_group_side_makes_them_staff():
    user = User.objects.create_user("newcomer")
    Group.objects.get(name="Editors").user_set.add(user)

    user.refresh_from_db()
    assert user.is_staff


def test_other_groups_do_not_make_staff():
    user = User.objects.create_user("reader")
    user.groups.add(Group.objects.create(name="Newsletter readers"))

    user.refresh_from_db()
    assert not user.is_staff


def test_the_admin_user_form_puts_a_new_editor_on_the_desk(client, admin_user):
    user = User.objects.create_user("newcomer", password=PASSWORD)
    client.force_login(admin_user)
    data = {
        "username": "newcomer",
        "is_active": "on",
        "groups": [Group.objects.get(name="Editors").pk],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "00:00:00",
    }

    response = client.post(reverse("admin:auth_user_change", args=[user.pk]), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.is_staff
    assert log_in(client, "newcomer", PASSWORD).status_code == 302
