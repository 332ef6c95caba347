"""Article (and section) addresses without a reverse() per link.

A front page links each article two or three times and Most Viewed lists thirty
more: 93 reverse() calls, each inside translation.override() for the article's
edition, were ~8 % of its render. The address pattern is reversed once per
edition (and URLconf and script prefix), then filled in.
"""

import functools
import re
from urllib.parse import quote

from django import forms
from django.core.validators import RegexValidator
from django.db import models
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

# What the detail pattern accepts for a slug (articles/urls.py); anything else
# goes through reverse(), which raises as it should.
SLUG = re.compile(r"[-\w\u200c]+")
_PK_MARK, _SLUG_MARK = 918273645, "slugmark"
# As reverse() quotes its result.
_SAFE = "!$&'()*+,;=/~:@"


@functools.lru_cache(maxsize=32)
def _detail_template(language: str, script_prefix: str, urlconf) -> tuple[str, str, str]:
    with override(language):
        url = reverse("articles:detail", kwargs={"pk": _PK_MARK, "slug": _SLUG_MARK})
    head, rest = url.split(str(_PK_MARK), 1)
    middle, tail = rest.split(_SLUG_MARK, 1)
    return head, middle, tail


def article_url(language: str, pk: int, slug: str) -> str:
    """Return the address of an article, as reverse("articles:detail") in its edition would."""
    return ArticleLinks()(language, pk, slug)


class ArticleLinks:
    """article_url for the links of one list, the script prefix and URLconf read once.

    Each is read from asgiref's Local, a context variable per request: 9 of
    article_url's 16 µs, twenty times a page of search results.
    """

    __slots__ = ("script_prefix", "urlconf")

    def __init__(self):
        self.script_prefix, self.urlconf = get_script_prefix(), get_urlconf()

    def __call__(self, language: str, pk: int, slug: str) -> str:
        if not SLUG.fullmatch(slug):
            with override(language):
                return reverse("articles:detail", kwargs={"pk": pk, "slug": slug})
        head, middle, tail = _detail_template(language, self.script_prefix, self.urlconf)
        if not slug.isascii():  # an ASCII slug of SLUG's letters needs no quoting
            slug = quote(slug, safe=_SAFE)
        return f"{head}{pk}{middle}{slug}{tail}"


# The slug of the section, tag, author and topic patterns (articles/urls.py,
# topics/urls.py): no joiner.
SECTION_SLUG = re.compile(r"[-\w]+")


@functools.lru_cache(maxsize=64)
def _slug_template(view: str, language: str, script_prefix: str, urlconf) -> tuple[str, str]:
    with override(language):
        url = reverse(view, kwargs={"slug": _SLUG_MARK})
    head, tail = url.split(_SLUG_MARK, 1)
    return head, tail


def slug_url(view: str, language: str, slug: str) -> str:
    """Return reverse(view, kwargs={"slug": slug}) as in edition `language`, for a
    view whose only argument is a slug of SECTION_SLUG's letters (a section's, tag's,
    author's or topic's page).

    A page of search results links five sections or so: 0.13 of its 1.2 ms were
    their reverse() calls, each inside translation.override(); an article's column
    reversed its tags', author's, section's and topics' addresses on every first view.
    """
    if not SECTION_SLUG.fullmatch(slug):
        with override(language):
            return reverse(view, kwargs={"slug": slug})
    head, tail = _slug_template(view, language, get_script_prefix(), get_urlconf())
    return f"{head}{quote(slug, safe=_SAFE)}{tail}"


def section_url(language: str, slug: str) -> str:
    """Return the address of a section, as reverse("articles:section") in its edition would."""
    return slug_url("articles:section", language, slug)


FALLBACK_SLUG = "article"


def unicode_slug(text: str, max_length: int = 200) -> str:
    """Return a readable slug for `text` in any script ("article" if nothing is left)."""
    slug = slugify(text, allow_unicode=True)[:max_length].strip("-")
    return slug or FALLBACK_SLUG


ZWNJ, TATWEEL = "\u200c", "\u0640"
# A word joined by a zero-width non-joiner (کتاب‌ها, می‌خواهد) keeps it: without it
# the letters join and the word reads wrong. Only inside a word.
ARTICLE_SLUG = re.compile(r"^[-\w\u200c]+\Z")
_ZWNJ_EDGES = re.compile(r"[-\u200c]*-[-\u200c]*|^\u200c+|\u200c+$")


def article_slug(text: str, max_length: int = 200) -> str:
    """Return an article's slug for `text`: unicode_slug's, with the ZWNJs inside words kept."""
    # slugify() drops the ZWNJ (not a letter): it stands in as a tatweel meanwhile, a
    # letter-like mark that carries no meaning of its own in a slug.
    text = text.replace(TATWEEL, "").replace(ZWNJ, TATWEEL)
    slug = slugify(text, allow_unicode=True).replace(TATWEEL, ZWNJ)
    slug = _ZWNJ_EDGES.sub(lambda m: "-" if "-" in m.group() else "", slug)
    slug = re.sub("\u200c+", ZWNJ, slug)
    return slug[:max_length].strip("-" + ZWNJ) or FALLBACK_SLUG


validate_article_slug = RegexValidator(
    ARTICLE_SLUG,
    _("Enter letters, numbers, hyphens or underscores (and joiners inside Persian words)."),
    "invalid",
)


def joiners_restored(slug: str, title: str) -> str:
    """Return `slug`, or the title's slug with its ZWNJs if `slug` is that slug without them.

    The admin fills the slug in from the title as the editor types (Django's
    URLify), and drops the joiners as it keeps only letters and digits.
    """
    full = article_slug(title)
    return full if ZWNJ in full and slug == full.replace(ZWNJ, "") else slug


class ArticleSlugFormField(forms.SlugField):
    """A Unicode slug field that also takes the ZWNJs inside Persian words."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [validate_article_slug]


class ArticleSlugField(models.SlugField):
    """A Unicode slug (the admin fills it in from the title) that may keep ZWNJs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, allow_unicode=True, **kwargs)
        self.default_validators = [validate_article_slug]

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("allow_unicode", None)
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ArticleSlugFormField, **kwargs})
