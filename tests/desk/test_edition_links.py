"""An edition's content is written by its desk and links only within its edition
(publishing/edition_guard.py), on the desk's forms and on every other path.

Found by a probe as insiders: a Persian editor made an English section by leaving
the edition out of the form; a Persian Chief Editor wrote the English About page;
an English editor filed a story under an Arabic section and a Persian topic, with
a Persian draft as its Related Content.
"""

import pytest
from django.db import transaction
from django.urls import reverse

from alwaght.models import Page
from articles.models import Article, RelatedArticle, Section
from publishing.edition_guard import EditionLinkRefused
from publishing.visibility import VisibilityChangeRefused, acting_as
from tests.desk.test_editions_desk import article_form
from tests.factories import make_article, make_section, make_staff, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_draft():
    return make_article(language="en", status=Article.Status.DRAFT, publish_at=None)


def save_draft(client, article, **changes):
    url = reverse("admin:articles_article_change", args=[article.pk])
    return client.post(url, {**article_form(article, **changes), "_action": "save_draft"})


# --- Writes need the edition's desk ----------------------------------------------------


@pytest.mark.parametrize("role", ["editor", "chief"])
def test_a_section_form_without_its_edition_makes_one_in_the_desks_own(client, role):
    client.force_login(make_staff(f"persian-{role}", role=role, desks=("fa",)))

    response = client.post(
        reverse("admin:articles_section_add"),
        {"name": "Probe", "slug": "probe", "description": "", "position": "0"},
    )

    # The desk's own edition, where the field's default, English, was written before.
    assert response.status_code == 302
    assert list(Section.objects.filter(slug="probe").values_list("language", flat=True)) == ["fa"]


def test_a_section_form_with_its_edition_still_saves(client):
    client.force_login(make_staff("persian-editor", role="editor", desks=("fa",)))

    client.post(
        reverse("admin:articles_section_add"),
        {"name": "Probe", "slug": "probe", "language": "fa", "description": "", "position": "0"},
    )

    assert Section.objects.get(slug="probe").language == "fa"


def page_form(**fields):
    return {"title": "Notice", "slug": "notice", "body": "<p>Planted.</p>", **fields}


def test_a_chief_writes_no_standing_page_of_another_edition(client):
    client.force_login(make_staff("persian-chief", role="chief", desks=("fa",)))
    own = Page.objects.create(language="fa", title="About", slug="about-fa", body="<p>.</p>")
    english = Page.objects.create(language="en", title="About", slug="about", body="<p>.</p>")

    client.post(reverse("admin:alwaght_page_add"), page_form(language="en"))
    client.post(
        reverse("admin:alwaght_page_change", args=[own.pk]), page_form(language="en", slug="x")
    )
    client.post(reverse("admin:alwaght_page_change", args=[english.pk]), page_form(language="en"))
    client.post(reverse("admin:alwaght_page_delete", args=[english.pk]), {"post": "yes"})

    assert not Page.objects.filter(slug="notice").exists()
    assert Page.objects.get(pk=own.pk).language == "fa"
    assert Page.objects.get(pk=english.pk).title == "About"


def test_the_standing_pages_list_shows_the_desks_editions_only(client):
    client.force_login(make_staff("persian-chief", role="chief", desks=("fa",)))
    Page.objects.create(language="fa", title="Darbare", slug="about-fa", body="<p>.</p>")
    Page.objects.create(language="en", title="About us", slug="about", body="<p>.</p>")

    response = client.get(reverse("admin:alwaght_page_changelist"))

    assert [page.language for page in response.context["cl"].result_list] == ["fa"]


def test_no_path_writes_or_deletes_another_desks_section():
    english = make_section(language="en", slug="world")
    with acting_as(make_staff("persian-editor", role="editor", desks=("fa",))):
        english.name = "Renamed"
        with pytest.raises(VisibilityChangeRefused), transaction.atomic():
            english.save()
        with pytest.raises(VisibilityChangeRefused), transaction.atomic():
            english.delete()
        with pytest.raises(VisibilityChangeRefused), transaction.atomic():
            Section.objects.create(name="Made", slug="made")  # the field's default: en

    assert Section.objects.get(pk=english.pk).name != "Renamed"
    assert not Section.objects.filter(slug="made").exists()


