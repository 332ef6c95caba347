"""The Persian desk reads and types dates in the Solar Hijri calendar; storage stays UTC."""

from datetime import UTC, date, datetime

import lxml.html
import pytest
import reversion
import time_machine
from django.urls import reverse

from articles.models import Article
from publishing.desk_dates import desk_date, jalali_format, parse_jalali_date
from tests.desk.test_desk_language import desk_day, desk_pages, visible_text  # noqa: F401
from tests.desk.test_publishing_rights import form_values, post_form
from tests.factories import make_article, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def persian_chief(client, settings):
    settings.TIME_ZONE = "UTC"  # the newsroom's clock, for the times below
    user = make_staff("سردبیر", role="chief", desks=("fa",))
    client.force_login(user)
    return user


def field_value(response, name):
    return lxml.html.fromstring(response.content.decode()).xpath(f"//input[@name='{name}']")[0]


@pytest.mark.parametrize("typed", ["۱۴۰۴/۰۹/۱۵", "1404/9/15", "١٤٠٤-٠٩-١٥", " 1404.09.15 "])
def test_the_persian_desk_schedules_by_a_solar_hijri_date(client, persian_chief, typed):
    draft = make_article(language="fa", status=Article.Status.DRAFT, publish_at=None)
    change = reverse("admin:articles_article_change", args=[draft.pk])

    saved = post_form(
        client,
        change,
        {"status": "published", "publish_at_0": typed, "publish_at_1": "08:00:00"},
    )

    assert saved.status_code == 302
    draft.refresh_from_db()
    assert draft.publish_at == datetime(2025, 12, 6, 8, 0, tzinfo=UTC)  # 15 Azar 1404
    shown = field_value(client.get(change), "publish_at_0")
    assert shown.get("value") == "1404/09/15"
    assert "vDateField" not in shown.get("class")  # the Gregorian pop-up would write Gregorian


@pytest.mark.parametrize(
    "typed", ["1404/13/01", "1404/12/31", "15 Azar", "14041/1/1", "۱۴۰۴/۰۰/۱۰"]
)
def test_a_date_that_is_not_one_is_refused_with_words_and_kept(client, persian_chief, typed):
    # 1404 is not a leap year: Esfand has 29 days.
    draft = make_article(language="fa", status=Article.Status.DRAFT, publish_at=None)
    change = reverse("admin:articles_article_change", args=[draft.pk])

    answer = post_form(
        client, change, {"status": "published", "publish_at_0": typed, "publish_at_1": "08:00"}
    )

    assert answer.status_code == 200
    page = answer.content.decode()
    assert "تاریخ خورشیدی" in page and "۱۴۰۴/۰۱/۳۱" in page  # the message, with an example
    assert field_value(answer, "publish_at_0").get("value") == typed
    draft.refresh_from_db()
    assert draft.publish_at is None


def test_the_english_desk_keeps_the_gregorian_calendar(client):
    client.force_login(make_staff("chief", role="chief", desks=("en",)))
    article = make_article(publish_at=datetime(2025, 12, 6, 8, 0, tzinfo=UTC))
    change = reverse("admin:articles_article_change", args=[article.pk])

    values = form_values(client.get(change))

    assert values["publish_at_0"] == "2025-12-06"


A_WEDNESDAY_NOON = datetime(2026, 5, 13, 12, 0, tzinfo=UTC)  # 23 Ordibehesht 1405


@pytest.mark.parametrize("language", ["fa"])
def test_the_persian_desk_pages_show_solar_hijri_dates(client, desk_day, language):  # noqa: F811
    # desk_day (tests/desk/test_desk_language.py) made its story and change on a Wednesday.
    desk = desk_day
    shown = {}
    for user, url in desk_pages(desk):
        client.force_login(user)
        text = visible_text(client.get(url).content.decode())
        jalali = "۱۴۰۵" in text or "اردیبهشت" in text  # the year, or the month (desk home)
        shown[url] = (jalali, "2026" in text or "۲۰۲۶" in text or "مه" in text.split())

    assert [url for url, (_jalali, gregorian) in shown.items() if gregorian] == []
    dated = [
        reverse("admin:index"),
        reverse("admin:articles_article_review", args=[desk["article"].pk]),
        reverse("admin:articles_article_changelist"),
        reverse("admin:media_photo_changelist"),
        reverse("admin:comments_comment_changelist"),
    ]
    assert [url for url in dated if not shown[url][0]] == []
    with reversion.create_revision():
        desk["article"].save()  # a saved version for the history to list
    client.force_login(desk["chief"])
    history = client.get(reverse("admin:articles_article_history", args=[desk["article"].pk]))
    assert "۱۴۰۵" in visible_text(history.content.decode())


@pytest.fixture(autouse=True)
def wednesday():
    with time_machine.travel(A_WEDNESDAY_NOON, tick=False):
        yield


def test_desk_dates_in_each_calendar(settings):
    from django.utils.translation import override

    settings.TIME_ZONE = "UTC"
    with override("fa"):
        assert desk_date(A_WEDNESDAY_NOON, "l j F Y, H:i") == "چهارشنبه ۲۳ اردیبهشت ۱۴۰۵، ۱۲:۰۰"
        assert desk_date(date(2026, 3, 21), "SHORT_DATE_FORMAT") == "۱۴۰۵/۰۱/۰۱"
    with override("en"):
        assert desk_date(A_WEDNESDAY_NOON, "j M Y, H:i") == "13 May 2026, 12:00"
    assert jalali_format(date(2026, 3, 20), r"Y/m/d \Y") == "1404/12/29 Y"
    assert parse_jalali_date("۱۴۰۳/۱۲/۳۰") == date(2025, 3, 20)  # 1403: a leap year
    with pytest.raises(ValueError):
        parse_jalali_date("0/1/1")
