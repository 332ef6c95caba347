import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

SEARCH_MAX_LENGTH = 200


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        error_messages={"required": _("Type a word or two to search for.")},
    )

    def clean_q(self):
        # Control and format characters (null bytes, bidi overrides) carry no meaning
        # for a search and must never reach the database; over-long text is cut.
        text = "".join(
            char for char in self.cleaned_data["q"] if unicodedata.category(char)[0] != "C"
        )
        text = " ".join(text.split())[:SEARCH_MAX_LENGTH]
        if not any(char.isalnum() for char in text):
            raise forms.ValidationError(_("Type a word or two to search for."))
        return text
