import re
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from media.images import CleanImageField, fill_dimensions
from media.uploads import GeneratedUploadPath
from media.videos import VideoFileField, video_extension
from publishing.editions import edition_field
from publishing.models import Publishable, PublishableQuerySet
from web.text import cleaned_on_save


@cleaned_on_save
class Photo(models.Model):
    """One image of the photo library, with what every use of it needs."""

    image = CleanImageField(
        _("image"),
        upload_to=GeneratedUploadPath("photos"),
        width_field="width",
        height_field="height",
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    # Kept on the row so feeds (enclosure length) never ask the storage per item.
    file_size = models.PositiveBigIntegerField(_("bytes"), editable=False, default=0)
    title = models.CharField(_("title"), max_length=200)
    alt_text = models.CharField(
        _("alt text"),
        max_length=250,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    credit = models.CharField(_("credit"), max_length=120, blank=True)
    focal_x = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("focal point, % from left"),
        default=50,
        validators=[MaxValueValidator(100)],
    )
    focal_y = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("focal point, % from top"),
        default=50,
        validators=[MaxValueValidator(100)],
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photo library")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        fill_dimensions(self)
        if self.image and (not self.image._committed or not self.file_size):
            # A new upload knows its size; a stored file is asked once.
            self.file_size = self.image.size
        super().save(*args, **kwargs)


class LibraryItem(Publishable):
    """A gallery, film or map: titled, addressed by slug, perhaps exclusive."""

    language = edition_field()
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    exclusive = models.BooleanField(_("exclusive"), default=False, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # On a live item every field (Exclusive too) is a Chief Editor's: the rules table's
    # `chief_when_live` (publishing/desk_rules.py), given to the guard by publishing/apps.py.

    class Meta(Publishable.Meta):
        abstract = True
        indexes = [
            models.Index(
                fields=["-publish_at"], condition=Q(status="published"), name="%(class)s_latest"
            )
        ]

    def __str__(self):
        return self.title


class PhotoGalleryQuerySet(PublishableQuerySet):
    def with_photos(self) -> "PhotoGalleryQuerySet":
        """Prefetch each gallery's photos in order, as `ordered_items` (one query)."""
        items = GalleryPhoto.objects.select_related("photo")
        return self.prefetch_related(
            models.Prefetch("items", queryset=items, to_attr="ordered_items")
        )


@cleaned_on_save
class PhotoGallery(LibraryItem):
    photos = models.ManyToManyField(Photo, through="GalleryPhoto", related_name="galleries")

    objects = PhotoGalleryQuerySet.as_manager()

    class Meta(LibraryItem.Meta):
        verbose_name = _("photo gallery")
        verbose_name_plural = _("photo galleries")

    def get_absolute_url(self):
        with override(self.language):
            return reverse("media:gallery", kwargs={"slug": self.slug})

    @property
    def cover(self) -> Photo | None:
        """Return the first photo (needs `with_photos()`)."""
        return self.ordered_items[0].photo if self.ordered_items else None


@cleaned_on_save
class GalleryPhoto(models.Model):
    gallery = models.ForeignKey(PhotoGallery, on_delete=models.CASCADE, related_name="items")
    photo = models.ForeignKey(
        Photo, on_delete=models.PROTECT, related_name="+", verbose_name=_("photo")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    caption = models.CharField(
        _("caption in this gallery"),
        max_length=300,
        blank=True,
        help_text=_("Leave empty to use the photo's own caption."),
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("photo in the gallery")
        verbose_name_plural = _("photos in the gallery")

    def __str__(self):
        return str(self.photo)

    @property
    def shown_caption(self) -> str:
        return self.caption or self.photo.caption


# Films are embedded only from these hosts, by video id: never raw HTML.
EMBED_HOSTS = {
    "youtube": (re.compile(r"^[A-Za-z0-9_-]{11}$"), "https://www.youtube-nocookie.com/embed/{}"),
    "vimeo": (re.compile(r"^[0-9]{6,12}$"), "https://player.vimeo.com/video/{}"),
}


def validate_video_file(upload):
    """Accept MP4 and WebM files only, judged by their container (see media/videos.py).

    Referenced by migration 0001; films now use VideoFileField, which checks on save.
    """
    if getattr(upload, "_committed", False):
        return  # already stored (and checked when it was uploaded)
    video_extension(upload)


@cleaned_on_save
class Film(LibraryItem):
    class Host(models.TextChoices):
        YOUTUBE = "youtube", "YouTube"
        VIMEO = "vimeo", "Vimeo"

    # Optional (issue 22 item 10): a film pasted from YouTube or Vimeo is published
    # without a trip to the photo library; pages then show a plain frame with the play
    # mark (no image is fetched from the host: readers' addresses stay with us).
    poster = models.ForeignKey(
        Photo,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("poster"),
        null=True,
        blank=True,
        help_text=_("Optional: without one, a plain frame with the play button is shown."),
    )
    video = VideoFileField(
        _("video file"),
        upload_to=GeneratedUploadPath("films"),
        blank=True,
        help_text=_("MP4 or WebM; or use an embed below."),
    )
    embed_host = models.CharField(_("embed from"), max_length=10, choices=Host.choices, blank=True)
    duration = models.DurationField(
        _("duration"),
        null=True,
        blank=True,
        # A film lasts some time: "-00:05:00" showed readers "Length -1:55:00".
        validators=[
            MinValueValidator(timedelta(seconds=1), _("A film lasts at least a second.")),
        ],
        help_text=_("Optional, as hh:mm:ss; shown on teasers."),
    )
    embed_id = models.CharField(
        _("video id"),
        max_length=20,
        blank=True,
        help_text=_("Only the id, e.g. the part after watch?v= on YouTube."),
    )

    class Meta(LibraryItem.Meta):
        verbose_name = _("film")
        verbose_name_plural = _("films")

    def get_absolute_url(self):
        with override(self.language):
            return reverse("media:film", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        has_embed = bool(self.embed_host or self.embed_id)
        if bool(self.video) == has_embed:
            raise ValidationError(_("Give either a video file or an embed, not both or neither."))
        if has_embed:
            pattern, _url = EMBED_HOSTS.get(self.embed_host, (None, None))
            if pattern is None:
                raise ValidationError({"embed_host": _("Choose an allowed host.")})
            if not pattern.match(self.embed_id or ""):
                raise ValidationError(
                    {"embed_id": _("This is not a valid video id for that host.")}
                )

    @property
    def cover(self) -> Photo | None:
        return self.poster

    @property
    def duration_display(self) -> str:
        """Return the length as a player shows it: "4:05", or "1:02:09" past an hour."""
        if self.duration is None:
            return ""
        minutes, seconds = divmod(int(self.duration.total_seconds()), 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"

    @property
    def embed_url(self) -> str:
        if self.embed_host not in EMBED_HOSTS:
            return ""
        pattern, url = EMBED_HOSTS[self.embed_host]
        return url.format(self.embed_id) if pattern.match(self.embed_id) else ""


@cleaned_on_save
class Map(LibraryItem):
    """One map of a dated series; the newest is promoted."""

    photo = models.ForeignKey(
        Photo, on_delete=models.PROTECT, related_name="+", verbose_name=_("map image")
    )

    class Meta(LibraryItem.Meta):
        verbose_name = _("map")
        verbose_name_plural = _("maps")

    def get_absolute_url(self):
        with override(self.language):
            return reverse("media:map", kwargs={"slug": self.slug})
