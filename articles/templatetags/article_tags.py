import json
import re
from html import escape

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import uri_to_iri
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import get_current_timezone, template_localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from articles.navigation import navigation_sections
from articles.templatetags.edition_tags import hreflang_links
from articles.urling import ArticleLinks, slug_url
from publishing.dates import edition_date, edition_time_zone
from publishing.editions import current_edition
from web.fragments import cached_fragment
from web.scopes import CHROME
from web.templatetags.head_tags import logo_url, social_meta

register = template.Library()

MAP_PAGES = {"maps", "map"}
WORDS_PER_MINUTE = 200

# As django.utils.html.json_script does: nothing in the data can close the script.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def section_nav(context):
    """Render the site menu: Home, every section, then the site's other pages.

    Each item is (label, url, current); the item for the page being read (or the
    section of the article being read) is current. Rendered once per edition,
    current item and menu version (web/fragments.py; sections bump "chrome").
    """
    request = context["request"]
    match = request.resolver_match
    app, name = (match.app_name, match.url_name) if match else ("", "")
    section = context.get("section")
    section_id = (
        section.pk if section is not None else getattr(context.get("article"), "section_id", None)
    )
    # The one thing that differs between pages: which item is current.
    current = (
        name == "front",
        section_id,
        app == "topics",
        app == "media" and name not in MAP_PAGES,
        app == "media" and name in MAP_PAGES,
        app == "popularity",
        name == "archive",
    )

    def render():
        front, section_id, topics, gallery, maps, most_viewed, archive = current
        items = [(_("Home"), reverse("articles:front"), front)]
        items += [
            (section.name, section.get_absolute_url(), section.pk == section_id)
            for section in navigation_sections(current_edition())
        ]
        items += [
            (_("In Focus"), reverse("topics:index"), topics),
            (_("Gallery"), reverse("media:index"), gallery),
            (_("Maps"), reverse("media:maps"), maps),
            (_("Most Viewed"), reverse("popularity:most-viewed"), most_viewed),
            (_("All news"), reverse("articles:archive"), archive),
        ]
        return render_to_string("includes/section_nav.html", {"items": items})

    return mark_safe(cached_fragment("section-nav", current, [CHROME], render))  # noqa: S308


@register.filter
def iri(url: str) -> str:
    """Write an address as readers read it: letters, not %D8%A7... (printed pages)."""
    return uri_to_iri(url)


def _json_ld_author(article, absolute) -> dict:
    if article.author_id:
        return {
            "@type": "Person",
            "name": article.byline_text,
            "url": absolute(article.author.get_absolute_url()),
        }
    if article.byline:
        return {"@type": "Person", "name": article.byline}
    return {"@type": "Organization", "name": settings.SITE_NAME}


# The body is sanitised HTML (articles/sanitize.py): a "<" in its text is written
# "&lt;", so every "<" opens a tag. Django's strip_tags parses the whole body with
# HTMLParser: a fifteenth of the article column's render.
_TAG = re.compile(r"<[^>]*>")


@register.filter
def reading_minutes(html: str) -> int:
    """Return the minutes a reader needs for `html`, at 200 words a minute (at least 1)."""
    return max(1, round(len(_TAG.sub("", html).split()) / WORDS_PER_MINUTE))


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
            "url": absolute(logo_url()),
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
        "keywords": [tag.name for tag in article.shown_tags],
        "mainEntityOfPage": {"@type": "WebPage", "@id": absolute(article.get_absolute_url())},
        "author": _json_ld_author(article, absolute),
        "publisher": publisher,
        "image": [absolute(article.photo.image.url if article.photo else logo_url())],
    }
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        # <, > and & are escaped as \u003c etc. by the translation: the JSON cannot
        # close the element.
        mark_safe(text.translate(_JSON_SCRIPT_ESCAPES)),  # noqa: S308
    )


@register.simple_tag(takes_context=True)
def article_head(context, article):
    """Render the article page's <head> metadata: cards, article:* properties, JSON-LD, hreflang.

    {% article_head detail %} in the "article-head" fragment of
    articles/article_detail.html: the description and social cards of
    `social_meta` (the shared picture is the social photo, else the main one),
    the publication and modification times, section and tags, the NewsArticle
    JSON-LD and the counterparts' hreflang links. Written in Python, not in the
    template it was in until December 2026, whose engine spent about 1.7 ms of a
    first view's CPU on it, in process on the bench database (0.44 ms now; issue
    24). The markup is that template's to the byte.
    """
    share = article.share_photo
    cards = social_meta(
        context,
        title=article.seo_title or article.title,
        description=article.meta_description or article.lead,
        type="article",
        image=share and share.image,
        image_width=share and share.width,
        image_height=share and share.height,
        image_alt=share and share.alt_text,
    )
    tags = "".join(
        f'<meta property="article:tag" content="{escape(tag.name)}">\n  '
        for tag in article.shown_tags
    )
    return mark_safe(  # noqa: S308 - every value escaped
        f"{cards}\n"
        f'  <meta property="article:published_time" content="{_iso(article.publish_at)}">\n'
        f'  <meta property="article:modified_time" content="{_iso(article.updated_at)}">\n'
        f'  <meta property="article:section" content="{escape(article.section.name)}">\n'
        f"  {tags}{news_article_json_ld(context, article)}\n"
        f"  {hreflang_links(context, article)}"
    )


