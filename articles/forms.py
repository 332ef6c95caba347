import copy
import re
import unicodedata
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import jdatetime
from django import forms
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from articles.navigation import navigation_choices
from articles.script import normalize_script
from publishing.dates import NEWSROOM_YEARS, edition_time_zone, localize_digits
from publishing.desk_dates import JALALI_YEARS
from publishing.editions import current_edition
from publishing.forms import ReaderForm

SEARCH_MAX_LENGTH = 200
# How far back each "Date" choice reaches.
PERIODS = {
    "day": timedelta(days=1),
    "week": timedelta(days=7),
    "month": timedelta(days=30),
    "year": timedelta(days=365),
}
# Dates outside these years are typing slips, and the far ends overflow datetime
# arithmetic. The Persian edition's readers count Solar Hijri years: the same span.
YEARS = {"fa": JALALI_YEARS}
GREGORIAN_YEARS = NEWSROOM_YEARS  # publishing/dates.py: the desk's dates take the same
DATE_MESSAGE = _("Enter a date as year-month-day, for example 2024-03-31.")
JALALI_MESSAGE = _("Enter a date as year/month/day, for example %(example)s.")
JALALI_EXAMPLE = "1404/01/31"
# year, month, day in any digits, separated by -, / or .
JALALI_DATE = re.compile(r"^\s*(\d{1,4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*$")
# The search filters' markup, kept per process (SearchForm.filters_html): at most
# this many variants (an edition's sections and the values chosen), oldest out first.
FILTERS_KEPT = 256
_filters_markup: dict[tuple, str] = {}


class JalaliDateField(forms.DateField):
    """A day of the Solar Hijri calendar, typed in Persian, Arabic-Indic or Western digits.

    Cleans to the Gregorian date (what the filters compare with).
    """

    widget = forms.TextInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value
        match = JALALI_DATE.match(normalize_script(str(value), "fa"))
        try:
            if not match:
                raise ValueError(value)
            return jdatetime.date(*(int(part) for part in match.groups())).togregorian()
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


def year_range(language: str) -> tuple[date, date, int, int]:
    """Return the first and last days searchable, and their years in the edition's calendar."""
    if language in YEARS:
        first, last = YEARS[language]
        return (
            jdatetime.date(first, 1, 1).togregorian(),
            jdatetime.date(last + 1, 1, 1).togregorian() - timedelta(days=1),
            first,
            last,
        )
    first, last = GREGORIAN_YEARS
    return date(first, 1, 1), date(last, 12, 31), first, last


def _date_field(edition: str, label) -> forms.DateField:
    """Return a search form's date field, in the edition's own calendar."""
    if edition in YEARS:  # the edition's own calendar, as text the reader types
        example = localize_digits(JALALI_EXAMPLE, edition)
        return JalaliDateField(
            label=label,
            required=False,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": example}),
            error_messages={"invalid": JALALI_MESSAGE % {"example": example}},
        )
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": DATE_MESSAGE},
    )


