"""Rate limits: how many times someone may do something within a sliding window
(docs/architecture.md, "Limits"). Each counted action is a `LimitHit` row in
PostgreSQL, so every gunicorn process and the worker see the same counts, and an
advisory lock on the limit and key makes concurrent requests of the same sender
count in turn, so a burst cannot overshoot the quota. No cache server is needed.

A key is whatever the limit is about (an address, an e-mail address, an account);
only a salted hash of it is stored."""

import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .errors import RateLimited
from .models import LimitHit
from .requester import client_fingerprint

# Hits are kept this long: no window may be longer.
KEPT = timedelta(days=1)
# Expired hits deleted with each new one: more than one, so the table shrinks back
# after a burst of keys that never return (docs/architecture.md, "Limits").
PURGE_BATCH = 100


@dataclass(frozen=True)
class Limit:
    """At most `getattr(settings, setting)` actions per `key` within `window`; a
    refusal names `field` and says `message` (a lazy translation)."""

    scope: str
    setting: str
    window: timedelta
    field: str
    message: str

    def __post_init__(self):
        assert self.window <= KEPT, "hits are not kept that long"

    @property
    def quota(self):
        return getattr(settings, self.setting)


def hashed(limit, key):
    return client_fingerprint(str(key), limit.scope)


def lock(*pairs):
    """Hold the advisory locks of (limit, key) pairs until the transaction ends, in
    one fixed order so that two requests locking the same pairs cannot deadlock."""
    names = sorted(f"limit:{limit.scope}:{hashed(limit, key)}" for limit, key in pairs)
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [name])


def hits(limit, key, since):
    return LimitHit.objects.filter(
        scope=limit.scope, key=hashed(limit, key), at__gt=since
    )


def check(limit, key):
    """Refuse with RateLimited once `key` has used its quota in the window. Call
    it inside a transaction: it locks the key until the transaction ends, so the
    caller's own `record` is counted before anyone else's check."""
    assert connection.in_atomic_block, "check() needs the caller's transaction"
    lock((limit, key))
    now = timezone.now()
    times = list(
        hits(limit, key, now - limit.window).order_by("at").values_list("at", flat=True)
    )
    if len(times) >= limit.quota:
        free = free_at(times, limit.quota, limit.window, now)
        raise RateLimited(limit.field, limit.message, seconds_until(free, now))


def record(limit, key):
    """Count one action of `key` now (inside the transaction of `check`); the hit's
    id, for an action that is taken back later (`unrecord`)."""
    now = timezone.now()
    hit = LimitHit.objects.create(scope=limit.scope, key=hashed(limit, key), at=now)
    purge(now - KEPT)
    return hit.pk


def unrecord(hit):
    """Take back one counted action (by the id `record` gave)."""
    LimitHit.objects.filter(pk=hit).delete()


def forget(limit, key):
    """Drop the hits of `key` (a sign-in that succeeded clears its failures)."""
    LimitHit.objects.filter(scope=limit.scope, key=hashed(limit, key)).delete()


def spend(limit, key):
    """Check and count one action in a transaction of its own: it stays counted
    whether or not the action that follows succeeds; the hit's id."""
    with transaction.atomic():
        check(limit, key)
        return record(limit, key)


def purge(before):
    """Delete some hits older than `before`, whoever they belong to; rows another
    transaction is deleting are skipped, so two purges never wait on each other."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {LimitHit._meta.db_table} WHERE id IN ("
            f" SELECT id FROM {LimitHit._meta.db_table} WHERE at < %s"
            "  ORDER BY at LIMIT %s FOR UPDATE SKIP LOCKED)",
            [before, PURGE_BATCH],
        )


def free_at(times, quota, window, now):
    """When one more action is allowed, given the `times` (oldest first) of those
    counted in the window: once the oldest that fill the quota have left it (a
    quota of 0 allows nothing: a whole window from now)."""
    over = len(times) - quota
    return times[over] + window if quota > 0 and over >= 0 else now + window


def seconds_until(moment, now):
    """Whole seconds from `now` to `moment`, at least 1 (for Retry-After)."""
    return max(1, math.ceil((moment - now).total_seconds()))


def client_of(by):
    """Who a limit per client counts for a `geo.requester.Requester`: the account
    when signed in (residents behind one NAT share an address), else the address."""
    if by.account is not None:
        return f"account:{by.account.pk}"
    return f"address:{by.ip}"
