"""Edit locks (who has the form open) and autosaves (unsaved work kept server-side)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Autosave, EditLock
from tests.desk.test_desk import change, form_data, member_of
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return member_of("Editors", "ed")


@pytest.fixture
def chief():
    return member_of("Chief Editors", "chief")


@pytest.fixture
def article():
    # A draft: an Editor's save of a live article would wait for review instead.
    return make_article(title="Harbour works", status="draft", publish_at=None)


def open_form(client, article, **params):
    return client.get(reverse("admin:articles_article_change", args=[article.pk]), params)


def heartbeat(client, article, token="tab-1"):
    return client.post(reverse("admin:articles_article_lock", args=[article.pk]), {"token": token})


# --- Locks ---------------------------------------------------------------------------


def test_opening_the_form_takes_the_lock_and_others_see_who_and_since_when(
    client, article, editor, chief
):
    client.force_login(editor)
    open_form(client, article)
    lock = EditLock.objects.get(article=article)
    since = timezone.localtime(lock.since).strftime("%H:%M")

    client.force_login(chief)
    content = open_form(client, article).content.decode()

    assert f"ed has been editing since {since}." in content
    assert "Take over" in content
    assert EditLock.objects.get(article=article).user == editor


def test_the_holder_sees_no_banner_and_editors_cannot_take_over(client, article, editor):
    client.force_login(editor)
    content = open_form(client, article).content.decode()

    assert "data-lock-banner hidden" in content
    assert "Take over" not in content


def test_heartbeats_keep_the_lock_and_tell_others_who_holds_it(client, article, editor, chief):
    client.force_login(editor)
    assert heartbeat(client, article).json() == {"held": True}
    client.force_login(chief)

    answer = heartbeat(client, article, token="tab-2").json()

    assert answer["held"] is False and answer["holder"] == "ed"
    assert EditLock.objects.get(article=article).user == editor


def test_a_stale_lock_is_free_to_take(client, article, editor, chief, settings):
    client.force_login(editor)
    heartbeat(client, article)
    EditLock.objects.update(
        seen_at=timezone.now() - timedelta(seconds=settings.DESK_LOCK_STALE_SECONDS + 1)
    )
    client.force_login(chief)

    assert heartbeat(client, article, token="tab-2").json() == {"held": True}
    assert EditLock.objects.get(article=article).user == chief


def test_a_closing_page_releases_only_its_own_lock(client, article, editor):
    client.force_login(editor)
    heartbeat(client, article, token="new-page")
    release = reverse("admin:articles_article_lock_release", args=[article.pk])

    client.post(release, {"token": "old-page"})  # the page before a save, closing late
    assert EditLock.objects.filter(article=article).exists()

    client.post(release, {"token": "new-page"})
    assert not EditLock.objects.filter(article=article).exists()


def test_only_chief_editors_take_over(client, article, editor, chief):
    client.force_login(chief)
    heartbeat(client, article)
    take_over = reverse("admin:articles_article_lock_take_over", args=[article.pk])
    other = member_of("Editors", "ed2")
    client.force_login(other)
    assert client.post(take_over, {"token": "t"}).status_code == 403

    client.force_login(editor)
    heartbeat(client, article)
    client.force_login(chief)
    response = client.post(take_over, {"token": "t"})

    assert response.status_code == 302
    assert EditLock.objects.get(article=article).user == chief
    client.force_login(editor)
    assert heartbeat(client, article).json()["holder"] == "chief"


def test_saving_releases_the_lock(client, article, chief):
    client.force_login(chief)
    open_form(client, article)

    assert change(client, article, title="Saved").status_code == 302
    assert not EditLock.objects.exists()


def test_lock_addresses_refuse_gets_and_those_without_change_rights(client, article):
    moderator = member_of("Moderators", "mod")
    client.force_login(moderator)

    assert heartbeat(client, article).status_code == 403
    assert client.get(reverse("admin:articles_article_lock", args=[article.pk])).status_code in (
        403,
        405,
    )
    assert not EditLock.objects.exists()


# --- Autosave ------------------------------------------------------------------------


def autosave(client, article, **fields):
    opened = form_data(article) if article else {}
    data = {**opened, **fields, "article": article.pk if article else ""}
    data["csrfmiddlewaretoken"] = "not-kept"
    return client.post(reverse("admin:articles_article_autosave"), data)


def test_autosave_keeps_the_form_and_reopening_offers_it(client, article, editor):
    client.force_login(editor)

    assert autosave(client, article, title="Half-written headline").status_code == 200

    kept = Autosave.objects.get(user=editor, article=article)
    assert kept.data["title"] == ["Half-written headline"]
    assert "csrfmiddlewaretoken" not in kept.data
    content = open_form(client, article).content.decode()
    assert "You have unsaved changes from" in content
    article.refresh_from_db()
    assert article.title == "Harbour works"  # never a save, never a revision


def test_restoring_fills_the_form_with_the_kept_fields(client, article, editor):
    client.force_login(editor)
    autosave(client, article, title="Half-written headline", lead="A kept lead")

    response = open_form(client, article, **{"restore-autosave": "1"})

    form = response.context["adminform"].form
    assert form["title"].value() == "Half-written headline"
    assert form["lead"].value() == "A kept lead"
    assert form["loaded_at"].value() == article.updated_at.isoformat()


def test_a_restored_form_saved_after_someone_elses_save_is_a_conflict(
    client, article, editor, chief
):
    client.force_login(editor)
    opened = form_data(article)
    autosave(client, article, lead="Editor's kept lead")
    client.force_login(chief)
    change(client, article, lead="Chief's lead")
    client.force_login(editor)

    restored = open_form(client, article, **{"restore-autosave": "1"})
    form = restored.context["adminform"].form
    assert form["lead"].value() == "Editor's kept lead"
    assert form["loaded_at"].value() == opened["loaded_at"]  # as opened, before the save
    data = {**opened, "lead": form["lead"].value()}
    response = client.post(reverse("admin:articles_article_change", args=[article.pk]), data)

    conflicts = response.context["adminform"].form.conflicts
    assert [(c.name, c.theirs, c.mine) for c in conflicts] == [
        ("lead", "Chief's lead", "Editor's kept lead")
    ]


def test_autosaves_belong_to_one_editor_and_go_on_save(client, article, editor, chief):
    client.force_login(editor)
    autosave(client, article, title="Editor's draft")
    client.force_login(chief)
    assert "You have unsaved changes" not in open_form(client, article).content.decode()
    autosave(client, article, title="Chief's draft")

    assert change(client, article, title="Chief's save").status_code == 302

    assert list(Autosave.objects.values_list("user__username", flat=True)) == ["ed"]


def test_the_new_article_form_has_its_own_autosave(client, editor):
    client.force_login(editor)

    assert autosave(client, None, title="Brand new").status_code == 200
    autosave(client, None, title="Brand new, longer")

    assert Autosave.objects.get(article=None).data["title"] == ["Brand new, longer"]
    add = client.get(reverse("admin:articles_article_add"), {"restore-autosave": "1"})
    assert add.context["adminform"].form["title"].value() == "Brand new, longer"


def test_discarding_drops_the_autosave(client, article, editor):
    client.force_login(editor)
    autosave(client, article, title="Not wanted")

    client.post(reverse("admin:articles_article_autosave_discard"), {"article": article.pk})

    assert not Autosave.objects.exists()


@pytest.mark.parametrize("target", ["moderator", "missing", "bad"])
def test_autosave_refuses_those_without_rights_and_bad_ids(client, article, target):
    user = member_of("Moderators" if target == "moderator" else "Editors", "someone")
    client.force_login(user)
    url = reverse("admin:articles_article_autosave")
    article_id = {"moderator": article.pk, "missing": 999999, "bad": "x"}[target]

    response = client.post(url, {"article": article_id, "title": "T"})

    assert response.status_code in (403, 404)
    assert not Autosave.objects.exists()


def test_heartbeat_and_autosave_cost_a_fixed_few_queries(
    client, article, editor, django_assert_max_num_queries
):
    client.force_login(editor)
    heartbeat(client, article)  # the lock exists, as on every beat after the first

    # session, user, the article's edition for the rules table, article, permissions (2),
    # the lock for update and its update
    with django_assert_max_num_queries(11):
        assert heartbeat(client, article).json() == {"held": True}
    typed = {**form_data(article), "title": "Typed", "article": article.pk}
    # the same five, then update_or_create: a select and an insert in two savepoints
    with django_assert_max_num_queries(11):
        assert client.post(reverse("admin:articles_article_autosave"), typed).status_code == 200


def test_a_change_held_for_review_also_clears_the_autosave_and_lock(client, editor):
    live = make_article(title="Live story")
    client.force_login(editor)
    open_form(client, live)
    autosave(client, live, title="Live story, revised")

    response = change(client, live, title="Live story, revised")

    assert response.status_code == 302
    live.refresh_from_db()
    assert live.title == "Live story"  # readers keep the live text while it waits
    assert not Autosave.objects.exists()
    assert not EditLock.objects.exists()
