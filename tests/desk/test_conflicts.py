"""Two editors save one article: the late save names the fields and asks, per field."""

import pytest
from django.urls import reverse

from articles.conflicts import loaded_version
from articles.models import Article
from tests.desk.test_desk import change, form_data, member_of
from tests.factories import make_article

pytestmark = pytest.mark.django_db

# Drafts: an Editor's save of a live article waits for review (articles/admin/review.py).
DRAFT = {"status": "draft", "publish_at": None}


@pytest.fixture
def editor():
    return member_of("Editors", "ed")


@pytest.fixture
def chief():
    return member_of("Chief Editors", "chief")


@pytest.fixture
def opened(client, chief):
    """An article with a first revision, as both editors opened it (their form data)."""
    article = make_article(title="Original", lead="Original lead", **DRAFT)
    client.force_login(chief)
    assert change(client, article).status_code == 302
    article.refresh_from_db()
    return article, form_data(article)


def post(client, article, data):
    return client.post(reverse("admin:articles_article_change", args=[article.pk]), data)


def test_the_opened_version_is_found_despite_reversions_millisecond_times(opened):
    article, data = opened

    assert article.updated_at.microsecond % 1000  # microseconds in the form's time
    assert loaded_version(article, data["loaded_at"]) is not None


def test_a_late_save_names_the_changed_fields_by_label_and_saves_nothing(client, opened, editor):
    article, data = opened
    assert change(client, article, title="Chief's title").status_code == 302
    client.force_login(editor)

    response = post(client, article, {**data, "lead": "Editor's careful lead"})

    assert response.status_code == 200
    form = response.context["adminform"].form
    message = form.non_field_errors()[0]
    assert "chief saved this article after you opened it" in message
    assert "changing: Title." in message and "details" not in message
    # Only the title clashes: the lead was changed by this editor alone.
    assert [(c.label, c.theirs, c.mine) for c in form.conflicts] == [
        ("Title", "Chief's title", "Original")
    ]
    content = response.content.decode()
    assert 'name="resolve-title" value="theirs"' in content
    assert "Editor&#x27;s careful lead" in content  # the editor's text is still there
    article.refresh_from_db()
    assert (article.title, article.lead) == ("Chief's title", "Original lead")


def test_a_second_blind_save_still_overwrites_nothing(client, opened, editor):
    article, data = opened
    change(client, article, title="Chief's title")
    client.force_login(editor)
    first = post(client, article, {**data, "lead": "Editor's lead"})

    again = post(client, article, first.context["adminform"].form.data.copy())

    assert again.status_code == 200
    assert "Choose theirs or yours for every field below: Title." in again.content.decode()
    article.refresh_from_db()
    assert (article.title, article.lead) == ("Chief's title", "Original lead")


@pytest.mark.parametrize(("choice", "title"), [("theirs", "Chief's title"), ("mine", "Original")])
def test_the_editor_chooses_per_field_and_loses_nothing(client, opened, editor, choice, title):
    article, data = opened
    change(client, article, title="Chief's title")
    client.force_login(editor)
    first = post(client, article, {**data, "lead": "Editor's lead"})
    answer = first.context["adminform"].form.data.copy()
    answer["resolve-title"] = choice

    saved = post(client, article, answer)

    assert saved.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.lead) == (title, "Editor's lead")
    assert article.updated_by == editor


def test_both_sides_of_every_clashing_field_are_shown(client, opened, editor):
    article, data = opened
    change(client, article, title="Chief's title", lead="Chief's lead", tags="Water")
    client.force_login(editor)

    response = post(client, article, {**data, "lead": "Editor's lead", "tags": "Energy"})

    conflicts = {c.name: (c.theirs, c.mine) for c in response.context["adminform"].form.conflicts}
    assert conflicts == {
        "title": ("Chief's title", "Original"),
        "lead": ("Chief's lead", "Editor's lead"),
        "tags": ("Water", "Energy"),
    }


def test_a_newer_save_while_choosing_asks_again(client, opened, editor):
    article, data = opened
    change(client, article, title="Chief's title")
    client.force_login(editor)
    answer = post(client, article, {**data, "lead": "Editor's lead"}).context["adminform"]
    answer = answer.form.data.copy()
    answer["resolve-title"] = "mine"
    client.force_login(article.updated_by)
    article.refresh_from_db()
    change(client, article, title="Chief's second title")
    client.force_login(editor)

    response = post(client, article, answer)

    assert response.status_code == 200
    conflicts = response.context["adminform"].form.conflicts
    assert [(c.theirs, c.chosen) for c in conflicts] == [("Chief's second title", "mine")]
    article.refresh_from_db()
    assert article.title == "Chief's second title"


def test_without_a_first_revision_every_difference_is_asked(client, chief, editor):
    article = make_article(title="Original", lead="Original lead", **DRAFT)  # no revision yet
    data = form_data(article)
    client.force_login(chief)
    change(client, article, title="Chief's title")
    client.force_login(editor)

    response = post(client, article, {**data, "lead": "Editor's lead"})

    names = [c.name for c in response.context["adminform"].form.conflicts]
    assert names == ["title", "lead"]


def test_a_save_since_that_this_form_would_not_undo_passes(client, opened, editor):
    article, data = opened
    change(client, article, title="Chief's title")
    client.force_login(editor)

    saved = post(client, article, {**data, "title": "Chief's title", "lead": "Editor's lead"})

    assert saved.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.lead) == ("Chief's title", "Editor's lead")
    assert Article.objects.count() == 1
