"""Only Chief Editors (and superusers) change what readers see, on every admin path.

Each test drives one path through its admin URL as each role. Editors may save
drafts but never change visibility; Moderators cannot reach the desk's content.
"""

from datetime import timedelta

import lxml.html
import pytest
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, EditorsChoice, Topic
from articles.services import article_unpublish
from media.models import Film, Map, PhotoGallery
from publishing import visibility
from tests.factories import (
    make_article,
    make_editors_choice,
    make_film,
    make_gallery,
    make_map,
    make_topic,
)

pytestmark = pytest.mark.django_db

ROLES = ["editor", "chief", "moderator", "superuser"]
PUBLISHERS = {"chief", "superuser"}
GROUPS = {"editor": "Editors", "chief": "Chief Editors", "moderator": "Moderators"}


def make_user(role: str, username: str = "") -> User:
    if role == "superuser":
        return User.objects.create_superuser("root", password="pw-for-tests-only-1")
    user = User.objects.create_user(username or role, password="pw-for-tests-only-1", is_staff=True)
    user.groups.add(Group.objects.get(name=GROUPS[role]))
    user.groups.add(Group.objects.get(name="English desk"))  # the edition these tests write in
    return user


@pytest.fixture(params=ROLES)
def role(request):
    return request.param


@pytest.fixture
def as_role(client, role):
    client.force_login(make_user(role))
    return client


def form_values(response, form_id=None) -> dict:
    """Return what the browser would submit for the page's admin form, as a dict."""
    assert response.status_code == 200, response.status_code
    page = lxml.html.fromstring(response.content.decode())
    forms = [f for f in page.forms if form_id is None or f.get("id") == form_id]
    if form_id is None:
        forms = [f for f in forms if (f.get("id") or "").endswith("_form")]
    data = {}
    for field in forms[0].inputs:
        name, kind = field.get("name"), field.get("type", "")
        if not name or "__prefix__" in name or kind in {"submit", "file", "button"}:
            continue
        if kind in {"checkbox", "radio"}:
            if field.checked:
                data.setdefault(name, field.get("value", "on"))
            continue
        value = field.value if field.tag != "select" or not field.multiple else list(field.value)
        if field.tag == "textarea" and value.startswith("\n"):
            value = value[1:]  # as browsers do
        data.setdefault(name, "" if value is None else value)
    return data


def post_form(client, url, changes=(), unset=(), form_id=None):
    """Open `url` as the user would, change some fields, and submit it."""
    page = client.get(url)
    if page.status_code != 200:
        return client.post(url, dict(changes))  # the role cannot open it: try blind
    data = {**form_values(page, form_id), **dict(changes)}
    for name in unset:
        data.pop(name, None)
    return client.post(url, data)


def refused(response, role) -> bool:
    """Return whether the response refused (403, or the form shown again with errors)."""
    if role == "moderator":
        assert response.status_code == 403
        return True
    return response.status_code in {200, 403}


# --- The article form ---------------------------------------------------------------


def test_article_form_publishes_only_for_publishers(as_role, role):
    draft = make_article(status=Article.Status.DRAFT, publish_at=None)
    url = reverse("admin:articles_article_change", args=[draft.pk])

    response = post_form(as_role, url, {"status": "published"})

    draft.refresh_from_db()
    if role in PUBLISHERS:
        assert response.status_code == 302
        assert draft.is_live
    else:
        assert refused(response, role)
        assert draft.status == Article.Status.DRAFT
        if role == "editor":
            assert "Only Chief Editors can publish" in response.content.decode()


def test_article_form_unpublishes_only_for_publishers(as_role, role):
    live = make_article()
    url = reverse("admin:articles_article_change", args=[live.pk])

    response = post_form(as_role, url, {"status": "draft", "takedown_reason": "Legal"})

    live.refresh_from_db()
    assert live.is_live is (role not in PUBLISHERS)
    if role not in PUBLISHERS:
        assert refused(response, role)


def test_new_article_cannot_be_created_published_without_the_right(as_role, role):
    from tests.factories import make_section

    section = make_section()
    response = post_form(
        as_role,
        reverse("admin:articles_article_add"),
        {
            "title": "Born live",
            "slug": "born-live",
            "section": str(section.pk),
            "lead": "L",
            "body": "<p>B</p>",
            "status": "published",
        },
    )

    created = Article.objects.filter(slug="born-live").first()
    if role in PUBLISHERS:
        assert response.status_code == 302 and created.is_live
    else:
        assert refused(response, role)
        assert created is None


