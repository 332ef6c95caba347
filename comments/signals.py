"""Signals for writes that skip the model signals (bulk creates and updates)."""

from django.dispatch import Signal

# Sent after comments' statuses were changed in bulk, with the `article_ids` they are on.
comments_moderated = Signal()
