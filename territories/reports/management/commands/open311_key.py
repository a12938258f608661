from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from territories.reports.models import Open311Key


class Command(BaseCommand):
    help = (
        "Issue an Open311 api_key to a client and print it once: only its hash is "
        "kept, so a lost key is replaced, never shown again."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="Who the key is for (unique).")
        parser.add_argument(
            "--quota",
            type=int,
            default=None,
            help="Reports per hour this key may post (default: the model's).",
        )

    def handle(self, *args, name, quota, **options):
        name = name.strip()
        if not name:
            raise CommandError(_("Укажите, кому выдаётся ключ."))
        if quota is not None and quota < 1:
            raise CommandError(_("--quota: не меньше 1 сообщения в час."))
        if Open311Key.objects.filter(name=name).exists():
            raise CommandError(_("Ключ для «%s» уже выдан.") % name)
        fields = {} if quota is None else {"hourly_quota": quota}
        key, plain = Open311Key.issue(name, **fields)
        self.stderr.write(
            _(
                "Ключ Open311 для «%(name)s» (до %(quota)d сообщений в час). "
                "Он показан один раз: сохраните его."
            )
            % {"name": key.name, "quota": key.hourly_quota}
        )
        self.stdout.write(plain)
