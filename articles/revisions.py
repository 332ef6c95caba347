"""Article revisions with django-reversion: what changed between two versions.

What a revision keeps is declared on the models (`@reversion.register` in
articles/models.py).
"""

import difflib
from datetime import datetime

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
    "byline",
    "topics",
    "photo",
    "status",
    "publish_at",
    "unpublish_at",
    "language",
    "comments_open",
]


def snapshot(version: Version) -> dict[str, str]:
    """Return the compared fields of one version, plus its tags, as text."""
    fields = version.field_dict
    data = {name: _text(fields.get(name, fields.get(f"{name}_id"))) for name in EDITORIAL_FIELDS}
    tag_ids = [
        other.field_dict.get("tag_id")
        for other in version.revision.version_set.all()
        if other.content_type.model_class() is TaggedArticle
        and str(other.field_dict.get("content_object_id")) == version.object_id
    ]
    names = Tag.objects.filter(pk__in=[tag_id for tag_id in tag_ids if tag_id])
    data["tags"] = ", ".join(sorted(names.values_list("name", flat=True)))
    return data


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple | set):
        return ", ".join(str(item) for item in sorted(value))
    return str(value)


def changed_fields_since(article: Article, loaded_at: str) -> list[str]:
    """Return the names of fields changed since the version saved at `loaded_at`."""
    versions = list(Version.objects.get_for_object(article).select_related("revision"))
    if not versions:
        return []
    try:
        opened = datetime.fromisoformat(loaded_at)
    except ValueError:
        return []
    # Versions keep times to the millisecond (Django's JSON encoder drops the rest),
    # so the form's exact updated_at is compared at that precision.
    opened = opened.replace(microsecond=opened.microsecond // 1000 * 1000)
    loaded = next((v for v in versions if v.field_dict.get("updated_at") == opened), None)
    if loaded is None:
        return []
    before, after = snapshot(loaded), snapshot(versions[0])
    return [name for name in before if before[name] != after[name]]


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


def compare(old: Version, new: Version) -> list[tuple[str, SafeString]]:
    """Return (field, diff) for every field that differs between two versions."""
    before, after = snapshot(old), snapshot(new)
    return [
        (name, word_diff(before[name], after[name]))
        for name in before
        if before[name] != after[name]
    ]
