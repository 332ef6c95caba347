"""Library photos shown inside rich text, recorded as rows whenever the text is saved.

A body may show photos of the library: the editor's picker writes
`<img data-file="75" src="/uploads/renditions/75/....jpg">`, and a pasted or older
body may name a rendition or the original file by its address alone. Whoever
changes or deletes such a photo changes what that body's readers see, so the
photo library's guard (publishing/sharing.py) must find the body as it finds a
main image: by a relation. `PhotosInTextField` is that relation, a many-to-many
to the photos the text shows, filled from the text on every save of its row
(forms, held changes put live, revision restores, which save raw, and scripts)
rather than declared by anyone, so it cannot fall out of step with the text.
Queryset `update()` and `bulk_create()` skip it, as they skip every signal: never
write a body with them.
"""

import re
from html.parser import HTMLParser

from django.db import models
from django.db.models import Q
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

from media.uploads import upload_name
from web.numbers import parse_number

# A rendition is stored under its photo's folder (media/files.py `rendition_folder`).
RENDITION = re.compile(r"renditions/([0-9]+)/")


class _Images(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[int] = set()
        self.names: set[str] = set()

    def handle_starttag(self, tag, attrs):
        if tag != "img":
            return
        values = dict(attrs)
        file = (values.get("data-file") or "").strip()
        pk = parse_number(file)  # not "²" (isdigit() says it is), nor past a bigint
        if pk is not None:
            self.ids.add(pk)
        name = upload_name(values.get("src") or "") or ""
        rendition = RENDITION.match(name)
        if rendition:
            pk = parse_number(rendition[1])  # none past a bigint
            if pk is not None:
                self.ids.add(pk)
        elif name:
            self.names.add(name)

    handle_startendtag = handle_starttag


def photo_references(html: str) -> tuple[set[int], set[str]]:
    """Return the photo ids and the stored file names the images of `html` name.

    Ids from the picker's data-file and from rendition addresses; names from
    addresses of original files. Not checked against the library.
    """
    if "<img" not in (html or ""):
        return set(), set()
    parser = _Images()
    parser.feed(html)
    parser.close()
    return parser.ids, parser.names


def photos_in(html: str, photos: models.Manager) -> list[int]:
    """Return the ids of the photos of `photos` that `html` shows: one query, none without images.

    Photos since deleted are left out (a draft may keep the image of one).
    """
    ids, names = photo_references(html)
    if not ids and not names:
        return []
    named = Q(pk__in=ids) | Q(image__in=names) if names else Q(pk__in=ids)
    return list(photos.filter(named).order_by("pk").values_list("pk", flat=True))


class PhotosInTextField(models.ManyToManyField):
    """The library photos the images of the model's `text` field show, kept by every save.

    Not editable: a save of the row writes it from the text as saved (after the
    model's own save has sanitised it). A save that leaves the text out
    (`update_fields` without it, or the text deferred) leaves it as it is.
    """

    def __init__(self, *, text: str = "body", **kwargs):
        self.text = text
        kwargs.setdefault("to", "media.Photo")
        kwargs.setdefault("related_name", "+")
        kwargs.setdefault("verbose_name", _("photos in the body"))
        kwargs["blank"] = True
        kwargs["editable"] = False
        super().__init__(**kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["text"] = self.text
        for fixed in ("blank", "editable"):
            kwargs.pop(fixed, None)
        return name, path, args, kwargs

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        # Migrations' historical models write only what their migration writes.
        if not cls._meta.abstract and cls.__module__ != "__fake__":
            uid = f"photos_in_text:{cls._meta.label}.{name}"
            post_save.connect(self._record, sender=cls, weak=False, dispatch_uid=uid)

    def _record(self, sender, instance, created=False, update_fields=None, **kwargs):
        """Set the relation to what the saved text shows (post_save, raw saves included).

        A revision restore writes the body back with save_base(raw=True), so raw saves
        count too. Costs a read of the relation per save (and a write where it changed),
        plus one query of the library when the text has images; nothing for a new row
        without any.
        """
        if update_fields is not None and self.text not in update_fields:
            return
        if self.text in instance.get_deferred_fields():
            return
        shown = photos_in(getattr(instance, self.text), self.remote_field.model._default_manager)
        if shown or not created:
            getattr(instance, self.name).set(shown)


def record_stored_rows(model, photos: models.Manager, *, field: str = "body_photos") -> int:
    """Fill `field` for the rows already stored, from their text; return how many photos.

    For the migration adding a `PhotosInTextField` (`model` and `photos` may be its
    historical models). Reads only rows whose text has an image: one scan of the
    table, and one query of the library per row with images.
    """
    relation = model._meta.get_field(field)
    through = relation.remote_field.through
    owner, photo = relation.m2m_column_name(), relation.m2m_reverse_name()
    rows = model._base_manager.filter(**{f"{relation.text}__contains": "<img"})
    links = [
        through(**{owner: pk, photo: shown})
        for pk, text in rows.values_list("pk", relation.text).iterator(chunk_size=500)
        for shown in photos_in(text, photos)
    ]
    through._base_manager.bulk_create(links, batch_size=1000, ignore_conflicts=True)
    return len(links)