# --- Restoring a revision -----------------------------------------------------------


@pytest.fixture
def once_published(client):
    """An article saved while published, then taken down by a Chief Editor."""
    client.force_login(make_user("chief", "first-chief"))
    article = make_article(title="Old live title")
    url = reverse("admin:articles_article_change", args=[article.pk])
    assert post_form(client, url).status_code == 302
    assert (
        post_form(
            client, url, {"status": "draft", "title": "Draft title", "takedown_reason": "Legal"}
        ).status_code
        == 302
    )
    client.logout()
    article.refresh_from_db()
    assert not article.is_live
    published_version = Version.objects.get_for_object(article).last()
    assert published_version.field_dict["status"] == "published"
    return article, published_version


def test_restoring_a_published_version_publishes_it_for_nobody(client, role, once_published):
    """A restore brings back text, never visibility: not even a Chief Editor's (issue 22, 6)."""
    article, version = once_published
    client.force_login(make_user(role))
    url = reverse("admin:articles_article_revision", args=[article.pk, version.pk])

    # Pressing Save on the restore page exactly as it was offered.
    response = post_form(client, url)

    article.refresh_from_db()
    assert response.status_code == (403 if role == "moderator" else 302)
    assert not article.is_live
    assert article.title == ("Draft title" if role == "moderator" else "Old live title")
    assert Article.objects.published().filter(pk=article.pk).count() == 0
    # still gone (410: a Chief Editor took it down)
    assert client.get(f"/en/news/{article.pk}/{article.slug}/").status_code == 410


def test_a_restore_says_the_article_keeps_its_visibility(client, once_published):
    article, version = once_published
    client.force_login(make_user("editor"))
    url = reverse("admin:articles_article_revision", args=[article.pk, version.pk])

    page = client.get(url)
    response = post_form(client, url)

    assert page.status_code == 200
    content = page.content.decode()
    assert "the article stays as it is now (Draft)" in content
    assert "This version was saved as Published" in content
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.status) == ("Old live title", Article.Status.DRAFT)


def test_a_forged_restore_that_asks_for_published_is_refused_with_a_message(client, once_published):
    article, version = once_published
    client.force_login(make_user("editor"))
    url = reverse("admin:articles_article_revision", args=[article.pk, version.pk])

    response = post_form(client, url, {"status": "published"})

    assert response.status_code == 200
    assert "Only Chief Editors can publish" in response.content.decode()
    article.refresh_from_db()
    assert (article.title, article.status) == ("Draft title", Article.Status.DRAFT)


# --- Recovering a deleted article ---------------------------------------------------


