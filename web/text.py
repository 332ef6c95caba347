"""Text as it may be stored: no control characters, no lone surrogates.

One control character in a title (Word's soft return, U+000B) made every feed
answer 500: XML 1.0 cannot carry C0 controls other than tab and newline, and a
lone surrogate cannot even be encoded as UTF-8. Text is cleaned where it enters
(model saves, search input) so everything downstream can trust it.
"""

import re

from django.db import models

# C0 except tab and newline, DEL, C1, and UTF-16 surrogates (never valid alone in str).
# Carriage returns go too: browsers send CRLF, the stored text keeps LF only.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(value: str) -> str:
    """Return `value` without control characters (tab and newline kept) or surrogates."""
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return UNSAFE.sub("", value)


def has_unsafe_characters(value: str) -> bool:
    """Return whether `value` holds a character clean_text() would remove."""
    return bool(UNSAFE.search(value))


# Apps whose text fields readers see or feeds carry: ours, tags, staff names.
CLEANED_APPS = {"articles", "comments", "media", "popularity", "topics", "taggit", "auth"}


def clean_text_fields(sender, instance, raw=False, **kwargs):
    """Clean every character and text field of `instance` before it is saved (pre_save).

    Loading fixtures (`raw`) stores data as given. Queryset .update() and
    bulk_create() bypass this, so feeds clean what they write as well.
    """
    if raw or sender._meta.app_label not in CLEANED_APPS:
        return
    for field in sender._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            if isinstance(value, str) and (UNSAFE.search(value) or "\r" in value):
                setattr(instance, field.attname, clean_text(value))
