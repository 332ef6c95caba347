"""The rules table, tested as a matrix: every desk address × every role × the Persian desk's things.

Every admin address the site exposes is requested as each of seven accounts
(an administrator, an Editor and a Chief Editor of the English and of the
Persian desk, a Moderator, and a staff account in no group) on rows of the
Persian edition, and of the libraries every edition shares. What the table
(publishing/desk_rules.py) says the account gets must be what it gets: a refusal
is a 403 before the view runs, on a GET and on a POST (but for a live row the
table gives only to Chief Editors, `chief_when_live`: the form is shown again with
the refusal in words, nothing written); anything allowed is not refused. A new
admin address without a row in the table fails `test_every_desk_address_has_a_row`.
"""

import re

import pytest
import reversion
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from reversion.models import Version

from alwaght.desk_access import ADDRESSES, BULK_ACTIONS, PUBLIC, address_names, address_row
from alwaght.models import Page
from articles.models import Article, ArticleNote, PendingChange
from comments.models import BlockedTerm
from publishing.desk_rules import RULES, Outcome, allows, decide, markdown_table
from tests.factories import (
    make_article,
    make_author,
    make_comment,
    make_editors_choice,
    make_film,
    make_gallery,
    make_map,
    make_photo,
    make_section,
    make_staff,
    make_topic,
)

pytestmark = pytest.mark.django_db

ACCOUNTS = ["admin", "ed_en", "ed_fa", "chief_en", "chief_fa", "moderator", "staff"]
# Addresses not walked: the sign-in page (before any account), signing out (it ends
# the session the walk goes on with), and the catch-all that answers 404 to the rest.
NOT_WALKED = {"login", "logout"}


