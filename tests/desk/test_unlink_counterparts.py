"""The desk's Unlink control: a story taken out of its counterparts (desk × review × caches).

A desk unlinks its own story, as it links it (the rules table's `unlink_counterparts`
row): a Chief Editor's unlink, or an Editor's of a draft, is made at once, and readers'
edition switchers on both sides stop leading to the other story, past cached pages;
an Editor's unlink of a live story waits in their held change until a Chief Editor
publishes it. Another desk is refused. Each is played from both sides: the English
desk unlinking its story from the Persian one, and the Persian desk the other way.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.counterparts import (
    CounterpartLocked,
    article_counterparts_link,
    article_counterparts_unlink,
)
from articles.editing import lock_release, lock_take
from articles.models import Article, EditLock, PendingChange
from tests.desk.test_held_counterparts import (
    group,
    leads_to,
    ltr,
    page_cache,  # noqa: F401 (a fixture, used by name)
    review_url,
    review_warning,
    rtl,
)
from tests.desk.test_publishing_rights import form_values, post_form
from tests.factories import make_article, make_staff
from web.bidi import isolated

pytestmark = pytest.mark.django_db

OTHER = {"en": "fa", "fa": "en"}


def unlink_url(article):
    return reverse("admin:articles_article_unlink_counterparts", args=[article.pk])


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def people():
    """An Editor and a Chief Editor of each desk, by role and edition."""
    found = {}
    for role in ("editor", "chief"):
        for code in ("en", "fa"):
            user = found[role, code] = make_staff(f"{role}_{code}", role=role, desks=[code])
            user.email = f"{role}_{code}@example.org"
            user.save()
    return found


@pytest.fixture
def linked():
    """Live stories of the English and Persian desks, linked as counterparts."""
    english = make_article(title="Dam talks", lead="Talks resume.")
    persian = make_article(title="گفتگوهای سد", language="fa", lead="گفتگوها از سر گرفته شد.")
    article_counterparts_link(article=english, counterpart=persian)
    return {"en": english, "fa": persian}


@pytest.fixture(params=["en", "fa"])
def edition(request):
    """The desk that unlinks its story: English, then Persian."""
    return request.param


def login(client, user):
    """Sign `user` in, the desk in English (the Persian desk's pages would be in Persian)."""
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def post_unlink(client, user, article, data=(), capture=None):
    login(client, user)
    if capture is None:
        return client.post(unlink_url(article), dict(data))
    with capture(execute=True):
        return client.post(unlink_url(article), dict(data))


def messages_of(client, url) -> str:
    return client.get(url).content.decode()


@pytest.mark.usefixtures("page_cache")
def test_a_chief_editor_unlinks_at_once_and_switchers_stop_past_cached_pages(
    client, people, linked, edition, django_capture_on_commit_callbacks
):
    ours, theirs = linked[edition], linked[OTHER[edition]]
    assert leads_to(client, ours, theirs)  # both pages cached, linked
    assert leads_to(client, theirs, ours)

    response = post_unlink(
        client, people["chief", edition], ours, capture=django_capture_on_commit_callbacks
    )
    client.logout()

    assert response.status_code == 302
    assert response.url == change_url(ours)
    assert group(ours) is None
    assert group(theirs) is None  # a group of one is no group
    assert not PendingChange.objects.exists()
    assert not leads_to(client, ours, theirs)
    assert not leads_to(client, theirs, ours)


@pytest.mark.parametrize("role", ["editor", "chief"])
def test_another_desk_is_refused(client, people, linked, edition, role):
    """The other desk's Editor and Chief Editor may not unlink this desk's story."""
    ours = linked[edition]

    response = post_unlink(client, people[role, OTHER[edition]], ours)

    assert response.status_code == 403
    assert group(ours) == group(linked[OTHER[edition]]) is not None
    assert not PendingChange.objects.exists()


@pytest.mark.usefixtures("page_cache")
def test_an_editors_unlink_of_a_live_story_waits_for_review(
    client, people, linked, edition, mailoutbox, django_capture_on_commit_callbacks
):
    ours, theirs = linked[edition], linked[OTHER[edition]]
    editor, chief = people["editor", edition], people["chief", edition]
    assert leads_to(client, ours, theirs)

    response = post_unlink(client, editor, ours, capture=django_capture_on_commit_callbacks)

    assert response.status_code == 302
    change = PendingChange.objects.get()
    assert (change.state, change.data) == (
        "pending",
        {"fields": {}, "base": {}, "notes": [], "unlink": True},
    )
    assert [mail.to for mail in mailoutbox] == [[chief.email]]  # its desk's Chief Editor, once
    page = messages_of(client, change_url(ours))
    assert "Unlinking it from its counterparts waits for a Chief Editor" in page
    assert "Keep the links" in page
    client.logout()
    assert group(ours) == group(theirs) is not None
    assert leads_to(client, ours, theirs)  # readers keep the links meanwhile
    assert leads_to(client, theirs, ours)

    login(client, chief)
    review = client.get(review_url(ours)).content.decode()
    preview = client.get(reverse("admin:articles_article_review_preview", args=[ours.pk]))
    assert '<th scope="row">Counterpart in another edition</th>' in review
    assert f"<del>{theirs.isolated_title} ({theirs.get_language_display()})</del>" in review
    assert review_warning(client, ours) is None
    nav = preview.content.decode()
    nav = nav[nav.index('class="editions"') :]
    assert f'href="{theirs.get_absolute_url()}"' not in nav[: nav.index("</nav>")]

    with django_capture_on_commit_callbacks(execute=True):
        published = client.post(review_url(ours), {"publish": "1", "live_seen": "x"})
    client.logout()

    assert published.status_code == 302
    assert PendingChange.objects.get().state == "published"
    assert group(ours) is None and group(theirs) is None
    assert not leads_to(client, ours, theirs)
    assert not leads_to(client, theirs, ours)


def test_keeping_the_links_withdraws_the_held_unlink(client, people, linked, edition):
    ours = linked[edition]
    editor = people["editor", edition]
    post_unlink(client, editor, ours, {"keep": "1"})  # nothing held yet: nothing happens
    assert not PendingChange.objects.exists()
    assert "withdrawn" not in messages_of(client, change_url(ours))
    post_unlink(client, editor, ours)

    response = client.post(unlink_url(ours), {"keep": "1"})

    assert response.status_code == 302
    assert PendingChange.objects.get().state == "withdrawn"
    assert "The unlink is withdrawn, and nothing awaits review." in messages_of(
        client, change_url(ours)
    )
    assert group(ours) == group(linked[OTHER[edition]]) is not None


def test_the_held_unlink_joins_the_editors_change_and_outlives_their_next_save(
    client, people, linked, edition
):
    ours = linked[edition]
    editor = people["editor", edition]
    login(client, editor)
    post_form(client, change_url(ours), {"lead": "A new lead."})

    post_unlink(client, editor, ours)
    post_form(client, change_url(ours), {"title": "A new title"})

    change = PendingChange.objects.get()
    assert change.data["unlink"] is True
    assert change.data["fields"] == {"lead": "A new lead.", "title": "A new title"}
    client.post(unlink_url(ours), {"keep": "1"})
    change.refresh_from_db()
    assert change.state == "pending"
    assert "unlink" not in change.data
    assert change.data["fields"] == {"lead": "A new lead.", "title": "A new title"}


def test_an_unlink_joins_a_draft_change_as_a_draft(client, people, linked, mailoutbox):
    english = linked["en"]
    editor = people["editor", "en"]
    login(client, editor)
    post_form(client, change_url(english), {"lead": "A new lead.", "_action": "save_draft"})
    assert PendingChange.objects.get().state == "draft"
    mailoutbox.clear()

    post_unlink(client, editor, english)

    change = PendingChange.objects.get()
    assert (change.state, change.data["unlink"]) == ("draft", True)
    assert mailoutbox == []  # a draft tells nobody


def test_an_editor_unlinks_a_draft_story_at_once(client, people, edition):
    ours = make_article(language=edition, status=Article.Status.DRAFT, publish_at=None)
    theirs = make_article(language=OTHER[edition])
    article_counterparts_link(article=ours, counterpart=theirs)

    response = post_unlink(client, people["editor", edition], ours)

    assert response.status_code == 302
    assert group(ours) is None and group(theirs) is None
    assert not PendingChange.objects.exists()


def test_the_others_of_a_larger_group_stay_linked(client, people, linked, edition):
    arabic = make_article(language="ar")
    article_counterparts_link(article=arabic, counterpart=linked["en"])
    ours, theirs = linked[edition], linked[OTHER[edition]]

    post_unlink(client, people["chief", edition], ours)

    assert group(ours) is None
    assert group(theirs) == group(arabic) is not None


def test_the_form_offers_the_control_to_its_desk_only(client, people, linked, edition):
    ours = linked[edition]
    form_owner = 'form="desk-unlink-counterparts"'

    login(client, people["chief", edition])
    page = client.get(change_url(ours)).content.decode()
    assert f'<button type="submit" {form_owner} class="button">Unlink it from them</button>' in (
        page
    )
    assert f'<form id="desk-unlink-counterparts" method="post" action="{unlink_url(ours)}"' in page
    assert "stop leading from one to the other at once" in page

    login(client, people["editor", edition])
    page = client.get(change_url(ours)).content.decode()
    assert "Held for review with your change" in page
    # The article form posts nothing of the control; the control posts nothing of the story.
    assert "keep" not in form_values(client.get(change_url(ours)))

    alone = make_article(language=edition)
    assert form_owner not in client.get(change_url(alone)).content.decode()


def test_unlinking_takes_a_post_with_the_desks_csrf_token(people, linked, edition):
    ours = linked[edition]
    browser = Client(enforce_csrf_checks=True)
    login(browser, people["chief", edition])

    assert browser.get(unlink_url(ours)).status_code == 405
    assert browser.post(unlink_url(ours)).status_code == 403  # no token
    assert group(ours) is not None


def test_a_story_linked_with_nothing_has_nothing_to_unlink(client, people, edition):
    alone = make_article(language=edition)

    response = post_unlink(client, people["chief", edition], alone)

    assert response.status_code == 302
    assert "This story is not linked with any other edition" in messages_of(
        client, change_url(alone)
    )


def test_a_held_unlink_then_a_link_moves_the_story_to_another_group(client, people, linked):
    """An Editor unlinks the English story from one Persian story and links another: the
    link is judged, on the form, the review page and at publish, as of the story unlinked
    (linked with the first, the English desk could not link the second)."""
    english, first = linked["en"], linked["fa"]
    second = make_article(title="سد دوم", language="fa")
    editor, chief = people["editor", "en"], people["chief", "en"]
    post_unlink(client, editor, english)

    response = post_form(client, change_url(english), {"counterpart": str(second.pk)})

    assert response.status_code == 302
    change = PendingChange.objects.get()
    assert (change.data["unlink"], change.data["counterpart"]) == (True, second.pk)
    login(client, chief)
    review = client.get(review_url(english)).content.decode()
    assert review_warning(client, english) is None
    assert f"<del>{rtl('گفتگوهای سد')} (Persian)</del>" in review
    assert f"<ins>{rtl('سد دوم')} (Persian)</ins>" in review

    client.post(review_url(english), {"publish": "1", "live_seen": "x"})

    assert PendingChange.objects.get().state == "published"
    assert group(english) == group(second) is not None
    assert group(first) is None


def test_the_review_page_judges_a_held_link_as_of_the_story_unlinked(client, people, linked):
    """The Persian story the change links was linked with another English one since."""
    english = linked["en"]
    second = make_article(title="سد دوم", language="fa")
    editor, chief = people["editor", "en"], people["chief", "en"]
    post_unlink(client, editor, english)
    post_form(client, change_url(english), {"counterpart": str(second.pk)})
    article_counterparts_link(article=second, counterpart=make_article(title="Dam opens"))
    login(client, chief)

    reason = (
        f"“{rtl('سد دوم')}” is already linked with “{ltr('Dam opens')}” (English): "
        "unlink that one first."
    )
    assert reason in review_warning(client, english)
    client.post(review_url(english), {"publish": "1", "live_seen": "x"})
    assert PendingChange.objects.get().state == "pending"
    assert group(english) == group(linked["fa"]) is not None  # nothing unlinked either


def test_the_persian_desk_reads_the_control_and_the_review_warning_in_persian(
    client, people, linked
):
    persian = linked["fa"]
    client.force_login(people["chief", "fa"])  # the desk speaks the desk's language

    form = client.get(change_url(persian)).content.decode()
    assert ">برداشتن پیوند با آن‌ها</button>" in form
    assert "جابه‌جاکنندهٔ نسخه‌ها بی‌درنگ دیگر خوانندگان را از یکی به دیگری نمی‌برد." in form

    client.force_login(people["editor", "fa"])
    client.post(unlink_url(persian))
    told = messages_of(client, change_url(persian))
    assert "همراه تغییر شما در انتظار بازبینی سردبیر است" in told
    assert ">پیوندها بمانند</button>" in client.get(change_url(persian)).content.decode()
    # Instead: a link to another English story, which would move the English one's links.
    other = make_article(title="Dam opens")
    PendingChange.objects.filter(article=persian).update(
        data={"fields": {}, "base": {}, "notes": [], "counterpart": other.pk}
    )

    client.force_login(people["chief", "fa"])
    warning = review_warning(client, persian)

    assert warning.startswith("انتشار، پیوند همتای این تغییر را نمی‌پذیرد و چیزی منتشر نمی‌شود: ")
    assert f"«{rtl('گفتگوهای سد')}» از پیش به «{ltr('Dam talks')}» (انگلیسی) پیوند دارد." in warning


@pytest.mark.parametrize(("desk", "shown"), [("en", "fa"), ("fa", "en")])
def test_each_counterpart_is_listed_in_its_own_language_and_direction(
    client, people, linked, desk, shown
):
    """A Persian title in the English desk's list, or an English one in the Persian
    desk's, kept whole (the element's dir isolates it), then its edition in the desk's
    words: the English title read "(انگلیسی) ... centre" around its neighbours."""
    client.force_login(people["chief", desk])  # the desk in its own language
    other = linked[shown]

    form = client.get(change_url(linked[desk])).content.decode()

    direction = "rtl" if other.is_right_to_left else "ltr"
    edition = {"en": "انگلیسی", "fa": "Persian"}[shown]
    assert (
        f'<a href="{change_url(other)}" lang="{shown}" dir="{direction}">{other.title}</a> '
        f"({edition})"
    ) in form


# --- Edit locks: an unlink changes both stories, so it waits for whoever has one open ---


def hold_lock(user, article, *, first_name="", last_name=""):
    """Have `user` open `article` in the desk (its form takes the lock so)."""
    user.first_name, user.last_name = first_name, last_name
    user.save()
    lock_take(article=article, user=user, token=f"tab-of-{user.pk}")


def editing(user, article) -> str:
    """Return the refusal's words for `user` editing `article`, as the desk shows them."""
    return (
        f"{isolated(user.get_full_name())} is editing “{article.isolated_title}” "
        f"({article.get_language_display()}): unlinking would change it under them. "
        "Try again once they have closed it."
    )


# Who has a story of the linked pair open when its desk's Chief Editor unlinks it.
HOLDERS = {
    "its desk's editor": lambda people, edition: people["editor", edition],
    "the other desk's editor": lambda people, edition: people["editor", OTHER[edition]],
    "the chief unlinking": lambda people, edition: people["chief", edition],
}


@pytest.mark.parametrize(
    ("holder", "story", "quiet", "refused"),
    [
        ("its desk's editor", "ours", False, True),
        ("the other desk's editor", "theirs", False, True),
        ("the chief unlinking", "ours", False, False),
        ("the chief unlinking", "theirs", False, False),
        ("the other desk's editor", "theirs", True, False),  # a closed laptop's lock
        (None, None, False, False),
    ],
)
def test_an_unlink_is_refused_while_someone_else_has_either_story_open(
    client, people, linked, edition, holder, story, quiet, refused
):
    ours, theirs = linked[edition], linked[OTHER[edition]]
    locked = {"ours": ours, "theirs": theirs}.get(story)
    user = HOLDERS[holder](people, edition) if holder else None
    if user is not None:
        hold_lock(user, locked, first_name="Maryam", last_name="Ahmadi")
    if quiet:
        heard = timezone.now() - timedelta(seconds=settings.DESK_LOCK_STALE_SECONDS + 1)
        EditLock.objects.update(seen_at=heard)

    response = post_unlink(client, people["chief", edition], ours)
    told = messages_of(client, change_url(ours))

    assert response.status_code == 302 and response.url == change_url(ours)
    assert not PendingChange.objects.exists()
    if refused:
        assert group(ours) == group(theirs) is not None  # nothing changed
        assert editing(user, locked) in told
        assert "no longer linked" not in told
    else:
        assert group(ours) is None and group(theirs) is None
        assert "is no longer linked with its counterparts" in told


def test_the_write_path_itself_refuses_an_unlink_under_someone_elses_lock(people, linked):
    """Not only the desk's control: any caller of the service, the system's too."""
    hold_lock(people["editor", "fa"], linked["fa"], first_name="Maryam", last_name="Ahmadi")

    for user in (people["chief", "en"], None):
        with pytest.raises(CounterpartLocked) as refused:
            article_counterparts_unlink(article=linked["en"], user=user)

        assert str(refused.value) == editing(people["editor", "fa"], linked["fa"])
        assert group(linked["en"]) == group(linked["fa"]) is not None


def test_a_held_unlink_is_published_once_the_counterpart_is_closed(client, people, linked):
    """The Editor who asked for it may keep their story open; another desk's editor
    with the counterpart open holds the whole change back (nothing is published)."""
    english, persian = linked["en"], linked["fa"]
    editor, chief, other = people["editor", "en"], people["chief", "en"], people["editor", "fa"]
    post_unlink(client, editor, english)
    post_form(client, change_url(english), {"lead": "Talks resume on Monday."})
    hold_lock(editor, english)
    hold_lock(other, persian, first_name="Maryam", last_name="Ahmadi")
    login(client, chief)

    refused = client.post(review_url(english), {"publish": "1", "live_seen": "x"})

    assert refused.status_code == 200
    assert f"Nothing is published: {editing(other, persian)}" in refused.content.decode()
    assert PendingChange.objects.get().state == "pending"
    assert Article.objects.get(pk=english.pk).lead == "Talks resume."
    assert group(english) == group(persian) is not None

    lock_release(article=persian, user=other)
    published = client.post(review_url(english), {"publish": "1", "live_seen": "x"})

    assert published.status_code == 302
    assert PendingChange.objects.get().state == "published"
    assert Article.objects.get(pk=english.pk).lead == "Talks resume on Monday."
    assert group(english) is None and group(persian) is None
