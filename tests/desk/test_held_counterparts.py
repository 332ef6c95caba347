"""A counterpart linked on a held save is part of the held change (review × counterparts).

An Editor who may not publish links their live English story to the Persian
desk's live one: the link waits with the rest of the change. Readers' edition
switchers do not lead from one to the other until a Chief Editor publishes it;
the review page and its preview show it; sending back or withdrawing the change
leaves the stories unlinked; publishing links them through the same checks as
the direct path (articles/counterparts.py: a desk attaches only its own article).
"""

import pytest
from django.urls import reverse

from articles.counterparts import article_counterparts_link
from articles.models import Article, PendingChange
from pagecache.versions import forget_versions
from tests.desk.test_publishing_rights import form_values, post_form
from tests.factories import make_article
from web.bidi import isolated

pytestmark = pytest.mark.django_db


def ltr(title: str) -> str:
    """Return an English title as the desk's words set it apart (web/bidi.py)."""
    return isolated(title, rtl=False)


def rtl(title: str) -> str:
    """Return an Arabic or Persian title as the desk's words set it apart."""
    return isolated(title, rtl=True)


HELD = "Your change is waiting for a Chief Editor&#x27;s review"


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def review_url(article):
    return reverse("admin:articles_article_review", args=[article.pk])


def switcher(client, article) -> str:
    """Return the edition switcher of `article`'s page as readers get it."""
    page = client.get(article.get_absolute_url()).content.decode()
    nav = page[page.index('class="editions"') :]
    return nav[: nav.index("</nav>")]


def leads_to(client, article, other) -> bool:
    return f'href="{other.get_absolute_url()}"' in switcher(client, article)


def group(article):
    return Article.objects.get(pk=article.pk).translation_group


@pytest.fixture
def page_cache(settings):
    """Cache readers' pages, versions read from the cache as another process would."""
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_SECONDS = 300
    settings.PAGE_CACHE_VERSION_MEMO_SECONDS = 0
    forget_versions()
    yield
    forget_versions()


@pytest.fixture
def stories():
    english = make_article(title="Dam talks", lead="Talks resume.")
    persian = make_article(title="گفتگوهای سد", language="fa")
    return english, persian


@pytest.fixture
def held_link(client, stories, editor, django_capture_on_commit_callbacks):
    """The English Editor linked the live English story to the Persian one, and saved."""
    english, persian = stories
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(client, change_url(english), {"counterpart": str(persian.pk)})
    assert response.status_code == 302
    return english, persian


def test_the_link_is_held_with_the_change_not_applied(client, held_link):
    english, persian = held_link

    change = PendingChange.objects.get()

    assert change.state == "pending"
    assert change.data["counterpart"] == persian.pk
    assert group(english) is None and group(persian) is None
    assert HELD in client.get(change_url(english)).content.decode()
    assert not leads_to(client, english, persian)
    assert not leads_to(client, persian, english)


def test_reopening_the_form_shows_the_held_link_and_saving_again_keeps_it(client, held_link):
    english, persian = held_link

    values = form_values(client.get(change_url(english)))
    client.post(change_url(english), {**values, "lead": "Talks resume at noon."})

    assert values["counterpart"] == str(persian.pk)
    change = PendingChange.objects.get()
    assert change.data["counterpart"] == persian.pk
    assert change.data["fields"] == {"lead": "Talks resume at noon."}
    assert group(english) is None


def test_clearing_the_held_link_withdraws_a_change_with_nothing_else(client, held_link):
    english, _persian = held_link

    response = post_form(client, change_url(english), {"counterpart": ""})

    assert response.status_code == 302
    assert PendingChange.objects.get().state == "withdrawn"
    assert group(english) is None


def test_the_review_page_and_preview_show_the_link(client, held_link, chief):
    english, persian = held_link
    client.force_login(chief)

    review = client.get(review_url(english)).content.decode()
    preview = client.get(reverse("admin:articles_article_review_preview", args=[english.pk]))

    assert '<th scope="row">Counterpart in another edition</th>' in review
    assert f"<ins>{rtl('گفتگوهای سد')} (Persian)</ins>" in review
    nav = preview.content.decode()
    nav = nav[nav.index('class="editions"') :]
    assert f'href="{persian.get_absolute_url()}"' in nav[: nav.index("</nav>")]
    assert group(english) is None


def test_publishing_the_change_links_them_and_readers_switch_past_cached_pages(
    client, stories, editor, chief, page_cache, django_capture_on_commit_callbacks
):
    english, persian = stories
    assert not leads_to(client, english, persian)  # both pages cached, unlinked
    assert not leads_to(client, persian, english)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        post_form(client, change_url(english), {"counterpart": str(persian.pk)})
    client.logout()
    assert not leads_to(client, english, persian)

    client.force_login(chief)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review_url(english), {"publish": "1", "live_seen": "x"})
    client.logout()

    assert response.status_code == 302
    assert PendingChange.objects.get().state == "published"
    assert group(english) == group(persian) is not None
    assert leads_to(client, english, persian)
    assert leads_to(client, persian, english)


