"""Characters XML 1.0 cannot carry never reach stored text or break a feed."""

import importlib

import feedparser
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from taggit.models import Tag

from alwaght.models import Page
from articles.models import Article, Author, Section, Topic
from comments.models import Comment
from media.models import Photo
from tests.factories import (
    make_article,
    make_author,
    make_comment,
    make_photo,
    make_section,
    make_topic,
)
from web.text import clean_text, has_unsafe_characters

pytestmark = pytest.mark.django_db

# Every C0 and C1 control character, DEL, and a lone surrogate of each half.
CONTROLS = "".join(map(chr, [*range(0x20), 0x7F, *range(0x80, 0xA0), 0xD800, 0xDFFF]))
# Noncharacters: U+FFFE and U+FFFF (XML 1.0 forbids them), the U+FDD0-U+FDEF block and
# the last two code points of every plane.
NONCHARACTERS = "".join(
    map(
        chr,
        [*range(0xFDD0, 0xFDF0), *(p << 16 | low for p in range(17) for low in (0xFFFE, 0xFFFF))],
    )
)
# Their neighbours are ordinary text (U+FDF2 is the Arabic ligature of "Allah").
NEIGHBOURS = "\ufdcf\ufdf0\ufdf2\ufffd\U0001f600\U0010fffd"
DIRTY = f"Dam{CONTROLS}talks"
CLEAN = "Dam\t\n\ntalks"  # tab and newline stay; the carriage return becomes a newline
# What PostgreSQL can hold at all: no NUL, no surrogates.
# A sample of the noncharacters, so it fits the shortest column (a tag's 100).
STORABLE = f"Dam{CONTROLS[1:-2]}\ufffe\uffff\ufdd0\U0010fffftalks"


def test_clean_text_keeps_tab_and_newline_only():
    assert clean_text(DIRTY) == CLEAN
    assert clean_text("Line one\r\nLine two") == "Line one\nLine two"
    assert clean_text("سلام — ok ✓") == "سلام — ok ✓"


def test_clean_text_removes_every_noncharacter_and_keeps_their_neighbours():
    assert clean_text(f"Dam{NONCHARACTERS}{NEIGHBOURS}talks") == f"Dam{NEIGHBOURS}talks"
    assert all(has_unsafe_characters(character) for character in NONCHARACTERS)
    assert not has_unsafe_characters(NEIGHBOURS)


def test_every_character_xml_forbids_is_removed():
    """Walk every code point: what XML 1.0 cannot carry (its Char production) goes."""

    def xml_char(code):
        return (
            code in (0x9, 0xA, 0xD)
            or 0x20 <= code <= 0xD7FF
            or 0xE000 <= code <= 0xFFFD
            or code >= 0x10000
        )

    for code in range(0x110000):
        if not xml_char(code):
            assert has_unsafe_characters(chr(code)) or code == 0xD, hex(code)


def test_an_author_name_with_a_noncharacter_is_cleaned_and_feeds_stay_valid(client):
    """Issue 20 M3: an Editor alone could break every feed through an author's name."""
    author = make_author(name="Sara\ufffe Ahmadi\uffff")
    make_article(author=author, byline="")

    assert Author.objects.get().name == "Sara Ahmadi"
    parsed = feedparser.parse(client.get("/en/feed/").content)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.entries[0].author == "Sara Ahmadi"


def test_every_text_field_is_cleaned_on_save():
    section = make_section(name=f"Sec{CONTROLS}tion")
    article = make_article(
        section=section, title=DIRTY, lead=DIRTY, byline=DIRTY, body=f"<p>{DIRTY}</p>"
    )
    # taggit looks a name up before saving it: PostgreSQL takes no surrogate in a
    # query, nor NUL; neither can arrive through a form (Django refuses NUL in
    # form fields and decodes requests with replacement).
    article.tags.add(f"Wa{CONTROLS[1:-2]}ter")
    topic = make_topic(name=f"To{CONTROLS}pic", description=DIRTY)
    photo = make_photo(title=DIRTY, alt_text=DIRTY, caption=DIRTY, credit=DIRTY)
    comment = make_comment(article=article, name=DIRTY, text=DIRTY)
    user = get_user_model().objects.create_user("ed", first_name=DIRTY, last_name=DIRTY)

    article = Article.objects.get(pk=article.pk)
    assert (article.title, article.lead, article.byline) == (CLEAN, CLEAN, CLEAN)
    assert article.body == f"<p>{CLEAN}</p>"
    assert Section.objects.get(pk=section.pk).name == "Sec\t\n\ntion"
    assert list(Tag.objects.values_list("name", flat=True)) == ["Wa\t\n\nter"]
    assert Topic.objects.get(pk=topic.pk).description == CLEAN
    photo = Photo.objects.get(pk=photo.pk)
    assert (photo.title, photo.alt_text, photo.caption, photo.credit) == (CLEAN,) * 4
    comment = Comment.objects.get(pk=comment.pk)
    assert (comment.name, comment.text) == (CLEAN, CLEAN)
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == (CLEAN, CLEAN)


def test_a_comment_keeps_its_words_without_the_control_characters(client, settings):
    import time

    from comments.forms import form_token

    settings.COMMENTS_MIN_SECONDS = 0
    article = make_article()

    response = client.post(
        f"/en/comments/{article.pk}/",
        {
            "name": "Leila",
            "text": f"Soft{chr(11)}return and a bell{chr(7)}.",
            "website": "",
            "token": form_token(article.pk, now=time.time() - 60),
        },
    )

    assert response.status_code == 303
    assert Comment.objects.get().text == "Softreturn and a bell."


def feed_urls(article, topic):
    section, tag = article.section.slug, article.tags.get().slug
    for base in ["/en", f"/en/section/{section}", f"/en/tags/{tag}", f"/en/in-focus/{topic.slug}"]:
        yield f"{base}/feed/"
        yield f"{base}/feed/atom/"


def test_feeds_answer_even_when_stored_text_holds_every_control_character(client):
    article = make_article(title="Clean", tags=["water"], byline="Desk")
    topic = make_topic()
    article.topics.add(topic)
    # .update() bypasses the cleaning on save, as raw SQL or an old row would.
    Article.objects.update(title=STORABLE, lead=STORABLE, byline=STORABLE)
    Section.objects.update(name=STORABLE, description=STORABLE)
    Tag.objects.update(name=STORABLE)
    Topic.objects.update(name=STORABLE, description=STORABLE)

    for url in feed_urls(article, topic):
        response = client.get(url)
        assert response.status_code == 200, url
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, (url, parsed.bozo_exception)
        assert parsed.entries[0].title == CLEAN, url


def test_the_migration_cleans_rows_stored_before_the_noncharacters_were_refused():
    article = make_article(title="Clean", tags=["water"])
    author = make_author()
    page = Page.objects.create(title="About", slug="about", body="<p>Us</p>")
    dirty = STORABLE
    # .update() bypasses the cleaning on save, as an old row does.
    Article.objects.update(title=dirty, lead="Fine lead")
    Author.objects.update(name=dirty)
    Tag.objects.update(name=dirty)
    Page.objects.update(title=dirty)
    migration = importlib.import_module("alwaght.migrations.0004_clean_stored_text")

    with connection.schema_editor() as editor:
        migration.clean_stored_text(apps, editor)

    article.refresh_from_db()
    clean = clean_text(STORABLE)
    assert clean == CLEAN
    assert (article.title, article.lead) == (clean, "Fine lead")
    assert Author.objects.get(pk=author.pk).name == clean
    assert Tag.objects.get().name == clean
    assert Page.objects.get(pk=page.pk).title == clean
