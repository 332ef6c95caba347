"""Counterparts: one story told by several editions, linked by a shared group.

Only linked articles carry hreflang alternates (and the masthead's edition
switcher leads to them); an article without counterparts costs no query.
"""

import uuid

from django.db import transaction

from articles.models import Article
from articles.signals import counterparts_changed


@transaction.atomic
def article_counterparts_link(*, article: Article, counterpart: Article) -> None:
    """Put `article` and `counterpart` (and any counterparts they have) in one group."""
    if article.pk == counterpart.pk:
        return
    groups = {g for g in (article.translation_group, counterpart.translation_group) if g}
    group = article.translation_group or counterpart.translation_group or uuid.uuid4()
    # update(): the group is not a watched publishing field, and linking is not an edit
    # of either article's text (no revision, no "last changed by").
    Article.objects.filter(pk__in=[article.pk, counterpart.pk]).update(translation_group=group)
    if len(groups) > 1:
        Article.objects.filter(translation_group__in=groups).update(translation_group=group)
    article.translation_group = counterpart.translation_group = group
    members = Article.objects.filter(translation_group=group).values_list("pk", flat=True)
    counterparts_changed.send(sender=Article, article_ids=list(members))


def article_counterparts_unlink(*, article: Article) -> None:
    """Take `article` out of its group of counterparts."""
    group = Article.objects.filter(pk=article.pk).values_list("translation_group", flat=True)
    members = list(Article.objects.filter(translation_group__in=group).values_list("pk", flat=True))
    Article.objects.filter(pk=article.pk).update(translation_group=None)
    article.translation_group = None
    # The others' pages linked to it too: every former member's page changes.
    counterparts_changed.send(sender=Article, article_ids=members or [article.pk])
