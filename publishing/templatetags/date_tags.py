from django import template
from django.utils import timezone

from publishing.dates import edition_date as format_edition_date
from publishing.dates import edition_number as format_edition_number

register = template.Library()


@register.filter
def edition_date(value, style="long"):
    """Write a date as the edition's readers read it: {{ article.publish_at|edition_date }}.

    Styles: long (weekday and date), date, datetime, long-datetime, short, year
    (see publishing/dates.py).
    """
    return format_edition_date(value, style)


@register.filter
def edition_number(value):
    """Write a count, position or duration as the edition's readers read numbers.

    {{ count|edition_number }}: the edition's digits, whole numbers grouped by
    thousands (publishing/dates.py). Every number a reader sees goes through it; dates
    through edition_date.
    """
    return format_edition_number(value)


@register.simple_tag
def edition_year():
    """Return this year as the edition counts and writes it: {% edition_year as year %}."""
    return format_edition_date(timezone.now(), "year")
