"""Article revisions with django-reversion: what changed between two versions, and restores.

What a revision keeps is declared on the models (`@reversion.register` in
articles/models/article.py). A restore writes back one article and the rows that follow
it (tags, Related Content, notes) as one of its versions holds them, and nothing
else: reversion's own `Revision.revert()` writes back every object in the
revision, and one revision can hold several articles (a bulk action saves them
together), so restoring through it reached stories of other desks.
"""

import difflib
import logging
from collections.abc import Iterator
from datetime import UTC, datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, connections, models, transaction
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from reversion.models import Revision, Version
from taggit.models import Tag

from articles import diffs
from articles.models import REVISION_FOLLOWS, Article, ArticleNote, RelatedArticle, TaggedArticle
from articles.review import Names
from articles.review import field_label as review_label
from publishing.edition_guard import edition_link_problems

logger = logging.getLogger(__name__)

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


def article_versions_of(article_id) -> models.QuerySet[Version]:
    """Return the saved versions of one article (never of another object with that id)."""
    return Version.objects.get_for_object_reference(Article, article_id)


def _followed() -> Iterator[tuple[type[models.Model], str]]:
    """Yield each model a revision follows from an article, with its key to the article."""
    for name in REVISION_FOLLOWS:
        relation = Article._meta.get_field(name)
        yield relation.related_model, relation.field.attname


def versions_of_article(revision: Revision, article_id: str) -> list[Version]:
    """Return the versions in `revision` of the article and of its followed rows, article first."""
    keys = dict(_followed())
    mine = []
    for version in revision.version_set.select_related("content_type"):
        model = version._model
        if model is Article and version.object_id == article_id:
            mine.insert(0, version)  # the rows that follow it refer to it
        elif model in keys and str(version.field_dict.get(keys[model])) == article_id:
            mine.append(version)
    return mine


# Rows a restore never removes: corrections are a public record (append-only), and
# Related Content picked since is kept for the editor to remove by hand, in the form
# the restore shows, rather than silently (issue 22, item 6).
KEPT_ON_RESTORE = (ArticleNote, RelatedArticle)


def restore_article(version: Version) -> None:
    """Write back `version`'s article and its followed rows as they were then; no other object.

    Tag links that follow the article now but were not in the version are deleted,
    as reversion's `revert(delete=True)` does for a whole revision. Corrections and
    updates are never deleted or changed (one the version had that is gone comes
    back), and picks added since stay. Visibility is the caller's to keep
    (`publishing.visibility.restoring`): a restore brings back text, never a status.
    """
    if version.content_type.model_class() is not Article:
        raise ValueError(f"{version!r} is not a version of an article")
    article_id = version.object_id
    versions = versions_of_article(version.revision, article_id)
    then = {(v._model, v.object_id) for v in versions}
    for model, key in _followed():
        if model in KEPT_ON_RESTORE:
            continue
        for row in model._default_manager.filter(**{key: article_id}):
            if (model, str(row.pk)) not in then:
                row.delete()
    notes_now = set(
        map(str, ArticleNote.objects.filter(article_id=article_id).values_list("pk", flat=True))
    )
    # The story first, so that its rows are judged against it as restored.
    for each in sorted(versions, key=lambda each: each._model is not Article):
        if each._model is ArticleNote and each.object_id in notes_now:
            continue  # as it is now: a published correction is never rewritten
        if each._model is not Article and edition_link_problems(each._object_version.object):
            # A pick moved to another edition since: the rest still comes back. Asked
            # here, not left to the guard, so the form shown (signals muted) agrees.
            logger.warning("Not restored, now in another edition: %r", each)
            continue
        try:
            with transaction.atomic(using=each.db):
                each.revert()
                # PostgreSQL checks foreign keys at commit (Django makes them deferred):
                # checked here, a pick deleted since fails inside this row's savepoint,
                # where it went through, left a dangling row and made the page a 500.
                connections[each.db].check_constraints()
        except (IntegrityError, ObjectDoesNotExist):
            # A tag or related article deleted since: the rest still comes back.
            logger.warning("Could not restore %r", each, exc_info=True)


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


def version_story(version: Version) -> dict:
    """Return a saved version as the desk compares stories (articles/review.py's shape).

    Foreign keys and topics as ids, tags as names, Related Content as its picks'
    ids in order, and the visibility fields: what `Names` turns into words.
    """
    fields = version.field_dict
    story = {
        name: fields.get(Article._meta.get_field(name).attname)
        for name in [*Article.REVIEWED_FIELDS, "status", "publish_at", "unpublish_at"]
    }
    story["topics"] = sorted(fields.get("topics") or [])
    mine = version.object_id
    tag_ids, picks = [], []
    for other in version.revision.version_set.all():
        model = other.content_type.model_class()
        data = other.field_dict
        if model is TaggedArticle and str(data.get("content_object_id")) == mine:
            tag_ids.append(data.get("tag_id"))
        elif model is RelatedArticle and str(data.get("article_id")) == mine:
            picks.append((data.get("position") or 0, int(other.object_id), data["related_id"]))
    story["tags"] = sorted(Tag.objects.filter(pk__in=tag_ids).values_list("name", flat=True))
    story["related"] = [related for _position, _pk, related in sorted(picks)]
    return story


COMPARED = [*Article.REVIEWED_FIELDS, "topics", "tags", "related", "status", "publish_at"]


def compare(old: Version, new: Version) -> list[diffs.Row]:
    """Return the fields that differ between two versions as labelled side-by-side rows.

    Rendered text, not markup, and names, not ids ("Nadia Karimi", not "3"), as the
    review page shows a held change (articles/diffs.py).
    """
    before, after = version_story(old), version_story(new)
    names = Names(before, after)
    statuses = dict(Article.Status.choices)
    rows = []
    for name in COMPARED + ["unpublish_at"]:
        if before.get(name) == after.get(name):
            continue
        if name == "status":
            shown = [str(statuses.get(value, value or "")) for value in (before[name], after[name])]
        else:
            shown = [names.shown(name, before.get(name)), names.shown(name, after.get(name))]
        rows.append(diffs.row(name, review_label(name), *shown))
    return rows