def admin_patterns():
    """Yield (name, route) of every admin URL pattern, as the resolver has them."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(
                    pattern.url_patterns,
                    prefix + str(pattern.pattern),
                    pattern.namespace or namespace,
                )
            elif isinstance(pattern, URLPattern) and namespace == "admin":
                yield pattern.name, prefix + str(pattern.pattern)

    yield from walk(get_resolver().url_patterns, "", None)


@pytest.fixture
def accounts():
    users = {
        "admin": User.objects.create_superuser("admin", "admin@example.org", "pw-for-tests-1"),
        "ed_en": make_staff("ed_en", role="editor", desks=["en"]),
        "ed_fa": make_staff("ed_fa", role="editor", desks=["fa"]),
        "chief_en": make_staff("chief_en", role="chief", desks=["en"]),
        "chief_fa": make_staff("chief_fa", role="chief", desks=["fa"]),
        "moderator": make_staff("moderator", role="moderator", desks=[]),
        "staff": User.objects.create_user("staff", password="pw-for-tests-1", is_staff=True),
    }
    return users


@pytest.fixture
def persian_desk(accounts, media_root):
    """Rows of the Persian edition, and shared ones a live Persian story shows."""
    photo = make_photo()
    author = make_author(photo=make_photo())
    with reversion.create_revision():
        article = make_article(
            language="fa",
            section=make_section(language="fa"),
            author=author,
            photo=photo,
            tags=["نفت"],
        )
    with reversion.create_revision():
        article.title = "عنوان تازه"
        article.save()
    ArticleNote.objects.create(article=article, kind="correction", text="اصلاح")
    with reversion.create_revision():
        gone = make_article(language="fa", section=article.section)
    gone.delete()
    comment = make_comment(article=article)
    device = TOTPDevice.objects.create(user=accounts["staff"], name="phone", confirmed=True)
    attempt = {"user_agent": "x", "ip_address": "203.0.113.9", "username": "ed_en"}
    attempt |= {"http_accept": "*/*", "path_info": "/admin/login/", "attempt_time": timezone.now()}
    return {
        "articles.article": article,
        "articles.pendingchange": PendingChange.objects.create(
            article=article,
            submitted_by=accounts["ed_fa"],
            data={"fields": {"title": "پیشنهاد"}, "base": {"title": article.title}},
        ),
        "articles.editorschoice": make_editors_choice(article),
        "articles.section": article.section,
        "articles.topic": make_topic(language="fa"),
        "articles.author": author,
        "taggit.tag": article.tags.get(),
        "alwaght.page": Page.objects.create(language="fa", slug="about", title="درباره", body="-"),
        "media.photo": photo,
        "media.photogallery": make_gallery(language="fa", photos=1),
        "media.film": make_film(language="fa"),
        "media.map": make_map(language="fa"),
        "comments.comment": comment,
        "comments.blockedterm": BlockedTerm.objects.create(kind="word", value="spam-word"),
        "auth.user": accounts["staff"],
        "auth.group": Group.objects.get(name="Editors"),
        "axes.accessattempt": AccessAttempt.objects.create(
            **attempt, get_data="", post_data="", failures_since_start=1
        ),
        "axes.accesslog": AccessLog.objects.create(**attempt),
        "axes.accessfailurelog": AccessFailureLog.objects.create(**attempt),
        "otp_totp.totpdevice": device,
        "otp_static.staticdevice": StaticDevice.objects.create(user=accounts["staff"], name="b"),
        "version": Version.objects.get_for_object(article).order_by("pk").first(),
        "deleted": Version.objects.get_deleted(Article).get(),
    }


def concrete_urls(objects):
    """Yield (name, route, url, object) for every walked admin address."""
    article = objects["articles.article"]
    for name, route in admin_patterns():
        if name in NOT_WALKED or route.endswith("(?P<url>.*)$"):
            continue
        row = address_row_for(name, route)
        assert row is not None, f"{name or route}: no row in the rules table"
        label, _action, locator = row
        obj = objects.get(label)
        if name and name.endswith("_revision"):
            yield (
                name,
                route,
                reverse(f"admin:{name}", args=[article.pk, objects["version"].pk]),
                obj,
            )
        elif name and name.endswith("_recover"):
            deleted = objects["deleted"]
            yield (
                name,
                route,
                reverse(f"admin:{name}", args=[deleted.pk]),
                deleted._object_version.object,
            )
        elif name == "autocomplete":  # rows of the photos a gallery picks
            query = "?app_label=media&model_name=galleryphoto&field_name=photo&term=a"
            yield name, route, reverse("admin:autocomplete") + query, None
        elif name == "app_list":
            yield name, route, reverse("admin:app_list", args=["articles"]), None
        elif name == "view_on_site":
            kind = ContentType.objects.get_for_model(Article)
            yield name, route, reverse("admin:view_on_site", args=[kind.pk, article.pk]), None
        elif name == "comments_comment_moderate":
            yield name, route, reverse(f"admin:{name}", args=[obj.pk, "approved"]), obj
        elif name == "articles_editorschoice_move":
            yield name, route, reverse(f"admin:{name}", args=[obj.pk, "up"]), obj
        elif name is None:  # <id>/ redirects to <id>/change/
            yield name, route, "/" + route.replace("<path:object_id>", str(obj.pk)), obj
        elif locator:
            yield name, route, reverse(f"admin:{name}", args=[obj.pk]), obj
        else:
            yield name, route, reverse(f"admin:{name}"), None


def address_row_for(name, route):
    class Match:  # what check_address reads of a resolved address
        url_name = name
        kwargs = {"object_id": "1"} if "<path:object_id>" in route else {}

    Match.route = route
    return address_row(Match)


def test_every_desk_address_has_a_row(persian_desk):
    named = {name for name, _route in admin_patterns() if name}
    assert named - address_names() == set()
    for label, action, _locator in ADDRESSES.values():
        assert label == "autocomplete" or (label, action) in RULES, (label, action)


def test_every_registered_model_has_its_four_rows():
    from django.contrib import admin

    for model in admin.site._registry:
        for action in ("view", "add", "change", "delete"):
            assert (model._meta.label_lower, action) in RULES, (model, action)


def test_every_bulk_action_has_a_row():
    from django.contrib import admin

    actions = {
        (model._meta.label_lower, name)
        for model, model_admin in admin.site._registry.items()
        for _function, name, _description in model_admin._get_base_actions()
    }
    assert {name for _label, name in actions} == set(BULK_ACTIONS)
    for label, name in actions:
        assert (label, BULK_ACTIONS[name]) in RULES, (label, name)


@pytest.mark.parametrize("account", ACCOUNTS)
def test_every_address_answers_as_the_table_says(client, accounts, persian_desk, account):
    user = accounts[account]
    client.force_login(user)
    wrong = []
    for name, route, url, obj in concrete_urls(persian_desk):
        label, action, _locator = address_row_for(name, route)
        label = "media.photo" if name == "autocomplete" else label
        shown = "view" if action == "change" else action
        expected = decide(user, label, shown, obj)
        got = client.get(url).status_code
        if got >= 500 or (got == 403) != (expected is Outcome.DENY):
            wrong.append(f"GET {url} ({label} {shown}): table {expected.name}, got {got}")
        written = action
        if decide(user, label, written, obj) is Outcome.DENY:
            before = stored_row(obj)
            got = client.post(url, {"post": "yes", "_save": "Save"}).status_code
            if allows(user, label, written, obj):
                # `chief_when_live`: the form is theirs, a live row's change is refused in
                # words (200, what they typed shown again) and nothing is written.
                if got != 200 or stored_row(obj) != before:
                    wrong.append(f"POST {url} ({label} {written}): refused in words? got {got}")
            elif got != 403:
                wrong.append(f"POST {url} ({label} {written}): table DENY, got {got}")
    assert not wrong, "\n".join(wrong)


def stored_row(obj):
    if obj is None or getattr(obj, "pk", None) is None:
        return None
    return type(obj)._base_manager.filter(pk=obj.pk).values().first()


@pytest.mark.parametrize(
    ("account", "outcome"),
    [
        ("admin", Outcome.ALLOW),
        ("chief_fa", Outcome.ALLOW),
        ("ed_fa", Outcome.HOLD),
        ("chief_en", Outcome.DENY),
        ("ed_en", Outcome.DENY),
        ("moderator", Outcome.DENY),
        ("staff", Outcome.DENY),
    ],
)
def test_a_live_persian_story_is_changed_held_or_refused_by_role_and_desk(
    accounts, persian_desk, account, outcome
):
    """The cells readers care most about, written out by hand rather than read from the table."""
    story = persian_desk["articles.article"]
    assert decide(accounts[account], "articles.article", "change", story) is outcome


@pytest.mark.parametrize(
    ("account", "expected"),
    [("chief_fa", True), ("ed_fa", False), ("chief_en", False), ("ed_en", False)],
)
def test_shared_things_shown_by_a_live_persian_story_change_only_for_its_chief(
    accounts, persian_desk, account, expected
):
    for label in ("media.photo", "articles.author", "taggit.tag"):
        obj = persian_desk[label]
        got = decide(accounts[account], label, "change", obj) is not Outcome.DENY
        assert got is expected, label


def test_groups_hold_exactly_the_tables_permissions(accounts):
    from alwaght.roles import table_permissions

    for name, role in (
        ("Editors", "editor"),
        ("Chief Editors", "chief"),
        ("Moderators", "moderator"),
    ):
        held = {
            (p.content_type.app_label, p.codename)
            for p in Group.objects.get(name=name).permissions.select_related("content_type")
        }
        assert held == table_permissions(role), name


def test_public_addresses_are_only_the_sign_in():
    assert PUBLIC == {"login"}


def test_the_security_docs_print_the_table_as_it_is():
    from pathlib import Path

    docs = Path(__file__).resolve().parents[2] / "docs" / "security.md"
    printed = re.search(
        r"<!-- desk-rules: made by manage.py desk_rules -->\n(.*?)<!-- /desk-rules -->",
        docs.read_text(),
        re.S,
    )
    assert printed, "docs/security.md has no desk-rules table"
    assert printed.group(1) == markdown_table()
