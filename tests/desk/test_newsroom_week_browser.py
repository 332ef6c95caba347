"""One newsroom week across the three desks, in a real browser (issue 22, "Done when").

The English, Arabic and Persian desks each have an Editor and a Chief Editor; a
Moderator and an administrator work across them. Each day (or journey) is one
test, so a failure names the step. At each step the test asserts what readers of
that edition see, through the page cache turned on as tests/pagecache turns it on
(a first visit stores the page, a second is a hit, the desk's action must make the
next visit show the change), and what each desk sees on its pages.

The clock is stopped and moved (tests/conftest.py's `stopped_clock`), never slept.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone, translation
from playwright.sync_api import expect

from articles.counterparts import article_counterparts_link
from articles.models import Article, EditorsChoice, PendingChange
from comments.models import Comment
from pagecache.versions import forget_versions
from publishing.desk_dates import jalali_format
from tests.desk.browser import answer_to, choose, switcher_link
from tests.desk.browser import sign_in as sign_in_page
from tests.desk.test_held_counterparts import ltr, rtl
from tests.factories import (
    make_article,
    make_comment,
    make_editors_choice,
    make_section,
    make_staff,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests-only-1"  # tests/factories.make_staff's
DESKS = {"en": "English desk", "ar": "Arabic desk", "fa": "Persian desk"}


@pytest.fixture(autouse=True)
def page_cache(settings):
    """Readers go through the page cache, as tests/pagecache/conftest.py sets it up."""
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_SECONDS = 300
    settings.PAGE_CACHE_VERSION_MEMO_SECONDS = 0  # each request reads the versions
    forget_versions()
    yield
    forget_versions()


@pytest.fixture
def newsroom():
    """The week's people: an Editor and a Chief Editor per desk, a Moderator, an administrator."""
    people = {}
    for code in DESKS:
        people[f"ed_{code}"] = make_staff(f"ed_{code}", role="editor", desks=[code])
        people[f"chief_{code}"] = make_staff(f"chief_{code}", role="chief", desks=[code])
    people["moderator"] = make_staff("moderator", role="moderator", desks=())
    people["administrator"] = User.objects.create_superuser(
        "administrator", "administrator@example.org", PASSWORD
    )
    return people


@pytest.fixture
def desk(browser, live_server, newsroom):
    """Return a function opening a signed-in desk page for one of the newsroom's people."""
    contexts = []

    def sign_in(username):
        viewport = {"width": 1280, "height": 900}
        contexts.append(browser.new_context(locale="en-GB", viewport=viewport))
        return sign_in_page(contexts[-1].new_page(), live_server.url, username, PASSWORD)

    yield sign_in
    for context in contexts:
        context.close()


class Reader:
    """Readers without a session: what the public sees, through the page cache.

    Each visit is a new reader (a fresh browser context): a browser keeps a page
    for its max-age, and the test asks what the site answers, not that copy.
    """

    def __init__(self, browser, base):
        self.browser = browser
        self.base = base
        self.context = None
        self.page = None

    def visit(self, path):
        """Open `path`; return the response (status, X-Page-Cache) with the page loaded."""
        self.close()
        self.context = self.browser.new_context(locale="en-GB")
        self.page = self.context.new_page()
        response = self.page.goto(self.base + path)
        assert response is not None
        return response

    def close(self):
        if self.context is not None:
            self.context.close()

    def sees(self, path, text, *, within="body"):
        response = self.visit(path)
        assert response.status == 200, (path, response.status)
        expect(self.page.locator(within).first).to_contain_text(text)
        return response

    def does_not_see(self, path, text, *, within="body"):
        response = self.visit(path)
        if response.status == 200 and self.page.locator(within).count():
            expect(self.page.locator(within).first).not_to_contain_text(text)
        return response

    def cached(self, path):
        """Visit `path` three times: stored from its second ask, the third answer
        comes from the page cache."""
        self.visit(path)
        self.visit(path)
        response = self.visit(path)
        assert response.headers.get("x-page-cache") == "hit", (path, response.headers)
        return response


@pytest.fixture
def reader(browser, live_server):
    reader = Reader(browser, live_server.url)
    yield reader
    reader.close()


