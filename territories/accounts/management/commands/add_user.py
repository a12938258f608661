from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from geo.errors import Refused
from territories.accounts.roles import Role
from territories.accounts.services import enroll


class Command(BaseCommand):
    help = (
        "Создать учётную запись или дополнить её ролью (create an account or add a "
        'role to it; docs/domain.md, "Roles"). Повторный запуск ничего не меняет '
        "(running it again changes nothing)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="Имя пользователя (user name).")
        parser.add_argument(
            "--role",
            required=True,
            choices=Role.values,
            help="Роль, добавляемая к имеющимся (the role to add).",
        )
        parser.add_argument(
            "--territory",
            action="append",
            default=[],
            metavar="NAME",
            help=(
                "ТОС по названию, для председателя или инициативной группы; можно "
                "несколько раз (a TOS by name, for a chair or an initiative group "
                "member; repeatable)."
            ),
        )
        parser.add_argument(
            "--council",
            action="append",
            default=[],
            metavar="NAME",
            help=(
                "Совет по названию, для представителя совета; можно несколько раз "
                "(a council by name, for a council representative; repeatable)."
            ),
        )
        parser.add_argument(
            "--password",
            default=None,
            help=(
                "Пароль; для новой учётной записи обязателен (the password; "
                "required for a new account)."
            ),
        )
        parser.add_argument("--email", default=None, help="E-mail (e-mail address).")

    def handle(
        self, *args, username, role, territory, council, password, email, **options
    ):
        try:
            user, changes = enroll(
                username.strip(),
                role,
                password=password,
                email=email,
                territories=territory,
                councils=council,
            )
        except Refused as refusal:
            raise CommandError(f"{refusal.field}: {refusal}") from None
        for change in changes:
            self.stdout.write(f"{user.get_username()}: {change}")
        if not changes:
            self.stdout.write(
                _("%(username)s: без изменений") % {"username": user.get_username()}
            )
        if not user.is_active:
            self.stderr.write(
                _("Учётная запись %(username)s отключена: войти в неё нельзя.")
                % {"username": user.get_username()}
            )
