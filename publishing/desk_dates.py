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

import re
from datetime import date, datetime
from functools import cache

import jdatetime
from django import forms
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AdminSplitDateTime, AdminTimeWidget
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateformat import format as django_format
from django.utils.formats import get_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from publishing.dates import localize_digits

JALALI_LANGUAGES = {"fa"}
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
    """Return `value` in the Solar Hijri calendar by Django's format letters (a subset)."""
    day = jdatetime.date.fromgregorian(date=value.date() if isinstance(value, datetime) else value)
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
    lists have no Gregorian drill-down by date (date_hierarchy). Elsewhere, nothing
    changes. Chosen per request (get_form and get_list_display run per request).
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
    filter by the wrong month. The Persian desk filters by the list's date filters.
    """

    class WithoutDateHierarchy(changelist):
        def __init__(self, request, model, list_display, links, filters, _hierarchy, *args, **kw):
            super().__init__(request, model, list_display, links, filters, None, *args, **kw)

    return WithoutDateHierarchy
