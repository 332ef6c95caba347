"""Tags on the desk: merging two spellings of one subject into one tag.

Tags are shared by every edition (a tag page lists each edition's own
articles), so a merge changes what readers of every edition that shows the
tags read: like renaming one (publishing/sharing.py), it is for those who may
publish in each of those editions.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from taggit.models import Tag

from articles.models import TaggedArticle
from publishing.sharing import SharedChangeRefused, edition_names, editions_refused


def tag_merge_problem(*, tags, user) -> str | None:
    """Return why `user` may not merge `tags`, or None."""
    refused = set().union(*(editions_refused(tag, user) for tag in tags))
    if not refused:
        return None
    return _(
        "Published content in the %(editions)s edition shows these tags: only a Chief "
        "Editor of that desk may merge them."
    ) % {"editions": edition_names(refused)}


def tag_merge(*, tags, into: Tag, user) -> int:
    """Move every article of `tags` onto `into`, then delete `tags`; return articles moved."""
    others = [tag for tag in tags if tag.pk != into.pk]
    problem = tag_merge_problem(tags=[into, *others], user=user)
    if problem:
        raise SharedChangeRefused(problem)
    moved = 0
    with transaction.atomic():
        has_into = set(
            TaggedArticle.objects.filter(tag=into).values_list("content_object_id", flat=True)
        )
        for link in TaggedArticle.objects.filter(tag__in=others).select_for_update():
            if link.content_object_id in has_into:
                link.delete()  # the article has both: one link is enough
            else:
                link.tag = into
                link.save(update_fields=["tag"])
                has_into.add(link.content_object_id)
                moved += 1
        for tag in others:
            tag.delete()
    return moved
