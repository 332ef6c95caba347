"""Dates as each edition writes them: Jalali with Persian digits, Arabic months and digits."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils.translation import override

from comments.models import Comment
from publishing import dates
from publishing.dates import STYLES, edition_date, edition_time_zone, localize_digits
from publishing.templatetags import date_tags
from tests.factories import make_article, make_comment

THURSDAY = datetime(2025, 5, 29, 14, 5, tzinfo=UTC)


def test_english_keeps_the_reference_style():
    with override("en"):
        assert edition_date(THURSDAY) == "Thursday 29 May 2025"
        assert edition_date(THURSDAY, "datetime") == "29 May 2025, 14:05"


def test_persian_is_solar_hijri_with_persian_digits():
    with override("fa"):
        assert edition_date(THURSDAY) == "پنج\u200cشنبه ۸ خرداد ۱۴۰۴"
        assert edition_date(THURSDAY, "date") == "۸ خرداد ۱۴۰۴"
        assert edition_date(THURSDAY, "datetime") == "۸ خرداد ۱۴۰۴، ۱۷:۳۵"  # Tehran, +3:30


def test_persian_new_year_falls_on_the_equinox():
    with override("fa"):
        assert edition_date(datetime(2025, 3, 21, 12, tzinfo=UTC), "date") == "۱ فروردین ۱۴۰۴"
        assert edition_date(datetime(2025, 3, 20, 12, tzinfo=UTC), "date") == "۳۰ اسفند ۱۴۰۳"


def test_arabic_uses_arabic_names_and_western_digits_by_default(settings):
    settings.ALWAGHT_ARABIC_DIGITS = "western"
    with override("ar"):
        assert edition_date(THURSDAY) == "الخميس 29 مايو 2025"


def test_arabic_indic_digits_by_setting(settings):
    settings.ALWAGHT_ARABIC_DIGITS = "arabic-indic"
    with override("ar"):
        assert edition_date(THURSDAY) == "الخميس ٢٩ مايو ٢٠٢٥"
        assert localize_digits("12") == "١٢"


def test_each_edition_reads_its_own_clock_named_in_its_words(settings):
    settings.TIME_ZONE = "UTC"  # the newsroom's, and the English edition's
    late = datetime(2025, 5, 29, 22, tzinfo=UTC)  # already Friday in Tehran and Beirut
    with override("fa"):
        assert edition_date(late) == "جمعه ۹ خرداد ۱۴۰۴"
        assert edition_date(late, "long-datetime-zone") == "جمعه ۹ خرداد ۱۴۰۴، ۰۱:۳۰ به وقت تهران"
    with override("ar"):
        assert edition_date(late, "long-datetime-zone") == "الجمعة 30 مايو 2025، 01:00 بتوقيت بيروت"
    with override("en"):
        assert edition_date(late, "long-datetime-zone") == "Thursday 29 May 2025, 22:00 UTC"


def test_the_edition_time_zones_are_a_setting(settings):
    settings.EDITION_TIME_ZONES = {"ar": "Asia/Baghdad", "fa": "Asia/Tehran", "en": "Europe/London"}
    summer = datetime(2025, 7, 1, 12, tzinfo=UTC)
    with override("ar"):
        assert edition_date(summer, "long-datetime-zone").endswith("15:00 بتوقيت بغداد")
    with override("en"):
        assert edition_date(summer, "long-datetime-zone").endswith("13:00 London time")


def test_a_zone_without_a_name_shows_its_abbreviation(settings):
    settings.EDITION_TIME_ZONES = {"ar": "Asia/Amman"}
    with override("ar"):
        assert edition_date(THURSDAY, "long-datetime-zone").endswith("17:05 +03")


@pytest.mark.parametrize("digits", ["western", "arabic-indic"])
@pytest.mark.parametrize("language", ["en", "ar", "fa"])
def test_a_days_text_kept_for_its_other_times_writes_them_as_written_afresh(
    settings, language, digits
):
    settings.ALWAGHT_ARABIC_DIGITS = digits
    # Every 47 minutes over eight days around Beirut's change to summer time.
    times = [datetime(2025, 3, 26, tzinfo=UTC) + timedelta(minutes=47 * n) for n in range(250)]
    zone = edition_time_zone(language)
    with override(language):
        for style in STYLES:
            pattern, zoned = dates._pattern(style, language)
            for value in times:
                afresh = dates._written(value, pattern, zoned, language, zone)
                assert edition_date(value, style) == afresh, (style, value)
                assert edition_date(value, style) == afresh, (style, value)  # the day kept


def test_a_kept_day_follows_the_digits_setting(settings):
    with override("ar"):
        settings.ALWAGHT_ARABIC_DIGITS = "western"
        assert edition_date(THURSDAY, "short") == "29 مايو، 17:05"
        settings.ALWAGHT_ARABIC_DIGITS = "arabic-indic"
        assert edition_date(THURSDAY, "short") == "٢٩ مايو، ١٧:٠٥"


@pytest.mark.django_db
def test_persian_pages_show_jalali_dates_for_articles_and_comments(client):
    article = make_article(title="گزارش", language="fa", publish_at=THURSDAY)
    comment = make_comment(article=article, status="approved")
    Comment.objects.filter(pk=comment.pk).update(submitted_at=THURSDAY)  # auto_now_add

    page = client.get(article.get_absolute_url()).content.decode()

    assert "پنج\u200cشنبه ۸ خرداد ۱۴۰۴" in page
    assert "۸ خرداد ۱۴۰۴، ۱۷:۳۵" in page  # the comment, on Tehran's clock
    assert 'datetime="2025-05-29T14:05:00+00:00"' in page  # machines keep ISO dates
    assert "May 2025" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, year",
    [("en", "© 2025 "), ("ar", "© 2025 "), ("fa", "© ۱۴۰۴ ")],
)
def test_the_footer_counts_the_year_as_its_edition_does(
    client, settings, monkeypatch, language, year
):
    settings.ALWAGHT_ARABIC_DIGITS = "western"
    monkeypatch.setattr(date_tags.timezone, "now", lambda: THURSDAY)

    page = client.get(f"/{language}/")

    assert year in page.content.decode()
