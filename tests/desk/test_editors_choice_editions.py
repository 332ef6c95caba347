"""Each edition owns its front page: its own Editor's Choice numbering, list and moves."""

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import EditorsChoice
from tests.desk.test_editions_desk import member
from tests.desk.test_editors_choice_order import add, move, order
from tests.factories import make_article, make_editors_choice, make_section

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:articles_editorschoice_changelist"


@pytest.fixture
def fronts():
    """Three English and two Persian slots, added alternately."""
    made = {"en": [], "fa": []}
    for number in range(1, 4):
        made["en"].append(make_editors_choice(make_article(title=f"Story {number}")))
        if number < 3:
            persian = make_article(title=f"خبر {number}", language="fa")
            made["fa"].append(make_editors_choice(persian))
    return made


@pytest.fixture
def english_chief(client):
    user = member("english-chief", "Chief Editors", "English desk")
    client.force_login(user)
    return user


def place(client, slot, **neighbours):
    url = reverse("admin:articles_editorschoice_place", args=[slot.pk])
    return client.post(url, {name: str(other.pk) for name, other in neighbours.items()})


def test_each_edition_numbers_its_slots_from_one(fronts):
    assert order("en") == [(1, "1"), (2, "2"), (3, "3")]
    assert order("fa") == [(1, "1"), (2, "2")]


def test_a_single_desk_chief_puts_a_new_story_at_the_top(client, english_chief, fronts):
    # Issue 22 item 3: with one numbering, the Persian slots had to shift and the
    # English chief got a bare 403.
    response = add(client, make_article(title="Story 4"), 1)

    assert response.status_code == 302
    assert order("en") == [(1, "4"), (2, "1"), (3, "2"), (4, "3")]
    assert order("fa") == [(1, "1"), (2, "2")]


def test_a_persian_chief_adds_a_persian_story_to_their_edition(client, fronts):
    # The unsaved slot was in the default edition (English) when the form asked
    # whether its user may write it: every other desk's chief was refused.
    client.force_login(member("persian-chief", "Chief Editors", "Persian desk"))

    response = add(client, make_article(title="خبر 3", language="fa"), 1)

    assert response.status_code == 302
    assert order("fa") == [(1, "3"), (2, "1"), (3, "2")]
    assert order("en") == [(1, "1"), (2, "2"), (3, "3")]


def test_a_single_desk_chief_moves_a_story_to_the_top(client, english_chief, fronts):
    response = move(client, fronts["en"][2], "top")

    assert response.status_code == 302
    assert order("en") == [(1, "3"), (2, "1"), (3, "2")]
    assert order("fa") == [(1, "1"), (2, "2")]


def test_a_desk_lists_only_its_editions_slots_and_cannot_move_others(client, english_chief, fronts):
    listing = client.get(reverse(CHANGELIST))

    shown = {slot.article.title for slot in listing.context["cl"].result_list}
    assert shown == {"Story 1", "Story 2", "Story 3"}
    persian = fronts["fa"][1]
    assert reverse("admin:articles_editorschoice_move", args=[persian.pk, "top"]) not in (
        listing.content.decode()
    )
    # Refused (by the desk's rules before the view, else the view's own 404).
    assert move(client, persian, "top").status_code in (403, 404)
    assert place(client, persian, before=fronts["fa"][0]).status_code in (403, 404)
    assert order("fa") == [(1, "1"), (2, "2")]


def test_the_superuser_sees_every_edition_with_an_edition_filter(client, fronts):
    client.force_login(User.objects.create_superuser("root", password="pw-for-tests-only-1"))

    listing = client.get(reverse(CHANGELIST), {"language": "fa"})

    assert [slot.position for slot in listing.context["cl"].result_list] == [1, 2]
    assert "?language=fa" in listing.content.decode()
    everything = client.get(reverse(CHANGELIST)).context["cl"].result_list
    assert len(everything) == 5


@pytest.mark.parametrize(
    ("slot", "neighbours", "expected"),
    [
        (2, {"after": 0}, "132"),
        (0, {"after": 2}, "231"),
        (2, {"before": 0}, "312"),
        (1, {"after": 1}, "123"),  # beside itself: stays
    ],
)
def test_a_drop_places_the_slot_beside_its_new_neighbour(
    client, english_chief, fronts, slot, neighbours, expected
):
    english = fronts["en"]

    response = place(client, english[slot], **{name: english[i] for name, i in neighbours.items()})

    assert response.status_code == 200
    assert order("en") == list(enumerate(expected, start=1))
    stored = EditorsChoice.objects.filter(language="en").values_list("pk", "position")
    assert response.json()["positions"] == {str(pk): number for pk, number in stored}
    assert order("fa") == [(1, "1"), (2, "2")]