# --- Links stay within the edition ------------------------------------------------------


@pytest.mark.parametrize(
    "pick",
    [
        lambda: {"section": make_section(language="ar").pk},
        lambda: {"topics": [make_topic(language="fa").pk]},
        lambda: {
            "related_links-TOTAL_FORMS": "1",
            "related_links-0-related": make_article(
                language="fa", status=Article.Status.DRAFT, publish_at=None
            ).pk,
            "related_links-0-position": "0",
        },
    ],
    ids=["section", "topic", "related"],
)
def test_the_article_form_refuses_another_editions_pick_and_keeps_the_text(
    client, english_draft, pick
):
    client.force_login(make_staff("english-editor", role="editor", desks=("en",)))
    stored_section = english_draft.section_id

    response = save_draft(client, english_draft, lead="What the editor typed.", **pick())

    assert response.status_code == 200  # the form again, with the field's error
    assert "Only the English edition" in response.content.decode()
    assert "What the editor typed." in response.content.decode()
    english_draft.refresh_from_db()
    assert english_draft.section_id == stored_section
    assert not english_draft.topics.exists()
    assert not RelatedArticle.objects.filter(article=english_draft).exists()


def test_the_article_form_takes_its_own_editions_picks(client, english_draft):
    client.force_login(make_staff("english-editor", role="editor", desks=("en",)))
    section, topic = make_section(language="en"), make_topic(language="en")
    related = make_article(language="en")

    response = save_draft(
        client,
        english_draft,
        section=section.pk,
        topics=[topic.pk],
        **{
            "related_links-TOTAL_FORMS": "1",
            "related_links-0-related": related.pk,
            "related_links-0-position": "0",
        },
    )

    assert response.status_code == 302
    english_draft.refresh_from_db()
    assert english_draft.section == section
    assert list(english_draft.topics.all()) == [topic]
    assert [link.related for link in english_draft.related_links.all()] == [related]


@pytest.mark.parametrize("who", ["system", "english chief"])
def test_no_path_links_an_article_to_another_edition(english_draft, who):
    user = make_staff("english-chief", role="chief", desks=("en",)) if who != "system" else None
    persian_topic, persian = make_topic(language="fa"), make_article(language="fa")
    arabic_section = make_section(language="ar")
    with acting_as(user):
        english_draft.section = arabic_section
        with pytest.raises(EditionLinkRefused), transaction.atomic():
            english_draft.save()
        with pytest.raises(EditionLinkRefused), transaction.atomic():
            english_draft.topics.add(persian_topic)
        with pytest.raises(EditionLinkRefused), transaction.atomic():
            persian_topic.articles.add(english_draft)  # from the other end
        with pytest.raises(EditionLinkRefused), transaction.atomic():
            RelatedArticle.objects.create(article=english_draft, related=persian)

    assert not english_draft.topics.exists()
    assert not RelatedArticle.objects.exists()


def test_moving_a_story_to_another_edition_takes_a_section_of_that_edition(english_draft):
    english_draft.language = "fa"
    with pytest.raises(EditionLinkRefused), transaction.atomic():
        english_draft.save()

    english_draft.section = make_section(language="fa")
    english_draft.save()

    assert Article.objects.get(pk=english_draft.pk).language == "fa"


def test_the_recover_list_names_only_the_desks_deleted_stories(client):
    from reversion import create_revision

    for language, title in (("en", "English story gone"), ("fa", "Persian story gone")):
        with create_revision():
            article = make_article(language=language, title=title)
        article.delete()
    client.force_login(make_staff("persian-chief", role="chief", desks=("fa",)))

    content = client.get(reverse("admin:articles_article_recoverlist")).content.decode()

    assert "Persian story gone" in content
    assert "English story gone" not in content


