"""Admin forms of the gallery app."""

from django import forms
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from media.embeds import parse_video_address
from media.galleries import PhotoBatch, is_published, photos_without_alt_text
from media.images import cleaned_image
from media.models import Film, GalleryPhoto, Photo, PhotoGallery
from publishing.desk_rules import Outcome, decide
from publishing.models import Publishable
from publishing.sharing import SharedCheckedFormMixin, shared_change_problem
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


# --- Photo galleries ---------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotoFilesField(forms.FileField):
    """Several image files in one box (Django's documented multiple-file pattern).

    Each file goes through the photo library's own check and re-encoding
    (media/images.py). A bad file does not refuse the others: the field returns a
    PhotoBatch, the good files with their names and the bad ones with the reason.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(required=False, **kwargs)

    def clean(self, data, initial=None):
        batch = PhotoBatch()
        for upload in data if isinstance(data, list | tuple) else [data]:
            if not upload:
                continue
            name = upload.name
            try:
                batch.accepted.append((name, cleaned_image(super().clean(upload, initial))))
            except forms.ValidationError as error:
                batch.refused.append((name, " ".join(error.messages)))
        return batch


ALT_TEXT_NEEDED = _(
    "Photos added with this box have no alt text yet, so they cannot go straight into a "
    "published gallery. Save the gallery as a draft, write their alt text in the grid, then "
    "publish; or add them to the photo library with their alt text and pick them in the grid."
)


def alt_text_missing_message(titles) -> str:
    return _("Write the alt text of every photo before publishing the gallery: %(photos)s.") % {
        "photos": ", ".join(titles)
    }


class ShownPhotosCheckedFormMixin:
    """A form of a row whose library photos readers are shown (a map's image, a film's
    poster, a topic's picture): a photo without alt text is refused on its field while
    readers would see the row, published (or scheduled) or, for a row that is never
    unpublished (a topic), always. Bulk-uploaded gallery photos have none until someone
    writes it; picked for a map, readers met an image with an empty alt.

    Its photo fields as posted or, where the form has none (a list's row publishing
    from its status column), as stored. Asked when a row is added, or its status or a
    photo changes: a list's rows nobody touched read no photo, and an edit of a topic's
    words is not held up by a picture readers already see.
    """

    def _post_clean(self):
        super()._post_clean()
        instance = self.instance
        if isinstance(instance, Publishable) and not is_published(instance.status):
            return
        photo_fields = [
            field
            for field in instance._meta.concrete_fields
            if field.is_relation and field.related_model is Photo
        ]
        watched = {"status", *(field.name for field in photo_fields)}
        if instance.pk is not None and not watched & set(self.changed_data):
            return
        for field in photo_fields:
            photo = getattr(instance, field.name, None)
            if photo is not None and not (photo.alt_text or "").strip():
                message = _(
                    "The photo “%(photo)s” has no alt text yet, so readers cannot be shown "
                    "it. Write what it shows in its alt text (Photo library, or the grid of "
                    "its gallery), or pick another photo."
                ) % {"photo": photo.title}
                self.add_error(field.name if field.name in self.fields else None, message)


class PhotoGalleryAdminForm(VisibilityCheckedFormMixin, forms.ModelForm):
    """The gallery form, with a box that adds many photos at once to the end of the gallery."""

    add_photos = PhotoFilesField(
        label=_("Add photos"),
        help_text=_(
            "Choose several image files at once; each becomes a library photo at the end "
            "of the gallery. Then write their alt text and captions in the grid below."
        ),
    )

    class Meta:
        model = PhotoGallery
        fields = [
            *["language", "title", "slug", "description"],
            *["status", "publish_at", "unpublish_at", "exclusive"],
        ]

    def clean(self):
        cleaned = super().clean()
        batch = cleaned.get("add_photos")
        status = cleaned.get("status", self.instance.status)  # the instance is filled later
        if batch and batch.accepted and is_published(status):
            self.add_error("add_photos", ALT_TEXT_NEEDED)
        return cleaned

    def ask_for_the_files_again(self) -> None:
        """Say that chosen files are gone: browsers never send them back with a page."""
        if self.files.getlist(self.add_prefix("add_photos")) and "add_photos" not in self.errors:
            self.add_error(
                "add_photos",
                _("Choose the files again: they could not be kept while the errors are fixed."),
            )


class PhotoGalleryListForm(VisibilityCheckedFormMixin, forms.ModelForm):
    """A row of the galleries list: publishing from the status column keeps the alt-text rule."""

    def clean(self):
        cleaned = super().clean()
        publishing = "status" in self.changed_data and is_published(cleaned.get("status"))
        if self.instance.pk and publishing:
            photos = Photo.objects.filter(galleries=self.instance.pk).only("title", "alt_text")
            missing = photos_without_alt_text(photos)
            if missing:
                self.add_error(None, alt_text_missing_message(missing))
        return cleaned


class GalleryPhotoForm(forms.ModelForm):
    """A row of the gallery's grid: the photo's alt text is edited here too.

    Alt text belongs to the library photo, which every edition shares: a change is
    refused, in words, when another desk's published content shows it
    (publishing/sharing.py). An empty box keeps the photo's alt text.
    """

    alt_text = forms.CharField(
        label=_("alt text"),
        max_length=Photo._meta.get_field("alt_text").max_length,
        required=False,
        widget=forms.TextInput(attrs={"size": 30}),
    )

    class Meta:
        model = GalleryPhoto
        fields = ["photo", "position", "caption"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("alt_text", self.instance.photo.alt_text)
        self.photo_alt_text_changed = False

    def clean(self):
        cleaned = super().clean()
        photo, text = cleaned.get("photo"), (cleaned.get("alt_text") or "").strip()
        if photo is not None and text and text != photo.alt_text:
            photo.alt_text = text
            problem = shared_change_problem(photo)
            if problem:
                self.add_error("alt_text", problem)
            else:
                self.photo_alt_text_changed = True
        return cleaned

    def save(self, commit=True):
        row = super().save(commit)
        if self.photo_alt_text_changed:
            self.cleaned_data["photo"].save(update_fields=["alt_text"])
        return row


LIVE_GRID_REFUSED = _(
    "Readers see this gallery now: only a Chief Editor of its desk changes its photos, their "
    "order and captions. Nothing was saved; your changes are still below for a Chief Editor "
    "to make, or undo them to save the rest."
)


class GalleryPhotoFormSet(BaseInlineFormSet):
    """The grid: refused to an Editor on a live gallery (publishing/desk_rules.py says who),
    and refusing to publish the gallery while a photo in it has no alt text."""

    user = None  # set by GalleryPhotoInline.get_formset

    def clean(self):
        super().clean()
        self._check_who_changes_a_live_grid()
        if not is_published(self.instance.status):
            return
        photos = [
            form.cleaned_data["photo"]
            for form in self.forms
            if form.cleaned_data.get("photo") and not form.cleaned_data.get("DELETE")
        ]
        missing = photos_without_alt_text(photos)
        if missing:
            raise forms.ValidationError(alt_text_missing_message(missing))

    def _check_who_changes_a_live_grid(self):
        # changed_data, not has_changed(): the admin's rows hide changes the inline's
        # rights do not allow, and those must be refused in words, not dropped.
        touched = [form for form in self.forms if form.changed_data]
        if not touched or self.user is None or self.instance.pk is None:
            return
        for form in touched:
            action = "add" if form.instance.pk is None else "change"
            row = GalleryPhoto(gallery=self.instance)
            if decide(self.user, "media.galleryphoto", action, row) is Outcome.DENY:
                raise forms.ValidationError(LIVE_GRID_REFUSED, code="live_gallery_grid")
