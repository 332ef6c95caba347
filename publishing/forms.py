"""Forms on the reader pages: their messages in the edition's digits.

Django puts the numbers into its messages with %d, Western digits whatever the
language: a Persian reader whose comment is too long read "حداکثر 3000 کاراکتر
(طولش 102399 است)". Every reader form (the comment form, the search form) is a
`ReaderForm`, so every message it shows, Django's and ours, passes one place on
its way to the page. The desk's forms keep Django's: its date fields take their
digits themselves (publishing/desk_dates.py).
"""

from django import forms
from django.forms.utils import ErrorList
from django.utils.safestring import SafeData, mark_safe

from publishing.dates import localize_digits


class ReaderErrorList(ErrorList):
    """Error messages shown with the active edition's digits (publishing.dates.localize_digits).

    Messages are worked out as they are shown (Django formats them lazily, in the
    language then active), and so are their digits. A figure the reader typed that
    a message quotes back reads in the edition's digits too, like the sentence it
    stands in.
    """

    def __getitem__(self, index):
        message = super().__getitem__(index)
        if isinstance(index, slice):
            return message
        shown = localize_digits(str(message))
        return mark_safe(shown) if isinstance(message, SafeData) else shown  # noqa: S308 - was safe


class ReaderForm(forms.Form):
    """A form readers fill in: its errors are a ReaderErrorList."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_class", ReaderErrorList)
        super().__init__(*args, **kwargs)
