from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django_prose_editor.fields import ProseEditorFormField

from articles.models import Article
from articles.revisions import EDITORIAL_FIELDS, changed_fields_since
from media.publishing import VisibilityCheckedFormMixin, stored_values

# The rich-text editor offers a subset of what articles/sanitize.py keeps: the
# sanitiser also keeps markup editors paste or older bodies carry (tables, h4,
# code, sub/sup...). tests/desk/test_desk.py checks the subset holds.
BODY_EDITOR = {
    "extensions": {
        "Bold": True,
        "Italic": True,
        "Heading": {"levels": [2, 3]},
        "BulletList": True,
        "OrderedList": True,
        "ListItem": True,
        "Blockquote": True,
        "HardBreak": True,
        "HorizontalRule": True,
        "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
        # Images come from the photo library, through its picker.
        "Figure": {"pickerUrl": reverse_lazy("admin:media_photo_picker")},
        "Image": {"pickerUrl": reverse_lazy("admin:media_photo_picker")},
        "Caption": True,
    }
}


class ArticleAdminForm(VisibilityCheckedFormMixin, forms.ModelForm):
    """The article form: rich-text body, publishing rules, and no silent overwrite."""

    body = ProseEditorFormField(config=BODY_EDITOR, label=_("Body"))
    # When this editor opened the article: a save on top of someone else's newer
    # save is stopped and shown, with both versions kept.
    loaded_at = forms.CharField(widget=forms.HiddenInput, required=False)
    # Taking a published article down is recorded with its reason (readers get 410).
    takedown_reason = forms.CharField(
        label=_("Reason for taking it down"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
        help_text=_("Required when a published article is unpublished; kept on the desk."),
    )

    class Meta:
        model = Article
        fields = [*EDITORIAL_FIELDS, "tags"]

    user = None  # set by ArticleAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_at"].initial = self.instance.updated_at.isoformat()

    def clean(self):
        # Publishing rights are checked on the instance as it would be saved, against
        # the stored row (VisibilityCheckedFormMixin, media/publishing.py).
        cleaned = super().clean()
        self._check_takedown_reason(cleaned)
        self._check_nobody_saved_since_loading(cleaned)
        return cleaned

    takes_down = False  # whether saving unpublishes a published article

    def _check_takedown_reason(self, cleaned):
        before = stored_values(Article, self.instance.pk) if self.instance.pk else None
        published = Article.Status.PUBLISHED
        self.takes_down = bool(
            before and before["status"] == published and cleaned.get("status") != published
        )
        if self.takes_down and not cleaned.get("takedown_reason", "").strip():
            self.add_error("takedown_reason", _("Say why this published article is taken down."))

    def _check_nobody_saved_since_loading(self, cleaned):
        loaded_at = cleaned.get("loaded_at")
        if not self.instance.pk or not loaded_at:
            return
        current = Article.objects.filter(pk=self.instance.pk).values(
            "updated_at", "updated_by__username"
        )[0]
        if current["updated_at"].isoformat() == loaded_at:
            return
        changed = changed_fields_since(self.instance, loaded_at)
        who = current["updated_by__username"] or _("someone")
        raise forms.ValidationError(
            _(
                "%(who)s saved this article after you opened it (at %(when)s), changing: "
                "%(fields)s. Your text is still below. Compare it with the History, "
                "then press Save again to keep your version."
            )
            % {
                "who": who,
                "when": current["updated_at"].strftime("%H:%M:%S"),
                "fields": ", ".join(changed) or _("details"),
            },
            code="conflict",
        )

    def _post_clean(self):
        super()._post_clean()
        if self.has_error(forms.forms.NON_FIELD_ERRORS, code="conflict") and self.instance.pk:
            # A second press of Save is a deliberate overwrite.
            self.data = self.data.copy()
            self.data[self.add_prefix("loaded_at")] = Article.objects.get(
                pk=self.instance.pk
            ).updated_at.isoformat()
