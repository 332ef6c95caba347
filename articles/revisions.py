"""Article revisions with django-reversion: what changed between two versions.

What a revision keeps is declared on the models (`@reversion.register` in
articles/models.py).
"""

import difflib
from datetime import UTC, datetime

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from reversion.models import Version
from taggit.models import Tag

from articles.models import Article, TaggedArticle

# The fields editors edit in the admin (tags are kept apart, through their links).
EDITORIAL_FIELDS = [
    "title",
    "slug",
    "section",
    "lead",
    "body",
    "author",
    "byline",
    "topics",
    "photo",
    "status",
    "publish_at",
    "unpublish_at",
    "language",
    "comments_open",
    "seo_title",
    "meta_description",
    "social_photo",
]


def snapshot(version: Version) -> dict[str, str]:
    """Return the compared fields of one version, plus its tags, as text."""
    fields = version.field_dict
    data = {name: as_text(fields.get(name, fields.get(f"{name}_id"))) for name in EDITORIAL_FIELDS}
    tag_ids = [
        other.field_dict.get("tag_id")
        for other in version.revision.version_set.all()
        if other.content_type.model_class() is TaggedArticle
        and str(other.field_dict.get("content_object_id")) == version.object_id
    ]
    names = Tag.objects.filter(pk__in=[tag_id for tag_id in tag_ids if tag_id])
    data["tags"] = ", ".join(sorted(names.values_list("name", flat=True)))
    return data


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        # To the second, in UTC: versions keep milliseconds, forms give seconds.
        return value.astimezone(UTC).replace(microsecond=0).isoformat()
    if isinstance(value, list | tuple | set):
        return ", ".join(str(item) for item in sorted(value))
    return str(value)


def word_diff(old: str, new: str) -> SafeString:
    """Return `old` → `new` as escaped HTML with <del> and <ins> around changed words."""
    pieces = []
    for token in difflib.ndiff(old.split(), new.split()):
        tag, word = token[:2], escape(token[2:])
        if tag == "- ":
            pieces.append(f"<del>{word}</del>")
        elif tag == "+ ":
            pieces.append(f"<ins>{word}</ins>")
        elif tag == "  ":
            pieces.append(word)
    return mark_safe(" ".join(pieces))  # noqa: S308 - every word was escaped above


def field_label(name: str) -> str:
    """Return an article field's label as editors read it ("Title", "Tags")."""
    return str(Article._meta.get_field(name).verbose_name).capitalize()


def compare(old: Version, new: Version) -> list[tuple[str, SafeString]]:
    """Return (field label, diff) for every field that differs between two versions."""
    before, after = snapshot(old), snapshot(new)
    return [
        (field_label(name), word_diff(before[name], after[name]))
        for name in before
        if before[name] != after[name]
    ]
