"""`make bench`, photos section: one worker's peak memory while it processes the worst
photo a resident may send (docs/architecture.md, "Cheap checks first").

Each photo goes through `services.photos.clean_photo` — the code every submission's
photos go through — in a fresh Python process that has set up Django and read the
file, and nothing else. The same process doing everything but `clean_photo` is the
baseline, so the figure printed is what the photo costs on top of an idle worker:
peak resident memory (VmHWM; the kernel's high-water mark of this process alone,
which ru_maxrss is not after fork + exec) and the time.

The photos are made for the run at the limits of the current settings:
- the issue's photo: 7071×7071 RGBA PNG, EXIF orientation 6 (~200 KB, just under
  the old 50 MP cap);
- the worst PNG still allowed: the per-photo pixel cap, square, RGBA, orientation 6;
- the worst JPEGs still allowed: the cap, orientation 6, baseline 4:2:0 and
  progressive CMYK (libjpeg keeps a progressive file's coefficients for the whole
  image before it can output a row);
- the same for WebP.
A refused photo prints its refusal; its cost is the cost of refusing it.

    .venv/bin/python tests/bench/photo_memory.py
"""

import io
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ORIENTATION = 0x0112


def setup_django():
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geo.settings.dev")
    import django

    django.setup()


# --- the child: one photo, one process ------------------------------------------------


def high_water_kb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def child(path, idle):
    setup_django()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from geo.errors import Refused
    from territories.reports.services.photos import clean_photo

    upload = SimpleUploadedFile(Path(path).name, Path(path).read_bytes())
    started = time.perf_counter()
    outcome = "idle"
    if not idle:
        try:
            clean = clean_photo(upload)
            outcome = f"stored {clean.width}×{clean.height}"
        except Refused as refused:
            outcome = f"refused: {refused}"
    seconds = time.perf_counter() - started
    print(json.dumps({"kb": high_water_kb(), "s": seconds, "outcome": outcome}))


# --- the parent: make the photos, run the children -----------------------------------


def pixel_cap():
    from django.conf import settings

    return settings.REPORT_PHOTO_MAX_PIXELS


KINDS = {
    "PNG RGBA": ("RGBA", "PNG", {}),
    "JPEG 4:2:0": ("RGB", "JPEG", {"quality": 85}),
    "JPEG CMYK progr.": ("CMYK", "JPEG", {"progressive": True, "quality": 85}),
    "WebP RGBA": ("RGBA", "WEBP", {"quality": 80}),
}


def encoded(size, mode, kind, options):
    from PIL import Image

    exif = Image.Exif()
    exif[ORIENTATION] = 6
    buffer = io.BytesIO()
    Image.new(mode, (size, size), _colour(mode)).save(
        buffer, kind, exif=exif, **options
    )
    return buffer.getvalue()


def largest_allowed_side(mode, kind, options):
    """The side of the largest square photo of this kind the settings allow."""
    from PIL import Image

    from territories.reports.services.photos import pixel_limit

    sample = Image.open(io.BytesIO(encoded(16, mode, kind, options)))
    return math.isqrt(pixel_limit(sample))


def make_photos(folder):
    """(label, path) of every photo of the run: the issue's, then the largest of each
    kind still allowed, all with EXIF orientation 6."""
    specs = [("issue's PNG RGBA", 7071, KINDS["PNG RGBA"])]
    for label, kind in KINDS.items():
        specs.append((label, largest_allowed_side(*kind), kind))
    photos = []
    for number, (label, side, (mode, kind, options)) in enumerate(specs):
        path = Path(folder) / f"{number}.{kind.lower()}"
        path.write_bytes(encoded(side, mode, kind, options))
        photos.append((f"{label} {side}²", path, side * side * 4 / 2**20))
    return photos


def _colour(mode):
    return {"RGBA": (90, 140, 60, 255), "RGB": (90, 140, 60), "CMYK": (60, 0, 80, 40)}[
        mode
    ]


def run_child(path, idle=False):
    args = [sys.executable, __file__, "--child", str(path)]
    if idle:
        args.append("--idle")
    result = subprocess.run(args, capture_output=True, text=True, cwd=REPO)
    if result.returncode:
        sys.exit(f"bench failed: the child on {path}:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    setup_django()
    from django.conf import settings

    print(
        f"Photo memory: clean_photo in a fresh process per photo; pixel cap "
        f"{pixel_cap() / 1e6:.0f} MP, output ≤ {settings.REPORT_PHOTO_MAX_SIDE} px; "
        f"Python {sys.version.split()[0]}, load {os.getloadavg()[0]:.2f}"
    )
    with tempfile.TemporaryDirectory() as folder:
        photos = make_photos(folder)
        print(
            f"{'photo':26} {'file':>7} {'peak MB':>8} {'+MB':>5} {'RGBA MB':>8} "
            f"{'ratio':>6} {'s':>5}  outcome"
        )
        for label, path, bitmap in photos:
            idle = run_child(path, idle=True)
            busy = run_child(path)
            extra = (busy["kb"] - idle["kb"]) / 1024
            print(
                f"{label:26} {path.stat().st_size / 1024:>5.0f}KB "
                f"{busy['kb'] / 1024:>8.0f} {extra:>5.0f} {bitmap:>8.0f} "
                f"{extra / bitmap:>6.2f} {busy['s']:>5.2f}  {busy['outcome'][:60]}"
            )
        print(
            "(+MB: peak over the baseline; RGBA MB: the photo's full bitmap at 4 bytes "
            "a pixel; ratio: +MB / RGBA MB)"
        )
        baseline = idle["kb"] / 1024
        print(f"(baseline: the same process without clean_photo, {baseline:.0f} MB)")


if __name__ == "__main__":
    if "--child" in sys.argv:
        child(sys.argv[sys.argv.index("--child") + 1], "--idle" in sys.argv)
    else:
        main()
