"""Editors are tied to their editions' desks: they write and publish only there."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from articles.models import Article, EditorsChoice
from articles.services import article_publish
from publishing.visibility import VisibilityChangeRefused, acting_as
from tests.factories import EMPTY_ARTICLE_INLINES, make_article, make_section

pytestmark = pytest.mark.django_db


def member(username, *groups):
    user = User.objects.create_user(username, password="pw-for-tests-only-1", is_staff=True)
    for group in groups:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def persian_chief():
    return member("persian-chief", "Chief Editors", "Persian desk")


def article_form(article, **changes):
    data = {
        "title": article.title,
        "slug": article.slug,
        "section": article.section_id,
        "lead": article.lead,
        "body": article.body,
        "status": article.status,
        "language": article.language,
        "comments_open": "on",
        **EMPTY_ARTICLE_INLINES,
    }
    if article.publish_at:
        data["publish_at_0"] = article.publish_at.strftime("%Y-%m-%d")
        data["publish_at_1"] = article.publish_at.strftime("%H:%M:%S")
    data.update(changes)
    return data


def test_a_persian_chief_publishes_in_persian(client, persian_chief):
    draft = make_article(language="fa", status=Article.Status.DRAFT, publish_at=None)
    client.force_login(persian_chief)

    response = client.post(
        reverse("admin:articles_article_change", args=[draft.pk]),
        article_form(draft, status="published"),
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED


def test_a_persian_chief_cannot_publish_in_english_on_any_path(client, persian_chief):
    english = make_article(status=Article.Status.DRAFT, publish_at=None)

    # The desk refuses the address (publishing/desk_rules.py) and does not even list it.
    client.force_login(persian_chief)
    change = reverse("admin:articles_article_change", args=[english.pk])
    assert client.post(change, article_form(english, status="published")).status_code == 403
    assert "persian-chief" not in str(english.updated_by)
    # The list action and any code acting as the chief are refused by the guard.
    with pytest.raises(VisibilityChangeRefused):
        article_publish(articles=Article.objects.filter(pk=english.pk), user=persian_chief)
    english.refresh_from_db()
    assert english.status == Article.Status.DRAFT
    changelist = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert english.title not in changelist


def test_moving_a_persian_article_to_english_is_refused(persian_chief):
    article = make_article(language="fa", status=Article.Status.DRAFT, publish_at=None)
    article.language = "en"

    with acting_as(persian_chief), pytest.raises(VisibilityChangeRefused):
        article.save()


def test_a_chief_cannot_put_another_editions_article_in_editors_choice(persian_chief):
    english = make_article()

    with acting_as(persian_chief), pytest.raises(VisibilityChangeRefused):
        EditorsChoice.objects.create(article=english, position=1)


def test_an_editor_writes_drafts_only_in_their_editions(client):
    editor = member("arabic-editor", "Editors", "Arabic desk")
    client.force_login(editor)
    section = make_section(language="ar")
    add = reverse("admin:articles_article_add")
    data = {
        "title": "مقال",
        "slug": "maqal",
        "section": section.pk,
        "lead": "مقدمة.",
        "body": "<p>نص.</p>",
        "status": "draft",
        **EMPTY_ARTICLE_INLINES,
    }

    assert client.post(add, {**data, "language": "ar"}).status_code == 302
    refused = client.post(add, {**data, "slug": "other", "language": "en"})
    assert refused.status_code == 200
    assert Article.objects.filter(language="en").count() == 0
    form = client.get(add).content.decode()
    select = form[form.index('id="id_language"') :]
    select = select[: select.index("</select>")]
    assert 'value="ar"' in select
    assert 'value="fa"' not in select and 'value="en"' not in select


def test_the_article_list_filters_by_edition(client, admin_user):
    make_article(title="English story")
    make_article(title="گزارش فارسی", language="fa")
    client.force_login(admin_user)

    page = client.get(reverse("admin:articles_article_changelist"), {"language__exact": "fa"})

    assert "گزارش فارسی" in page.content.decode()
    assert "English story" not in page.content.decode()


@pytest.mark.parametrize(("language", "direction"), [("fa", "rtl"), ("ar", "rtl"), ("en", "ltr")])
def test_the_desk_speaks_the_editors_language(client, admin_user, language, direction):
    client.force_login(admin_user)

    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert f'lang="{language}" dir="{direction}"' in page


def test_the_desk_language_switch_is_remembered(client, admin_user):
    client.force_login(admin_user)

    client.post(reverse("set_language"), {"language": "fa", "next": "/admin/"})
    page = client.get(reverse("admin:index")).content.decode()

    assert 'lang="fa" dir="rtl"' in page


def test_desks_are_groups_with_their_edition_permission():
    for code, name in {"en": "English desk", "ar": "Arabic desk", "fa": "Persian desk"}.items():
        codenames = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert codenames == {f"edit_edition_{code}"}