def test_a_drop_says_where_the_slot_went(client, english_chief, fronts):
    answer = place(client, fronts["en"][2], before=fronts["en"][0]).json()

    assert answer["message"] == "“Story 3” is now number 1 of English Editor's Choice."


@pytest.mark.parametrize(
    "data",
    [{}, {"after": "x"}, {"after": "²"}, {"before": "-1"}, {"after": "99999"}],
)
def test_a_drop_without_a_neighbour_of_its_edition_is_refused_with_words(
    client, english_chief, fronts, data
):
    url = reverse("admin:articles_editorschoice_place", args=[fronts["en"][1].pk])

    response = client.post(url, data)

    assert response.status_code == 400
    assert "beside another slot" in response.json()["error"]
    assert order("en") == [(1, "1"), (2, "2"), (3, "3")]


def test_a_drop_beside_another_editions_slot_is_refused(client, fronts):
    chief = member("two-desk-chief", "Chief Editors", "English desk", "Persian desk")
    client.force_login(chief)

    response = place(client, fronts["en"][2], before=fronts["fa"][0])

    assert response.status_code == 400
    assert order("en") == [(1, "1"), (2, "2"), (3, "3")]
    assert order("fa") == [(1, "1"), (2, "2")]


def test_editors_are_offered_no_handle_and_their_drops_are_refused(client, fronts):
    client.force_login(member("english-editor", "Editors", "English desk"))

    listing = client.get(reverse(CHANGELIST)).content.decode()

    assert "desk-drag" not in listing
    assert place(client, fronts["en"][2], before=fronts["en"][0]).status_code == 403
    assert order("en") == [(1, "1"), (2, "2"), (3, "3")]


def test_a_drop_answers_only_posts(client, english_chief, fronts):
    url = reverse("admin:articles_editorschoice_place", args=[fronts["en"][1].pk])

    assert client.get(url, {"after": fronts["en"][0].pk}).status_code == 404


def test_the_article_list_action_adds_at_the_end_of_each_articles_edition(client, fronts):
    chief = member("two-desk-chief", "Chief Editors", "English desk", "Persian desk")
    client.force_login(chief)
    english, persian = make_article(title="Story 4"), make_article(title="خبر 3", language="fa")

    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "add_to_editors_choice", "_selected_action": [english.pk, persian.pk]},
    )

    assert order("en")[-1] == (4, "4")
    assert order("fa")[-1] == (3, "3")


def test_the_database_holds_positions_unique_per_edition(fronts):
    # The same number in two editions is fine...
    assert fronts["en"][0].position == fronts["fa"][0].position == 1
    # ...twice in one edition is not.
    with pytest.raises(IntegrityError), transaction.atomic():
        EditorsChoice.objects.filter(pk=fronts["fa"][1].pk).update(position=1)
        order("fa")


def test_a_slot_follows_its_article_into_another_edition(fronts):
    article = fronts["fa"][0].article
    article.language, article.section = "en", make_section(language="en")
    article.save()

    assert order("en") == [(1, "1"), (2, "2"), (3, "3"), (4, "1")]
    assert order("fa") == [(1, "2")]


def two_desk_chief(client):
    user = member("two-desk-chief", "Chief Editors", "English desk", "Persian desk")
    client.force_login(user)
    return user


def test_a_slot_given_another_editions_story_leaves_its_list_closed_up(client, fronts):
    # On the slot's own form, its place untouched: the slot follows its new story into
    # Persian, at the place typed, and the English list closes up behind it.
    two_desk_chief(client)
    persian = make_article(title="خبر 3", language="fa")

    response = client.post(
        reverse("admin:articles_editorschoice_change", args=[fronts["en"][0].pk]),
        {"article": persian.pk, "position": "1", "until_0": "", "until_1": ""},
    )

    assert response.status_code == 302
    assert order("en") == [(1, "2"), (2, "3")]
    assert order("fa") == [(1, "3"), (2, "1"), (3, "2")]


def test_a_deleted_slot_leaves_its_list_closed_up(client, english_chief, fronts):
    response = client.post(
        reverse("admin:articles_editorschoice_delete", args=[fronts["en"][1].pk]), {"post": "yes"}
    )
    fronts["en"][0].article.delete()  # a story deleted takes its slot with it

    assert response.status_code == 302
    assert order("en") == [(1, "3")]
    assert order("fa") == [(1, "1"), (2, "2")]


