"""Photos are judged by their headers and decoded within a memory bound
(docs/architecture.md, "Cheap checks first"): the issue's 7071×7071 RGBA PNG is refused
unread, a JPEG is decoded at a reduced scale, anything else is reduced a strip at a
time and turned only once small, and a request's photos together have a pixel cap.
What is asserted is what the code asks Pillow to do (spies), never a time or a size
of memory; the figures are in tests/bench/photo_memory.py."""

import io
import struct
import zlib

import pytest
from PIL import Image, ImageFile

from geo import photos as pipeline
from geo.errors import Refused
from territories.reports.models import ProblemReport, ReportPhoto
from territories.reports.services import photos

from .report_helpers import form, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
API = "/api/reports/"
ORIENTATION = 0x0112


def _chunk(kind, data):
    crc = struct.pack(">I", zlib.crc32(kind + data))
    return struct.pack(">I", len(data)) + kind + data + crc


def turned_png(width, height, orientation=6):
    """A one-colour RGBA PNG with EXIF orientation, written row by row: the issue's
    7071×7071 one is 200 KB and never exists as a bitmap here."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    pack = zlib.compressobj(6)
    row = b"\x00" + bytes((90, 140, 60, 255)) * width
    pixels = b"".join(pack.compress(row) for _ in range(height)) + pack.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"eXIf", exif.tobytes()),
            _chunk(b"IDAT", pixels),
            _chunk(b"IEND", b""),
        ]
    )


def encoded(mode, size, kind, **options):
    buffer = io.BytesIO()
    Image.new(mode, size, "white").save(buffer, kind, **options)
    return buffer.getvalue()


@pytest.fixture
def decoded(monkeypatch):
    """The size of every image whose pixels Pillow decodes from a file."""
    sizes = []
    load = ImageFile.ImageFile.load

    def spy(image):
        if image.tile:  # pixels still to be read from the file
            sizes.append(image.size)
        return load(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    return sizes


def spy_on(monkeypatch, name):
    """The sizes of the images Image.<name> is called on, with its first argument."""
    calls = []
    method = getattr(Image.Image, name)

    def spy(image, *args, **kwargs):
        calls.append((image.size, args[0] if args else None))
        return method(image, *args, **kwargs)

    monkeypatch.setattr(Image.Image, name, spy)
    return calls


def test_the_issues_png_is_refused_before_a_pixel_is_decoded(client, district, decoded):
    photo = upload(turned_png(7071, 7071), name="bomb.png", content_type="image/png")
    response = client.post(API, {**form(), "photos": photo})
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "photos"
    assert "bomb.png" in body["error"] and "7071×7071" in body["error"]
    assert decoded == []
    assert not ProblemReport.objects.exists() and not ReportPhoto.objects.exists()


def test_a_jpeg_is_decoded_at_a_reduced_scale(district, settings, decoded):
    settings.REPORT_PHOTO_MAX_SIDE = 100
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    photo = upload(encoded("RGB", (900, 600), "JPEG", exif=exif))
    clean = photos.clean_photo(photo)
    # libjpeg's 1/8 scale, the smallest still at least 100 × 67: never 900 × 600.
    assert decoded == [(113, 75)]
    assert (clean.width, clean.height) == (67, 100)  # turned upright


def test_a_png_is_premultiplied_and_turned_only_in_small_pieces(
    district, settings, monkeypatch, decoded
):
    settings.REPORT_PHOTO_MAX_SIDE = 100
    monkeypatch.setattr(pipeline, "STRIP_PIXELS", 20_000)
    converted = spy_on(monkeypatch, "convert")
    turned = spy_on(monkeypatch, "transpose")
    clean = photos.clean_photo(upload(turned_png(1000, 500), name="wide.png"))
    assert decoded == [(1000, 500)]  # a PNG cannot be decoded at a smaller scale
    premultiplied = [size for size, mode in converted if mode == "RGBa"]
    assert premultiplied and max(w * h for w, h in premultiplied) <= 20_000
    assert [size for size, _ in turned] == [(100, 50)]
    assert (clean.width, clean.height) == (50, 100)


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L", "I"])
def test_strips_reduce_to_the_pixels_of_the_whole(monkeypatch, mode):
    monkeypatch.setattr(pipeline, "STRIP_PIXELS", 1_000)
    image = Image.effect_mandelbrot((307, 203), (-2, -1.2, 1, 1.2), 60).convert(mode)
    if mode == "RGBA":
        image.putalpha(Image.linear_gradient("L").resize(image.size))
    in_strips = pipeline._reduced_in_strips(image, 4)
    assert in_strips.tobytes() == image.reduce(4).tobytes()


def test_the_photos_of_a_request_together_have_a_pixel_cap(
    client, district, settings, decoded
):
    settings.REPORT_REQUEST_MAX_PIXELS = 5_000
    files = [
        upload(encoded("RGB", (60, 50), "PNG"), name=f"{name}.png")
        for name in ("first", "second", "third")
    ]
    response = client.post(API, {**form(), "photos": files})
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "photos" and "second.png" in body["error"]
    assert decoded == []  # the first photo fitted, but none was decoded
    assert not ProblemReport.objects.exists()


def test_formats_that_cost_more_to_decode_get_fewer_pixels(settings):
    settings.REPORT_PHOTO_MAX_PIXELS = 40_000_000

    def limit(*args, **options):
        return photos.pixel_limit(Image.open(io.BytesIO(encoded(*args, **options))))

    assert limit("RGBA", (8, 8), "PNG") == 40_000_000
    assert limit("RGB", (8, 8), "JPEG", subsampling="4:2:0") == 40_000_000
    assert limit("RGB", (8, 8), "JPEG", subsampling="4:4:4") == 26_666_666
    assert limit("CMYK", (8, 8), "JPEG", progressive=True) == 20_000_000
    assert limit("RGBA", (8, 8), "WEBP") == 10_000_000


def test_a_webp_over_its_own_cap_is_refused_naming_its_cap(settings, decoded):
    settings.REPORT_PHOTO_MAX_PIXELS = 40_000
    with pytest.raises(Refused) as refused:
        photos.clean_photo(upload(encoded("RGB", (120, 100), "WEBP"), name="a.webp"))
    assert refused.value.field == "photos" and "a.webp" in str(refused.value)
    assert "120×100" in str(refused.value) and decoded == []


def test_a_truncated_photo_is_refused_as_not_a_photo():
    whole = encoded("RGB", (300, 200), "PNG", compress_level=0)
    with pytest.raises(Refused) as refused:
        photos.clean_photo(upload(whole[: len(whole) // 2], name="half.png"))
    assert refused.value.field == "photos" and "half.png" in str(refused.value)


@pytest.mark.parametrize("size", [(300, 200), (150, 100), (3000, 2000)])
def test_a_jpeg_comment_is_not_kept(settings, size):
    """A JPEG's COM marker (a camera or an editor may write the author's name
    there) is dropped whatever the reduction: reports' and events' photos alike."""
    from territories.events.services import records

    settings.REPORT_PHOTO_MAX_SIDE = settings.EVENT_PHOTO_MAX_SIDE = 200
    name = b"Evlampiya Pryakhina-Zaretskaya"
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 160, 90)).save(buffer, "JPEG", comment=name)
    assert name in buffer.getvalue()  # the premise: the upload carries it
    for clean in (
        photos.clean_photo(upload(buffer.getvalue())),
        pipeline.clean_photo(upload(buffer.getvalue()), records.photo_rules()),
    ):
        stored = clean.content.read()
        assert stored[:2] == b"\xff\xd8"
        assert name not in stored
        assert b"\xff\xfe" not in stored  # no COM marker at all
