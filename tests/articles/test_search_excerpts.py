"""Excerpts show readers the article's text, escaped once, with only our <mark> as markup.

A body is stored as HTML (entities and all), a lead as plain text; every edition's
excerpt (ts_headline in English and Arabic, Python in Persian) must come out as the
text a reader sees on the article page.
"""

import html
import re

import pytest
from django.urls import reverse
from django.utils.translation import override

from articles.models import Article
from articles.script import search_language
from tests.factories import make_article

pytestmark = pytest.mark.django_db

WORDS = {"en": "irrigation", "ar": "الري", "fa": "اقتصاد"}
LEADS = {"en": "Plans.", "ar": "خطط.", "fa": "گزارش."}
# As stored: the sanitiser writes &amp; &lt; &gt; &nbsp; itself; &quot; and &#39;
# come in bodies stored before it or written around it (imports, SQL).
BODY = (
    "<p>Smith &amp; Sons &amp;amp; &lt;script&gt;x()&lt;/script&gt;: <b>{word}</b> "
    "&quot;now&quot;, it&#39;s ten&nbsp;km &lt;b&gt;not bold&lt;/b&gt; and more words here.</p>"
)
# What a reader sees of it on the article page, as much as every excerpt shows
# (ts_headline may leave off the end, Persian starts five words before the match).
BODY_TEXT = 'Sons &amp; <script>x()</script>: {word} "now", it\'s ten\xa0km <b>not bold</b>'
LEAD = '{word}: Smith & Sons, <b>not bold</b>, written "&amp;" &#39; 3 < 4'


def search(client, language, words):
    with override(language):
        url = reverse("articles:search")
    return client.get(url, {"q": words})


def shown(excerpt: str) -> str:
    """Return the text a browser shows of `excerpt`, after checking <mark> is its only markup."""
    text = re.sub(r"</?mark>", "", excerpt)
    assert "<" not in text and ">" not in text, excerpt
    # Runs of white space (not the no-break space) show as one space.
    return re.sub("[ \t\n]+", " ", html.unescape(text))


@pytest.mark.parametrize("language", ["en", "ar", "fa"])
def test_a_body_excerpt_shows_the_bodys_text_escaped_once(client, language):
    word = WORDS[language]
    article = make_article(language=language, title="Report", lead=LEADS[language])
    Article.objects.filter(pk=article.pk).update(body=BODY.format(word=word))

    response = search(client, language, word)
    excerpt = str(response.context["results"].results[0].excerpt)

    assert f"<mark>{word}</mark>" in excerpt
    assert BODY_TEXT.format(word=word) in shown(excerpt)
    assert "Sons &amp;amp; &lt;script&gt;x()&lt;/script&gt;:" in excerpt
    assert "ten\xa0km" in excerpt and "&lt;b&gt;not bold&lt;/b&gt;" in excerpt
    # The card puts it on the page as it is.
    page = response.content.decode()
    assert "Sons &amp;amp; &lt;script&gt;x()&lt;/script&gt;:" in page
    assert f"<mark>{word}</mark>" in page and "<script>x" not in page


@pytest.mark.parametrize("language", ["en", "ar", "fa"])
def test_a_lead_excerpt_shows_the_leads_text_escaped_once(client, language):
    word = WORDS[language]
    lead = LEAD.format(word=word)
    make_article(language=language, title="Report", lead=lead, body="<p>Other things.</p>")

    response = search(client, language, word)
    excerpt = str(response.context["results"].results[0].excerpt)

    assert excerpt.startswith(f"<mark>{word}</mark>: Smith &amp; Sons, &lt;b&gt;not bold")
    # A lead is plain text: what looks like an entity in it is shown as typed.
    assert lead in shown(excerpt)
    assert f"<mark>{word}</mark>" in response.content.decode()


@pytest.mark.parametrize("language", ["en", "ar", "fa"])
def test_a_body_cut_inside_a_tag_shows_no_piece_of_it(client, language):
    # The excerpt is looked for in the body's first excerpt_chars characters.
    word, chars = WORDS[language], search_language(language).excerpt_chars
    tag = '<a href="/en/dams/today/">'
    text = f"The {word} plan "
    filler = "Canals and dams. " * ((chars - len(text) - 13) // 17)
    body = f"<p>{filler}{text}{tag}works</a></p>"
    assert body.index(tag) < chars < body.index(tag) + len(tag)
    make_article(language=language, title="Report", lead=LEADS[language], body=body)

    excerpt = str(search(client, language, word).context["results"].results[0].excerpt)

    assert f"<mark>{word}</mark> plan" in excerpt
    assert "&lt;" not in excerpt and "href" not in excerpt


# Words that are in the title or a tag only, with a lead and a body of their own.
ELSEWHERE = {"en": "Watershed", "ar": "الحوض", "fa": "آبخیز"}
OWN_LEADS = {
    "en": "Farmers in the valley share the river's water by a new rota.",
    "ar": "المزارعون في الوادي يتقاسمون مياه النهر وفق جدول جديد.",
    "fa": "کشاورزان دره آب رودخانه را با نوبت تازه تقسیم می‌کنند.",
}
OWN_BODY_TEXTS = {
    "en": "Canals and dams were mended before the spring",
    "ar": "أصلحت القنوات والسدود قبل الربيع",
    "fa": "کانال‌ها و سدها پیش از بهار تعمیر شدند",
}


def own_body(language: str, *more: str) -> str:
    return f"<p>{' '.join([OWN_BODY_TEXTS[language], *more])}.</p>"


def without_stop(text: str) -> str:
    """Return `text` without its closing full stop (a Persian excerpt ends at a word)."""
    return text.removesuffix(".")


@pytest.mark.parametrize("language", ["en", "ar", "fa"])
@pytest.mark.parametrize("where", ["title", "tag"])
def test_words_found_outside_the_body_show_the_lead_alone(client, language, where):
    # As a search engine shows a page's description: the body's first words would
    # say less, and finding that out costs parsing them (articles/search.py).
    word = ELSEWHERE[language]
    found_by = {"title": word} if where == "title" else {"tags": [word]}
    make_article(
        language=language,
        **{"title": "Report", **found_by},
        lead=OWN_LEADS[language],
        body=own_body(language),
    )

    excerpt = str(search(client, language, word).context["results"].results[0].excerpt)

    assert without_stop(shown(excerpt)) == without_stop(OWN_LEADS[language])


@pytest.mark.parametrize("language", ["en", "ar", "fa"])
def test_words_in_the_body_still_show_the_body_around_them(client, language):
    word = WORDS[language]
    body = own_body(language, word)
    make_article(language=language, title=word, lead=OWN_LEADS[language], body=body)

    excerpt = str(search(client, language, word).context["results"].results[0].excerpt)

    assert f"<mark>{word}</mark>" in excerpt
    # Persian starts five words before the match.
    before = " ".join(OWN_BODY_TEXTS[language].split()[-3:])
    assert f"{before} {word}" in shown(excerpt)


@pytest.mark.parametrize("language", ["en", "ar", "fa"])
def test_without_a_lead_words_found_outside_the_body_show_the_bodys_start(client, language):
    word = ELSEWHERE[language]
    make_article(language=language, title=word, lead="", body=own_body(language))

    excerpt = str(search(client, language, word).context["results"].results[0].excerpt)

    assert OWN_BODY_TEXTS[language] in shown(excerpt)
