"""When a round has closed, a specialist chooses its winners from the ranking, all
or nothing; each becomes an implementation project, planned (docs/domain.md,
"Forum")."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.errors import NotFound, Refused
from geo.numbers import BIGINT_MAX, whole_number

from ..models import Implementation, Project, Round
from .access import check_specialist


def _ids(raw):
    if not isinstance(raw, list) or not raw:
        raise Refused("projects", _("укажите проекты-победители (список номеров)"))
    ids = []
    for item in raw:
        number = (
            None if isinstance(item, bool) else whole_number(str(item), 1, BIGINT_MAX)
        )
        if number is None:
            raise Refused("projects", _("номера проектов — целые числа"))
        ids.append(number)
    return list(dict.fromkeys(ids))


def choose_winners(round_id, project_ids, responsible="", *, by):
    """The winners of a closed round; Refused naming `window` (still open),
    `round` (chosen already) or `projects` (not an approved project of it)."""
    check_specialist(by.account)
    ids = _ids(project_ids)
    responsible = responsible.strip() if isinstance(responsible, str) else ""
    if len(responsible) > 300:
        raise Refused("responsible", _("не длиннее 300 знаков"))
    with transaction.atomic():
        round_ = Round.objects.select_for_update().filter(pk=round_id).first()
        if round_ is None:
            raise NotFound("id", _("сессия не найдена"))
        if round_.closes_at > timezone.now():
            raise Refused(
                "window", _("голосование ещё идёт: победителей выбирают после")
            )
        if round_.winners_chosen_at is not None:
            raise Refused("round", _("победители этой сессии уже выбраны"))
        chosen = list(
            Project.objects.select_for_update().filter(
                pk__in=ids, round=round_, state=Project.State.APPROVED
            )
        )
        if len(chosen) != len(ids):
            missing = sorted(set(ids) - {p.pk for p in chosen})
            raise Refused(
                "projects",
                _("не допущенные к голосованию проекты этой сессии: %s")
                % ", ".join(map(str, missing)),
            )
        for project in chosen:
            project.state = Project.State.WINNER
            project.save(update_fields=["state", "updated_at"])
            Implementation.objects.create(
                project=project,
                geom=project.geom,
                budget=project.budget,
                responsible=responsible,
            )
        round_.winners_chosen_at = timezone.now()
        round_.save(update_fields=["winners_chosen_at"])
    return chosen
