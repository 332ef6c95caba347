"""Text as it may be stored: only characters XML 1.0 can carry, no noncharacters.

One control character in a title (Word's soft return, U+000B) made every feed
answer 500, and a U+FFFE in an author's name made every feed carrying it invalid
XML (still answering 200): XML 1.0 allows only tab, newline, carriage return and
U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF, and a lone surrogate cannot even
be encoded as UTF-8. Text is cleaned where it enters (model saves, search input)
so everything downstream can trust it; feeds clean what they write as well
(articles/feeds.py), and alwaght/migrations/0004_clean_stored_text.py cleaned
the rows stored before the noncharacters were added here.

The rule is one list of ranges (FORBIDDEN), from which both the Python pattern
and the PostgreSQL one (for finding old rows) are made.
"""

import re

from django.db import models
from django.db.models.signals import pre_save

# (first, last) code points removed from stored text. Browsers send CRLF: carriage
# returns become newlines first, so the stored text keeps LF only.
FORBIDDEN = (
    (0x00, 0x08),  # C0 controls but tab and newline (carriage returns are
    (0x0B, 0x1F),  # made newlines before these go)
    (0x7F, 0x9F),  # DEL and the C1 controls (XML 1.0 discourages them; feeds choke)
    (0xD800, 0xDFFF),  # UTF-16 surrogates: never valid alone in a str
    (0xFDD0, 0xFDEF),  # the noncharacters of the Arabic Presentation Forms-A block
    # U+FFFE and U+FFFF (which XML 1.0 forbids) and their twins at the end of every
    # other plane: noncharacters, which XML 1.0 discourages.
    *((plane << 16 | 0xFFFE, plane << 16 | 0xFFFF) for plane in range(17)),
)


def _python_class(ranges) -> str:
    return "".join(f"{chr(first)}-{chr(last)}" for first, last in ranges)


UNSAFE = re.compile(f"[{_python_class(FORBIDDEN)}]")


def postgres_pattern() -> str:
    r"""Return a PostgreSQL regular expression matching text clean_text() would change.

    NUL and surrogates are left out: PostgreSQL stores neither. Written with
    \uXXXX / \UXXXXXXXX escapes, which PostgreSQL's regular expressions read.
    """

    def escape(code):
        return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"

    ranges = [(max(first, 1), last) for first, last in FORBIDDEN if first < 0xD800 or last > 0xDFFF]
    return "[" + "".join(f"{escape(a)}-{escape(b)}" for a, b in ranges) + "]"


def clean_text(value: str) -> str:
    """Return `value` without the FORBIDDEN characters, carriage returns made newlines."""
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return UNSAFE.sub("", value)


def has_unsafe_characters(value: str) -> bool:
    """Return whether `value` holds a character clean_text() would remove."""
    return bool(UNSAFE.search(value))


_cleaned: set[type[models.Model]] = set()


def cleaned_on_save(model: type[models.Model]) -> type[models.Model]:
    """Declare that `model` stores text readers (or staff) are shown: clean it on every save.

    A class decorator for our models; called on another package's model (taggit's
    Tag, auth's User) by the app that shows its text. Each model says so itself,
    so no list of apps can miss one (tests/test_clean_text_declared.py asks every
    model with text columns for a decision).
    """
    pre_save.connect(
        clean_text_fields, sender=model, weak=False, dispatch_uid=f"web.text:{model._meta.label}"
    )
    _cleaned.add(model)
    return model


def cleaned_models() -> frozenset[type[models.Model]]:
    """Return the models declared with `cleaned_on_save`."""
    return frozenset(_cleaned)


def text_fields(model) -> list[str]:
    """Return the attribute names of `model`'s character and text columns."""
    return [
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
    ]


def clean_text_fields(sender, instance, raw=False, **kwargs):
    """Clean every character and text field of `instance` before it is saved (pre_save).

    Loading fixtures (`raw`) stores data as given. Queryset .update() and
    bulk_create() bypass this, so feeds clean what they write as well.
    """
    if raw:
        return
    for name in text_fields(sender):
        value = getattr(instance, name)
        if isinstance(value, str) and (UNSAFE.search(value) or "\r" in value):
            setattr(instance, name, clean_text(value))
