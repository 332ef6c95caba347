"""Validated video uploads: MP4 and WebM judged by their container, never by their name.

A file is accepted only if its container structure parses from the first byte
to the last: an ISO base media file (MP4) whose boxes tile the whole file,
starting with `ftyp` of an MP4 brand and holding a movie (`moov`) and its media;
or an EBML file whose DocType is `webm` followed by one Segment whose elements
(and, where a live recording leaves a Cluster's size unknown, that Cluster's
blocks) tile it to the last byte. HTML, SVG or
script that merely starts with an MP4 signature fails the walk at its first
"box". The stored name's extension is chosen here from what was detected (the
uploader's name is ignored), so the file is always served as video/mp4 or
video/webm, never as a document a browser would run.
"""

import struct

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

MP4_BRANDS = {
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42",
    b"avc1", b"M4V ", b"dash", b"mmp4", b"MSNV",
}  # fmt: skip
# Top-level boxes that occur in MP4 files (ISO/IEC 14496-12 and -14).
MP4_TOP_LEVEL_BOXES = {
    b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"uuid", b"moof", b"mfra",
    b"meta", b"pdin", b"styp", b"sidx", b"ssix", b"prft", b"emsg", b"udta",
}  # fmt: skip
EBML_HEADER, EBML_DOCTYPE, WEBM_SEGMENT = 0x1A45DFA3, 0x4282, 0x18538067
EBML_VOID, EBML_CRC32 = 0xEC, 0xBF  # allowed anywhere
WEBM_CLUSTER = 0x1F43B675
# The Segment's children (Matroska's level 1): SeekHead, Info, Tracks, Chapters,
# Cluster, Cues, Attachments, Tags.
WEBM_SEGMENT_CHILDREN = {
    0x114D9B74, 0x1549A966, 0x1654AE6B, 0x1043A770, WEBM_CLUSTER, 0x1C53BB6B, 0x1941A469,
    0x1254C367,
}  # fmt: skip
# A Cluster's children: Timestamp, SilentTracks, Position, PrevSize, SimpleBlock,
# BlockGroup, EncryptedBlock.
WEBM_CLUSTER_CHILDREN = {0xE7, 0x5854, 0xA7, 0xAB, 0xA3, 0xA0, 0xAF, EBML_VOID, EBML_CRC32}
CONTENT_TYPES = {"mp4": "video/mp4", "webm": "video/webm"}

INVALID = _("Upload an MP4 or WebM video. This file is not one of them.")


def video_extension(upload) -> str:
    """Return "mp4" or "webm" for a well-formed video upload, or raise ValidationError."""
    size = upload.size
    limit = settings.VIDEO_UPLOAD_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _("This file is %(size)d MB; the limit is %(limit)d MB."),
            params={"size": size // 2**20, "limit": limit // 2**20},
            code="too_big",
        )
    upload.seek(0)
    try:
        head = upload.read(8)
        if head[4:8] == b"ftyp":
            _walk_mp4(upload, size)
            return "mp4"
        if head[:4] == EBML_HEADER.to_bytes(4, "big"):
            _walk_webm(upload, size)
            return "webm"
    except (ValueError, struct.error, EOFError):
        pass
    finally:
        upload.seek(0)
    raise ValidationError(INVALID, code="invalid_video")


def _walk_mp4(upload, size: int) -> None:
    """Walk the top-level boxes; they must tile the file and make up a movie."""
    seen, offset = [], 0
    while offset < size:
        upload.seek(offset)
        header = _read(upload, 8)
        box_size, box_type = struct.unpack(">I4s", header)
        header_size = 8
        if box_size == 1:  # a 64-bit size follows the type
            box_size = struct.unpack(">Q", _read(upload, 8))[0]
            header_size = 16
        elif box_size == 0:  # the box runs to the end of the file
            box_size = size - offset
        if box_type not in MP4_TOP_LEVEL_BOXES or box_size < header_size:
            raise ValueError("not an MP4 box")
        if not seen:
            if box_type != b"ftyp" or _read(upload, 4) not in MP4_BRANDS:
                raise ValueError("not an MP4 file type")
        seen.append(box_type)
        offset += box_size
    if offset != size or b"moov" not in seen or not {b"mdat", b"moof"} & set(seen):
        raise ValueError("boxes do not make up a movie")