def _iso(moment) -> str:
    """Return {{ moment|date:"c" }}: ISO 8601 in the current time zone, "" for none."""
    return "" if moment is None else template_localtime(moment).isoformat()


# Each day's date as a search result card writes it, per edition (search_result_items).
CARD_DATES_KEPT = 4096
_card_dates: dict[tuple, str] = {}

# What the masthead's search box holds in its cached HTML, in place of the words.
SEARCH_BOX_MARK = 'value="<search-words>"'


@register.filter(is_safe=True)
def search_box(masthead: str, words) -> str:
    """Put the words searched for into the masthead's search box: {% filter search_box:q %}.

    The masthead is one fragment per page address; keyed by the words as well (so
    that its box shows them), a search nobody asked before rendered it afresh, 0.8 ms
    of its app CPU. It is kept with a mark in the box instead, filled here (escaped).
    """
    value = escape(words) if isinstance(words, str) else ""
    return mark_safe(str(masthead).replace(SEARCH_BOX_MARK, f'value="{value}"', 1))  # noqa: S308


@register.simple_tag
def headline_list(articles, quiet_section=False, limit=None) -> str:
    """Render a list of headlines: section, title and date, newest first as given.

    {% headline_list related %}; `quiet_section` names the section after the date
    instead of above the title (More in the section, the News block), `limit` is
    the side blocks' data-limit. Written in Python, as the search results are (see
    below): an article's first view renders two of these, and the template
    engine's loop cost 0.3 ms a list (issue 24). The markup is the template's
    (includes/headline_list.html until December 2026).
    """
    attribute = f' data-limit="{escape(str(limit))}"' if limit else ""
    section_urls, current, article_links = {}, get_current_timezone(), ArticleLinks()
    items = []
    for article in articles:
        article_href = escape(article_links(article.language, article.pk, article.slug))
        section = article.section
        if section.pk not in section_urls:
            section_urls[section.pk] = (escape(section.get_absolute_url()), escape(section.name))
        url, name = section_urls[section.pk]
        shown = escape(edition_date(article.publish_at, "short"))  # with the time: per article
        iso = article.publish_at.astimezone(current).isoformat()  # the date filter's "c"
        kicker = "" if quiet_section else f'<p class="kicker"><a href="{url}">{name}</a></p>\n'
        after_date = f" · {name}" if quiet_section else ""
        items.append(
            f'<li class="headlines__item" data-article="{article.pk}">\n{kicker}'
            f'<a class="headlines__title" href="{article_href}">'
            f"{escape(article.title)}</a>\n"
            f'<span class="meta"><time datetime="{iso}">{shown}</time>{after_date}</span>\n'
            "</li>"
        )
    if not items:
        empty = _("No news yet.")  # outside the f-string, where makemessages finds it
        items.append(f'<li class="empty">{escape(empty)}</li>')
    return mark_safe(f'<ol class="headlines"{attribute}>\n' + "\n".join(items) + "\n</ol>")  # noqa: S308 - escaped


@register.simple_tag
def search_result_items(articles) -> str:
    """Render each search result's <li>: section, title, excerpt and date.

    Written in Python rather than as a loop in articles/search_results.html: the
    template engine spent about 180 µs a card (3.7 of a search's 16 ms app CPU
    for twenty cards under load; issue 24), this under 20 µs. The markup is the
    template's, escaped as it would be (html.escape, as django.utils.html does,
    without format_html's checks for lazy text in each argument); each section's
    address is worked out once a page, each day's date once per process (a page's
    eleven dates were a fifth of its cards' CPU).
    """
    section_urls, article_links = {}, ArticleLinks()
    language = get_language()
    zone, current = edition_time_zone(language), get_current_timezone()
    items = []
    for article in articles:
        article_href = escape(article_links(article.language, article.pk, article.slug))
        section = article.section
        if section.pk not in section_urls:
            section_urls[section.pk] = escape(section.get_absolute_url())
        day = (language, article.publish_at.astimezone(zone).date(), settings.ALWAGHT_ARABIC_DIGITS)
        written = _card_dates.get(day)
        if written is None:
            if len(_card_dates) >= CARD_DATES_KEPT:
                _card_dates.clear()
            written = _card_dates[day] = escape(edition_date(article.publish_at, "date"))
        # The date filter's "c": ISO 8601 in the current time zone.
        iso = article.publish_at.astimezone(current).isoformat()
        items.append(
            '<li class="search-result">\n'
            f'  <p class="kicker"><a href="{section_urls[section.pk]}">'
            f"{escape(section.name)}</a></p>\n"
            f'  <h2 class="card__title"><a href="{article_href}">'
            f"{escape(article.title)}</a></h2>\n"
            f'  <p class="search-result__excerpt">{conditional_escape(article.excerpt)}</p>\n'
            f'  <p class="meta"><time datetime="{iso}">{written}</time></p>\n'
            "</li>"
        )
    return mark_safe("\n".join(items))  # noqa: S308 - every value escaped above


@register.filter
def tag_url(slug: str) -> str:
    """Return the address of a tag's page in the edition being read ({% url 'articles:tag' %})."""
    return slug_url("articles:tag", get_language(), slug)
