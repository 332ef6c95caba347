"""The Arabic and Persian desks speak their desk's language: no English from our code.

Each main desk page is rendered for a desk's own people and its visible text (with
the attributes people read: title, placeholder, aria-label, alt, button values) is
searched for Latin words. Test content is written in the desk's script, so what
Latin is left comes from code: our labels, messages and columns, or a library's.
"""

import ast
import gettext
import json
import re
from pathlib import Path

import lxml.html
import pytest
from django.conf import settings
from django.urls import reverse

from media.models import GalleryPhoto
from tests.desk.test_publishing_rights import post_form
from tests.factories import (
    make_article,
    make_comment,
    make_gallery,
    make_photo,
    make_section,
    make_staff,
)

LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
EMAIL = re.compile(r"\S+@\S+")  # readers' addresses are data, not the desk's words
READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


def visible_text(html: str) -> str:
    """Return what a person reads on the page, one line per text node or attribute."""
    page = lxml.html.fromstring(html)
    for node in page.xpath("//script|//style|//template|//*[@hidden]"):
        node.drop_tree()
    lines = [text.strip() for text in page.xpath("//text()")]
    for attribute in READ_ATTRIBUTES:
        lines += page.xpath(f"//@{attribute}")
    lines += page.xpath("//input[@type='submit' or @type='button']/@value")
    return "\n".join(line for line in lines if line)


# Latin a desk may show: the English desk's name in the language switch. Everything
# else is a word to translate.
ALLOWED_LATIN = {"English"}
# People and content in each desk's script (usernames too: Django allows letters).
PEOPLE = {
    "ar": {"editor": "محرر", "chief": "رئيس", "moderator": "مشرف"},
    "fa": {"editor": "ویراستار", "chief": "سردبیر", "moderator": "ناظر"},
}
WORDS = {
    "ar": ["تحليل", "الميناء يفتح", "يفتح الميناء يوم الاثنين.", "يفتح الميناء يوم الثلاثاء."],
    "fa": ["تحلیل", "بندر باز شد", "بندر دوشنبه باز شد.", "بندر سه‌شنبه باز شد."],
}


def latin_words(text: str) -> set[str]:
    return set(LATIN_WORD.findall(EMAIL.sub("", text))) - ALLOWED_LATIN


