"""What a page's <head> tells search engines and social networks about it.

    {% load head_tags %}
    {% social_meta title=topic.name description=topic.description image=topic.photo.image %}

In the lowest floor (web), so that the templates of every app may load it
(tests/test_template_floors.py); the article page's own lines are the article
core's `article_head` (articles/templatetags/article_tags.py), which uses this.
"""

import functools
import unicodedata
from html import escape

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

register = template.Library()

DESCRIPTION_CHARS = 300  # the description and og:description
TWITTER_DESCRIPTION_CHARS = 200


@functools.cache
def logo_url() -> str:
    """Return the address of the site's logo, {% static "img/logo.png" %}.

    Worked out once per process: with hashed names (the manifest storage) it cost
    about 0.1 ms a call, three a first view of an article (issue 24). The storage
    reads its manifest once per process too.
    """
    return static("img/logo.png")


@receiver(setting_changed)
def _forget_logo_url(*, setting, **kwargs):
    if setting in ("STORAGES", "STATIC_ROOT", "STATIC_URL"):  # as Django resets the storage
        logo_url.cache_clear()


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """Return this page's absolute canonical address: its path, and its page number."""
    request = context["request"]
    url = request.build_absolute_uri(request.path)
    page = context.get("page_obj")
    if page is not None and page.number is None:  # addressed by article: ?before=/?after=
        url += "?" + "&".join(
            f"{key}={request.GET[key]}" for key in ("before", "after") if key in request.GET
        )
    elif page is not None and page.number > 1:
        url += f"?page={page.number}"
    return url


def shown(value) -> str:
    """Return `value` as {{ value }} writes it: safe text as it is, anything else escaped.

    html.escape, as django.utils.html.escape does, without its check for lazy text.
    """
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


def truncated(text: str, length: int) -> str:
    """Return what {{ text|truncatechars:length }} returns, before escaping.

    Truncator reads the text in NFC form and counts its characters one by one;
    text no longer than `length` in that form is returned whole, as Truncator would.
    """
    whole = unicodedata.normalize("NFC", text)
    if len(whole) <= length:
        return whole
    return Truncator(text).chars(length)


@register.simple_tag(takes_context=True)
def social_meta(
    context,
    *,
    title=None,
    description=None,
    type=None,  # og:type's: named as the include named it
    image=None,
    image_width=None,
    image_height=None,
    image_alt=None,
) -> str:
    """Render the page's description, canonical link, Open Graph and Twitter card tags.

    `title` defaults to the site's name, `description` to its tagline (both cut,
    as the truncatechars filter cuts, to 300 characters, 200 for Twitter), `type`
    to "website"; `image` (an image field's file) is the shared picture, with its
    `image_width`, `image_height` and `image_alt`, else the site's logo. Only
    what is passed is used, nothing else from the context (the include this
    replaces read any `title` or `image` a view left there).

    Written in Python rather than as an include (includes/social_meta.html until
    December 2026): its filters, tags and lookups in the template engine were a
    large part of a page's <head> (issue 24). The markup is the include's to the
    byte, last newline and all; values are escaped as the template did: text
    already safe (a {% translate ... as title %}) is not escaped twice.
    """
    request = context["request"]
    canonical = escape(canonical_url(context))
    origin = escape(request.build_absolute_uri("/").removesuffix("/"))  # scheme and host
    title = shown(title or context.get("SITE_NAME", ""))
    description = str(description or context.get("SITE_TAGLINE", ""))
    longer = truncated(description, DESCRIPTION_CHARS)
    shorter = truncated(description, TWITTER_DESCRIPTION_CHARS)
    if not hasattr(description, "__html__"):  # the filter keeps safe text safe
        longer, shorter = escape(longer), escape(shorter)
    if image:
        size = (
            f'<meta property="og:image:width" content="{shown(image_width)}">\n'
            f'  <meta property="og:image:height" content="{shown(image_height)}">'
            if image_width
            else ""
        )
        alt = f'<meta property="og:image:alt" content="{shown(image_alt)}">' if image_alt else ""
        picture = (
            f'<meta property="og:image" content="{origin}{shown(image.url)}">\n'
            f"  {size}\n"
            f"  {alt}\n"
            '  <meta name="twitter:card" content="summary_large_image">'
        )
    else:
        picture = (
            f'<meta property="og:image" content="{origin}{escape(logo_url())}">\n'
            '  <meta name="twitter:card" content="summary">'
        )
    return mark_safe(  # noqa: S308 - every value escaped above
        f'<meta name="description" content="{longer}">\n'
        f'  <link rel="canonical" href="{canonical}">\n'
        f'  <meta property="og:site_name" content="{shown(context.get("SITE_NAME", ""))}">\n'
        f'  <meta property="og:type" content="{shown(type or "website")}">\n'
        f'  <meta property="og:title" content="{title}">\n'
        f'  <meta property="og:description" content="{longer}">\n'
        f'  <meta property="og:url" content="{canonical}">\n'
        f'  <meta property="og:locale" content="{shown(context.get("LANGUAGE_CODE") or "en")}">\n'
        f"  {picture}\n"
        f'  <meta name="twitter:title" content="{title}">\n'
        f'  <meta name="twitter:description" content="{shorter}">\n'
    )
