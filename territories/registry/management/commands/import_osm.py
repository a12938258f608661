"""`manage.py import_osm FILE [--bbox ...]`: buildings, grounds, trees and walkways
from OSM."""

import sys
from functools import partial

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from geo.bbox import BBoxError, parse_bbox
from geo.osm import OsmReadError
from territories.registry.osm.importer import import_osm


class Command(BaseCommand):
    # argparse needs a plain string here, not a lazy translation.
    help = (
        "Загружает здания, детские и спортивные площадки, деревья и пешеходные "
        "пути из выгрузки OpenStreetMap (.osm.pbf, .osm, .osm.bz2, .osm.gz); "
        "повторный запуск обновляет загруженное по идентификатору OSM. / Loads "
        "buildings, playgrounds, sport grounds, trees and walkways from an "
        "OpenStreetMap extract."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("файл OpenStreetMap"))
        parser.add_argument(
            "--bbox",
            help=_("только объекты в прямоугольнике minlon,minlat,maxlon,maxlat"),
        )
        parser.add_argument(
            "--no-progress",
            action="store_true",
            help=_("не показывать индикатор хода работы"),
        )

    def handle(self, *args, file, bbox, no_progress, **options):
        box = bbox_option(bbox)
        show = not no_progress and sys.stderr.isatty()
        progress = partial(progress_bar, file=sys.stderr) if show else None
        try:
            reports = import_osm(file, bbox=box, progress=progress)
        except OsmReadError as error:
            raise CommandError(str(error)) from error
        for report in reports:
            self.stdout.write(report.line())


def bbox_option(text):
    if text is None:
        return None
    try:
        return parse_bbox(text)
    except BBoxError as error:
        raise CommandError(
            _("Неверный --bbox «%(text)s»: %(why)s / Invalid --bbox")
            % {"text": text, "why": error}
        ) from error


def progress_bar(iterable, desc, file):
    return tqdm(
        iterable, desc=desc, file=file, unit=" объектов", mininterval=0.5, leave=False
    )