def test_a_save_of_other_fields_reads_no_links_edition():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    article = Article.objects.get(pk=make_article().pk)  # its section not loaded with it

    def sections_read(**save):
        with CaptureQueriesContext(connection) as queries:
            article.save(**save)
        return [q["sql"] for q in queries if 'FROM "articles_section"' in q["sql"]]

    # A bulk publish saves each article's status: no read of its section per article.
    assert sections_read(update_fields=["status", "title"]) == []
    assert len(sections_read(update_fields=["section"])) == 1  # its edition is checked
    assert len(sections_read()) == 1


def test_a_new_articles_related_content_is_of_its_edition_before_its_first_save(
    client, english_draft
):
    client.force_login(make_staff("english-editor", role="editor", desks=("en",)))
    persian = make_article(language="fa")
    fields = article_form(english_draft, title="A new story", slug="a-new-story")

    response = client.post(
        reverse("admin:articles_article_add"),
        {
            **fields,
            "_action": "save_draft",
            "related_links-TOTAL_FORMS": "1",
            "related_links-0-related": persian.pk,
            "related_links-0-position": "0",
        },
    )

    assert response.status_code == 200
    assert "Only the English edition" in response.content.decode()
    assert not Article.objects.filter(slug="a-new-story").exists()


def test_every_model_whose_state_is_guarded_is_an_editions_content():
    # publishing/visibility.py leaves the writer's edition to the edition guard.
    from publishing.edition_guard import edition_models
    from publishing.visibility import _watched

    assert set(_watched) <= edition_models()


# --- Moving to another edition ----------------------------------------------------------


def section_form(section, **changes):
    return {
        "name": section.name,
        "slug": section.slug,
        "language": section.language,
        "description": "",
        "position": "0",
        "counterpart_key": "",
        **changes,
    }


def test_a_section_its_stories_are_filed_under_stays_in_their_edition(client):
    client.force_login(make_staff("two-desk-chief", role="chief", desks=("en", "fa")))
    section = make_section(language="en", slug="world")
    make_article(language="en", section=section)
    url = reverse("admin:articles_section_change", args=[section.pk])

    response = client.post(url, section_form(section, language="fa", name="Jahan"))

    assert response.status_code == 200  # the form again, saying why
    assert "Content of the English edition links to this section" in response.content.decode()
    assert 'value="Jahan"' in response.content.decode()
    assert Section.objects.get(pk=section.pk).language == "en"


def test_an_empty_section_moves(client):
    client.force_login(make_staff("two-desk-chief", role="chief", desks=("en", "fa")))
    section = make_section(language="en", slug="world")

    client.post(
        reverse("admin:articles_section_change", args=[section.pk]),
        section_form(section, language="fa"),
    )

    assert Section.objects.get(pk=section.pk).language == "fa"


def test_no_path_moves_a_topic_or_a_story_that_content_links_into():
    english_story, picked = make_article(language="en"), make_article(language="en")
    topic = make_topic(language="en")
    english_story.topics.add(topic)
    RelatedArticle.objects.create(article=english_story, related=picked)

    topic.language = "fa"
    with pytest.raises(EditionLinkRefused), transaction.atomic():
        topic.save()
    picked.language, picked.section = "fa", make_section(language="fa")
    with pytest.raises(EditionLinkRefused), transaction.atomic():
        picked.save()  # an English story's Related Content would lead into Persian

    assert Article.objects.get(pk=picked.pk).language == "en"


def test_a_story_moves_with_its_own_picks_and_its_editors_choice_slot():
    from articles.models import EditorsChoice

    story = make_article(language="en")
    RelatedArticle.objects.create(article=story, related=make_article(language="en"))
    slot = EditorsChoice.objects.create(article=story, language="en", position=1)

    story.language, story.section = "fa", make_section(language="fa")
    story.save()  # its own picks are its form's to change; the slot follows it

    assert EditorsChoice.objects.get(pk=slot.pk).language == "fa"