def home_panel(page, base, panel):
    """Open the desk home and return one of its panels (desk-in-review, desk-scheduled…)."""
    page.goto(f"{base}/admin/")
    return page.locator(f"section[aria-labelledby={panel}]")


def press(page, button, message, language="en"):
    """Press `button` and read `message`, both in the desk's `language`."""
    page.get_by_role("button", name=says(language, button), exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text(says(language, message))


def says(language, text):
    """Return the desk's words for `text` in `language` (up to a placeholder, if any)."""
    with translation.override(language):
        return translation.gettext(text).split("%(")[0]


def speaks(page, language, direction):
    """The desk is in the language of the person's desk (alwaght/desk_language.py)."""
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("html")).to_have_attribute("dir", direction)


def change_url(base, article):
    return f"{base}/admin/articles/article/{article.pk}/change/"


def test_monday_english_story_submitted_sent_back_resubmitted_published(desk, reader, live_server):
    base = live_server.url
    make_section(name="Report", slug="report")
    ed_en, chief_en, chief_fa, administrator = (
        desk(name) for name in ("ed_en", "chief_en", "chief_fa", "administrator")
    )
    reader.cached("/en/")

    # The English Editor writes and submits: no status list, no Publish for them.
    ed_en.goto(f"{base}/admin/articles/article/add/")
    expect(ed_en.locator("select#id_status")).to_have_count(0)
    expect(ed_en.get_by_role("button", name="Publish", exact=True)).to_have_count(0)
    ed_en.fill("#id_title", "Port strike")
    choose(ed_en, "#id_section + .select2", "Rep", "Report")
    ed_en.fill("#id_lead", "Dockers stop work.")
    ed_en.locator(".ProseMirror[contenteditable=true]").click()
    ed_en.locator(".ProseMirror[contenteditable=true]").press_sequentially("Work stopped.")
    press(ed_en, "Submit for review", "Submitted for review")
    story = Article.objects.get(title="Port strike")
    assert story.status == Article.Status.REVIEW
    path = story.get_absolute_url()
    assert reader.visit(path).status == 404
    reader.does_not_see("/en/", "Port strike")

    # Awaiting review on the English desk and the administrator's, not the Persian one's.
    for page in (chief_en, administrator):
        expect(home_panel(page, base, "desk-in-review")).to_contain_text("Port strike")
    expect(home_panel(chief_fa, base, "desk-in-review")).not_to_contain_text("Port strike")

    # The English Chief sends it back with a note; the Editor finds it and the note.
    chief_en.locator("#desk-in-review + ul").get_by_role("link", name="Port strike").click()
    expect(chief_en.get_by_role("button", name="Submit for review")).to_have_count(0)
    chief_en.fill("#id_workflow_note", "Name the union's spokesperson.")
    press(chief_en, "Send back", "Sent back to its editor")
    sent_back = home_panel(ed_en, base, "desk-sent-back")
    expect(sent_back).to_contain_text("Port strike")
    sent_back.get_by_role("link", name="Port strike").click()
    expect(ed_en.locator(".desk-notes")).to_contain_text("Name the union's spokesperson.")
    assert reader.visit(path).status == 404

    # The Editor resubmits; it is no longer "sent back" to them, but awaiting review again.
    ed_en.fill("#id_lead", "Dockers stop work, their union's Ali Samadi says.")
    press(ed_en, "Submit for review", "Submitted for review")
    expect(home_panel(ed_en, base, "desk-sent-back")).not_to_contain_text("Port strike")
    expect(home_panel(chief_en, base, "desk-in-review")).to_contain_text("Port strike")

    # The Chief publishes: English readers see it on the front page (cached before) and
    # at its address, never the desk's notes; the Persian edition does not list it.
    chief_en.goto(change_url(base, story))
    press(chief_en, "Publish", "Published: readers see it now.")
    reader.sees("/en/", "Port strike")
    reader.sees(path, "Port strike", within="h1")
    reader.sees(path, "Ali Samadi")
    expect(reader.page.locator("body")).not_to_contain_text("spokesperson")
    reader.does_not_see("/fa/", "Port strike")
    expect(home_panel(chief_en, base, "desk-published")).to_contain_text("Port strike")
    expect(home_panel(chief_en, base, "desk-in-review")).not_to_contain_text("Port strike")