def test_sending_it_back_leaves_them_unlinked_and_the_editor_finds_the_link(
    client, held_link, chief, editor
):
    english, persian = held_link
    client.force_login(chief)

    client.post(review_url(english), {"send_back": "1", "note": "Wrong story."})

    assert group(english) is None and group(persian) is None
    assert not leads_to(client, english, persian)
    client.force_login(editor)
    assert form_values(client.get(change_url(english)))["counterpart"] == str(persian.pk)


def test_publishing_refuses_a_link_the_direct_path_would_refuse_now(client, held_link, chief):
    """Meanwhile the Persian desk linked its story to another English one: the group would
    get a second English story, which the direct path refuses; so does publishing."""
    english, persian = held_link
    other = make_article(title="Dam opens")
    article_counterparts_link(article=persian, counterpart=other)
    client.force_login(chief)

    response = client.post(review_url(english), {"publish": "1", "live_seen": "x"})

    assert response.status_code == 200
    assert f"is already linked with “{ltr('Dam opens')}” (English): unlink that one first." in (
        response.content.decode()
    )
    assert PendingChange.objects.get().state == "pending"
    assert group(english) is None
    assert group(persian) == group(other)


def test_a_chief_editors_own_link_goes_live_at_once(client, stories, chief):
    english, persian = stories
    client.force_login(chief)

    response = post_form(client, change_url(english), {"counterpart": str(persian.pk)})

    assert response.status_code == 302
    assert group(english) == group(persian) is not None
    assert not PendingChange.objects.exists()


# --- The review page says beforehand what Publish would refuse ------------------------------

WARNING = "Publish would refuse this change's counterpart link, and publish nothing: "


def review_warning(client, article) -> str | None:
    """Return the review page's warning about the change's counterpart link, if any."""
    page = client.get(review_url(article)).content.decode()
    if "data-counterpart-problem" not in page:
        return None
    warning = page[page.index("data-counterpart-problem") :]
    return warning[warning.index(">") + 1 : warning.index("</p>")]


def publish_refused(client, article) -> str:
    response = client.post(review_url(article), {"publish": "1", "live_seen": "x"})
    assert response.status_code == 200
    assert PendingChange.objects.get().state == "pending"
    return response.content.decode()


def test_a_link_publish_would_make_gets_no_warning(client, held_link, chief):
    english, _persian = held_link
    client.force_login(chief)

    assert review_warning(client, english) is None


def test_the_review_page_warns_of_a_story_another_desk_linked_since(client, held_link, chief):
    english, persian = held_link
    other = make_article(title="Dam opens")
    article_counterparts_link(article=persian, counterpart=other)
    client.force_login(chief)

    warning = review_warning(client, english)

    reason = (
        f"“{rtl('گفتگوهای سد')}” is already linked with “{ltr('Dam opens')}” (English): "
        "unlink that one first."
    )
    assert warning == WARNING + reason + " Send the change back to fix it."
    assert reason in publish_refused(client, english)  # Publish still refuses it itself


@pytest.mark.parametrize(
    ("since", "reason", "unlinked"),
    [
        (
            lambda story: story.delete(),
            "The story this change links as a counterpart was deleted.",
            True,
        ),
        (  # the English desk's Chief Editor may link only another edition's live story
            lambda story: Article.objects.filter(pk=story.pk).update(status=Article.Status.DRAFT),
            "Choose a published article of another edition.",
            True,
        ),
        (
            lambda story: Article.objects.filter(pk=story.pk).update(language="en"),
            "A counterpart is in another edition.",
            False,
        ),
    ],
    ids=["deleted", "taken-off-the-site", "now-in-the-same-edition"],
)
def test_the_review_page_warns_of_what_happened_to_the_story_since(
    client, held_link, chief, since, reason, unlinked
):
    english, persian = held_link
    since(persian)
    client.force_login(chief)

    assert reason in review_warning(client, english)
    assert reason in publish_refused(client, english)  # Publish still refuses it itself
    if unlinked:
        assert group(english) is None


def test_the_warning_judges_the_edition_the_change_moves_the_story_to(client, held_link, chief):
    english, _persian = held_link
    change = PendingChange.objects.get()
    change.data["fields"]["language"] = "fa"
    change.data["base"]["language"] = "en"
    change.save()
    client.force_login(chief)

    assert "A counterpart is in another edition." in review_warning(client, english)
