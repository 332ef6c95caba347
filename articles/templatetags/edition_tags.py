"""The editions on a page: hreflang alternates and the masthead's edition switcher."""

from html import escape
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info, override

from publishing.editions import current_edition

register = template.Library()


@register.simple_tag(takes_context=True)
def hreflang_links(context, article) -> str:
    """Render <link rel="alternate" hreflang> for an article and its linked counterparts.

    Nothing is rendered for an article without counterparts (but the newline that
    ends the lines). x-default is the default edition's version when there is one,
    else this article. The markup is the include's that wrote it until December
    2026 (includes/hreflang_links.html), to the byte: `article_head` renders it.
    """
    counterparts = context.get("counterparts") or {}
    links = []
    if counterparts:
        request = context["request"]
        versions = {article.language: article, **counterparts}
        links = [
            (code, request.build_absolute_uri(versions[code].get_absolute_url()))
            for code, _name in settings.LANGUAGES
            if code in versions
        ]
        default = versions.get(settings.LANGUAGE_CODE, article)
        links.append(("x-default", request.build_absolute_uri(default.get_absolute_url())))
    lines = "".join(
        f'<link rel="alternate" hreflang="{escape(code)}" href="{escape(url)}">\n  '
        for code, url in links
    )
    return mark_safe(lines + "\n")  # noqa: S308 - every value escaped


# Where the switcher leads from a page without a counterpart in the other edition
# (one linked by an editor: an article's, or a section's or topic's by its key):
# - from one edition's item, to that edition's list of its kind;
# - from an article, nowhere: the reader is told it is not available there;
# - from any other page, to the same address in the other edition: the front page,
#   the archive, a tag's, an author's or Most Viewed lists that edition's articles,
#   and a search keeps the reader's words (see kept_query).
KIND_LISTS = {
    "articles:section": "articles:front",
    "topics:detail": "topics:index",
    "media:gallery": "media:index",
    "media:film": "media:films",
    "media:map": "media:maps",
}
ARTICLE_PAGES = {"articles:detail", "articles:detail-no-slug"}
KEPT_PARAMETERS = ("q",)


def kept_query(request) -> str:
    """Return what the switcher's links keep of a search's address: "?q=...", or "".

    The masthead holding the switcher is one fragment per page address, shared by
    every reader of it: the search page renders it with `switcher_query` (a mark
    in its context) in place of this and fills it in for each search
    (articles/views.py). Other pages keep nothing: their masthead, read by every
    reader of the address, must not carry one reader's parameters.
    """
    kept = {name: request.GET[name] for name in KEPT_PARAMETERS if request.GET.get(name)}
    return f"?{urlencode(kept)}" if kept else ""


@register.inclusion_tag("includes/edition_switcher.html", takes_context=True)
def edition_switcher(context):
    """Render links to the other editions: each to this page's equivalent there.

    A counterpart (an article's, a section's, a topic's) first; else as KIND_LISTS
    says. An article without one links to a note on this page, shown when targeted
    (no script): "This article is not available in فارسی", with that edition's
    front page. Pages are keyed by their address for this (base.html).
    """
    counterparts = context.get("counterparts") or {}
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    view = match.view_name if match else ""
    here = current_edition()
    editions = []
    for code, _name in settings.LANGUAGES:
        if code == here:
            continue
        counterpart = counterparts.get(code)
        with override(code):
            front = reverse("articles:front")
            if counterpart is not None:
                url = counterpart.get_absolute_url()
            elif view in ARTICLE_PAGES:
                url = f"#edition-{code}"
            else:
                url = _same_page(match, view, context.get("switcher_query", "")) or front
        editions.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": url,
                "counterpart": counterpart,
                # An article's title, a section's or topic's name.
                "title": getattr(counterpart, "title", None) or getattr(counterpart, "name", ""),
                "unavailable": url.startswith("#"),
                "front": front,
            }
        )
    return {"editions": editions}


def _same_page(match, view, query: str) -> str:
    """Return this page's address in the active edition (with `query`), or "" when none."""
    if match is None or not view:
        return ""
    try:
        if view in KIND_LISTS:
            return reverse(KIND_LISTS[view])
        url = reverse(view, kwargs=match.captured_kwargs)
    except NoReverseMatch:
        return ""
    return f"{url}{query}"