def test_tuesday_a_scheduled_persian_story_appears_at_its_time(
    desk, reader, live_server, newsroom, stopped_clock
):
    base = live_server.url
    story = make_article(
        title="بندر دوباره باز شد",
        language="fa",
        section=make_section(language="fa", name="گزارش", slug="gozaresh"),
        status=Article.Status.REVIEW,
        publish_at=None,
        created_by=newsroom["ed_fa"],
    )
    path = story.get_absolute_url()
    chief_fa, ed_en = desk("chief_fa"), desk("ed_en")
    reader.cached("/fa/")

    # The Persian Chief schedules it for two hours from now, typed in the Solar Hijri
    # calendar the Persian desk reads and types dates in (publishing/desk_dates.py).
    at = (timezone.localtime() + timedelta(hours=2)).replace(second=0, microsecond=0)
    chief_fa.goto(change_url(base, story))
    speaks(chief_fa, "fa", "rtl")  # an English browser at the Persian desk
    expect(chief_fa.get_by_role("button", name=says("fa", "Schedule"), exact=True)).to_be_hidden()
    chief_fa.fill("#id_publish_at_0", jalali_format(at, "Y/m/d"))
    chief_fa.fill("#id_publish_at_1", at.strftime("%H:%M:%S"))
    press(chief_fa, "Schedule", "Scheduled: readers see it from %(when)s.", "fa")
    expect(home_panel(chief_fa, base, "desk-scheduled")).to_contain_text("بندر دوباره باز شد")
    expect(home_panel(ed_en, base, "desk-scheduled")).not_to_contain_text("بندر دوباره باز شد")

    # Before its time readers of the Persian edition see nothing of it, even from the cache.
    reader.does_not_see("/fa/", "بندر دوباره باز شد")
    reader.cached("/fa/")
    assert reader.visit(path).status == 404

    # At its time it is on the front page and at its address, without anyone acting.
    stopped_clock.move_to(at + timedelta(seconds=1))
    reader.sees("/fa/", "بندر دوباره باز شد")
    reader.sees(path, "بندر دوباره باز شد", within="h1")
    reader.does_not_see("/en/", "بندر دوباره باز شد")


def test_wednesday_an_editors_pick_and_correction_to_a_live_story_wait_for_the_chief(
    desk, reader, live_server
):
    base = live_server.url
    section = make_section(language="ar", name="تقرير", slug="taqrir")
    story = make_article(title="جدول العبارات", language="ar", section=section)
    make_article(title="انتهاء إضراب الميناء", language="ar", section=section)
    path = story.get_absolute_url()
    ed_ar, chief_ar, chief_en = desk("ed_ar"), desk("chief_ar"), desk("chief_en")
    reader.cached(path)

    # The Arabic Editor adds a Related Content pick and a correction to the live story.
    ed_ar.goto(change_url(base, story))
    speaks(ed_ar, "ar", "rtl")
    choose(ed_ar, "#related_links-0 .select2", "إضراب", "انتهاء إضراب الميناء")
    ed_ar.locator("#notes-group .add-row a").click()
    ed_ar.locator("#id_notes-0-kind").select_option("correction")
    today = timezone.localtime()
    ed_ar.locator("#id_notes-0-noted_at_0").fill(today.strftime("%Y-%m-%d"))
    ed_ar.locator("#id_notes-0-noted_at_1").fill(today.strftime("%H:%M:%S"))
    ed_ar.locator("#id_notes-0-text").fill("ذكرت نسخة سابقة رصيفاً خاطئاً.")
    held_message = (
        "Your change is waiting for a Chief Editor's review; "
        "readers still see the published version."
    )
    press(ed_ar, "Submit for review", held_message, "ar")

    # Held: readers keep the live story; the Arabic desk has it awaiting review, not the English.
    reader.does_not_see(path, "رصيفاً خاطئاً")
    assert reader.page.locator(".related").count() == 0  # no picks, nothing shared yet
    held = PendingChange.objects.get(article=story)
    assert {"related", "notes"} <= set(held.data["fields"]) | set(held.data), held.data
    expect(home_panel(chief_en, base, "desk-in-review")).not_to_contain_text("جدول العبارات")
    in_review = home_panel(chief_ar, base, "desk-in-review")
    expect(in_review).to_contain_text("جدول العبارات")

    # The Arabic Chief reviews both (names, not ids) and publishes; readers see both.
    in_review.get_by_role("link", name="جدول العبارات").click()
    related_row = chief_ar.get_by_role("row", name=says("ar", "Related Content"))
    expect(related_row).to_contain_text("انتهاء إضراب الميناء")
    expect(chief_ar.locator(".desk-side-by-side")).to_contain_text("رصيفاً خاطئاً")
    chief_ar.locator("input[type=submit][name=publish]").click()
    expect(chief_ar.locator(".messagelist")).to_contain_text(says("ar", "The change is published."))
    reader.sees(path, "رصيفاً خاطئاً", within=".article-notes")
    reader.sees(path, "انتهاء إضراب الميناء", within=".related")
    expect(home_panel(chief_ar, base, "desk-in-review")).not_to_contain_text("جدول العبارات")


