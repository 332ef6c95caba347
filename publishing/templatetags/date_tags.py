from django import template
from django.utils import timezone

from publishing.dates import edition_date as format_edition_date
from publishing.dates import localize_digits

register = template.Library()


@register.filter
def edition_date(value, style="long"):
    """Write a date as the edition's readers read it: {{ article.publish_at|edition_date }}.

    Styles: long (weekday and date), date, datetime, long-datetime, short, year
    (see publishing/dates.py).
    """
    return format_edition_date(value, style)


@register.filter
def edition_digits(value):
    """Write a number with the edition's digits: {{ count|edition_digits }}."""
    return localize_digits(str(value))


@register.simple_tag
def edition_year():
    """Return this year as the edition counts and writes it: {% edition_year as year %}."""
    return format_edition_date(timezone.now(), "year")
