"""The Persian edition writes every number in Persian digits and every date in its calendar.

Every reader page type is rendered in fa from the demo content; whatever a reader
reads (text, the page title, alt, title, aria-label and placeholder attributes)
must hold no Western digit, no Gregorian month name and no "UTC". Machine-read
places keep theirs: addresses, datetime=, JSON-LD, meta tags, data-*, ids.
"""

import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import override
from lxml import html

from alwaght.models import Page
from articles.models import Author
from tests.editions.test_demo_editions import page_addresses

pytestmark = pytest.mark.django_db

WESTERN_DIGIT = re.compile(r"[0-9]")
GREGORIAN = re.compile(
    r"(?<!\w)(?:ژانویه|فوریه|مارس|آوریل|ژوئن|ژوئیه|اوت|سپتامبر|اکتبر|نوامبر|دسامبر"
    r"|يناير|فبراير|أبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر"
    r"|January|February|March|April|June|July|August|September|October|November|December"
    r"|UTC)(?!\w)"
)
READ_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")
ADDRESS = re.compile(r"^https?://\S+$")  # the address printed under an article


def read_text(content: str) -> list[str]:
    """Return the pieces of a page a reader reads (text and human attributes)."""
    tree = html.fromstring(content)
    for machine in tree.xpath("//script | //style | //template"):
        machine.drop_tree()
    pieces = [text.strip() for text in tree.xpath("//body//text() | //title/text()")]
    for name in READ_ATTRIBUTES:
        pieces += tree.xpath(f"//body//@{name}")
    return [piece for piece in pieces if piece]


def offences(content: str) -> list[str]:
    return [
        piece
        for piece in read_text(content)
        if not ADDRESS.match(piece) and (WESTERN_DIGIT.search(piece) or GREGORIAN.search(piece))
    ]


def persian_pages() -> dict[str, str]:
    pages = page_addresses("fa")
    pages.pop("feed")  # machine-read: RFC dates
    author = Author.objects.filter(articles__language="fa").first()
    with override("fa"):
        pages["search, no match"] = reverse("articles:search") + "?q=ناپیدا"
        pages["search, stop words"] = reverse("articles:search") + "?q=از"
        pages["archive, older page"] = pages["archive"] + "?page=2"
        pages["author"] = author.get_absolute_url()
        for page in Page.objects.filter(language="fa"):
            pages[f"standing page {page.slug}"] = page.get_absolute_url()
    assert len([name for name in pages if name.startswith("standing page")]) == 4
    return pages


def test_every_persian_reader_page_writes_persian_digits_and_solar_hijri_dates(
    client, media_root, settings
):
    call_command("load_demo", verbosity=0)  # one test: loading the demo is the slow part
    settings.ARTICLES_PER_PAGE = 3  # page numbers on every list

    found = {}
    for name, address in persian_pages().items():
        response = client.get(address)
        assert response.status_code == 200, (name, address)
        if bad := offences(response.content.decode()):
            found[name] = bad
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)


def test_the_checker_sees_what_readers_read():
    page = (
        '<html><head><title>صفحه ۲</title><script type="application/ld+json">{"d": "2025"}'
        '</script></head><body><a href="/fa/news/12/x/" title="۳ عکس">'
        '<time datetime="2025-05-29">۸ خرداد ۱۴۰۴</time></a><img alt="5 دسامبر" src="a1.png">'
        "<p>ساعت ۱۴:۰۵ UTC</p><p>https://example.org/fa/news/12/</p></body></html>"
    )

    assert offences(page) == ["ساعت ۱۴:۰۵ UTC", "5 دسامبر"]