class SearchForm(ReaderForm):
    """The reader's words, and optional section, date and order to narrow them.

    Field names are the page's GET parameters: q, section, when, from, to, sort.
    """

    q = forms.CharField(
        label=_("Search"),
        error_messages={"required": _("Type a word or two to search for.")},
    )
    section = forms.ChoiceField(
        label=_("Section"),
        required=False,
        error_messages={"invalid_choice": _("Choose a section from the list.")},
    )
    when = forms.ChoiceField(
        label=_("Date"),
        required=False,
        choices=[
            ("", _("Any time")),
            ("day", _("Past 24 hours")),
            ("week", _("Past week")),
            ("month", _("Past month")),
            ("year", _("Past year")),
        ],
        error_messages={"invalid_choice": _("Choose a date range from the list.")},
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("", _("Relevance")), ("newest", _("Newest first"))],
        error_messages={"invalid_choice": _("Choose an order from the list.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "search-%s")
        # Django gives each form a deep copy of the declared fields, for a form to change
        # its own, and this form built its date fields and section choices afresh: 0.3-0.55
        # ms of a search's CPU, every copy alike (0.18 ms without). A search form's fields
        # are the edition's, built once (_edition_fields) and shared; the one change made to a
        # form's own (an error's mark, full_clean) copies that field first.
        self.base_fields = {}
        super().__init__(*args, **kwargs)
        self.edition = current_edition()
        # The edition's sections as the masthead lists them: no query, no cache read.
        sections = navigation_choices(self.edition)
        self.section_ids = {slug: pk for slug, (pk, _name) in sections.items()}
        choices = tuple((slug, name) for slug, (_pk, name) in sections.items())
        self.fields = dict(_edition_fields(get_language(), self.edition, choices))

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            # This form's own copy: its fields are shared with every search of the edition.
            field = self.fields[name] = copy.deepcopy(self.fields[name])
            self._bound_fields_cache.pop(name, None)
            widget = field.widget
            widget.attrs["aria-describedby"] = f"search-{name}-error"
            if isinstance(widget, forms.DateInput):
                # A browser empties a date input holding a malformed value; as text the
                # reader sees what they sent and can correct it.
                widget.input_type = "text"
                widget.attrs["placeholder"] = "YYYY-MM-DD"

    def clean_q(self):
        # Control and format characters (null bytes, bidi overrides) carry no meaning
        # for a search and must never reach the database; over-long text is cut.
        text = "".join(
            char for char in self.cleaned_data["q"] if unicodedata.category(char)[0] != "C"
        )
        text = " ".join(text.split())[:SEARCH_MAX_LENGTH]
        if not any(char.isalnum() for char in text):
            raise forms.ValidationError(_("Type a word or two to search for."))
        return text

    def clean(self):
        cleaned = super().clean()
        first_day, last_day, first, last = year_range(self.edition)
        for name in ("from", "to"):
            day = cleaned.get(name)
            if day is not None and not first_day <= day <= last_day:
                message = _("Enter a date between the years %(first)s and %(last)s.")
                self.add_error(name, message % {"first": first, "last": last})
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            self.add_error("to", _("The “To” date must be the same as or later than “From”."))
        return cleaned

    def filters(self) -> dict:
        """Return search_articles() keyword arguments for the valid choices."""
        data = self.cleaned_data
        section_id = self.section_ids.get(data["section"])
        since = until = None
        if data["when"]:
            since = timezone.now() - PERIODS[data["when"]]
        zone = edition_time_zone(self.edition)
        if data["from"]:
            start = _start_of(data["from"], zone)
            since = max(since, start) if since else start
        if data["to"]:
            until = _start_of(data["to"] + timedelta(days=1), zone)
        return {
            "section_id": section_id,
            "since": since,
            "until": until,
            "newest_first": data["sort"] == "newest",
        }

    def filters_html(self) -> SafeString:
        """Return the filter fields' markup (articles/search_filters.html).

        Each widget is a template of its own, and the five cost about 1 ms of a
        search's CPU (a third of the page around the results), though they depend
        only on the edition's sections, the language and the values sent: so the
        markup is kept per process under exactly those, and made afresh when a
        filter has an error (its message and aria-describedby are shown).
        """
        names = [name for name in self.fields if name != "q"]
        if self.is_bound and any(name in self.errors for name in names):
            return self._filters_rendered()
        key = (
            get_language(),
            self.edition,
            tuple((slug, str(label)) for slug, label in self.fields["section"].choices),
            tuple(self.data.get(name) for name in names) if self.is_bound else None,
        )
        markup = _filters_markup.get(key)
        if markup is None:
            if len(_filters_markup) >= FILTERS_KEPT:
                _filters_markup.pop(next(iter(_filters_markup)), None)
            markup = _filters_markup[key] = self._filters_rendered()
        return mark_safe(markup)  # noqa: S308 - our own template's output

    def _filters_rendered(self) -> SafeString:
        return render_to_string("articles/search_filters.html", {"form": self})

    @property
    def narrowed(self) -> bool:
        """Return whether any filter beyond the words is chosen."""
        return any(self.cleaned_data.get(name) for name in ("section", "when", "from", "to"))


def _start_of(day: date, zone) -> datetime:
    # Dates are the reader's calendar days, on the edition's clock.
    return datetime.combine(day, time.min, tzinfo=zone)


# At most this many lists of an edition's sections (a desk renames or adds one) are kept.
@lru_cache(maxsize=64)
def _edition_fields(language: str, edition: str, sections: tuple) -> dict[str, forms.Field]:
    """Return the fields of an edition's search form, `sections` its (slug, name)s, shared
    by its forms (SearchForm.__init__). `language` is the one active: a Persian date's
    message is translated as it is built."""
    fields = copy.deepcopy(SearchForm.base_fields)
    fields["section"].choices = [("", _("All sections")), *sections]
    # "from" is a Python keyword, so these two cannot be declared on the form.
    fields["from"] = _date_field(edition, _("From"))
    fields["to"] = _date_field(edition, _("To"))
    return {name: fields[name] for name in ("q", "section", "when", "from", "to", "sort")}
