"""Staff sign-in: locks for the guesser, not the office (django-axes), lifting them;
desk groups make staff. Two-factor codes: test_two_factor.py."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "right-pass-for-tests-1"
LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def small_limits(settings):
    """Three failures lock an account from an address; seven lock the address."""
    settings.LOGIN_LOCKS = {("username", "ip_address"): 3, ("ip_address",): 7}
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


@pytest.fixture
def clock():
    """Stop the clock at 10:00 UTC; `clock.shift(minutes=...)` moves it on."""
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=UTC), tick=False) as traveller:
        yield traveller


def make_staff(username, group="Chief Editors", desk=None):
    user = User.objects.create_user(username, password=PASSWORD)
    user.groups.add(Group.objects.get(name=group))
    if desk:
        user.groups.add(Group.objects.get(name=desk))
    return user


def log_in(client, username, password, address="198.51.100.1", **extra):
    return client.post(
        LOGIN,
        {"username": username, "password": password, **extra},
        REMOTE_ADDR=address,
    )


def signed_in(client):
    return client.get("/admin/").status_code == 200


# --- Lockout: the guesser, not the office --------------------------------------------


def test_repeated_wrong_passwords_lock_the_account_from_that_address(client, small_limits, clock):
    make_staff("chief")
    for _ in range(2):
        assert log_in(client, "chief", "guess").status_code == 200  # the form again

    third = log_in(client, "chief", "guess")
    right = log_in(client, "chief", PASSWORD)

    assert third.status_code == 429
    assert right.status_code == 429
    assert not signed_in(client)


def test_a_colleague_behind_the_same_address_is_not_locked_by_anothers_typos(
    client, small_limits, clock
):
    """Issue 22 item 4: one person's typos locked the whole office behind one address."""
    make_staff("ed", group="Editors")
    make_staff("colleague", group="Editors")
    office = "198.51.100.7"
    for _ in range(5):
        log_in(client, "ed", "typo", address=office)
    assert log_in(client, "ed", PASSWORD, address=office).status_code == 429

    assert log_in(client, "colleague", PASSWORD, address=office).status_code == 302
    assert signed_in(client)


def test_the_locked_account_still_signs_in_from_another_address(client, small_limits, clock):
    make_staff("chief")
    for _ in range(3):
        log_in(client, "chief", "guess", address="203.0.113.66")

    assert log_in(client, "chief", PASSWORD, address="203.0.113.66").status_code == 429
    assert log_in(client, "chief", PASSWORD, address="198.51.100.1").status_code == 302


def test_the_address_cap_locks_every_account_there_and_no_other_address(
    client, small_limits, clock
):
    make_staff("chief")
    sweep = "198.51.100.7"
    for name in ("alice", "bob", "carol", "dave"):
        for _ in range(2):
            log_in(client, name, "guess", address=sweep)

    assert log_in(client, "chief", PASSWORD, address=sweep).status_code == 429
    assert log_in(client, "chief", PASSWORD, address="203.0.113.9").status_code == 302


def test_a_newsrooms_ordinary_typos_never_reach_the_default_address_cap(client, clock):
    office = "198.51.100.7"
    staff = [make_staff(f"ed{number}", group="Editors") for number in range(12)]
    for user in staff:
        for _ in range(4):  # a bad morning: four typos each, 48 from one address
            log_in(client, user.username, "typo", address=office)

    for user in staff:
        assert log_in(client, user.username, PASSWORD, address=office).status_code == 302
        client.logout()


def test_sign_in_works_again_after_the_cool_off(client, small_limits, clock):
    make_staff("chief")
    for _ in range(3):
        log_in(client, "chief", "guess")
    assert log_in(client, "chief", PASSWORD).status_code == 429

    clock.shift(timedelta(minutes=14, seconds=59))
    assert log_in(client, "chief", PASSWORD).status_code == 429
    clock.shift(timedelta(seconds=2))
    assert log_in(client, "chief", PASSWORD).status_code == 302
    assert signed_in(client)


def test_trying_while_locked_does_not_move_the_unlock_time(client, small_limits, clock):
    """The lockout page names a time; more tries must not make it wrong."""
    make_staff("chief")
    for _ in range(3):
        log_in(client, "chief", "guess")

    clock.shift(timedelta(minutes=10))
    log_in(client, "chief", "guess again")
    clock.shift(timedelta(minutes=5, seconds=1))

    assert log_in(client, "chief", PASSWORD).status_code == 302


def test_an_insiders_own_good_login_does_not_clear_guesses_at_a_colleague(
    client, small_limits, clock
):
    make_staff("chief")
    make_staff("ed", group="Editors")
    for _ in range(2):
        log_in(client, "chief", "guess")
    assert log_in(client, "ed", PASSWORD).status_code == 302
    client.logout()

    log_in(client, "chief", "guess")

    assert log_in(client, "chief", PASSWORD).status_code == 429


def test_the_lockout_page_names_the_account_the_time_and_who_can_unlock(
    client, small_limits, clock
):
    make_staff("ed", group="Editors")
    for _ in range(3):
        log_in(client, "ed", "typo")
    clock.shift(timedelta(minutes=2))

    page = log_in(client, "ed", PASSWORD).content.decode()

    assert "Sign-in to the account “ed” from this address is locked" in page
    assert "3 wrong" in page
    assert "Other accounts can still sign in from here." in page
    assert "It unlocks by itself at 10:15, in 13 minutes." in page
    assert "ask a Chief Editor of your desk or the site's administrator" in page
    assert "Sign-in locks" in page


