"""Simultaneous photo uploads to one event cannot overshoot EVENT_MAX_PHOTOS: each
upload counts the event's photos again under the event's row lock
(services/records.py), so they take turns."""

import threading

import pytest
from django.db import connection

from geo.errors import Refused
from territories.events.models import EventPhoto
from territories.events.services import records

from .event_helpers import event, specialist
from .report_helpers import image_bytes, upload

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media")]

UPLOADERS = 6
CAP = 3


def test_simultaneous_uploads_stop_at_the_cap(tos, settings):
    settings.EVENT_MAX_PHOTOS = CAP
    row = event(tos)
    user = specialist()
    start = threading.Barrier(UPLOADERS)
    outcomes = []

    def send(number):
        try:
            photo = upload(image_bytes(), f"{number}.jpg")
            start.wait()
            records.add_photos(row.pk, [photo], by=user)
            outcomes.append("stored")
        except Refused as refused:
            outcomes.append(refused.field)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(UPLOADERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == sorted(["stored"] * CAP + ["photos"] * (UPLOADERS - CAP))
    assert EventPhoto.objects.filter(event=row).count() == CAP
