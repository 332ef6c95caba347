"""The social cards of a page's <head>: `{% social_meta %}` (web/templatetags/head_tags.py).

It replaced an include whose filters it must keep: truncatechars's cut (with a
quicker way for short text), and the template's escaping, once and only once.
"""

import lxml.html
import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation
from django.utils.text import Truncator

from web.templatetags.head_tags import truncated

LONG = 'A lead & <more> "quoted" ' * 20  # 500 characters
TEXTS = [
    "",
    "Short.",
    "x" * 300,  # exactly the limit: kept whole
    "x" * 301,
    LONG,
    "Cafe\u0301 " * 80,  # not in NFC form: Truncator reads (and returns) it composed
    "\u0627\u064b" * 250,  # a combining mark after each letter: 250 characters counted
    "\u0958" * 200,  # 200 characters whose NFC form is 400 code points
]


@pytest.mark.parametrize("language", ["en", "ar", "fa"])
@pytest.mark.parametrize("length", [200, 300])
@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_text_is_cut_as_truncatechars_cuts_it(text, length, language):
    with translation.override(language):  # each edition's ellipsis
        assert truncated(text, length) == Truncator(text).chars(length)


def head(source, **context):
    request = RequestFactory().get("/en/somewhere/")
    template = Template("{% load i18n head_tags %}" + source)
    defaults = {"request": request, "SITE_NAME": "Alwaght", "SITE_TAGLINE": "News & more"}
    html = template.render(Context({**defaults, **context}))
    document = lxml.html.fromstring(f"<head>{html}</head>")
    return {
        element.get("property") or element.get("name"): element.get("content")
        for element in document.iter("meta")
    }, html


def test_text_is_escaped_once_whether_it_comes_safe_or_not():
    meta, html = head(
        '{% translate "War & peace" as safe %}{% social_meta title=safe description=plain %}',
        plain='Plain & <b>"bold"</b>',
    )

    assert meta["og:title"] == meta["twitter:title"] == "War & peace"
    assert meta["description"] == meta["og:description"] == 'Plain & <b>"bold"</b>'
    assert "&amp;amp;" not in html and "<b>" not in html


def test_defaults_are_the_sites_and_only_what_is_passed_is_used():
    # The include it replaced read a `title` or `image` any view left in the context.
    meta, _html = head("{% social_meta %}", title="Left by a view", image="x.jpg")

    assert meta["og:title"] == "Alwaght"
    assert meta["description"] == "News & more"
    assert meta["og:type"] == "website"
    assert meta["og:url"] == "http://testserver/en/somewhere/"
    assert meta["og:image"] == "http://testserver/static/img/logo.png"
    assert meta["twitter:card"] == "summary"


def test_a_long_description_is_cut_for_each_card():
    meta, _html = head("{% social_meta description=text %}", text=LONG)

    assert meta["og:description"] == Truncator(LONG).chars(300)
    assert meta["twitter:description"] == Truncator(LONG).chars(200)


def test_the_logo_follows_the_static_files_settings(settings):
    head("{% social_meta %}")  # the logo's address, kept by the process
    settings.STATIC_URL = "/assets/"

    meta, _html = head("{% social_meta %}")

    assert meta["og:image"] == "http://testserver/assets/img/logo.png"