def test_a_held_pick_moved_to_another_edition_since_is_said_on_the_review_page(client):
    from articles.models import PendingChange
    from tests.desk.test_held_story import review_url

    story = make_article(language="en", title="Dam talks")
    pick = make_article(language="en")
    PendingChange.objects.create(
        article=story, data={"fields": {"related": [pick.pk], "lead": "New."}, "base": {}}
    )
    pick.language, pick.section = "fa", make_section(language="fa")  # moved since
    pick.save()
    client.force_login(make_staff("english-chief", role="chief", desks=("en",)))

    response = client.post(review_url(story), {"publish": "1", "live_seen": "x"}, follow=True)

    assert response.status_code == 200  # was a bare 403
    assert "Nothing is published" in response.content.decode()
    assert "Only the English edition" in response.content.decode()
    story.refresh_from_db()
    assert story.lead != "New." and not story.related_links.exists()


def test_a_story_moves_to_no_edition_its_counterparts_already_have(client):
    from articles.counterparts import CounterpartRefused, article_counterparts_link

    english = make_article(language="en", title="Dam talks")
    persian = make_article(language="fa", title="Darbareye sad")
    article_counterparts_link(article=persian, counterpart=english)
    english.refresh_from_db()
    client.force_login(make_staff("two-desk-chief", role="chief", desks=("en", "fa")))
    persian_section = make_section(language="fa")

    response = save_draft(client, english, language="fa", section=persian_section.pk)

    assert response.status_code == 200  # said on the field, with what was typed
    assert "is this story&#x27;s counterpart in the Persian edition" in response.content.decode()
    english.language, english.section = "fa", persian_section
    with pytest.raises(CounterpartRefused), transaction.atomic():
        english.save()  # any other path: refused alike
    assert Article.objects.get(pk=english.pk).language == "en"


def test_a_held_move_is_not_put_live_with_topics_of_the_edition_it_leaves(client):
    from articles.models import PendingChange
    from tests.desk.test_held_story import review_url

    story = make_article(language="en", title="Dam talks")
    persian_section = make_section(language="fa")
    PendingChange.objects.create(
        article=story,
        data={"fields": {"language": "fa", "section": persian_section.pk}, "base": {}},
    )
    story.topics.add(make_topic(language="en"))  # added live since the move was held
    client.force_login(make_staff("two-desk-chief", role="chief", desks=("en", "fa")))

    response = client.post(review_url(story), {"publish": "1", "live_seen": "x"}, follow=True)

    assert "Nothing is published" in response.content.decode()
    assert Article.objects.get(pk=story.pk).language == "en"


def test_the_links_a_moved_story_holds_as_stored_are_named():
    from publishing.edition_guard import stored_link_problems

    story = make_article(language="en")
    assert stored_link_problems(story) == {}
    story.topics.add(make_topic(language="en"))
    RelatedArticle.objects.create(article=story, related=make_article(language="en"))
    RelatedArticle.objects.create(article=make_article(language="en"), related=story)

    story.language = "fa"  # its own topics and picks, not the picks of it elsewhere

    assert set(stored_link_problems(story)) == {"topic", "article"}


def test_a_blank_edition_is_the_desks_first_not_none(admin_client):
    admin_client.post(
        reverse("admin:articles_section_add"),
        {"name": "Probe", "slug": "probe", "language": "", "description": "", "position": "0"},
    )

    assert Section.objects.get(slug="probe").language == "en"


@pytest.mark.parametrize(("role", "moved"), [("editor", False), ("chief", True)])
def test_a_story_in_editors_choice_is_moved_by_a_chief_only(client, role, moved):
    from articles.models import EditorsChoice

    draft = make_article(language="en", status=Article.Status.DRAFT, publish_at=None)
    EditorsChoice.objects.create(article=draft, language="en", position=1)
    client.force_login(make_staff(f"two-desk-{role}", role=role, desks=("en", "fa")))

    response = save_draft(client, draft, language="fa", section=make_section(language="fa").pk)

    assert (response.status_code == 302) is moved  # an Editor was answered a bare 403
    if not moved:
        assert "only a Chief Editor moves it" in response.content.decode()
    assert Article.objects.get(pk=draft.pk).language == ("fa" if moved else "en")
