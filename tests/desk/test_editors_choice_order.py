"""Editor's Choice order: move up, down, to the top, or type a place; positions stay unique."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from articles.models import EditorsChoice
from tests.desk.test_desk import member_of
from tests.factories import make_article, make_editors_choice

pytestmark = pytest.mark.django_db


@pytest.fixture
def slots():
    return [make_editors_choice(make_article(title=f"Story {n}")) for n in range(1, 5)]


@pytest.fixture
def chief(client):
    user = member_of("Chief Editors", "chief")
    client.force_login(user)
    return user


def order(language="en"):
    """Return an edition's titles in order, after the commit-time checks have run."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # tests never commit
    rows = EditorsChoice.objects.filter(language=language).order_by("position")
    rows = rows.values_list("position", "article__title")
    return [(position, title[-1]) for position, title in rows]


def move(client, slot, where):
    return client.post(reverse("admin:articles_editorschoice_move", args=[slot.pk, where]))


def add(client, article, position):
    """Add `article` at `position` through the admin's add form."""
    return client.post(
        reverse("admin:articles_editorschoice_add"),
        {"article": article.pk, "position": str(position), "until_0": "", "until_1": ""},
    )


@pytest.mark.parametrize(
    ("slot", "where", "expected"),
    [
        (2, "up", "1324"),
        (2, "down", "1243"),
        (3, "top", "4123"),
        (0, "up", "1234"),  # already first
        (3, "down", "1234"),  # already last
    ],
)
def test_buttons_move_a_slot_and_the_others_make_room(client, chief, slots, slot, where, expected):
    response = move(client, slots[slot], where)

    assert response.status_code == 302
    assert order() == list(enumerate(expected, start=1))


def test_typing_a_taken_place_inserts_there(client, chief, slots):
    data = {
        "form-TOTAL_FORMS": "4",
        "form-INITIAL_FORMS": "4",
        **{f"form-{i}-id": str(slot.pk) for i, slot in enumerate(slots)},
        **{f"form-{i}-position": str(slot.position) for i, slot in enumerate(slots)},
        **{f"form-{i}-until_0": "" for i in range(4)},
        **{f"form-{i}-until_1": "" for i in range(4)},
        "_save": "Save",
    }
    data["form-3-position"] = "1"  # Story 4 goes to the top

    response = client.post(reverse("admin:articles_editorschoice_changelist"), data)

    assert response.status_code == 302
    assert order() == list(enumerate("4123", start=1))


def test_adding_a_slot_at_a_taken_place_shifts_the_rest(client, chief, slots):
    response = add(client, make_article(title="Story 5"), 2)

    assert response.status_code == 302
    assert order() == list(enumerate("15234", start=1))


def test_the_database_refuses_two_slots_at_one_place(slots):
    with pytest.raises(IntegrityError), transaction.atomic():
        EditorsChoice.objects.filter(pk=slots[1].pk).update(position=1)
        order()


def test_editors_get_no_move_buttons_and_cannot_move(client, slots):
    client.force_login(member_of("Editors", "ed"))

    listing = client.get(reverse("admin:articles_editorschoice_changelist")).content.decode()

    assert "desk-move" not in listing
    assert move(client, slots[2], "top").status_code == 403
    assert order() == list(enumerate("1234", start=1))


@pytest.mark.parametrize("where", ["sideways", "up"])
def test_moves_answer_only_posts_in_known_directions(client, chief, slots, where):
    url = reverse("admin:articles_editorschoice_move", args=[slots[1].pk, where])

    response = client.post(url) if where == "sideways" else client.get(url)

    assert response.status_code == 404
    assert order() == list(enumerate("1234", start=1))


def test_the_article_list_does_not_show_an_expired_slot(client, chief):
    live = make_article(title="Still chosen")
    gone = make_article(title="No longer chosen")
    make_editors_choice(live)
    make_editors_choice(gone, until=timezone.now() - timezone.timedelta(minutes=1))

    listing = client.get(reverse("admin:articles_article_changelist")).context["cl"]

    positions = {article.title: article.choice_position for article in listing.result_list}
    assert positions == {"Still chosen": 1, "No longer chosen": None}
