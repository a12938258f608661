"""Residents' photos: checked by content, resized, re-encoded without EXIF (GPS too)."""

import io
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from geo.errors import Refused

FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Decompression bombs: a small file that unpacks to a huge bitmap is refused.
Image.MAX_IMAGE_PIXELS = 50_000_000


def max_request_bytes():
    """Three full-size photos and the text fields; anything longer is refused unread."""
    photos = settings.REPORT_MAX_PHOTOS * settings.REPORT_MAX_PHOTO_BYTES
    return photos + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


@dataclass
class CleanPhoto:
    content: ContentFile
    width: int
    height: int


def clean_photos(files):
    """Every upload checked and re-encoded, or Refused naming `photos` and the file."""
    if len(files) > settings.REPORT_MAX_PHOTOS:
        raise Refused(
            "photos",
            _("не больше %d фотографий") % settings.REPORT_MAX_PHOTOS,
        )
    return [clean_photo(upload) for upload in files]


def clean_photo(upload):
    name = getattr(upload, "name", "photo")
    if upload.size > settings.REPORT_MAX_PHOTO_BYTES:
        limit = settings.REPORT_MAX_PHOTO_BYTES // (1024 * 1024)
        raise Refused(
            "photos",
            _("«%(name)s»: файл больше %(mb)d МБ") % {"name": name, "mb": limit},
        )
    try:
        image = Image.open(upload)
        kind = image.format
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that: refuse it here,
        # before the pixels are unpacked.
        if image.width * image.height > Image.MAX_IMAGE_PIXELS:
            raise Image.DecompressionBombError(name)
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        kind = None
    if kind not in FORMATS:
        raise Refused(
            "photos",
            _("«%s»: это не фотография в формате JPEG, PNG или WebP") % name,
        )
    return _reencode(image, kind)


def _reencode(image, kind):
    # Turn the pixels as the camera meant, then drop every tag, GPS included.
    image = ImageOps.exif_transpose(image)
    image.thumbnail((settings.REPORT_PHOTO_MAX_SIDE,) * 2)
    if kind == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format=kind, quality=85)
    # A random name: a file's address must not be guessable before it is published.
    name = f"{secrets.token_hex(16)}.{FORMATS[kind]}"
    return CleanPhoto(ContentFile(buffer.getvalue(), name=name), *image.size)
