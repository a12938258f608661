"""Photos people upload (a report's, an event's photo report): checked by their
headers, decoded within a memory bound, resized, re-encoded without EXIF (GPS too).
Each domain says what its uploads may be in a `PhotoRules`; the pipeline is this one.

Every photo of a request is judged by its header first (format, pixels, the pixels of
all photos together) and only then is any of them decoded, one at a time; a JPEG is
decoded straight at the scale it is stored at (libjpeg's DCT scaling), anything else
is reduced a strip at a time and turned only once it is small. docs/architecture.md,
"Cheap checks first" has the figures."""

import io
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, UnidentifiedImageError

from geo.errors import Refused

FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
ORIENTATION = ExifTags.Base.Orientation
# How to turn the pixels as the camera meant, by EXIF orientation (as
# PIL.ImageOps.exif_transpose does, but on the small image rather than the full one).
TURNS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
# Pillow's reduce() cannot average these; each strip is converted first.
NOT_REDUCIBLE = {"1": "L", "P": "RGB", "I;16": "I", "I;16B": "I", "I;16L": "I"}
# Pillow keeps a pixel of every mode a PNG opens in but 1, L and P in 4 bytes.
PNG_BYTES_PER_PIXEL = 4
# Rows copied and reduced at a time: a few MB next to the full bitmap.
STRIP_PIXELS = 1 << 20


@dataclass(frozen=True)
class PhotoRules:
    """What one request's photos may be: how many, how long a file, the side they
    are reduced to, the pixels of one photo (a PNG's; other formats proportionally
    fewer, see `pixel_limit`) and of all of them together. Refusals name `field`."""

    max_photos: int
    max_bytes: int
    max_side: int
    max_pixels: int
    request_max_pixels: int
    field: str = "photos"

    def max_request_bytes(self):
        """Every photo at full length and the text fields; anything longer is
        refused unread."""
        photos = self.max_photos * self.max_bytes
        return photos + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


@dataclass
class CleanPhoto:
    content: ContentFile
    width: int
    height: int


def size_refusal(upload, rules):
    """Why a file is too long to be a photo, or None; nothing of it is read."""
    if upload.size <= rules.max_bytes:
        return None
    limit = rules.max_bytes // (1024 * 1024)
    return _("«%(name)s»: файл больше %(mb)d МБ") % {"name": _name(upload), "mb": limit}


def clean_photos(files, rules):
    """Every upload checked and re-encoded, or Refused naming `rules.field` and the
    file. All headers are read before any photo is decoded, so a request refused for
    its third photo has decoded none."""
    if len(files) > rules.max_photos:
        raise Refused(rules.field, _("не больше %d фотографий") % rules.max_photos)
    opened = []
    total = 0
    for upload in files:
        image = opened_photo(upload, rules)
        total += image.width * image.height
        if total > rules.request_max_pixels:
            raise Refused(
                rules.field,
                _("«%(name)s»: фотографии вместе больше %(mp)d мегапикселей")
                % {
                    "name": _name(upload),
                    "mp": rules.request_max_pixels // 1_000_000,
                },
            )
        opened.append((upload, image))
    # One at a time, each let go before the next is decoded.
    opened.reverse()
    cleaned = []
    while opened:
        cleaned.append(_reencoded(*opened.pop(), rules))
    return cleaned


def clean_photo(upload, rules):
    """One upload checked and re-encoded, or Refused naming the field and the file."""
    return _reencoded(upload, opened_photo(upload, rules), rules)


def opened_photo(upload, rules):
    """The upload opened by its header alone (Pillow reads no pixel before load()):
    a photo of a known format within the per-photo pixel cap, or Refused."""
    refusal = size_refusal(upload, rules)
    if refusal:
        raise Refused(rules.field, refusal)
    try:
        image = Image.open(upload)
    except Image.DecompressionBombError:
        # Pillow's own limit, far above ours, refuses before we can look.
        raise Refused(rules.field, _too_many_pixels(upload, rules.max_pixels)) from None
    except (UnidentifiedImageError, OSError, ValueError):
        image = None
    if image is None or image.format not in FORMATS:
        raise Refused(rules.field, _not_a_photo(upload))
    limit = pixel_limit(image, rules.max_pixels)
    if image.width * image.height > limit:
        raise Refused(rules.field, _too_many_pixels(upload, limit, image.size))
    return image


def pixel_limit(image, cap):
    """The most pixels an opened photo may have: `cap` for a PNG, fewer for a file
    that costs more memory a pixel to decode, so that no photo costs more than the
    largest PNG (4 bytes a pixel)."""
    return min(cap, int(cap * PNG_BYTES_PER_PIXEL / _bytes_per_pixel(image)))


