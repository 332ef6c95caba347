import time
import unicodedata

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from publishing.forms import ReaderForm

TOKEN_SALT = "comments.form"  # noqa: S105 - names the signing purpose; not a secret

# Bidirectional embeddings, overrides and isolates: they can make a name or a
# comment display as something else (e.g. reverse a URL). Plain RLM/LRM marks
# stay: Arabic and Persian readers need them.
BIDI_CONTROLS = dict.fromkeys(
    [*range(0x202A, 0x202F), *range(0x2066, 0x206A)],
    None,
)


def strip_controls(text: str, *, keep_line_breaks: bool) -> str:
    """Remove bidi controls, and control/format characters a name has no use for."""
    text = text.translate(BIDI_CONTROLS)
    if keep_line_breaks:
        return text.replace("\r\n", "\n")
    return "".join(
        " " if char.isspace() else char
        for char in text
        if char.isspace() or unicodedata.category(char) not in {"Cc", "Cf"}
    )


def form_token(article_id: int, now: float | None = None) -> str:
    """Return a signed stamp of when the form for `article_id` was rendered.

    The same for every reader at a given moment, so the page stays cacheable.
    """
    return signing.dumps({"a": article_id, "t": int(now or time.time())}, salt=TOKEN_SALT)


class CommentForm(ReaderForm):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name", "dir": "auto"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        required=False,
        help_text=_("Optional. Never published."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    text = forms.CharField(
        label=_("Text"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
        error_messages={"required": _("Please write your comment.")},
    )
    # A honeypot: hidden from people, filled in by many bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, article, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        self.fields["token"].initial = form_token(article.pk)

    def clean_name(self):
        original = self.cleaned_data["name"]
        name = " ".join(strip_controls(original, keep_line_breaks=False).split())
        if original.strip() and not name:
            raise forms.ValidationError(_("Please use letters in your name, or leave it empty."))
        return name

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_text(self):
        text = strip_controls(self.cleaned_data["text"], keep_line_breaks=True).strip()
        if not text:
            raise forms.ValidationError(_("Please write your comment."))
        return text

    def clean(self):
        """Refuse stale or forged forms; note forms sent faster than a person types.

        The error belongs to the whole form (the token is hidden), and the form
        shown again carries a fresh token, so pressing Send again just works.
        """
        cleaned = super().clean()
        try:
            stamp = signing.loads(cleaned.get("token", ""), salt=TOKEN_SALT)
        except signing.BadSignature:
            stamp = {}
        age = time.time() - stamp.get("t", 0)
        if stamp.get("a") != self.article.pk or age > settings.COMMENTS_FORM_MAX_AGE:
            self.add_error(None, self.expired_message)
        self.sent_too_fast = age < settings.COMMENTS_MIN_SECONDS
        return cleaned

    expired_message = _("This form has expired. Your text is still here: please press Send again.")

    def refresh_token(self) -> None:
        """Give a form shown again with errors a fresh token."""
        self.data = self.data.copy()
        self.data["token"] = form_token(self.article.pk)

    @property
    def is_honeypot_filled(self) -> bool:
        return bool(self.cleaned_data.get("website"))