def test_recovering_a_deleted_article_needs_publish_rights(client, role):
    first_chief = make_user("chief", "first-chief")
    client.force_login(first_chief)
    article = make_article(title="Taken down")
    pk = article.pk
    url = reverse("admin:articles_article_change", args=[pk])
    assert post_form(client, url).status_code == 302  # a first revision
    # Taken down (a live article is, before it can be deleted), then deleted.
    article_unpublish(articles=Article.objects.filter(pk=pk), user=first_chief, reason="Gone")
    delete = reverse("admin:articles_article_delete", args=[pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=pk).exists()
    version = Version.objects.get_deleted(Article).get(object_id=str(pk))

    client.force_login(make_user(role))
    recover = reverse("admin:articles_article_recover", args=[version.pk])
    listing = client.get(reverse("admin:articles_article_recoverlist"))
    response = post_form(client, recover)

    if role in PUBLISHERS:
        assert listing.status_code == 200
        assert response.status_code == 302
        assert Article.objects.get(pk=pk).is_live
    else:
        assert listing.status_code == 403
        assert response.status_code == 403
        assert not Article.objects.filter(pk=pk).exists()


# --- Bulk actions -------------------------------------------------------------------


@pytest.mark.parametrize("action", ["publish", "unpublish"])
def test_bulk_publish_actions_only_for_publishers(as_role, role, action):
    article = (
        make_article(status=Article.Status.DRAFT, publish_at=None)
        if action == "publish"
        else make_article()
    )

    response = as_role.post(
        reverse("admin:articles_article_changelist"),
        {
            "action": action,
            "_selected_action": [article.pk],
            "confirm": "yes",
            "takedown_reason": "Legal",
        },
    )

    article.refresh_from_db()
    changed = article.is_live is (action == "publish")
    assert changed is (role in PUBLISHERS)
    if role == "moderator":
        assert response.status_code == 403


def test_editors_choice_action_only_for_publishers(as_role, role):
    article = make_article()

    as_role.post(
        reverse("admin:articles_article_changelist"),
        {"action": "add_to_editors_choice", "_selected_action": [article.pk]},
    )

    assert EditorsChoice.objects.filter(article=article).exists() is (role in PUBLISHERS)


# --- Editor's Choice ----------------------------------------------------------------


def test_editors_choice_add_only_for_publishers(as_role, role):
    article = make_article()

    response = as_role.post(
        reverse("admin:articles_editorschoice_add"), {"article": article.pk, "position": 1}
    )

    assert EditorsChoice.objects.exists() is (role in PUBLISHERS)
    if role not in PUBLISHERS:
        assert response.status_code == 403


def test_editors_choice_change_and_delete_only_for_publishers(as_role, role):
    # Positions stay 1..n (articles/editors_choice.py): the second slot moves to the top.
    make_editors_choice(make_article(), position=1)
    slot = make_editors_choice(make_article(), position=2)
    change = reverse("admin:articles_editorschoice_change", args=[slot.pk])
    delete = reverse("admin:articles_editorschoice_delete", args=[slot.pk])

    changed = post_form(as_role, change, {"position": "1"})
    slot.refresh_from_db()
    moved = slot.position == 1
    deleted = as_role.post(delete, {"post": "yes"})

    assert moved is (role in PUBLISHERS)
    assert EditorsChoice.objects.filter(pk=slot.pk).exists() is (role not in PUBLISHERS)
    if role not in PUBLISHERS:
        assert changed.status_code == 403 and deleted.status_code == 403


def test_editors_choice_list_editable_only_for_publishers(as_role, role):
    slot = make_editors_choice(make_article(), position=1)
    make_editors_choice(make_article(), position=2)
    url = reverse("admin:articles_editorschoice_changelist")

    # Positions stay 1..n (articles/editors_choice.py): the first slot moves down one.
    post_form(as_role, url, {"form-0-position": "2", "_save": "Save"}, form_id="changelist-form")

    slot.refresh_from_db()
    assert (slot.position == 2) is (role in PUBLISHERS)


# --- Galleries, films and maps ------------------------------------------------------

MEDIA = {
    "gallery": (make_gallery, "media_photogallery", PhotoGallery),
    "film": (make_film, "media_film", Film),
    "map": (make_map, "media_map", Map),
}


@pytest.fixture(params=sorted(MEDIA))
def kind(request):
    return request.param


def test_media_form_publishes_only_for_publishers(as_role, role, kind):
    make, prefix, model = MEDIA[kind]
    item = make(status="draft", publish_at=None)

    response = post_form(
        as_role,
        reverse(f"admin:{prefix}_change", args=[item.pk]),
        {"status": "published", "title": "Retitled"},
    )

    item.refresh_from_db()
    if role in PUBLISHERS:
        assert response.status_code == 302
        assert model.objects.published().filter(pk=item.pk).exists()
    else:
        assert refused(response, role)
        assert item.status == "draft"
        if role == "editor":
            assert "Only Chief Editors can publish or unpublish" in response.content.decode()


def test_media_form_lets_editors_edit_drafts(client, kind):
    make, prefix, model = MEDIA[kind]
    item = make(status="draft", publish_at=None)
    client.force_login(make_user("editor"))

    response = post_form(
        client, reverse(f"admin:{prefix}_change", args=[item.pk]), {"title": "Retitled"}
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.status) == ("Retitled", "draft")


def test_media_list_editable_publishes_only_for_publishers(as_role, role, kind):
    make, prefix, model = MEDIA[kind]
    item = make(status="draft", publish_at=None)
    url = reverse(f"admin:{prefix}_changelist")

    response = post_form(
        as_role, url, {"form-0-status": "published", "_save": "Save"}, form_id="changelist-form"
    )

    published = model.objects.published().filter(pk=item.pk).exists()
    assert published is (role in PUBLISHERS)
    if role == "editor":  # the list is not editable for them: the post edits nothing
        assert 'name="form-0-status"' not in response.content.decode()


def test_media_list_editable_unpublishes_only_for_publishers(as_role, role, kind):
    make, prefix, model = MEDIA[kind]
    item = make()
    url = reverse(f"admin:{prefix}_changelist")

    post_form(as_role, url, {"form-0-status": "draft", "_save": "Save"}, form_id="changelist-form")

    assert model.objects.published().filter(pk=item.pk).exists() is (role not in PUBLISHERS)


# --- Topics -------------------------------------------------------------------------


def test_topic_in_focus_only_for_publishers(as_role, role):
    topic = make_topic(in_focus=False)

    form = post_form(
        as_role, reverse("admin:articles_topic_change", args=[topic.pk]), {"in_focus": "on"}
    )
    topic.refresh_from_db()
    via_form = topic.in_focus
    Topic.objects.filter(pk=topic.pk).update(in_focus=False)
    post_form(
        as_role,
        reverse("admin:articles_topic_changelist"),
        {"form-0-in_focus": "on", "_save": "Save"},
        form_id="changelist-form",
    )
    topic.refresh_from_db()

    assert via_form is (role in PUBLISHERS)
    assert topic.in_focus is (role in PUBLISHERS)
    if role == "editor":
        assert "Only Chief Editors can change the topics" in form.content.decode()


def test_editors_still_edit_topics_off_the_front_page(client):
    topic = make_topic(in_focus=False)
    client.force_login(make_user("editor"))

    response = post_form(
        client,
        reverse("admin:articles_topic_change", args=[topic.pk]),
        {"description": "Better words"},
    )

    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.description == "Better words"


# --- The guard on the write path ----------------------------------------------------


def test_the_guard_refuses_writes_that_skip_forms():
    editor = make_user("editor")
    draft = make_article(status=Article.Status.DRAFT, publish_at=None)
    live = make_article()
    gallery = make_gallery(status="draft", publish_at=None)

    with visibility.acting_as(editor):
        draft.status = Article.Status.PUBLISHED
        with pytest.raises(visibility.VisibilityChangeRefused), transaction.atomic():
            draft.save()
        # the raw save django-reversion uses to restore and recover
        with pytest.raises(visibility.VisibilityChangeRefused), transaction.atomic():
            Article.save_base(draft, raw=True)
        live.publish_at = timezone.now() - timedelta(days=3)
        with pytest.raises(visibility.VisibilityChangeRefused), transaction.atomic():
            live.save()
        with pytest.raises(visibility.VisibilityChangeRefused), transaction.atomic():
            Article.objects.get(pk=live.pk).delete()
        gallery.status = "published"
        with pytest.raises(visibility.VisibilityChangeRefused), transaction.atomic():
            gallery.save()
        with pytest.raises(visibility.VisibilityChangeRefused), transaction.atomic():
            EditorsChoice.objects.create(article=live, position=1)
        # a live article's text: held for review in the admin, refused anywhere else
        retitled = Article.objects.get(pk=live.pk)
        retitled.title = "Rewritten behind the desk's back"
        with pytest.raises(visibility.VisibilityChangeRefused), transaction.atomic():
            retitled.save()
        # drafts stay the Editor's to write
        Article.objects.filter(pk=draft.pk).first().save()

    assert list(Article.objects.published()) == [Article.objects.get(pk=live.pk)]
    assert Article.objects.get(pk=live.pk).title != "Rewritten behind the desk's back"
    assert not PhotoGallery.objects.published().exists()


def test_the_guard_compares_with_the_stored_row_not_the_instance():
    editor = make_user("editor")
    draft = make_article(status=Article.Status.DRAFT, publish_at=None)
    # Someone (a raw restore) wrote "published" into this instance earlier...
    draft.status = Article.Status.PUBLISHED
    draft.publish_at = timezone.now()

    with visibility.acting_as(editor):
        problem = visibility.visibility_change_problem(draft)

    assert problem is not None and problem[0] == "status"


def test_the_system_and_publishers_pass_the_guard():
    draft = make_article(status=Article.Status.DRAFT, publish_at=None)
    draft.status = Article.Status.PUBLISHED
    draft.save()  # no acting user: the demo loader, commands, migrations

    with visibility.acting_as(make_user("chief")):
        draft.status = Article.Status.DRAFT
        draft.save()

    assert not Article.objects.published().exists()
