"""E-mail to the followers of a report when its timeline grows, as background jobs.

Both functions only defer jobs (territories/reports/tasks.py), through Django's own
connection, so the job rows are written in the caller's transaction: a change that
is rolled back enqueues nothing, a committed one always has its mail queued
(docs/architecture.md, "Background jobs"). Call them inside that transaction, not
from `transaction.on_commit`.
"""

from .. import tasks


def notify_followers(update):
    """One job per confirmed follower rather than one mass mail: a retry after one
    address failed then resends to that address only, never to the others again,
    and a bad address fails alone, visibly, in the admin."""
    followers = update.report.followers.filter(confirmed_at__isnull=False)
    jobs = [
        {"update_id": update.pk, "follower_id": pk}
        for pk in followers.values_list("pk", flat=True)
    ]
    if jobs:
        tasks.mail_update.batch_defer(*jobs)


def ask_to_confirm(follower):
    """One mail to a new follower's address: updates start once its owner confirms."""
    tasks.mail_follow_confirmation.defer(follower_id=follower.pk)
