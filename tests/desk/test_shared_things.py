"""Shared things and standing pages follow the desk's rules (issue 20 M2, L1, L2).

Tags are shared by every edition: renaming or merging one that a live Persian
story carries is for the Persian desk's Chief Editor. Standing pages are live
the moment they are saved: their desk's Chief Editor's. Exclusive is curation.
The staff preview is for the story's own desk.
"""

import pytest
from django.urls import reverse

from alwaght.models import Page
from articles.models import Article, TaggedArticle
from tests.desk.test_publishing_rights import post_form
from tests.factories import make_article, make_gallery, make_section, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "ed_en": make_staff("ed_en", role="editor", desks=["en"]),
        "ed_fa": make_staff("ed_fa", role="editor", desks=["fa"]),
        "chief_en": make_staff("chief_en", role="chief", desks=["en"]),
        "chief_fa": make_staff("chief_fa", role="chief", desks=["fa"]),
    }


def persian_story(**fields):
    return make_article(language="fa", section=make_section(language="fa"), **fields)


def tag_of(article):
    return article.tags.get()


@pytest.mark.parametrize(
    ("who", "renamed"), [("ed_en", False), ("chief_en", False), ("chief_fa", True)]
)
def test_a_tag_a_live_persian_story_carries_is_renamed_only_by_the_persian_chief(
    client, people, who, renamed
):
    tag = tag_of(persian_story(tags=["نفت"]))
    client.force_login(people[who])

    post_form(
        client, reverse("admin:taggit_tag_change", args=[tag.pk]), {"name": "گاز", "slug": "gaz"}
    )

    tag.refresh_from_db()
    assert (tag.name == "گاز") is renamed


def test_a_tag_only_drafts_carry_is_anyones_to_rename(client, people):
    tag = tag_of(persian_story(tags=["پیش‌نویس"], status=Article.Status.DRAFT, publish_at=None))
    client.force_login(people["ed_en"])

    post_form(
        client,
        reverse("admin:taggit_tag_change", args=[tag.pk]),
        {"name": "draft", "slug": "draft"},
    )

    tag.refresh_from_db()
    assert tag.name == "draft"


def merge(client, tags, into):
    changelist = reverse("admin:taggit_tag_changelist")
    return client.post(
        changelist,
        {"action": "merge", "_selected_action": [t.pk for t in tags], "into": into.pk},
        follow=True,
    )


def test_merging_moves_the_articles_onto_the_kept_tag_once(client, people):
    both = make_article(tags=["Oil", "Petroleum"])
    one = make_article(tags=["Petroleum"])
    oil, petroleum = both.tags.get(name="Oil"), both.tags.get(name="Petroleum")
    client.force_login(people["chief_en"])

    response = merge(client, [oil, petroleum], into=oil)

    assert "2 articles moved" not in response.content.decode()  # one already had Oil
    assert sorted(a.pk for a in Article.objects.filter(tags=oil)) == sorted([both.pk, one.pk])
    assert not TaggedArticle.objects.filter(tag__name="Petroleum").exists()


def test_merging_a_tag_a_live_persian_story_carries_is_refused_to_the_english_chief(client, people):
    persian = tag_of(persian_story(tags=["Oil"]))
    english = tag_of(make_article(tags=["Petroleum"]))
    client.force_login(people["chief_en"])

    response = merge(client, [english, persian], into=english)

    assert "only a Chief Editor of that desk may merge them" in response.content.decode()
    assert TaggedArticle.objects.filter(tag=persian).exists()


@pytest.mark.parametrize(
    ("who", "changed"), [("ed_fa", False), ("chief_en", False), ("chief_fa", True)]
)
def test_a_standing_page_is_changed_by_its_desks_chief_only(client, people, who, changed):
    page = Page.objects.create(language="fa", slug="about", title="درباره", body="<p>-</p>")
    client.force_login(people[who])

    response = client.post(
        reverse("admin:alwaght_page_change", args=[page.pk]),
        {"language": "fa", "title": "درباره ما", "slug": "about", "body": "<p>-</p>"},
    )

    page.refresh_from_db()
    assert (page.title == "درباره ما") is changed
    assert response.status_code == (302 if changed else 403)


def test_editors_cannot_make_a_live_gallery_exclusive(client, people, media_root):
    gallery = make_gallery(language="fa")
    client.force_login(people["ed_fa"])

    response = post_form(
        client, reverse("admin:media_photogallery_change", args=[gallery.pk]), {"exclusive": "on"}
    )
    listed = client.get(reverse("admin:media_photogallery_changelist")).content.decode()

    gallery.refresh_from_db()
    assert gallery.exclusive is False
    assert response.status_code == 200  # the form again, saying why
    assert 'name="form-0-exclusive"' not in listed


@pytest.mark.parametrize(("who", "status"), [("ed_en", 404), ("chief_en", 404), ("ed_fa", 200)])
def test_the_staff_preview_of_a_draft_is_for_its_own_desk(client, people, who, status):
    draft = persian_story(status=Article.Status.DRAFT, publish_at=None)
    client.force_login(people[who])

    assert (
        client.get(
            reverse("articles:preview", kwargs={"pk": draft.pk}).replace("/en/", "/fa/")
        ).status_code
        == status
    )


def test_the_staff_preview_waits_for_the_two_factor_code(client, people, settings):
    settings.REQUIRE_2FA_FOR_CHIEFS = True
    draft = persian_story(status=Article.Status.DRAFT, publish_at=None)
    client.force_login(people["chief_fa"])  # signed in with a password only

    assert client.get(f"/fa/preview/{draft.pk}/").status_code == 404