def test_the_persian_desk_types_a_slots_end_in_the_solar_hijri_calendar(client, fronts):
    client.force_login(member("persian-chief", "Chief Editors", "Persian desk"))
    client.cookies["django_language"] = "fa"
    slot = fronts["fa"][0]

    form = client.get(reverse("admin:articles_editorschoice_change", args=[slot.pk]))
    listed = client.get(reverse(CHANGELIST))
    saved = client.post(
        reverse("admin:articles_editorschoice_change", args=[slot.pk]),
        {"article": slot.article.pk, "position": "1", "until_0": "۱۴۰۵/۱۰/۱۹", "until_1": "18:00"},
    )

    assert 'class="desk-jalali-date' in form.content.decode()
    assert 'class="desk-jalali-date' in listed.content.decode()
    assert saved.status_code == 302
    slot.refresh_from_db()
    assert timezone.localtime(slot.until).date().isoformat() == "2027-01-09"


def list_as_shown(response) -> dict:
    """Return what the list's form posts when saved as shown: every row, hidden initials too."""
    formset = response.context["cl"].formset
    data = {f"form-{name}": value for name, value in formset.management_form.initial.items()}
    for form in formset.forms:
        for name in form.fields:
            value = form[name].value()
            if name == "until":
                data |= {f"{form.prefix}-until_0": "", f"{form.prefix}-until_1": ""}
                continue
            data[f"{form.prefix}-{name}"] = (
                "" if value is None else str(getattr(value, "pk", value))
            )
            if form.fields[name].show_hidden_initial:
                data[f"initial-{form.prefix}-{name}"] = str(form[name].initial)
    return {**data, "_save": "Save"}


def test_saving_the_list_keeps_what_another_chief_dragged_meanwhile(client, fronts):
    client.force_login(User.objects.create_superuser("root", password="pw-for-tests-only-1"))
    shown = list_as_shown(client.get(reverse(CHANGELIST)))
    persian_chief = Client()
    persian_chief.force_login(member("persian-chief", "Chief Editors", "Persian desk"))
    dragged = place(persian_chief, fronts["fa"][1], before=fronts["fa"][0])
    # Only an English slot's end is set, on the list as it was shown before the drag.
    row = next(
        key
        for key, value in shown.items()
        if key.endswith("-id") and value == str(fronts["en"][2].pk)
    )
    prefix = row.removesuffix("-id")
    shown |= {f"{prefix}-until_0": "2030-01-01", f"{prefix}-until_1": "10:00:00"}

    saved = client.post(reverse(CHANGELIST), shown)

    assert (dragged.status_code, saved.status_code) == (200, 302)
    assert order("fa") == [(1, "2"), (2, "1")]
    assert order("en") == [(1, "1"), (2, "2"), (3, "3")]
    assert EditorsChoice.objects.get(pk=fronts["en"][2].pk).until.year == 2030


@pytest.mark.parametrize("count", [5, 50])
def test_the_list_costs_the_same_queries_at_any_length(
    client, english_chief, django_assert_max_num_queries, count
):
    for number in range(count):
        make_editors_choice(make_article(title=f"Story {number}"))
    client.get(reverse(CHANGELIST))  # warm the session and content types

    with django_assert_max_num_queries(12):
        response = client.get(reverse(CHANGELIST))

    assert len(response.context["cl"].result_list) == count


def test_the_migration_numbers_each_editions_slots_from_one():
    executor = MigrationExecutor(connection)
    before = [("articles", "0029_internal_notes")]
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        section = old.get_model("articles", "Section").objects.create(name="News", slug="news")
        article = old.get_model("articles", "Article")
        slot = old.get_model("articles", "EditorsChoice")
        for position, (title, language) in enumerate(
            [("e1", "en"), ("f1", "fa"), ("e2", "en"), ("a1", "ar"), ("f2", "fa")], start=1
        ):
            made = article.objects.create(
                section=section, title=title, slug=title, lead="L", body="B",
                language=language, publish_at=timezone.now(), status="published",
            )  # fmt: skip
            slot.objects.create(article=made, position=position)
        with connection.cursor() as cursor:  # the rows' deferred checks, before the ALTERs
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

        rows = EditorsChoice.objects.order_by("language", "position")
        assert list(rows.values_list("language", "position", "article__title")) == [
            ("ar", 1, "a1"),
            ("en", 1, "e1"),
            ("en", 2, "e2"),
            ("fa", 1, "f1"),
            ("fa", 2, "f2"),
        ]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
