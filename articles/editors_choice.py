"""Editor's Choice order: every slot has its own position, 1 at the top, no gaps.

Placing a slot shifts the others, so "put this third" never leaves two slots at
3. The database holds positions unique with a constraint checked at commit
(migration 0010), which lets one transaction renumber the whole list.
"""

from django.db import transaction

from articles.models import EditorsChoice


def choice_place(*, slot: EditorsChoice, position: int) -> EditorsChoice:
    """Save `slot` at `position` (1 is the top), shifting the others; return it."""
    with transaction.atomic():
        others = list(
            EditorsChoice.objects.select_for_update().exclude(pk=slot.pk).order_by("position", "id")
        )
        position = max(1, min(position, len(others) + 1))
        ordered = [*others[: position - 1], slot, *others[position - 1 :]]
        for number, item in enumerate(ordered, start=1):
            if item is not slot and item.position != number:
                item.position = number
                # One save per row (the list is short): the publishing guard sees each.
                item.save(update_fields=["position"])
        slot.position = position
        slot.save()
    return slot


def choice_move(*, slot: EditorsChoice, where: str) -> EditorsChoice:
    """Move a slot "up", "down" or to the "top" of its edition's slots.

    The editions share one numbering, so the slot takes the place of its edition's
    neighbour: slots of other editions in between would make the move invisible.
    """
    rows = EditorsChoice.objects.order_by("position", "id").values_list("pk", "article__language")
    current = [pk for pk, _language in rows]
    edition = [pk for pk, language in rows if language == slot.article.language]
    mine = edition.index(slot.pk)
    neighbour = {"up": max(mine - 1, 0), "down": min(mine + 1, len(edition) - 1), "top": 0}[where]
    return choice_place(slot=slot, position=current.index(edition[neighbour]) + 1)
