"""Reviewed edits to live stories: what an Editor's held change holds, and how it differs.

An Editor's save of a published article becomes a PendingChange (see
articles/services.py for submit, publish and send back); these helpers turn the
form's values into storable data, back into an article, and into a diff with
field labels for the Chief Editor.
"""

from django.db import models
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.text import capfirst

from articles.models import Article
from articles.revisions import word_diff
from articles.sanitize import sanitize_html
from web.text import clean_text

# What a held change carries: the article's reviewed fields (the write guard's list,
# Article.REVIEWED_FIELDS, so the two never drift apart) and its subjects.
REVIEWED_FIELDS = [*Article.REVIEWED_FIELDS, "topics", "tags"]


def change_data(cleaned_data: dict) -> dict:
    """Return the reviewed fields of a form's cleaned data as JSON-ready values.

    Text is stored as a save would store it (sanitised), so that the review diff and
    anything else reading the held change never meets markup the live page could not hold.
    """
    data = {}
    for name in REVIEWED_FIELDS:
        if name not in cleaned_data:
            continue
        value = cleaned_data[name]
        if isinstance(value, models.Model):
            value = value.pk
        elif name == "topics":
            value = sorted(topic.pk for topic in value or [])
        elif name == "tags":
            value = sorted(value or [])
        elif name == "body":
            value = sanitize_html(value or "")
        elif isinstance(value, str):
            value = clean_text(value)
        data[name] = value
    return data


def current_data(article: Article) -> dict:
    """Return the reviewed fields of the live article, shaped like `change_data`."""
    data = {
        name: getattr(article, Article._meta.get_field(name).attname)
        for name in Article.REVIEWED_FIELDS
    }
    data["topics"] = sorted(article.topics.values_list("pk", flat=True))
    data["tags"] = sorted(article.tags.names())
    return data


def apply_change(article: Article, data: dict) -> Article:
    """Set the changed plain fields on `article` in memory (topics and tags are not set).

    The text is sanitised as a save would, whatever the stored change holds: the
    preview shows a Chief Editor what readers would get, never the raw input.
    """
    for name, value in data.items():
        if name in {"topics", "tags"}:
            continue
        field = Article._meta.get_field(name)
        setattr(article, field.attname, value)
    article.sanitize()
    return article


def _shown(name: str, value) -> str:
    if value in (None, "", []):
        return ""
    if name == "tags":
        return ", ".join(value)
    field = Article._meta.get_field(name)
    if field.is_relation:
        # Through the relation, not an import: topics sit above articles.
        keys = value if field.many_to_many else [value]
        return ", ".join(str(item) for item in field.related_model.objects.filter(pk__in=keys))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def change_diff(article: Article, data: dict) -> list[tuple[str, SafeString]]:
    """Return (field label, word diff) for every field the change alters."""
    before = current_data(article)
    rows = []
    for name in REVIEWED_FIELDS:
        if name not in data or data[name] == before.get(name):
            continue
        label = capfirst(Article._meta.get_field(name).verbose_name)
        old, new = _shown(name, before.get(name)), _shown(name, data[name])
        rows.append((escape(label), word_diff(old, new)))
    return rows
