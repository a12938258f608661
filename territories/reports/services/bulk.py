"""Status changes of many reports at once, for the specialists' workspace.

All or nothing: either every selected report moves to the new status, with its own
timeline entry, or none does and the refusals say which report failed and why. A half
applied batch would leave the specialist guessing which rows to redo.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from geo.errors import Refused

from ..models import ProblemReport
from .workflow import change_status


@dataclass(frozen=True)
class RowRefusal:
    """One selected report that cannot move: its number, its category, the field at
    fault and why."""

    report_id: int
    category: str
    field: str
    message: str

    def __str__(self):
        return f"№{self.report_id} ({self.category}): {self.message}"


def change_status_bulk(report_ids, status, *, by, comment="", duplicate_of=None):
    """(updates, refusals): the updates are committed only when refusals is empty."""
    wanted = sorted(set(report_ids))
    refusals, updates = [], []
    with transaction.atomic():
        # Locked in id order: two specialists acting on overlapping selections wait
        # for each other instead of deadlocking or overwriting each other's change.
        reports = list(
            ProblemReport.objects.select_for_update(of=("self",))
            .select_related("category")
            .filter(pk__in=wanted)
            .order_by("pk")
        )
        found = {report.pk for report in reports}
        refusals += [
            RowRefusal(pk, "—", "reports", _("сообщение не найдено"))
            for pk in wanted
            if pk not in found
        ]
        for report in reports:
            try:
                updates.append(
                    change_status(
                        report,
                        status,
                        by=by,
                        comment=comment,
                        duplicate_of=duplicate_of,
                    )
                )
            except Refused as error:
                refusals.append(
                    RowRefusal(report.pk, report.category.name, error.field, str(error))
                )
        if refusals:
            # Rolls back every change of the batch, and with them the e-mail jobs
            # deferred in this transaction: nobody is told of a change not made.
            transaction.set_rollback(True)
            updates = []
    return updates, refusals
