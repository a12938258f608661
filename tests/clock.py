"""Time under a test's control: Django's `timezone.now()` (read by the rate limits,
the sign-in lockout and `auto_now` fields) returns `Clock.now`, which only moves when
the test says so. No test sleeps."""

from datetime import timedelta

from django.utils import timezone


class Clock:
    def __init__(self, monkeypatch):
        self.now = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, **delta):
        self.now += timedelta(**delta)