def _walk_webm(upload, size: int) -> None:
    """Read the EBML header (DocType must be webm), then one Segment to the end."""
    upload.seek(0)
    element_id, header_size = _ebml_id(upload), _ebml_size(upload)
    if element_id != EBML_HEADER or header_size is None:
        raise ValueError("no EBML header")
    header_end = upload.tell() + header_size
    doc_type = None
    while upload.tell() < header_end:
        child_id, child_size = _ebml_id(upload), _ebml_size(upload)
        if child_size is None:
            raise ValueError("unsized header element")
        data = _read(upload, child_size)
        if child_id == EBML_DOCTYPE:
            doc_type = data.rstrip(b"\x00")
    if upload.tell() != header_end or doc_type != b"webm":
        raise ValueError("not a WebM document")
    if _ebml_id(upload) != WEBM_SEGMENT:
        raise ValueError("no segment")
    segment_size = _ebml_size(upload)
    if segment_size is not None and upload.tell() + segment_size != size:
        raise ValueError("the segment does not fill the file")
    # Of unknown size (a live recording), the Segment runs to the end of the file:
    # only walking its elements tells a video from a video with a page after it.
    _walk_segment(upload, upload.tell(), size)


def _walk_segment(upload, offset: int, end: int) -> None:
    """Walk the Segment's elements from `offset`; they must tile it up to `end`."""
    while offset < end:
        upload.seek(offset)
        element_id, element_size = _ebml_id(upload), _ebml_size(upload)
        if element_id not in WEBM_SEGMENT_CHILDREN | {EBML_VOID, EBML_CRC32}:
            raise ValueError("not a segment element")
        if element_size is not None:
            offset = upload.tell() + element_size
        elif element_id == WEBM_CLUSTER:  # the only child whose size may be unknown
            offset = _unsized_cluster_end(upload, end)
        else:
            raise ValueError("unsized segment element")
    if offset != end:
        raise ValueError("the last element runs past the end of the file")


def _unsized_cluster_end(upload, end: int) -> int:
    """Return where a Cluster of unknown size ends: at the next Segment element, or `end`."""
    offset = upload.tell()
    while offset < end:
        upload.seek(offset)
        element_id = _ebml_id(upload)
        if element_id in WEBM_SEGMENT_CHILDREN:
            return offset
        element_size = _ebml_size(upload)
        if element_id not in WEBM_CLUSTER_CHILDREN or element_size is None:
            raise ValueError("not a cluster element")
        offset = upload.tell() + element_size
    return offset


def _ebml_id(upload) -> int:
    first = _read(upload, 1)[0]
    length = _vint_length(first, max_length=4)
    return int.from_bytes(bytes([first]) + _read(upload, length - 1), "big")


def _ebml_size(upload) -> int | None:
    """Return an element's data size, or None for the "unknown size" marker."""
    first = _read(upload, 1)[0]
    length = _vint_length(first, max_length=8)
    value = int.from_bytes(bytes([first & (0xFF >> length)]) + _read(upload, length - 1), "big")
    return None if value == 2 ** (7 * length) - 1 else value


def _vint_length(first_byte: int, max_length: int) -> int:
    for length in range(1, max_length + 1):
        if first_byte & (0x80 >> (length - 1)):
            return length
    raise ValueError("bad variable-length integer")


def _read(upload, count: int) -> bytes:
    data = upload.read(count)
    if len(data) != count:
        raise EOFError
    return data


class VideoFormField(forms.FileField):
    """Refuse anything but a well-formed MP4 or WebM, with the reason, in the form."""

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is not None:
            video_extension(upload)
        return upload


class VideoFileField(models.FileField):
    """A FileField for films: checked on every save path, named by what it contains.

    The check runs in the form for a friendly message, and again just before the
    file is written, so no other path (a script, an import) can store something else.
    """

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            file.name = f"video.{video_extension(file)}"
        return super().pre_save(model_instance, add)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": VideoFormField, **kwargs})
