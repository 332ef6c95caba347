"""Words the desk shows from Django's and libraries' catalogues that are missing there.

Django's Persian admin catalogue has no "Breadcrumbs" or "Model name", nor the
checkbox label of every changelist row; taggit has no Arabic or Persian one. Marked
here so that makemessages keeps them in locale/, whose catalogues come first
(LOCALE_PATHS). tests/desk/test_desk_language.py finds the next one an upgrade leaves.
"""

from django.utils.translation import gettext_noop

LIBRARY_WORDS = [
    gettext_noop("Breadcrumbs"),
    gettext_noop("Model name"),
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("Taggit"),
]
