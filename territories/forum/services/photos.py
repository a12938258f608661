"""Photos of a project (its author's, while it waits for moderation; or a
specialist's) and of an implementation project, before and after (specialists):
through the reports' pipeline (geo/photos.py: checked by their headers, re-encoded
without EXIF), at most FORUM_MAX_PHOTOS each, all or none."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from geo import photos as pipeline
from geo.errors import Forbidden, NotFound, Refused

from ..models import ImplementationPhoto, Project, ProjectPhoto
from .access import check_specialist, may_moderate
from .implementation import locked
from .projects import visible_to


def photo_rules():
    return pipeline.PhotoRules(
        max_photos=settings.FORUM_MAX_PHOTOS,
        max_bytes=settings.REPORT_MAX_PHOTO_BYTES,
        max_side=settings.REPORT_PHOTO_MAX_SIDE,
        max_pixels=settings.REPORT_PHOTO_MAX_PIXELS,
        request_max_pixels=settings.REPORT_REQUEST_MAX_PIXELS,
    )


def _check_room(kept, adding):
    if kept + adding > settings.FORUM_MAX_PHOTOS:
        raise Refused(
            "photos",
            _("не больше %(max)d фотографий; уже есть %(kept)d")
            % {"max": settings.FORUM_MAX_PHOTOS, "kept": kept},
        )


def _project_for(project_id, account, lock=False):
    # Only among the projects the account may see: a hidden project (another's
    # waiting or rejected one) is "not found" exactly as a missing one is, so
    # the answer does not reveal which ids exist.
    rows = visible_to(account)
    rows = rows.select_for_update() if lock else rows
    project = rows.filter(pk=project_id).first()
    if project is None:
        raise NotFound("id", _("проект не найден"))
    if may_moderate(account):
        return project
    if account is None or project.author_id != account.pk:
        raise Forbidden("account", _("фото добавляет автор проекта"))
    if project.state != Project.State.SUBMITTED:
        raise Refused("state", _("фото добавляют до решения модератора"))
    return project


def add_project_photos(project_id, files, *, by):
    _project_for(project_id, by.account)
    if not files:
        raise Refused("photos", _("приложите хотя бы одну фотографию"))
    _check_room(ProjectPhoto.objects.filter(project_id=project_id).count(), len(files))
    cleaned = pipeline.clean_photos(files, photo_rules())
    with transaction.atomic():
        project = _project_for(project_id, by.account, lock=True)
        _check_room(project.photos.count(), len(cleaned))
        return [
            ProjectPhoto.objects.create(project=project, image=photo.content)
            for photo in cleaned
        ]


def add_implementation_photos(implementation_id, stage, files, *, by):
    check_specialist(by.account)
    if stage not in ImplementationPhoto.Stage.values:
        raise Refused("stage", _("когда снято: before или after"))
    if not files:
        raise Refused("photos", _("приложите хотя бы одну фотографию"))
    cleaned = pipeline.clean_photos(files, photo_rules())
    with transaction.atomic():
        row = locked(implementation_id)
        _check_room(row.photos.filter(stage=stage).count(), len(cleaned))
        return [
            ImplementationPhoto.objects.create(
                implementation=row, stage=stage, image=photo.content
            )
            for photo in cleaned
        ]