def test_thursday_a_takedown_needs_a_reason_and_answers_410(desk, reader, live_server):
    base = live_server.url
    story = make_article(title="Ferry timetable")
    path = story.get_absolute_url()
    ed_en, chief_en = desk("ed_en"), desk("chief_en")
    reader.cached(path)
    reader.cached("/en/")

    # Editors are not offered a takedown; the Chief is, and must say why.
    ed_en.goto(change_url(base, story))
    expect(ed_en.locator(".desk-workflow")).to_be_visible()
    expect(ed_en.get_by_role("button", name="Take down")).to_have_count(0)
    chief_en.goto(change_url(base, story))
    chief_en.get_by_role("button", name="Take down", exact=True).click()
    expect(chief_en.locator(".errorlist")).to_contain_text("Say why")
    reader.sees(path, "Ferry timetable", within="h1")

    chief_en.fill("#id_takedown_reason", "The timetable was a forgery.")
    press(chief_en, "Take down", "Taken down")
    assert reader.visit(path).status == 410
    reader.does_not_see("/en/", "Ferry timetable")
    story.refresh_from_db()
    assert story.status != Article.Status.PUBLISHED
    expect(reader.page.locator("body")).not_to_contain_text("forgery")


def forge_post(page, url, **fields):
    """Post `fields` to `url` from `page`'s session, with its CSRF token, as a crafted form."""
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    return page.context.request.post(
        url, form={"csrfmiddlewaretoken": csrf, **fields}, headers={"Referer": url}
    )


def test_the_persian_chief_cannot_touch_the_english_story(desk, reader, live_server):
    base = live_server.url
    story = make_article(title="Port strike", lead="Dockers stop work.")
    chief_fa = desk("chief_fa")

    # Not listed; opening or reviewing it answers 403 without the English text.
    chief_fa.goto(f"{base}/admin/articles/article/")
    expect(chief_fa.locator("#content-main")).not_to_contain_text("Port strike")
    for url in (change_url(base, story), f"{base}/admin/articles/article/{story.pk}/review/"):
        assert chief_fa.goto(url).status == 403, url
        expect(chief_fa.locator("body")).not_to_contain_text("Dockers stop work.")

    # A crafted post is refused on the write path: nothing changes for readers.
    answer = forge_post(chief_fa, change_url(base, story), title="Hijacked", _action="take_down")
    assert answer.status == 403
    story.refresh_from_db()
    assert (story.title, story.status) == ("Port strike", Article.Status.PUBLISHED)
    reader.sees(story.get_absolute_url(), "Port strike", within="h1")


def test_a_persian_editor_cannot_rename_a_tag_an_english_live_story_carries(
    desk, reader, live_server
):
    from taggit.models import Tag

    base = live_server.url
    story = make_article(title="Port strike", tags=["Dockers"])
    tag = Tag.objects.get(name="Dockers")
    ed_fa = desk("ed_fa")
    reader.cached(story.get_absolute_url())

    # The tag opens read-only for them: no name to type, no Save.
    url = f"{base}/admin/taggit/tag/{tag.pk}/change/"
    assert ed_fa.goto(url).status == 200
    expect(ed_fa.locator("#content")).to_contain_text("Dockers")
    expect(ed_fa.locator("input#id_name")).to_have_count(0)
    expect(ed_fa.locator("input[type=submit][name=_save]")).to_have_count(0)

    # A crafted rename is refused on the write path; readers keep the English name.
    forged = forge_post(ed_fa, url, name="باربران", slug="barbaran", _save="1")
    assert forged.status == 403, forged.status
    assert Tag.objects.get(pk=tag.pk).name == "Dockers"
    reader.sees(story.get_absolute_url(), "Dockers")