def test_the_lockout_page_says_when_the_whole_address_is_locked(client, small_limits, clock):
    for name in ("alice", "bob", "carol", "dave"):
        for _ in range(2):
            log_in(client, name, "guess", address="198.51.100.7")

    page = log_in(client, "newcomer", PASSWORD, address="198.51.100.7").content.decode()

    assert "Sign-in from this address is locked for every account: 7 wrong passwords" in page
    assert "everyone in it is locked" in page
    assert "It unlocks by itself at 10:15, in 15 minutes." in page
    assert "ask the site's administrator" in page
    assert "Chief Editor" not in page


def test_the_default_limits(settings):
    assert settings.LOGIN_LOCKS == {("username", "ip_address"): 5, ("ip_address",): 50}
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"], ["ip_address"]]
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


# --- Lifting a lock: Chief Editors for their desks' Editors, administrators for all ----


# Where each locked person works from (apart, so no address reaches its own cap).
HOMES = {"ed_en": "198.51.100.1", "ed_fa": "198.51.100.2", "chief_fa": "198.51.100.3"}


def lock_out(client, username, address="198.51.100.1", times=3):
    for _ in range(times):
        log_in(client, username, "typo", address=address)


@pytest.fixture
def english_desk(small_limits, clock):
    """A Chief and an Editor of the English desk, an Editor of the Persian desk, locked."""
    people = {
        "chief_en": make_staff("chief_en", desk="English desk"),
        "ed_en": make_staff("ed_en", group="Editors", desk="English desk"),
        "ed_fa": make_staff("ed_fa", group="Editors", desk="Persian desk"),
        "chief_fa": make_staff("chief_fa", desk="Persian desk"),
    }
    locker = Client()
    for name in ("ed_en", "ed_fa", "chief_fa"):
        lock_out(locker, name, address=HOMES[name])
    for name in ("x1", "x2", "x3", "x4"):
        lock_out(locker, name, address="203.0.113.50", times=2)  # the address cap
    return people


def locks_page(client):
    return client.get(reverse("admin:sign_in_locks"))


def listed(response):
    return {(lock.username, lock.ip_address) for lock in response.context["locks"]}


def test_a_chief_editor_unlocks_an_editor_of_their_desk(client, english_desk):
    client.force_login(english_desk["chief_en"])

    page = locks_page(client)
    assert listed(page) == {("ed_en", "198.51.100.1")}
    response = client.post(
        reverse("admin:sign_in_locks"), {"username": "ed_en", "ip_address": "198.51.100.1"}
    )

    assert response.status_code == 302
    assert log_in(Client(), "ed_en", PASSWORD).status_code == 302
    assert log_in(Client(), "ed_fa", PASSWORD, address=HOMES["ed_fa"]).status_code == 429


@pytest.mark.parametrize(
    ("username", "address"),
    [
        ("ed_fa", HOMES["ed_fa"]),  # an Editor of another desk
        ("chief_fa", HOMES["chief_fa"]),  # another Chief Editor
        ("", "203.0.113.50"),  # a whole address: administrators only
    ],
)
def test_a_chief_editor_cannot_unlock_other_desks_chiefs_or_addresses(
    client, english_desk, username, address
):
    client.force_login(english_desk["chief_en"])

    response = client.post(
        reverse("admin:sign_in_locks"), {"username": username, "ip_address": address}
    )

    assert response.status_code == 403
    assert log_in(Client(), username or "x1", "typo", address=address).status_code == 429


@pytest.mark.parametrize("group", ["Editors", "Moderators"])
def test_editors_and_moderators_have_no_locks_page(client, english_desk, group):
    client.force_login(make_staff("someone", group=group, desk="English desk"))

    assert locks_page(client).status_code == 403
    response = client.post(
        reverse("admin:sign_in_locks"), {"username": "ed_en", "ip_address": "198.51.100.1"}
    )
    assert response.status_code == 403
    assert "Sign-in locks" not in client.get("/admin/").content.decode()


def test_an_administrator_sees_and_lifts_every_lock(client, english_desk, admin_user):
    client.force_login(admin_user)

    assert listed(locks_page(client)) == {
        ("ed_en", "198.51.100.1"),
        ("ed_fa", HOMES["ed_fa"]),
        ("chief_fa", HOMES["chief_fa"]),
        (None, "203.0.113.50"),
    }
    client.post(reverse("admin:sign_in_locks"), {"username": "", "ip_address": "203.0.113.50"})

    assert log_in(Client(), "x1", "typo", address="203.0.113.50").status_code == 200
    assert (None, "203.0.113.50") not in listed(locks_page(client))


def test_unlocking_a_lock_that_ended_says_so(client, english_desk):
    client.force_login(english_desk["chief_en"])
    english_desk_lock = {"username": "ed_en", "ip_address": "198.51.100.1"}
    client.post(reverse("admin:sign_in_locks"), english_desk_lock)

    again = client.post(reverse("admin:sign_in_locks"), english_desk_lock, follow=True)

    assert "That sign-in is no longer locked." in again.content.decode()


def test_the_desk_links_chief_editors_to_the_locks_page(client, english_desk):
    client.force_login(english_desk["chief_en"])

    assert reverse("admin:sign_in_locks") in client.get("/admin/").content.decode()


@pytest.mark.parametrize("count", [1, 5])
def test_the_locks_page_costs_the_same_queries_for_one_lock_or_five(
    client, small_limits, clock, django_assert_num_queries, count
):
    chief = make_staff("chief_en", desk="English desk")
    for number in range(count):
        make_staff(f"ed{number}", group="Editors", desk="English desk")
        lock_out(Client(), f"ed{number}", address=f"198.51.100.{number + 1}")
    client.force_login(chief)
    client.get("/admin/")  # the session and the permission caches, as on any page

    with django_assert_num_queries(11):
        response = locks_page(client)

    assert len(response.context["locks"]) == count


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