@pytest.fixture
def desk_day(client, language):
    """A desk's day: a live story whose lead its Editor changed, a comment, photos, a gallery."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    names = PEOPLE[language]
    section_name, title, lead, new_lead = WORDS[language]
    editor = make_staff(names["editor"], role="editor", desks=(language,))
    chief = make_staff(names["chief"], role="chief", desks=(language,))
    moderator = make_staff(names["moderator"], role="moderator", desks=())
    section = make_section(language=language, name=section_name, slug=f"s-{language}")
    body = f"<p>{lead}</p>"
    article = make_article(
        language=language, section=section, title=title, slug="bandar", lead=lead, body=body
    )
    make_comment(article=article, name=names["moderator"], text=lead, email="a@example.org")
    photo = make_photo(title=title, alt_text=lead, caption=lead, credit=section_name)
    gallery = make_gallery(language=language, title=title, slug="gallery")
    GalleryPhoto.objects.create(gallery=gallery, photo=photo, position=0)
    client.force_login(editor)
    change = reverse("admin:articles_article_change", args=[article.pk])
    assert post_form(client, change, {"lead": new_lead}).status_code == 302
    return {"chief": chief, "editor": editor, "moderator": moderator, "article": article}


def desk_pages(desk):
    article = desk["article"].pk
    return [
        (desk["editor"], reverse("admin:index")),
        (desk["editor"], reverse("admin:articles_article_change", args=[article])),
        (desk["chief"], reverse("admin:index")),
        (desk["chief"], reverse("admin:articles_article_add")),
        (desk["chief"], reverse("admin:articles_article_change", args=[article])),
        (desk["chief"], reverse("admin:articles_article_review", args=[article])),
        (desk["chief"], reverse("admin:articles_article_changelist")),
        (desk["chief"], reverse("admin:media_photo_changelist")),
        (desk["chief"], reverse("admin:media_photogallery_changelist")),
        (desk["moderator"], reverse("admin:comments_comment_changelist")),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "fa"])
def test_the_desk_pages_have_no_english(client, desk_day, language):
    english = {}
    for user, url in desk_pages(desk_day):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        lines = visible_text(response.content.decode()).splitlines()
        found = sorted({line[:80] for line in lines if latin_words(line)})
        if found:
            english[f"{user.username} {url}"] = found

    assert english == {}


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "words"), [("ar", "حرفًا"), ("fa", "نویسه")])
def test_the_desks_scripts_have_their_words_in_the_admins_catalogue(client, language, words):
    # counters.js and editing.js take their words from gettext (admin:jsi18n).
    client.force_login(make_staff(PEOPLE[language]["editor"], role="editor", desks=(language,)))

    catalogue = client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE=language)

    assert json.dumps(words)[1:-1] in catalogue.content.decode()  # escaped, as the view writes
    for script in ("counters.js", "editing.js"):
        source = (Path(settings.BASE_DIR) / "static" / "admin_desk" / script).read_text()
        assert "gettext(" in source


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_the_scripts_catalogue_counts_as_the_edition_counts(language):
    """The scripts' catalogue declares its desk's language and plural rule, as the
    pages' does: the Arabic one once carried the Persian header (two forms, n > 1),
    so every Arabic body of 3 words or more read "one word" ("كلمة واحدة")."""
    folder = Path(settings.BASE_DIR) / "locale"
    pages, scripts = (
        gettext.translation(domain, folder, languages=[language])
        for domain in ("django", "djangojs")
    )

    assert scripts.info()["language"] == pages.info()["language"] == language
    assert scripts.info()["plural-forms"] == pages.info()["plural-forms"]
    if language == "ar":
        counted = {n: scripts.ngettext("%(words)s word", "%(words)s words", n) for n in (1, 3, 150)}
        assert counted == {1: "كلمة واحدة", 3: "%(words)s كلمات", 150: "%(words)s كلمة"}


def eager_translations(source: str) -> list[str]:
    """Return gettext calls made when a module is imported: class bodies, decorators."""
    tree = ast.parse(source)
    eager = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name in {"gettext", "ngettext", "pgettext"}
    }
    found = []

    def visit(node):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                for part in [*getattr(child, "decorator_list", []), child.args]:
                    found.extend(calls(part))
                continue  # a function's body runs later, with the request's language
            if isinstance(child, ast.Call) and getattr(child.func, "id", None) in eager:
                found.append(ast.unparse(child))
            visit(child)

    def calls(node):
        return [
            ast.unparse(call)
            for call in ast.walk(node)
            if isinstance(call, ast.Call) and getattr(call.func, "id", None) in eager
        ]

    visit(tree)
    return found


def test_no_label_is_translated_before_a_language_is_chosen():
    # gettext at import fixes a label in English for every desk: labels are lazy.
    base = Path(settings.BASE_DIR)
    apps = ["alwaght", "articles", "comments", "media", "pagecache", "popularity", "publishing"]
    eager = {
        str(path.relative_to(base)): found
        for app in [*apps, "topics", "web", "cdn"]
        for path in (base / app).rglob("*.py")
        if (found := eager_translations(path.read_text()))
    }

    assert eager == {}


# --- Which language the desk speaks ----------------------------------------------------


def page_language(response) -> tuple[str, str]:
    html = lxml.html.fromstring(response.content.decode())
    return html.get("lang"), html.get("dir")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("desks", "browser", "expected"),
    [
        (("fa",), "en", ("fa", "rtl")),  # an English browser at the Persian desk
        (("ar",), "", ("ar", "rtl")),
        (("en", "fa"), "fa", ("fa", "rtl")),  # on two desks: the browser's, being one
        (("en", "fa"), "ar", ("en", "ltr")),  # else their first desk's
        ((), "ar", ("ar", "rtl")),  # a moderator sits at no desk: the browser's
    ],
)
def test_the_desk_speaks_the_language_of_the_persons_desk(client, desks, browser, expected):
    role = "editor" if desks else "moderator"
    client.force_login(make_staff("someone", role=role, desks=desks))

    response = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE=browser)

    assert page_language(response) == expected
    assert response["Content-Language"] == expected[0]


@pytest.mark.django_db
def test_the_language_switch_wins_over_the_desk(client):
    client.force_login(make_staff("ویراستار", role="editor", desks=("fa",)))

    client.post(reverse("set_language"), {"language": "en", "next": "/admin/"})

    assert page_language(client.get(reverse("admin:index"))) == ("en", "ltr")


@pytest.mark.django_db
def test_a_desks_messages_are_in_its_language_from_an_english_browser(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(make_staff("ویراستار", role="editor", desks=("fa",)))
    article = make_article(language="fa", title="بندر", slug="bandar", lead="بندر باز شد.")
    change = reverse("admin:articles_article_change", args=[article.pk])

    saved = post_form(client, change, {"lead": "بندر دوشنبه باز شد."})
    page = client.get(saved["Location"])

    messages = [str(message) for message in page.context["messages"]]
    assert messages and not latin_words(" ".join(messages)), messages


@pytest.mark.django_db
def test_reader_pages_keep_their_address_language_for_desk_people(client):
    client.force_login(make_staff("ویراستار", role="editor", desks=("fa",)))

    assert page_language(client.get("/en/")) == ("en", "ltr")
