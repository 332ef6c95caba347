"""Dates as each edition writes them for readers.

English and Arabic: the Gregorian calendar, month and weekday names from the
active language (Django's own catalogues); Arabic digits are Western or
Arabic-Indic by ALWAGHT_ARABIC_DIGITS. Persian: the Solar Hijri (Jalali)
calendar, converted by jdatetime, with Persian digits. Every style keeps the
reference's order: "Thursday 29 May 2025", "الخميس 29 مايو 2025",
"پنج‌شنبه ۸ خرداد ۱۴۰۴". Feeds and machine-readable attributes keep ISO/RFC dates.

Each edition reads times on its own clock (edition_time_zone: Tehran for the
Persian edition, Beirut for the Arabic one by default), named in its words.
"""

from contextlib import nullcontext
from datetime import datetime
from zoneinfo import ZoneInfo

import jdatetime
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateformat import format as django_format
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _

# style -> Django format (en, ar); the Persian forms follow the same order.
STYLES = {
    "long": "l j F Y",  # Thursday 29 May 2025
    "date": "j F Y",  # 29 May 2025
    "datetime": "j F Y، H:i",  # 29 May 2025, 14:05 (the comma is the edition's)
    "long-datetime": "l j F Y، H:i",
    "long-datetime-zone": "l j F Y، H:i T",  # with the zone's name: "Tehran time"
    "short": "j M، H:i",  # 29 May, 14:05
    "year": "Y",  # 2025 (۱۴۰۴ in Persian: the Solar Hijri year turns at Nowruz)
}
COMMA = {"en": ", ", "ar": "، ", "fa": "، "}

# The years a newsroom's dates fall in (publication, expiry, a pick's end): outside
# them a date is a typing slip ("0205", "9999"), which the Solar Hijri calendar cannot
# even write before 622. The Persian desk's date fields take the same span
# (publishing/desk_dates.py JALALI_YEARS, 1279-2378).
NEWSROOM_YEARS = (1900, 2999)


def validate_newsroom_year(value) -> None:
    """Refuse a date outside NEWSROOM_YEARS, in words."""
    if value is not None and not NEWSROOM_YEARS[0] <= value.year <= NEWSROOM_YEARS[1]:
        raise ValidationError(
            _("Enter a date between the years %(first)s and %(last)s."),
            code="year",
            params={"first": NEWSROOM_YEARS[0], "last": NEWSROOM_YEARS[1]},
        )


PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_INDIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


# Times are followed by the zone's name in the edition's words ("به وقت تهران"); a
# zone without one here gets its abbreviation (+03, EET).
ZONE_NAMES = {
    "UTC": _("UTC"),
    "Asia/Tehran": _("Tehran time"),
    "Asia/Beirut": _("Beirut time"),
    "Asia/Baghdad": _("Baghdad time"),
    "Asia/Damascus": _("Damascus time"),
    "Asia/Riyadh": _("Mecca time"),
    "Asia/Qatar": _("Doha time"),
    "Europe/London": _("London time"),
}


def edition_time_zone(language: str | None = None) -> ZoneInfo:
    """Return the time zone edition `language`'s readers read times in.

    EDITION_TIME_ZONES (alwaght/settings.py), else the newsroom's TIME_ZONE. Given
    explicitly to every conversion for readers, never activated for the request:
    the desk keeps the newsroom's zone, and a rendering never depends on what a
    request happened to activate (fragments are shared per edition).
    """
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return ZoneInfo(settings.EDITION_TIME_ZONES.get(language, settings.TIME_ZONE))


def zone_name(value: datetime, zone: ZoneInfo) -> str:
    """Return the name of `zone` for readers: "Tehran time" in their words, else "+0330"."""
    if zone.key in ZONE_NAMES:
        return str(ZONE_NAMES[zone.key])
    return value.astimezone(zone).tzname() or zone.key


def localize_digits(text: str, language: str | None = None) -> str:
    """Return `text` with the digits the edition reads: Persian, Arabic-Indic or Western."""
    language = language or get_language() or ""
    if language.startswith("fa"):
        return text.translate(PERSIAN_DIGITS)
    if language.startswith("ar") and settings.ALWAGHT_ARABIC_DIGITS == "arabic-indic":
        return text.translate(ARABIC_INDIC_DIGITS)
    return text


