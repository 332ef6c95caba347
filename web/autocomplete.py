"""The admin's autocomplete boxes, showing back only values their field can hold.

A form with errors is shown again with what was posted. Django's autocomplete
widgets look the posted value up to label it (`optgroups`), as given: a key of
"²", which `str.isdigit()` calls a digit and `int()` refuses, raised ValueError
there, and every autocomplete box of the desk answered 500 for it instead of its
"Select a valid choice". Here a value the related key cannot hold is dropped
before the lookup; the field's own error still says it was not valid.
"""

from django.contrib.admin import widgets
from django.core.exceptions import ValidationError


class _ValidValuesOnly:
    def optgroups(self, name, value, attr=None):
        key = self.field.target_field
        return super().optgroups(name, [each for each in value if _holds(key, each)], attr)


def _holds(key, value) -> bool:
    try:
        key.clean(value, None)
    except ValidationError:
        return False
    return True


class AutocompleteSelect(_ValidValuesOnly, widgets.AutocompleteSelect):
    pass


class AutocompleteSelectMultiple(_ValidValuesOnly, widgets.AutocompleteSelectMultiple):
    pass