def _bytes_per_pixel(image):
    """What decoding costs a pixel at worst (tests/bench/photo_memory.py shows it)."""
    if image.format == "WEBP":
        # libwebp's canvas, the copy of it Pillow is handed and Pillow's image (4 bytes
        # each), and libwebp's own planes: the whole frame, whatever the output size.
        return 16
    if image.format == "JPEG":
        # A progressive (or any multi-scan) JPEG keeps every DCT coefficient, 2 bytes
        # a sample, until its last scan; DCT scaling does not spare them, and the
        # header does not say whether a baseline file has one scan or several.
        return 2 * _samples_per_pixel(image.layer)
    return PNG_BYTES_PER_PIXEL


def _samples_per_pixel(components):
    """Samples a JPEG pixel has: 1.5 for the usual YCbCr 4:2:0, 4 for CMYK."""
    if not components:
        return 4
    most = max(h for _, h, _, _ in components) * max(v for _, _, v, _ in components)
    return sum(h * v for _, h, v, _ in components) / most


def _reencoded(upload, image, rules):
    kind = image.format
    target = fitted(image.size, rules.max_side)
    if kind == "JPEG":
        # libjpeg decodes at 1/2, 1/4 or 1/8 scale, still at least `target`: the
        # full bitmap never exists.
        image.draft(None, target)
    try:
        image.load()
        turn = TURNS.get(image.getexif().get(ORIENTATION))
    except (OSError, ValueError, SyntaxError):  # truncated or corrupt pixel data
        raise Refused(rules.field, _not_a_photo(upload)) from None
    image = shrunk(image, target)
    if turn is not None:
        image = image.transpose(turn)
    if kind == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif image.mode == "I":  # a 16-bit grey PNG, widened to be reduced
        image = image.convert("I;16")
    buffer = io.BytesIO()
    # Saved without `exif=`: every tag, GPS included, stays behind. And without
    # what the file carried besides: Pillow writes a JPEG's COM comment (an author's
    # name, say) back from `info` when the image was not rebuilt by reduction; only
    # a palette's transparency is kept, being part of the picture.
    image.info = {k: v for k, v in image.info.items() if k == "transparency"}
    image.save(buffer, format=kind, quality=85)
    # A random name: a file's address must not be guessable before it is published.
    name = f"{secrets.token_hex(16)}.{FORMATS[kind]}"
    return CleanPhoto(ContentFile(buffer.getvalue(), name=name), *image.size)


def fitted(size, side):
    """`size` scaled down to fit a `side` × `side` box, keeping its proportions."""
    width, height = size
    scale = side / max(width, height)
    if scale >= 1:
        return size
    return max(1, round(width * scale)), max(1, round(height * scale))


def shrunk(image, target):
    """The loaded `image` at the `target` size. It is first reduced by the largest
    whole factor (a box average, which also smooths) a strip at a time, since
    Pillow's reduce() and resize() copy a whole RGBA image to premultiply it; the
    full bitmap is then let go and only the small one is resized."""
    factor = min(image.width // target[0], image.height // target[1])
    if factor >= 2:
        reduced = _reduced_in_strips(image, factor)
        image.close()
        image = reduced
    elif image.mode in NOT_REDUCIBLE:
        image = image.convert(_working_mode(image))
    if image.size == target:
        return image
    return image.resize(target, Image.Resampling.BICUBIC)


def _reduced_in_strips(image, factor):
    mode = _working_mode(image)
    width, height = image.size
    reduced = Image.new(mode, (-(-width // factor), -(-height // factor)))
    rows = max(1, STRIP_PIXELS // width // factor) * factor
    for top in range(0, height, rows):
        strip = image.crop((0, top, width, min(top + rows, height)))
        if strip.mode != mode:
            strip = strip.convert(mode)
        reduced.paste(strip.reduce(factor), (0, top // factor))
    return reduced


def _working_mode(image):
    if image.mode == "P" and "transparency" in image.info:
        return "RGBA"
    return NOT_REDUCIBLE.get(image.mode, image.mode)


def _name(upload):
    return getattr(upload, "name", None) or "photo"


def _too_many_pixels(upload, limit, size=None):
    values = {"name": _name(upload), "mp": limit // 1_000_000}
    if size is None:
        return _("«%(name)s»: больше %(mp)d мегапикселей") % values
    return _("«%(name)s»: %(width)d×%(height)d точек, больше %(mp)d мегапикселей") % {
        **values,
        "width": size[0],
        "height": size[1],
    }


def _not_a_photo(upload):
    return _("«%s»: это не фотография в формате JPEG, PNG или WebP") % _name(upload)
