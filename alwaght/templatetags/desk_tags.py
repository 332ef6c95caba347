from django import template

from publishing import desk_dates

register = template.Library()


@register.filter
def desk_date(value, format_string="DATETIME_FORMAT"):
    """Write a date as the desk reads it: Solar Hijri on the Persian desk.

    For the desk's templates, in place of Django's date filter (publishing/desk_dates.py);
    machine-readable attributes (datetime="...") keep |date:'c'.
    """
    return desk_dates.desk_date(value, format_string)
