"""A report's photos: the shared pipeline (geo/photos.py) under the REPORT_* settings
(docs/architecture.md, "Cheap checks first")."""

from django.conf import settings

from geo import photos
from geo.photos import CleanPhoto  # noqa: F401  (the services' and tests' name)


def rules():
    """Read at every call, so that a changed setting (tests) takes effect."""
    return photos.PhotoRules(
        max_photos=settings.REPORT_MAX_PHOTOS,
        max_bytes=settings.REPORT_MAX_PHOTO_BYTES,
        max_side=settings.REPORT_PHOTO_MAX_SIDE,
        max_pixels=settings.REPORT_PHOTO_MAX_PIXELS,
        request_max_pixels=settings.REPORT_REQUEST_MAX_PIXELS,
    )


def max_request_bytes():
    """Three full-size photos and the text fields; anything longer is refused unread."""
    return rules().max_request_bytes()


def size_refusal(upload):
    return photos.size_refusal(upload, rules())


def clean_photos(files):
    return photos.clean_photos(files, rules())


def clean_photo(upload):
    return photos.clean_photo(upload, rules())


def pixel_limit(image):
    return photos.pixel_limit(image, settings.REPORT_PHOTO_MAX_PIXELS)
