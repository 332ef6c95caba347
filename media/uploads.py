import uuid
from pathlib import PurePath

from django.utils import timezone
from django.utils.deconstruct import deconstructible


@deconstructible
class GeneratedUploadPath:
    """Store an upload under a generated name in `folder/YYYY/MM/`.

    Never the uploader's name: no path tricks, and no overwrite when two editors
    upload photo.jpg at the same moment.
    """

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        extension = PurePath(filename).suffix.lower()[:5]
        return f"{self.folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other):
        return isinstance(other, GeneratedUploadPath) and other.folder == self.folder
