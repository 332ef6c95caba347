"""Signals for writes that skip the model signals (updates of many rows at once)."""

from django.dispatch import Signal

# Sent after articles were linked as counterparts or unlinked, with the `article_ids`
# whose pages show a changed list of counterparts (the edition switcher, hreflang).
counterparts_changed = Signal()
