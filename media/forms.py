"""Admin forms of the gallery app."""

from django import forms
from django.utils.translation import gettext_lazy as _

from media.embeds import parse_video_address
from media.models import Film, Photo
from publishing.sharing import SharedCheckedFormMixin
from publishing.visibility import VisibilityCheckedFormMixin

ADDRESS_MAX_LENGTH = 500  # long enough for any pasted address; the id is kept, not the URL


class FilmAdminForm(VisibilityCheckedFormMixin, forms.ModelForm):
    """The film form: the embed box takes a pasted YouTube or Vimeo address, or an id."""

    embed_id = forms.CharField(
        label=_("video address or id"),
        required=False,
        max_length=ADDRESS_MAX_LENGTH,
        widget=forms.TextInput(attrs={"size": 60}),
        help_text=_(
            "Paste the video's address (youtube.com/watch?v=…, youtu.be/…, /shorts/…, "
            "/embed/…, vimeo.com/…); its host and id are kept."
        ),
    )

    class Meta:
        model = Film
        fields = ["embed_host", "embed_id"]  # the admin adds the rest from its fieldsets

    def clean(self):
        cleaned = super().clean()
        text = (cleaned.get("embed_id") or "").strip()
        parsed = parse_video_address(text)
        if parsed:
            cleaned["embed_host"], cleaned["embed_id"] = parsed
        elif "/" in text or "." in text:
            self.add_error(
                "embed_id",
                _("This is not a YouTube or Vimeo video address. Paste the address of the video."),
            )
        else:
            cleaned["embed_id"] = text
        return cleaned


class PhotoAdminForm(SharedCheckedFormMixin, forms.ModelForm):
    """The photo form: when other fields are wrong, say plainly that the file must be chosen again.

    Browsers never send a chosen file back with a page, so after an error the file
    box is empty; without a word, editors saved the form and lost the picture.
    """

    class Meta:
        model = Photo
        fields = ["image"]  # the admin adds the rest from its fields

    def _post_clean(self):
        super()._post_clean()  # with SharedCheckedFormMixin's check of who may change it
        if self.errors and self.files.get("image") and "image" not in self.errors:
            self.add_error(
                "image",
                _("Choose the file again: it could not be kept while the errors above are fixed."),
            )
