"""The editions on a page: hreflang alternates and the masthead's edition switcher."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language_info, override

from publishing.editions import current_edition

register = template.Library()


@register.inclusion_tag("includes/hreflang_links.html", takes_context=True)
def hreflang_links(context, article):
    """Render <link rel="alternate" hreflang> for an article and its linked counterparts.

    Nothing is rendered for an article without counterparts. x-default is the
    default edition's version when there is one, else this article.
    """
    counterparts = context.get("counterparts") or {}
    if not counterparts:
        return {"links": []}
    request = context["request"]
    versions = {article.language: article, **counterparts}
    links = [
        (code, request.build_absolute_uri(versions[code].get_absolute_url()))
        for code, _name in settings.LANGUAGES
        if code in versions
    ]
    default = versions.get(settings.LANGUAGE_CODE, article)
    links.append(("x-default", request.build_absolute_uri(default.get_absolute_url())))
    return {"links": links}


@register.inclusion_tag("includes/edition_switcher.html", takes_context=True)
def edition_switcher(context):
    """Render links to the other editions: the counterpart article if any, else their front page."""
    counterparts = context.get("counterparts") or {}
    here = current_edition()
    editions = []
    for code, _name in settings.LANGUAGES:
        if code == here:
            continue
        counterpart = counterparts.get(code)
        if counterpart is not None:
            url = counterpart.get_absolute_url()
        else:
            with override(code):
                url = reverse("articles:front")
        editions.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": url,
                "counterpart": counterpart,
            }
        )
    return {"editions": editions}
