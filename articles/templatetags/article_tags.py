import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.navigation import navigation_sections

register = template.Library()

# As django.utils.html.json_script does: nothing in the data can close the script.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.inclusion_tag("includes/section_nav.html", takes_context=True)
def section_nav(context):
    """Render the masthead's section links, marking the section being read."""
    current = context.get("section") or getattr(context.get("article"), "section", None)
    return {"sections": navigation_sections(), "current": current, "request": context["request"]}


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


@register.simple_tag(takes_context=True)
def news_article_json_ld(context, article):
    """Return a schema.org NewsArticle description of `article` as JSON-LD."""
    request = context["request"]
    absolute = request.build_absolute_uri
    publisher = {
        "@type": "NewsMediaOrganization",
        "name": settings.SITE_NAME,
        "url": absolute("/"),
        "logo": {
            "@type": "ImageObject",
            "url": absolute(static("img/logo.png")),
            "width": 600,
            "height": 60,
        },
    }
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": article.lead,
        "datePublished": article.publish_at,
        "dateModified": article.updated_at,
        "inLanguage": article.language,
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in article.tags.all()],
        "mainEntityOfPage": {"@type": "WebPage", "@id": absolute(article.get_absolute_url())},
        "author": (
            {"@type": "Person", "name": article.byline}
            if article.byline
            else {"@type": "Organization", "name": settings.SITE_NAME}
        ),
        "publisher": publisher,
        "image": [absolute(article.photo.image.url if article.photo else static("img/logo.png"))],
    }
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        # <, > and & are escaped as \u003c etc. by the translation: the JSON cannot
        # close the element.
        mark_safe(text.translate(_JSON_SCRIPT_ESCAPES)),  # noqa: S308
    )