# Each edition's front page: (today's pick, yesterday's number 1), in its language.
FRONT_PAGES = {
    "en": ("Port strike", "Ferry timetable"),
    "ar": ("إضراب الميناء", "جدول العبارات"),
    "fa": ("اعتصاب بندر", "بندر دوباره باز شد"),
}


def editors_choice(code):
    slots = EditorsChoice.objects.filter(language=code).order_by("position")
    return list(slots.values_list("article__title", flat=True))


def test_friday_each_chief_puts_their_editions_story_first_in_editors_choice(
    desk, reader, live_server
):
    """Editor's Choice is numbered per edition (37454a8): a chief's number 1 is their own."""
    base = live_server.url
    for code, (today, yesterday) in FRONT_PAGES.items():
        make_editors_choice(make_article(title=yesterday, language=code))
        make_article(title=today, language=code)
    for code in DESKS:
        reader.cached(f"/{code}/")
    # An Editor may not change the front page.
    assert desk("ed_en").goto(f"{base}/admin/articles/editorschoice/add/").status == 403

    for code, (today, yesterday) in FRONT_PAGES.items():
        others = [title for other in FRONT_PAGES if other != code for title in FRONT_PAGES[other]]
        chief = desk(f"chief_{code}")
        chief.goto(f"{base}/admin/articles/editorschoice/add/")
        choose(chief, "#id_article + .select2", today.split()[0], today)
        chief.fill("#id_position", "1")
        chief.get_by_role("button", name=says(code, "Save"), exact=True).click()

        # Their list: their edition's two slots, today's first, no other edition's titles.
        slots = chief.locator("#result_list tbody tr")
        expect(slots).to_have_count(2)
        expect(slots.first).to_contain_text(today)
        for title in others:
            expect(chief.locator("#content-main")).not_to_contain_text(title)

        # Every button they are shown works (another edition's slots never move with
        # theirs). Top, up, down on each slot in turn leaves today's pick first again.
        def row(title, page=chief):
            return page.locator("#result_list tbody tr", has_text=title)

        for title in (today, yesterday):
            for label in ("Move to the top", "Move up", "Move down"):
                button = row(title).get_by_role("button", name=says(code, label), exact=True)
                assert answer_to(chief, button) == 302, (code, title, label)
        save = chief.get_by_role("button", name=says(code, "Save"), exact=True)
        assert answer_to(chief, save) == 302, code
        assert editors_choice(code) == [today, yesterday]

    # Each edition's readers see their own pick first (past the cached page), no other's.
    for code, (today, _yesterday) in FRONT_PAGES.items():
        reader.sees(f"/{code}/", today, within=".block--choice .card--featured")
        for other in FRONT_PAGES:
            if other != code:
                for title in FRONT_PAGES[other]:
                    expect(reader.page.locator(".block--choice")).not_to_contain_text(title)


def test_saturday_a_moderator_approves_a_comment(desk, reader, live_server, stopped_clock):
    base = live_server.url
    story = make_article(
        title="گفتگوی آب",
        language="fa",
        section=make_section(language="fa", name="گفتگو", slug="goftegu"),
    )
    make_comment(article=story, text="An older approved comment.", status="approved")
    path = story.get_absolute_url()
    moderator, ed_fa = desk("moderator"), desk("ed_fa")
    reader.cached(path)

    # A reader comments; it waits for a moderator.
    reader.visit(path)
    reader.page.fill("#id_name", "Sara")
    reader.page.fill("#id_text", "سپاس از این گزارش روشن.")
    stopped_clock.shift(10)  # a person takes longer than COMMENTS_MIN_SECONDS to type
    reader.page.locator("#submit-id-send").click()
    reader.page.wait_for_load_state()
    comment = Comment.objects.get(name="Sara")
    assert comment.status == Comment.Status.PENDING
    reader.does_not_see(path, "سپاس از این گزارش روشن.")

    # The moderator sees it on their desk home; an Editor's desk has no moderation queue.
    expect(home_panel(moderator, base, "desk-comments")).to_contain_text("سپاس از این گزارش")
    expect(home_panel(moderator, base, "desk-in-review")).to_have_count(0)
    expect(home_panel(ed_fa, base, "desk-comments")).to_have_count(0)
    moderator.goto(f"{base}/admin/comments/comment/?status=pending")
    moderator.locator("#result_list tr:has-text('Sara') .desk-moderate--approved").click()
    expect(moderator.locator(".messagelist")).to_be_visible()

    # Readers see it under the article, without the email address.
    reader.sees(path, "سپاس از این گزارش روشن.", within="#comments")
    expect(reader.page.locator("#comments")).to_contain_text("Sara")
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.APPROVED


