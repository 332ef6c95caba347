"""Desks link their stories to other editions' (issue 22 item 5), never others' (issue 20 M1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.counterparts import (
    CounterpartRefused,
    article_counterparts_link,
    article_counterparts_unlink,
)
from articles.models import Article
from tests.desk.test_editions_desk import article_form, member
from tests.desk.test_held_counterparts import ltr, rtl
from tests.factories import make_article

pytestmark = pytest.mark.django_db

CANDIDATES = "admin:articles_article_counterpart_candidates"


@pytest.fixture
def persian_editor(client):
    user = member("persian-editor", "Editors", "Persian desk")
    client.force_login(user)
    return user


@pytest.fixture
def stories():
    """A live English story linked with a live Arabic one; a Persian draft; an English draft."""
    english = make_article(title="Talks resume")
    arabic = make_article(title="استئناف المحادثات", language="ar")
    article_counterparts_link(article=arabic, counterpart=english)
    return {
        "english": english,
        "arabic": arabic,
        "persian": make_article(title="گفتگوها", language="fa", status=Article.Status.DRAFT),
        "english_draft": make_article(title="Unpublished scoop", status=Article.Status.DRAFT),
    }


def candidates(client, **query):
    response = client.get(reverse(CANDIDATES), query)
    assert response.status_code == 200
    return {row["text"]: row["id"] for row in response.json()["results"]}


def link(client, article, counterpart, **changes):
    url = reverse("admin:articles_article_change", args=[article.pk])
    return client.post(url, article_form(article, counterpart=str(counterpart.pk), **changes))


def groups(*articles):
    return [Article.objects.get(pk=a.pk).translation_group for a in articles]


def test_a_single_desk_editor_is_offered_other_editions_live_stories(
    client, persian_editor, stories
):
    offered = candidates(client, term="")  # in the Persian desk's words

    # Each title set apart in its own direction, its edition in the desk's words.
    assert f"{ltr('Talks resume')} (انگلیسی)" in offered
    assert f"{rtl('استئناف المحادثات')} (عربی)" in offered
    assert f"{rtl('گفتگوها')} (فارسی)" in offered  # the desk's own draft
    assert f"{ltr('Unpublished scoop')} (انگلیسی)" not in offered  # another desk's draft
    found = candidates(client, term="talks")
    assert found == {f"{ltr('Talks resume')} (انگلیسی)": str(stories["english"].pk)}


def test_the_form_uses_the_picker_over_other_editions(client, persian_editor, stories):
    page = client.get(reverse("admin:articles_article_change", args=[stories["persian"].pk]))

    assert f'data-ajax--url="{reverse(CANDIDATES)}"' in page.content.decode()


def test_a_persian_editor_links_their_draft_to_the_english_story(client, persian_editor, stories):
    response = link(client, stories["persian"], stories["english"])

    assert response.status_code == 302
    english, arabic, persian = groups(stories["english"], stories["arabic"], stories["persian"])
    assert english == arabic == persian is not None  # joined the story's group, as it was


def test_another_desks_draft_cannot_be_picked_by_posting_its_id(client, persian_editor, stories):
    response = link(client, stories["persian"], stories["english_draft"])

    assert response.status_code == 200
    assert "counterpart" in response.context["adminform"].form.errors
    assert groups(stories["persian"], stories["english_draft"]) == [None, None]


def test_linking_never_merges_another_editions_stories_into_a_group(
    client, persian_editor, stories
):
    # Issue 20 M1: the Persian draft is linked with another Arabic story; linking it to
    # the English one would have merged the groups, giving the live English story the
    # wrong Arabic counterpart.
    other_arabic = make_article(title="خبر عربي آخر", language="ar")
    article_counterparts_link(article=stories["persian"], counterpart=other_arabic)
    before = groups(stories["english"], stories["arabic"], other_arabic, stories["persian"])

    response = link(client, stories["persian"], stories["english"], title="گفتگوها ادامه دارد")

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["counterpart"]
    assert errors == [  # in the Persian desk's words
        f"«{rtl('گفتگوها')}» از پیش به «{rtl('خبر عربي آخر')}» (عربی) پیوند دارد. پیوند دادن "
        f"آن به «{ltr('Talks resume')}» "
        "پیوندهای آن مطلب را هم تغییر می\u200cدهد: نخست پیوند را بردارید، یا از کسی بخواهید "
        "که در هر دو نسخه می\u200cنویسد."
    ]
    assert "گفتگوها ادامه دارد" in response.content.decode()  # what was typed is kept
    assert groups(stories["english"], stories["arabic"], other_arabic, stories["persian"]) == before


def test_the_service_refuses_the_same_merge_on_the_write_path(persian_editor, stories):
    other_arabic = make_article(title="خبر عربي آخر", language="ar")
    article_counterparts_link(article=stories["persian"], counterpart=other_arabic)
    stories["persian"].refresh_from_db()

    with pytest.raises(CounterpartRefused):
        article_counterparts_link(
            article=stories["persian"], counterpart=stories["english"], user=persian_editor
        )

    assert groups(stories["english"])[0] != groups(stories["persian"])[0]


def test_a_story_gets_one_counterpart_per_edition(client, persian_editor, stories):
    first = make_article(title="ترجمه نخست", language="fa")
    article_counterparts_link(article=first, counterpart=stories["english"])

    response = link(client, stories["persian"], stories["english"])

    assert response.status_code == 200
    assert "ترجمه نخست" in response.context["adminform"].form.errors["counterpart"][0]
    assert groups(stories["persian"]) == [None]


def test_someone_on_every_desk_concerned_may_move_a_story_to_another_group(client, stories):
    desks = ["English desk", "Arabic desk", "Persian desk"]
    editor = member("all-desks", "Editors", *desks)
    client.force_login(editor)
    other_english = make_article(title="Talks in the capital")
    article_counterparts_link(article=stories["persian"], counterpart=other_english)

    response = link(client, stories["persian"], stories["arabic"])

    assert response.status_code == 200  # two English stories in one group: refused
    assert "Talks resume" in response.context["adminform"].form.errors["counterpart"][0]
    assert groups(stories["persian"]) == groups(other_english)
    # By the editor whose form is open (it holds the story's edit lock).
    article_counterparts_unlink(article=stories["persian"], user=editor)

    response = link(client, stories["persian"], stories["arabic"])

    assert response.status_code == 302
    assert len(set(groups(stories["english"], stories["arabic"], stories["persian"]))) == 1


@pytest.mark.parametrize("who", ["all-desks", None])
def test_nobody_gives_a_group_two_stories_of_one_edition(stories, who):
    desks = ["English desk", "Arabic desk", "Persian desk"]
    user = member(who, "Editors", *desks) if who else None  # None: the system
    other_arabic = make_article(title="خبر عربي آخر", language="ar")
    article_counterparts_link(article=stories["persian"], counterpart=other_arabic)

    with pytest.raises(CounterpartRefused, match="already linked with"):
        article_counterparts_link(
            article=stories["persian"], counterpart=stories["english"], user=user
        )
    assert groups(stories["english"]) != groups(stories["persian"])


def test_the_picker_answers_only_desk_staff(client, stories):
    client.force_login(member("moderator", "Moderators"))

    assert client.get(reverse(CANDIDATES)).status_code == 403


@pytest.mark.parametrize("page", ["x", "²", "-3", "99999"])
def test_the_picker_takes_any_page_number(client, persian_editor, stories, page):
    assert candidates(client, page=page)


@pytest.mark.parametrize("count", [5, 50])
def test_the_picker_costs_the_same_queries_at_any_size(client, persian_editor, count):
    for number in range(count):
        make_article(title=f"Story {number}")
    candidates(client)

    with CaptureQueriesContext(connection) as queries:
        candidates(client)

    # session, user, the user's permissions (2), count, page
    assert len(queries) <= 7
