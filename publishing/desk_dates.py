"""The Persian desk's calendar: Solar Hijri dates shown and typed on the desk.

The Persian desk (the desk's language is fa, alwaght/desk_language.py) reads every
date in the Solar Hijri calendar, with Persian digits, and types dates in it: as
year/month/day, in Persian, Arabic-Indic or Western digits. What is stored stays
Gregorian and UTC; only the desk's words change. Times are the newsroom's clock
(TIME_ZONE), as on the other desks. The other desks keep Django's formats.

Why not django-jalali-date: it fixes one calendar for the whole site at import (it
rewrites settings), parses Western digits only (strptime), and attaches a
date-picker script of its own; the desk needs the calendar per person, on the
same forms.
"""

import itertools
import re
from datetime import date, datetime, timedelta
from functools import cache

import jdatetime
from django import forms
from django.conf import settings
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AdminSplitDateTime, AdminTimeWidget
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Max, Min
from django.utils import formats, timezone
from django.utils.dateformat import format as django_format
from django.utils.formats import get_format
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from publishing.dates import NEWSROOM_YEARS, localize_digits

JALALI_LANGUAGES = {"fa"}
DRILL_DOWN_YEARS_AHEAD = 10
# Years outside these are typing slips (the reader's search takes the same span).
JALALI_YEARS = (1279, 2378)
JALALI_EXAMPLE = "1404/01/31"
# year, month, day, separated by /, - or . (digits already made Western)
JALALI_DATE = re.compile(r"^\s*(\d{1,4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*$")
WESTERN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "0123456789" * 2)
# Django's named formats, written out with the letters below for the Solar Hijri calendar.
NAMED = {
    "DATE_FORMAT": "j F Y",
    "DATETIME_FORMAT": "j F Y، H:i",
    "SHORT_DATE_FORMAT": "Y/m/d",
    "SHORT_DATETIME_FORMAT": "Y/m/d، H:i",
    "MONTH_DAY_FORMAT": "j F",
    "YEAR_MONTH_FORMAT": "F Y",
}


def desk_uses_jalali() -> bool:
    """Return whether the desk's active language reads the Solar Hijri calendar."""
    return (get_language() or "").split("-")[0] in JALALI_LANGUAGES


def desk_date(value, format_string: str = "DATETIME_FORMAT") -> str:
    """Return `value` as the desk writes it: Django's format, or Solar Hijri on the Persian desk.

    `format_string` is a Django date format ("j M, H:i") or a named one
    ("SHORT_DATETIME_FORMAT"); aware datetimes are shown on the newsroom's clock.
    """
    if value in (None, ""):
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if not desk_uses_jalali():
        pattern = get_format(format_string) if format_string in NAMED else format_string
        return django_format(value, pattern)
    pattern = NAMED.get(format_string, format_string).replace(", ", "، ")  # Persian comma
    return localize_digits(jalali_format(value, pattern), "fa")


def jalali_format(value: date, pattern: str) -> str:
    """Return `value` in the Solar Hijri calendar by Django's format letters (a subset);
    a date the calendar cannot write (before 622) in the Gregorian one, never a 500."""
    try:
        day = jdatetime.date.fromgregorian(
            date=value.date() if isinstance(value, datetime) else value
        )
    except ValueError:
        return django_format(value, pattern)
    month_name = jdatetime.date.j_months_fa[day.month - 1]
    weekday = jdatetime.date.j_weekdays_fa[day.weekday()]
    letters = {
        "d": f"{day.day:02d}",
        "j": str(day.day),
        "D": weekday,
        "l": weekday,
        "m": f"{day.month:02d}",
        "n": str(day.month),
        "b": month_name,
        "M": month_name,
        "F": month_name,
        "N": month_name,
        "E": month_name,
        "y": f"{day.year % 100:02d}",
        "Y": str(day.year),
    }
    if isinstance(value, datetime):
        letters |= {
            "H": f"{value.hour:02d}",
            "G": str(value.hour),
            "i": f"{value.minute:02d}",
            "s": f"{value.second:02d}",
        }
    out, escaped = [], False
    for char in pattern:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            out.append(letters.get(char, char))
    return "".join(out)


