from django import template

from publishing import desk_dates
from web import people

register = template.Library()


@register.filter
def desk_date(value, format_string="DATETIME_FORMAT"):
    """Write a date as the desk reads it: Solar Hijri on the Persian desk.

    For the desk's templates, in place of Django's date filter (publishing/desk_dates.py);
    machine-readable attributes (datetime="...") keep |date:'c'.
    """
    return desk_dates.desk_date(value, format_string)


@register.inclusion_tag("admin/date_hierarchy.html")
def desk_date_hierarchy(cl):
    """Django's year, month and day drill-down, from a few index entries, not the whole list.

    For templates/admin/change_list.html, in place of Django's date_hierarchy tag
    (publishing/desk_dates.py gregorian_drill_down says what each costs).
    """
    return desk_dates.gregorian_drill_down(cl)


@register.filter
def person_name(user):
    """Name a person as the desk does: the full name, else the username (web/people.py).

    "" for no user: {{ note.author|person_name|default:_("someone") }}.
    """
    return people.person_name(user)
