"""Corrections and updates are append-only once their article is published.

A dated correction readers have seen is a public record: a held change, a restore
or a later save may add one, never edit or remove one (issue 22, item 6: a restore
deleted a published correction). The rule is `notes_locked`; the article form
shows locked rows read-only (ArticleNoteInline), restores leave them as they are
(articles/revisions.py), and a guard refuses any other write by a desk user.
Deleting the article itself (a Chief Editor's decision) takes its notes with it.
"""

from django.db.models import QuerySet
from django.db.models.signals import pre_delete, pre_save
from django.utils.translation import gettext as _

from articles.models import Article, ArticleNote
from publishing.visibility import VisibilityChangeRefused, acting_user

NOTE_FIELDS = ("kind", "text", "noted_at")


def notes_locked(article_id) -> bool:
    """Return whether the article's notes are locked: it is stored as published (or scheduled)."""
    if article_id is None:
        return False
    status = Article.objects.filter(pk=article_id).values_list("status", flat=True).first()
    return status == Article.Status.PUBLISHED


def _refuse() -> None:
    raise VisibilityChangeRefused(
        _("Published corrections and updates are never changed or removed: add a new one.")
    )


def _guard_save(sender, instance, raw=False, **kwargs):
    if instance.pk is None or acting_user() is None:
        return  # a new note, or the system (migrations, scripts)
    stored = ArticleNote.objects.filter(pk=instance.pk).values(*NOTE_FIELDS, "article_id").first()
    if stored is None or not notes_locked(stored["article_id"]):
        return
    if any(stored[name] != getattr(instance, name) for name in NOTE_FIELDS):
        _refuse()


def _guard_delete(sender, instance, origin=None, **kwargs):
    if acting_user() is None:
        return
    deleting_article = isinstance(origin, Article) or (
        isinstance(origin, QuerySet) and origin.model is Article
    )
    if not deleting_article and notes_locked(instance.article_id):
        _refuse()


def connect_signals() -> None:
    pre_save.connect(_guard_save, sender=ArticleNote, dispatch_uid="articles.notes_append_only")
    pre_delete.connect(_guard_delete, sender=ArticleNote, dispatch_uid="articles.notes_append_only")