def test_sunday_the_persian_editor_links_their_story_to_its_english_counterpart(
    desk, reader, live_server, newsroom
):
    """Counterparts across desks (2c6a116): a desk links its own story, never another's group."""
    base = live_server.url
    english = make_article(title="Port strike")
    persian = make_article(
        title="اعتصاب بندر",
        language="fa",
        status=Article.Status.DRAFT,
        publish_at=None,
        created_by=newsroom["ed_fa"],
    )
    # An Arabic story already linked with another English one: another group.
    arabic = make_article(title="إضراب الميناء", language="ar")
    article_counterparts_link(article=arabic, counterpart=make_article(title="Harbour reopens"))
    ed_fa, chief_fa = desk("ed_fa"), desk("chief_fa")
    reader.cached(english.get_absolute_url())

    # The Persian Editor picks the live English story (another desk's, read-only) and submits.
    ed_fa.goto(change_url(base, persian))
    choose(ed_fa, "#id_counterpart + .select2", "Port", "Port strike")
    submitted = "Submitted for review: the Chief Editors of its desk are told."
    press(ed_fa, "Submit for review", submitted, "fa")
    persian.refresh_from_db()
    assert persian.translation_group == Article.objects.get(pk=english.pk).translation_group
    reader.visit(english.get_absolute_url())  # not live yet: the English page does not lead to it
    assert switcher_link(reader.page, "fa") == "#edition-fa"

    # Published: each page's edition switcher leads to the other, past the cached English page.
    chief_fa.goto(change_url(base, persian))
    press(chief_fa, "Publish", "Published: readers see it now.", "fa")
    reader.sees(persian.get_absolute_url(), "اعتصاب بندر", within="h1")
    assert switcher_link(reader.page, "en") == english.get_absolute_url()
    assert switcher_link(reader.page, "ar") == "#edition-ar"
    reader.sees(english.get_absolute_url(), "Port strike", within="h1")
    assert switcher_link(reader.page, "fa") == persian.get_absolute_url()

    # Pulling the Arabic story of another group in would relink the English story too:
    # refused on the field, in the desk's words, with what the Editor typed kept.
    groups_before = dict(Article.objects.values_list("title", "translation_group"))
    ed_fa.goto(change_url(base, persian))
    typed = "کارگران بندر دست از کار کشیدند."
    ed_fa.fill("#id_lead", typed)
    choose(ed_fa, "#id_counterpart + .select2", "إضراب", "إضراب الميناء")
    ed_fa.get_by_role("button", name=says("fa", "Submit for review"), exact=True).click()
    expect(ed_fa.locator(".field-counterpart .errorlist")).to_contain_text(
        f"«{rtl('اعتصاب بندر')}» از پیش به «{ltr('Port strike')}» (انگلیسی) پیوند دارد. "
        f"پیوند دادن آن به «{rtl('إضراب الميناء')}» پیوندهای آن مطلب را هم تغییر می\u200cدهد"
    )
    expect(ed_fa.locator("#id_lead")).to_have_value(typed)
    expect(ed_fa.locator("#id_counterpart")).to_have_value(str(arabic.pk))
    assert dict(Article.objects.values_list("title", "translation_group")) == groups_before
    assert not PendingChange.objects.filter(article=persian).exists()
    reader.sees(persian.get_absolute_url(), "اعتصاب بندر", within="h1")
    assert switcher_link(reader.page, "ar") == "#edition-ar"
    expect(reader.page.locator("body")).not_to_contain_text(typed)