# Thousands separators: the Arabic thousands sign beside Persian and Arabic-Indic digits.
GROUPING = {"en": ",", "ar": ",", "fa": "\u066c"}


def edition_number(value, language: str | None = None) -> str:
    """Return a count, position or duration (4:05) as the edition writes numbers.

    Whole numbers are grouped by thousands (12,400; ۱۲٬۴۰۰); digits are the edition's.
    """
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if isinstance(value, int) and not isinstance(value, bool):
        separator = GROUPING.get(language, ",")
        if language == "ar" and settings.ALWAGHT_ARABIC_DIGITS == "arabic-indic":
            separator = "\u066c"
        value = f"{value:,}".replace(",", separator)
    return localize_digits(str(value), language)


# Each day's text of a style, per edition, clock and digits, with marks where the
# hour and minute go: a headline list dates ten or so articles, and each date written
# out afresh (Django's formatter, the month's name translated, the edition's digits)
# cost about 40 µs. Most share their day with others; the time is put in per call.
DAY_TEXTS_KEPT = 4096
_day_texts: dict[tuple, str] = {}
# Private-use characters: in no month or day name, and no formatter reads them.
_HOUR, _MINUTE = "\ue000", "\ue001"


def edition_date(value: datetime, style: str = "long", language: str | None = None) -> str:
    """Return `value` written out for readers of the edition, on the edition's clock."""
    if value is None:
        return ""
    active = get_language()
    language = (language or active or settings.LANGUAGE_CODE).split("-")[0]
    zone = edition_time_zone(language)
    pattern, zoned = _pattern(style, language)
    if zoned or not (isinstance(value, datetime) and timezone.is_aware(value)):
        # The zone's name can change within a day (summer time's abbreviation).
        return _written(value, pattern, zoned, language, zone)
    value = timezone.localtime(value, zone)
    key = (active, language, pattern, zone.key, settings.ALWAGHT_ARABIC_DIGITS, value.date())
    day = _day_texts.get(key)
    if day is None:
        if len(_day_texts) >= DAY_TEXTS_KEPT:
            _day_texts.clear()
        # H and i are the only parts of a pattern that are not the day's.
        marked = pattern.replace("H", _HOUR).replace("i", _MINUTE)
        day = _day_texts[key] = _written(value, marked, False, language, zone)
    text = day
    if _HOUR in text:
        text = text.replace(_HOUR, localize_digits(f"{value.hour:02d}", language))
    if _MINUTE in text:
        text = text.replace(_MINUTE, localize_digits(f"{value.minute:02d}", language))
    return text


def _pattern(style: str, language: str) -> tuple[str, bool]:
    """Return the edition's pattern of `style`, and whether the zone's name follows it."""
    pattern = STYLES.get(style, STYLES["long"]).replace("، ", COMMA.get(language, ", "))
    zoned = pattern.endswith(" T")  # the zone's name, in the edition's words, last
    return pattern.removesuffix(" T"), zoned


def _written(value, pattern: str, zoned: bool, language: str, zone: ZoneInfo) -> str:
    """Return `value` (on the edition's clock already, if aware) written out by `pattern`."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value, zone)
    # Month and zone names in the edition's words (a feed or job may call from another).
    with override(language) if language != get_language() else nullcontext():
        text = _jalali(value, pattern) if language == "fa" else django_format(value, pattern)
        if zoned:
            text += " " + zone_name(value, zone)
    return localize_digits(text, language)


def _jalali(value, pattern: str) -> str:
    try:
        day = jdatetime.date.fromgregorian(
            date=value if not isinstance(value, datetime) else value.date()
        )
    except ValueError:  # before 622 or after 9998: a slip the forms now refuse, never a 500
        return django_format(value, pattern)
    parts = {
        "l": jdatetime.date.j_weekdays_fa[day.weekday()],
        "j": str(day.day),
        "F": jdatetime.date.j_months_fa[day.month - 1],
        "M": jdatetime.date.j_months_fa[day.month - 1],
        "Y": str(day.year),
        "H": f"{value.hour:02d}" if isinstance(value, datetime) else "",
        "i": f"{value.minute:02d}" if isinstance(value, datetime) else "",
    }
    return "".join(parts.get(char, char) for char in pattern)
