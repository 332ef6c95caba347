import time
import unicodedata

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from publishing.forms import ReaderForm
from web.text import clean_text

TOKEN_SALT = "comments.form"  # noqa: S105 - names the signing purpose; not a secret

# Bidirectional embeddings, overrides and isolates: they can make a name or a
# comment display as something else (e.g. reverse a URL).
BIDI_CONTROLS = dict.fromkeys(
    [*range(0x202A, 0x202F), *range(0x2066, 0x206A)],
    None,
)
# Format characters a name keeps: Persian spells with the zero-width non-joiner
# (نیک‌نام is not نیکنام), and the joiner and the direction marks (LRM, RLM, the
# Arabic letter mark) are how Arabic and Persian readers write a mixed name.
NAME_MARKS = frozenset("\u200c\u200d\u200e\u200f\u061c")
UNSEEN = {"Cc", "Cf", "Zs", "Zl", "Zp"}


def strip_controls(text: str, *, keep_line_breaks: bool) -> str:
    """Return a reader's `text` as it will be stored (web/text.py clean_text: carriage
    returns made newlines, control characters and noncharacters gone), without bidi
    controls; in a name (not `keep_line_breaks`), also without the control and format
    characters it has no use for but NAME_MARKS, and with every space a plain one.

    The form's checks (its lengths, whether anything was written) and the spam checks
    after it then see what is stored: checked before, "cas\x01ino" passed the
    blocklist and was stored as "casino", and 3,000 characters with line breaks, as
    the browser's counter allows, were 3,000 plus one per break.
    """
    text = clean_text(text).translate(BIDI_CONTROLS)
    if keep_line_breaks:
        return text
    return "".join(
        " " if char.isspace() else char
        for char in text
        if char.isspace() or char in NAME_MARKS or unicodedata.category(char) not in {"Cc", "Cf"}
    )


def is_blank(text: str) -> bool:
    """Return whether `text` shows nothing: spaces, controls and format characters only."""
    return all(unicodedata.category(char) in UNSEEN for char in text)


class ReaderTextField(forms.CharField):
    """A CharField holding what a reader typed, cleaned (strip_controls) before its
    length is checked. A NUL is left for the field's own check to refuse in words."""

    def __init__(self, *, keep_line_breaks: bool, **kwargs):
        self.keep_line_breaks = keep_line_breaks
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if "\x00" in value:
            return value
        return strip_controls(value, keep_line_breaks=self.keep_line_breaks).strip()


def form_token(article_id: int, now: float | None = None) -> str:
    """Return a signed stamp of when the form for `article_id` was rendered.

    The same for every reader at a given moment, so the page stays cacheable.
    """
    return signing.dumps({"a": article_id, "t": int(now or time.time())}, salt=TOKEN_SALT)


class CommentForm(ReaderForm):
    name = ReaderTextField(
        keep_line_breaks=False,
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
    text = ReaderTextField(
        keep_line_breaks=True,
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
        name = " ".join(self.cleaned_data["name"].split())
        if is_blank(name) and self.data.get(self.add_prefix("name"), "").strip():
            raise forms.ValidationError(_("Please use letters in your name, or leave it empty."))
        return "" if is_blank(name) else name

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_text(self):
        text = self.cleaned_data["text"]
        if is_blank(text):  # "\u200b" alone: stored, it was a comment nobody could see
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
