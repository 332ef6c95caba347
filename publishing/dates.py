"""Dates as each edition writes them for readers.

English and Arabic: the Gregorian calendar, month and weekday names from the
active language (Django's own catalogues); Arabic digits are Western or
Arabic-Indic by ALWAGHT_ARABIC_DIGITS. Persian: the Solar Hijri (Jalali)
calendar, converted by jdatetime, with Persian digits. Every style keeps the
reference's order: "Thursday 29 May 2025", "الخميس 29 مايو 2025",
"پنج‌شنبه ۸ خرداد ۱۴۰۴". Feeds and machine-readable attributes keep ISO/RFC dates.
"""

from datetime import datetime

import jdatetime
from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as django_format
from django.utils.translation import get_language

# style -> Django format (en, ar); the Persian forms follow the same order.
STYLES = {
    "long": "l j F Y",  # Thursday 29 May 2025
    "date": "j F Y",  # 29 May 2025
    "datetime": "j F Y، H:i",  # 29 May 2025, 14:05 (the comma is the edition's)
    "long-datetime": "l j F Y، H:i",
    "long-datetime-zone": "l j F Y، H:i T",  # with the time zone's abbreviation
    "short": "j M، H:i",  # 29 May, 14:05
    "year": "Y",  # 2025 (۱۴۰۴ in Persian: the Solar Hijri year turns at Nowruz)
}
COMMA = {"en": ", ", "ar": "، ", "fa": "، "}

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_INDIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def localize_digits(text: str, language: str | None = None) -> str:
    """Return `text` with the digits the edition reads: Persian, Arabic-Indic or Western."""
    language = language or get_language() or ""
    if language.startswith("fa"):
        return text.translate(PERSIAN_DIGITS)
    if language.startswith("ar") and settings.ALWAGHT_ARABIC_DIGITS == "arabic-indic":
        return text.translate(ARABIC_INDIC_DIGITS)
    return text


def edition_date(value: datetime, style: str = "long", language: str | None = None) -> str:
    """Return `value` written out for readers of the edition, in the site's time zone."""
    if value is None:
        return ""
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    pattern = STYLES.get(style, STYLES["long"]).replace("، ", COMMA.get(language, ", "))
    if language == "fa":
        text = _jalali(value, pattern)
    else:
        text = django_format(value, pattern)
    return localize_digits(text, language)


def _jalali(value, pattern: str) -> str:
    day = jdatetime.date.fromgregorian(
        date=value if not isinstance(value, datetime) else value.date()
    )
    parts = {
        "l": jdatetime.date.j_weekdays_fa[day.weekday()],
        "j": str(day.day),
        "F": jdatetime.date.j_months_fa[day.month - 1],
        "M": jdatetime.date.j_months_fa[day.month - 1],
        "Y": str(day.year),
        "H": f"{value.hour:02d}" if isinstance(value, datetime) else "",
        "i": f"{value.minute:02d}" if isinstance(value, datetime) else "",
        "T": django_format(value, "T") if isinstance(value, datetime) else "",
    }
    return "".join(parts.get(char, char) for char in pattern)