def parse_jalali_date(text: str) -> date:
    """Return the Gregorian date of a Solar Hijri year/month/day; ValueError if it is none."""
    match = JALALI_DATE.match(str(text).translate(WESTERN_DIGITS))
    if not match:
        raise ValueError(text)
    year, month, day = (int(part) for part in match.groups())
    if not JALALI_YEARS[0] <= year <= JALALI_YEARS[1]:
        raise ValueError(text)
    return jdatetime.date(year, month, day).togregorian()


class JalaliDateInput(forms.TextInput):
    """A Solar Hijri date typed as year/month/day; a stored date is shown the same way.

    Not Django's vDateField: the admin's calendar pop-up would write Gregorian dates.
    What someone typed is shown back as typed when the form has an error.
    """

    def __init__(self, attrs=None):
        defaults = {
            "class": "desk-jalali-date",
            "size": "10",
            "inputmode": "numeric",
            "autocomplete": "off",
            # The order, not an example date: an example reads as a value already set.
            "placeholder": _("year/month/day"),
            "dir": "ltr",
        }
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, date):
            return jalali_format(value, "Y/m/d")
        return super().format_value(value)


class JalaliDateField(forms.DateField):
    """A day of the Solar Hijri calendar, in any digits; cleans to the Gregorian date."""

    widget = JalaliDateInput
    default_error_messages = {
        "invalid": _(
            "Enter a Solar Hijri date as year/month/day, for example %(example)s "
            "(Persian or Latin digits)."
        ),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value.date() if isinstance(value, datetime) else value
        try:
            return parse_jalali_date(value)
        except (ValueError, OverflowError):
            raise forms.ValidationError(
                self.error_messages["invalid"],
                code="invalid",
                params={"example": localize_digits(JALALI_EXAMPLE, "fa")},
            ) from None


class JalaliSplitDateTimeWidget(AdminSplitDateTime):
    """The admin's date and time pair, with the date typed in the Solar Hijri calendar."""

    def __init__(self, attrs=None):
        forms.MultiWidget.__init__(self, [JalaliDateInput, AdminTimeWidget], attrs)


class JalaliSplitDateTimeField(forms.SplitDateTimeField):
    """A date (Solar Hijri) and a time (the newsroom's clock) that clean to an aware datetime."""

    widget = JalaliSplitDateTimeWidget

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # MultiValueField checks "required" itself, on the pair (require_all_fields).
        self.fields = (JalaliDateField(required=False), self.fields[1])


class DeskCalendarAdminMixin:
    """A ModelAdmin whose date fields and date columns follow the desk's calendar.

    On the Persian desk: date and date-time fields are typed in the Solar Hijri
    calendar, list columns and read-only fields of model dates are written in it, and
    lists drill down by Solar Hijri year and month (a list filter) instead of
    Django's Gregorian date_hierarchy. Elsewhere, nothing changes. Chosen per request
    (get_form, get_list_display and get_list_filter run per request).
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if desk_uses_jalali() and not db_field.choices:
            if isinstance(db_field, models.DateTimeField):
                kwargs |= {
                    "form_class": JalaliSplitDateTimeField,
                    "widget": JalaliSplitDateTimeWidget,
                }
                return db_field.formfield(**kwargs)
            if isinstance(db_field, models.DateField):
                kwargs |= {"form_class": JalaliDateField, "widget": JalaliDateInput}
                return db_field.formfield(**kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    # Read-only model dates (created, updated) are shown by Django's own formats; on
    # the Persian desk they are shown through a method of this name instead.
    READONLY_PREFIX = "desk_calendar__"

    def get_readonly_fields(self, request, obj=None):
        names = super().get_readonly_fields(request, obj)
        if not desk_uses_jalali():
            return names
        return [self._readonly_name(name) for name in names]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not desk_uses_jalali():
            return fieldsets
        readonly = super().get_readonly_fields(request, obj)
        dated = {name for name in readonly if self._date_field(name)}

        def rename(names):
            if isinstance(names, list | tuple):
                return type(names)(rename(name) for name in names)
            return self._readonly_name(names) if names in dated else names

        return [
            (title, {**options, "fields": rename(options["fields"])})
            for title, options in fieldsets
        ]

    def _readonly_name(self, name):
        return f"{self.READONLY_PREFIX}{name}" if self._date_field(name) else name

    def __getattr__(self, name):
        if not name.startswith(DeskCalendarAdminMixin.READONLY_PREFIX):
            raise AttributeError(name)
        column = self._desk_date_column(name.removeprefix(DeskCalendarAdminMixin.READONLY_PREFIX))
        if isinstance(column, str):
            raise AttributeError(name)
        return column

    def _date_field(self, name):
        if not isinstance(name, str):
            return None
        try:
            field = self.model._meta.get_field(name)
        except FieldDoesNotExist:  # a method or an admin attribute
            return None
        return field if isinstance(field, models.DateField) else None

    def get_changelist(self, request, **kwargs):
        changelist = super().get_changelist(request, **kwargs)
        if not desk_uses_jalali():
            return changelist
        return _without_date_hierarchy(changelist)

    def get_list_filter(self, request):
        """On the Persian desk: Solar Hijri years and months instead of Gregorian ones.

        The drill-down's field gets a filter of Solar Hijri years, then the chosen
        year's months; Django's date filters ("this month", "this year") are left out,
        as they count Gregorian months and years.
        """
        filters = super().get_list_filter(request)
        if not desk_uses_jalali():
            return filters
        kept = [name for name in filters if not self._date_field(name)]
        if not self.date_hierarchy:
            return kept
        return [solar_hijri_month_filter(self.date_hierarchy), *kept]

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        if not desk_uses_jalali():
            return columns
        return [self._desk_date_column(column) for column in columns]

    def _desk_date_column(self, column):
        """Return a model date column as a function writing it on the desk's calendar."""
        field = self._date_field(column)
        if field is None or column in (self.list_display_links or ()):
            return column
        if column in self.list_editable:  # its form field is typed in the calendar itself
            return column
        style = (
            "SHORT_DATETIME_FORMAT"
            if isinstance(field, models.DateTimeField)
            else "SHORT_DATE_FORMAT"
        )

        def written(obj):
            return desk_date(getattr(obj, column), style) or "—"

        written.short_description = field.verbose_name
        written.admin_order_field = column
        written.__name__ = column
        return written


@cache
def _without_date_hierarchy(changelist: type[ChangeList]) -> type[ChangeList]:
    """Return `changelist` without the drill-down by year, month and day.

    Its links filter by Gregorian months and years; under Solar Hijri labels they would
    filter by the wrong month. The Persian desk filters by `solar_hijri_month_filter`.
    """

    class WithoutDateHierarchy(changelist):
        def __init__(self, request, model, list_display, links, filters, _hierarchy, *args, **kw):
            super().__init__(request, model, list_display, links, filters, None, *args, **kw)

    return WithoutDateHierarchy


# --- Solar Hijri years and months as a list filter -------------------------------------

SOLAR_MONTH_VALUE = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


def solar_hijri_range(value: str, zone) -> tuple[datetime, datetime]:
    """Return [start, end) of a Solar Hijri year ("1404") or month ("1404-09") in `zone`.

    Each bound is midnight of the first day on that zone's clock: 1 Azar 1404 starts
    on Tehran time at 20:30 UTC on 21 November 2025. ValueError if `value` is neither.
    """
    match = SOLAR_MONTH_VALUE.match(value or "")
    if not match:
        raise ValueError(value)
    year, month = int(match[1]), int(match[2] or 0)
    if not JALALI_YEARS[0] <= year <= JALALI_YEARS[1] or not 0 <= month <= 12:
        raise ValueError(value)
    if match[2] and month == 0:
        raise ValueError(value)
    first = (year, month or 1)
    after = (year + 1, 1) if month in (0, 12) else (year, month + 1)

    def midnight(y, m):
        day = jdatetime.date(y, m, 1).togregorian()
        return datetime(day.year, day.month, day.day, tzinfo=zone)

    return midnight(*first), midnight(*after)


def _per_edition(queryset):
    """Return `queryset` once per edition, or once if its model has no editions.

    Lists by date ask each edition apart: one step into an index that starts with
    (language, field) each, where a condition over several editions (a superuser, a
    desk of two editions) reads every entry of them.
    """
    if not any(field.name == "language" for field in queryset.model._meta.concrete_fields):
        return [queryset]
    return [queryset.filter(language=code) for code, _name in settings.LANGUAGES]


def date_bounds(queryset, field_name: str) -> tuple[datetime, datetime] | None:
    """Return the oldest and newest `field_name` in `queryset`, or None if it has none.

    One query. On a model with editions it asks each edition for its first and last
    value apart (a UNION ALL of one-row queries), each one step into an index that
    starts with (language, field): articles have one (article_edition_publish_at). MIN
    and MAX over the whole queryset read every row of its editions instead: 250 ms on
    100k Persian articles with no such index, and, with it, still every entry when the
    list shows several editions (a superuser, someone on two desks).
    """
    present = queryset.filter(**{f"{field_name}__isnull": False}).order_by()
    if not any(field.name == "language" for field in queryset.model._meta.concrete_fields):
        bounds = present.aggregate(oldest=Min(field_name), newest=Max(field_name))
        if bounds["oldest"] is None:
            return None
        return _within_newsroom_years(bounds["oldest"], bounds["newest"])
    ends = []
    for edition in _per_edition(present):
        values = edition.values_list(field_name, flat=True)
        ends += [values.order_by(field_name)[:1], values.order_by(f"-{field_name}")[:1]]
    values = list(ends[0].union(*ends[1:], all=True))
    return _within_newsroom_years(min(values), max(values)) if values else None


def _within_newsroom_years(oldest, newest):
    """Return the bounds moved into the years a list's drill-down offers: from 1900
    (NEWSROOM_YEARS) to ten years ahead (a story scheduled far ahead is still a year to
    choose). A row dated 0001 or 9999 (a slip made before the forms refused it, or by a
    script) is still listed, but the drill-downs do not probe every year up to it (6,000
    probes for year 1: 6 s a list) nor build years the calendars cannot (9999 + 1; the
    Solar Hijri calendar before 622)."""
    first, last = NEWSROOM_YEARS[0], timezone.now().year + DRILL_DOWN_YEARS_AHEAD

    def moved(value):
        if value.year < first:
            return value.replace(year=first, month=1, day=1)
        if value.year > last:
            return value.replace(year=last, month=12, day=31)
        return value

    return moved(oldest), moved(newest)


def periods_with_rows(queryset, field_name: str, periods: list[tuple[datetime, datetime]]):
    """Return the indexes of the [start, end) `periods` in which `queryset` has a row.

    One query: for each period and edition, is there one row (a UNION ALL of one-row
    probes, each a range in the (language, field) index). Listing the periods instead
    (DISTINCT DATE_TRUNC over the list, what Django's date_hierarchy does) reads every
    row of the list: 350 ms for the English desk's years on 300k articles.
    """
    if not periods:
        return set()
    plain = queryset.order_by()
    probes = [
        edition.filter(**{f"{field_name}__gte": start, f"{field_name}__lt": end})
        .annotate(desk_period=models.Value(number))
        .values_list("desk_period", flat=True)[:1]
        for number, (start, end) in enumerate(periods)
        for edition in _per_edition(plain)
    ]
    return set(probes[0].union(*probes[1:], all=True))


def gregorian_drill_down(cl) -> dict:
    """Return the context of Django's admin/date_hierarchy.html for changelist `cl`, cheaply.

    What Django's own tag shows (years, a year's months, a month's days; a list within
    one year opens on it), and only the periods that have a row, but asked for as one
    first/last query (`date_bounds`) and one probe of every candidate period
    (`periods_with_rows`): two queries that read a few index entries each, where
    Django's MIN/MAX and DISTINCT DATE_TRUNC read every row of the list (0.6 s for the
    English desk's years at 300k articles). Periods run on the current time zone, the
    newsroom's clock: the one Django's ChangeList filters a chosen period by.
    """
    field_name = cl.date_hierarchy
    names = [f"{field_name}__{part}" for part in ("year", "month", "day")]
    year, month, day = (cl.params.get(name) for name in names)
    # As Django's tag: a month counts only under a year, a day only under a month
    # (ChangeList has refused values that are not numbers or dates).
    year = int(year) if year else None
    month = int(month) if year and month else None
    day = int(day) if month and day else None
    zone = None
    if isinstance(cl.model._meta.get_field(field_name), models.DateTimeField):
        zone = timezone.get_current_timezone()

    def link(chosen: tuple) -> str:
        return cl.get_query_string(dict(zip(names, chosen, strict=False)), [f"{field_name}__"])

    def having_rows(firsts: list[date], after: date) -> list[date]:
        """Return those of `firsts` (each a period's first day) whose period has a row."""
        if zone:
            starts = [datetime(d.year, d.month, d.day, tzinfo=zone) for d in [*firsts, after]]
        else:
            starts = [*firsts, after]
        found = periods_with_rows(cl.queryset, field_name, list(itertools.pairwise(starts)))
        return [first for number, first in enumerate(firsts) if number in found]

    if not year:
        bounds = date_bounds(cl.queryset, field_name)
        if bounds is None:
            return {"show": True, "back": None, "choices": []}
        first, last = (timezone.localtime(end, zone) if zone else end for end in bounds)
        if first.year != last.year:
            years = having_rows(
                [date(number, 1, 1) for number in range(first.year, last.year + 1)],
                date(last.year + 1, 1, 1),
            )
            return {
                "show": True,
                "back": None,
                "choices": [{"link": link((y.year,)), "title": str(y.year)} for y in years],
            }
        year = first.year
        month = first.month if first.month == last.month else None

    if day:
        chosen = date(year, month, day)
        return {
            "show": True,
            "back": {
                "link": link((year, month)),
                "title": capfirst(formats.date_format(chosen, "YEAR_MONTH_FORMAT")),
            },
            "choices": [{"title": capfirst(formats.date_format(chosen, "MONTH_DAY_FORMAT"))}],
        }
    if month:
        after = date(year + month // 12, month % 12 + 1, 1)
        days = having_rows(
            [
                date(year, month, 1) + timedelta(days=n)
                for n in range((after - date(year, month, 1)).days)
            ],
            after,
        )
        return {
            "show": True,
            "back": {"link": link((year,)), "title": str(year)},
            "choices": [
                {
                    "link": link((year, month, d.day)),
                    "title": capfirst(formats.date_format(d, "MONTH_DAY_FORMAT")),
                }
                for d in days
            ],
        }
    months = having_rows([date(year, number, 1) for number in range(1, 13)], date(year + 1, 1, 1))
    return {
        "show": True,
        "back": {"link": link(()), "title": _("All dates")},
        "choices": [
            {
                "link": link((year, m.month)),
                "title": capfirst(formats.date_format(m, "YEAR_MONTH_FORMAT")),
            }
            for m in months
        ],
    }


@cache
def solar_hijri_month_filter(field_name: str):
    """Return a list filter of Solar Hijri years, then the chosen year's months, on `field_name`.

    The parameter is `<field>_month`: "1404" (the year) or "1404-09" (Azar 1404). Each
    filters by its real range on the desk's edition's clock (Tehran time for the
    Persian desk; publishing/dates.py `edition_time_zone`). Lists the years from the
    oldest to the newest value of the field (`date_bounds`: one query), newest first.
    """
    from django.contrib.admin import SimpleListFilter
    from django.contrib.admin.options import IncorrectLookupParameters

    from publishing.dates import edition_time_zone

    class SolarHijriMonthFilter(SimpleListFilter):
        title = _("Solar Hijri month")
        parameter_name = f"{field_name}_month"

        def lookups(self, request, model_admin):
            bounds = date_bounds(model_admin.get_queryset(request), field_name)
            if bounds is None:
                return []
            zone = edition_time_zone()
            oldest, newest = (
                jdatetime.date.fromgregorian(date=timezone.localtime(end, zone).date())
                for end in bounds
            )
            chosen = SOLAR_MONTH_VALUE.match(self.value() or "")
            choices = []
            for year in range(newest.year, oldest.year - 1, -1):
                choices.append((str(year), localize_digits(str(year), "fa")))
                if chosen and int(chosen[1]) == year:
                    choices += [
                        (
                            f"{year}-{month:02d}",
                            localize_digits(
                                f"{jdatetime.date.j_months_fa[month - 1]} {year}", "fa"
                            ),
                        )
                        for month in range(1, 13)
                    ]
            return choices

        def queryset(self, request, queryset):
            if not self.value():
                return queryset
            try:
                start, end = solar_hijri_range(self.value(), edition_time_zone())
            except ValueError:
                raise IncorrectLookupParameters(self.value()) from None
            return queryset.filter(**{f"{field_name}__gte": start, f"{field_name}__lt": end})

    SolarHijriMonthFilter.__name__ = f"SolarHijriMonthFilter_{field_name}"
    return SolarHijriMonthFilter
