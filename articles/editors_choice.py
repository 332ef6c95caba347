"""Editor's Choice order: each edition numbers its own slots, 1 at the top, no gaps
(a slot deleted, or moved to another edition, leaves its list closed up).

Placing a slot shifts the other slots of its edition only, so "put this third"
never leaves two slots at 3 and never moves another desk's front page. The
database holds (edition, position) unique with a constraint checked at commit
(migration 0030), which lets one transaction renumber an edition's list.
"""

from django.db import transaction
from django.db.models import Max
from django.db.models.signals import post_delete, post_save

from articles.models import Article, EditorsChoice
from publishing import edition_guard


def _edition_slots(language: str, *, excluding: int | None):
    return list(
        EditorsChoice.objects.select_for_update()
        .filter(language=language)
        .exclude(pk=excluding)
        .select_related("article")
        .order_by("position", "id")
    )


def _renumber(slots, *, skip: EditorsChoice | None = None) -> None:
    for number, item in enumerate(slots, start=1):
        if item is not skip and item.position != number:
            item.position = number
            # One save per row (the list is short): the publishing guard and the page
            # cache's invalidation (pagecache/invalidation.py) see each.
            item.save(update_fields=["position"])


def choice_place(*, slot: EditorsChoice, position: int) -> EditorsChoice:
    """Save `slot` at `position` (1 is the top) of its article's edition; return it.

    The edition's slots from there down move one place. A slot that changes
    edition (another article, or its article moved) leaves its old list closed up.
    """
    language = slot.article.language
    with transaction.atomic():
        stored = EditorsChoice.objects.filter(pk=slot.pk).values_list("language", flat=True)
        before = stored.first() if slot.pk else None
        others = _edition_slots(language, excluding=slot.pk)
        position = max(1, min(position, len(others) + 1))
        # The others first (the slot's own save comes last, with its other fields).
        _renumber([*others[: position - 1], slot, *others[position - 1 :]], skip=slot)
        slot.position = position
        slot.save()
        if before is not None and before != language:
            _renumber(_edition_slots(before, excluding=slot.pk))
    return slot


def choice_move(*, slot: EditorsChoice, where: str) -> EditorsChoice:
    """Move a slot "up", "down" or to the "top" of its edition's slots."""
    edition = list(
        EditorsChoice.objects.filter(language=slot.language)
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )
    mine = edition.index(slot.pk)
    neighbour = {"up": max(mine - 1, 0), "down": min(mine + 1, len(edition) - 1), "top": 0}[where]
    return choice_place(slot=slot, position=neighbour + 1)


def choice_place_beside(
    *, slot: EditorsChoice, after: EditorsChoice | None = None, before: EditorsChoice | None = None
) -> EditorsChoice:
    """Put `slot` just after `after`, else just before `before` (a drag and drop's drop).

    Neighbours, not a number: the list the editor dropped into may be filtered
    or paged, and a neighbour of another edition is not a place in this one.
    """
    neighbour = after or before
    if neighbour is None or neighbour.language != slot.language or neighbour.pk == slot.pk:
        return slot
    edition = list(
        EditorsChoice.objects.filter(language=slot.language)
        .exclude(pk=slot.pk)
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )
    index = edition.index(neighbour.pk) + (1 if after is not None else 0)
    return choice_place(slot=slot, position=index + 1)


def choice_add_at_end(*, article: Article) -> EditorsChoice:
    """Add `article` at the end of its edition's Editor's Choice; return the slot."""
    with transaction.atomic():
        last = EditorsChoice.objects.filter(language=article.language).aggregate(
            last=Max("position")
        )["last"]
        return EditorsChoice.objects.create(article=article, position=(last or 0) + 1)


def choice_follow_article(*, article: Article) -> None:
    """Move `article`'s slot to the end of its new edition, if the article changed edition."""
    slot = EditorsChoice.objects.filter(article=article).exclude(language=article.language)
    slot = slot.select_related("article").first()
    if slot is not None:
        last = EditorsChoice.objects.filter(language=article.language).count()
        choice_place(slot=slot, position=last + 1)


def _article_saved(sender, instance, raw=False, **kwargs):
    if not raw and not kwargs.get("created"):
        choice_follow_article(article=instance)


def _slot_deleted(sender, instance, **kwargs):
    # Deleted on its own, in a bulk delete or with its story: the list closes up.
    with transaction.atomic():
        _renumber(_edition_slots(instance.language, excluding=None))


def connect_signals() -> None:
    """A slot follows its article into another edition (called from the app's ready())."""
    post_save.connect(_article_saved, sender=Article, dispatch_uid="editors_choice:follow")
    post_delete.connect(_slot_deleted, sender=EditorsChoice, dispatch_uid="editors_choice:close")
    # So the slot never holds its story in the edition it leaves (publishing/edition_guard.py).
    edition_guard.follows(EditorsChoice, "article")
