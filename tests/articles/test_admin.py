import pytest
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, EditorsChoice
from tests.factories import EMPTY_ARTICLE_INLINES, make_article, make_editors_choice, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_editor_creates_an_article_with_tags(editor_client):
    section = make_section()

    response = editor_client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "A new report",
            "slug": "a-new-report",
            "section": section.pk,
            "lead": "One sentence.",
            "body": '<p onclick="x()">Body</p>',
            "tags": "Water, Diplomacy",
            "status": "published",
            "publish_at_0": "2026-01-02",
            "publish_at_1": "10:00:00",
            "language": "en",
            **EMPTY_ARTICLE_INLINES,
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(slug="a-new-report")
    assert article.body == "<p>Body</p>"
    assert set(article.tags.names()) == {"Water", "Diplomacy"}


def test_admin_form_refuses_bad_input_and_keeps_it(editor_client):
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "Kept title",
            "slug": "bad slug!",
            "lead": "",
            "body": "",
            "status": "x",
            **EMPTY_ARTICLE_INLINES,
        },
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert {"slug", "section", "lead", "body", "status"} <= set(errors)
    assert 'value="Kept title"' in response.content.decode()


@pytest.mark.parametrize("visibility", ["draft", "review", "scheduled", "live", "expired"])
def test_changelist_filters_by_visibility(editor_client, visibility):
    make_article(title="Live one")

    response = editor_client.get(
        reverse("admin:articles_article_changelist"), {"visibility": visibility}
    )

    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert (shown != []) == (visibility == "live")


@pytest.mark.parametrize("article_count", [5, 50])
def test_changelist_query_count_is_fixed(editor_client, django_assert_num_queries, article_count):
    for number in range(article_count):
        article = make_article(tags=["x"])
        if number % 3 == 0:
            make_editors_choice(article, position=number)

    # session, user, sections (filter), authors (filter), count (no second count of
    # the whole list: show_full_result_count), rows (with Editor's Choice, views,
    # comment counts and held changes as subqueries), date hierarchy (2), pending
    # comments and changes awaiting review (header), and the savepoint pair of
    # reversion's revision block
    with django_assert_num_queries(12):
        response = editor_client.get(reverse("admin:articles_article_changelist"))

    assert response.status_code == 200
    assert 'class="desk-badge desk-badge--published"' in response.content.decode()


def test_action_appends_articles_to_editors_choice(editor_client):
    existing = make_article()
    make_editors_choice(existing, position=4)
    new_one, new_two = make_article(), make_article()

    editor_client.post(
        reverse("admin:articles_article_changelist"),
        {
            "action": "add_to_editors_choice",
            "_selected_action": [existing.pk, new_one.pk, new_two.pk],
        },
    )

    positions = dict(EditorsChoice.objects.values_list("article_id", "position"))
    assert positions[existing.pk] == 4
    assert sorted([positions[new_one.pk], positions[new_two.pk]]) == [5, 6]


def test_editors_choice_list_reorders_from_the_list(editor_client):
    slot = make_editors_choice(make_article(), position=1)

    response = editor_client.get(reverse("admin:articles_editorschoice_changelist"))

    assert response.status_code == 200
    assert 'name="form-0-position"' in response.content.decode()
    assert slot.article.title in response.content.decode()


def test_tag_autocomplete_lookup_is_available(editor_client):
    Tag.objects.create(name="Diplomacy", slug="diplomacy")

    response = editor_client.get(reverse("admin:taggit_tag_changelist"), {"q": "dipl"})

    assert response.status_code == 200
    assert "Diplomacy" in response.content.decode()
