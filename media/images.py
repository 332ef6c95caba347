"""Validated, cleaned image uploads for every image field on the site.

An upload is accepted only if Pillow decodes it as one of a few raster formats,
within a size and pixel budget (a decompression bomb is an error, not a warning).
It is then re-encoded: EXIF orientation is applied, and metadata (GPS, XMP,
comments, colour profiles) and anything appended to the file (an "image" with
HTML after it) are gone, because only decoded pixels are written back. Pillow's
writers copy some of what they read (a GIF's or JPEG's comment block, a PNG's
colour profile) from the image's `info`: it is emptied first, but for what the
pixels need to look the same (KEPT_INFO).
"""

import io
import warnings

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
# What an image's `info` may carry into the re-encoded file: which palette entry or
# colour is transparent, and a GIF's background entry. Nothing else.
KEPT_INFO = {"GIF": {"transparency", "background"}, "PNG": {"transparency"}}


def cleaned_image(upload) -> SimpleUploadedFile:
    """Return a re-encoded copy of an uploaded image, or raise ValidationError."""
    max_bytes = settings.IMAGE_UPLOAD_MAX_BYTES
    if upload.size > max_bytes:
        raise forms.ValidationError(
            _("This file is %(size)d MB; the limit is %(limit)d MB."),
            params={"size": upload.size // 2**20, "limit": max_bytes // 2**20},
            code="too_big",
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=list(ALLOWED_FORMATS)) as image:
                image_format = image.format
                if image.width * image.height > settings.IMAGE_UPLOAD_MAX_PIXELS:
                    raise forms.ValidationError(
                        _("This image is too large (%(width)d × %(height)d pixels)."),
                        params={"width": image.width, "height": image.height},
                        code="too_many_pixels",
                    )
                image.load()  # decode every pixel: truncated or corrupt files fail here
                upright = ImageOps.exif_transpose(image)
                data = _encode(upright, image_format)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise forms.ValidationError(
            _("This image is too large to open safely."), code="bomb"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise forms.ValidationError(
            _("Upload a JPEG, PNG, WebP or GIF image. This file is not one of them."),
            code="invalid_image",
        ) from None
    name = f"image.{ALLOWED_FORMATS[image_format]}"
    return SimpleUploadedFile(name, data, content_type=CONTENT_TYPES[image_format])


def _encode(image: Image.Image, image_format: str) -> bytes:
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    kept = KEPT_INFO.get(image_format, set())
    image.info = {key: value for key, value in image.info.items() if key in kept}
    options = {
        "JPEG": {"quality": 90, "optimize": True, "progressive": True},
        "PNG": {"optimize": True},
        "WEBP": {"quality": 90},
        "GIF": {},
    }[image_format]
    buffer = io.BytesIO()
    # No exif=, icc_profile=, comment= or pnginfo= arguments, and no info to copy
    # them from: metadata is not carried over.
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


class CleanImageFormField(forms.ImageField):
    def to_python(self, data):
        # FileField's checks (empty, name length), then ours in place of
        # ImageField's, so a bomb is named as such rather than "not an image".
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        return cleaned_image(upload)


class CleanImageField(models.ImageField):
    """An ImageField whose uploads are validated and re-encoded (see module doc)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CleanImageFormField, **kwargs})


def fill_dimensions(instance, field_name: str = "image") -> None:
    """Store an image's width and height on its row if they are missing.

    Django leaves them empty when a file is saved onto an unsaved instance, and
    then reopens the file to measure it every time the row is loaded.
    """
    field = instance._meta.get_field(field_name)
    image = getattr(instance, field_name)
    if image and not (
        getattr(instance, field.width_field) and getattr(instance, field.height_field)
    ):
        setattr(instance, field.width_field, image.width)
        setattr(instance, field.height_field, image.height)
