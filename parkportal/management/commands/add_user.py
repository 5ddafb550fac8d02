"""Create or update a portal user with a role and, for park and investment staff, their parks."""

import getpass
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from parkportal.choices import Role
from parkportal.services import user_save


class Command(BaseCommand):
    help = (
        "创建或更新门户用户并设置角色：staff（园区填报员，须用 --park 绑定具体园区，"
        "不能是开发区）、investment（招商专员，用 --park 绑定开发区或园区）、"
        "leader（领导）、admin（管理员）。再次运行会把角色和园区改成给出的值。"
    )
    # Tests pass a fake terminal as call_command(..., stdin=...), as for createsuperuser.
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("username", help="用户名")
        parser.add_argument(
            "--role",
            required=True,
            choices=[role.value for role in Role],
            help="角色：staff 园区填报员、investment 招商专员、leader 领导、admin 管理员",
        )
        parser.add_argument(
            "--park",
            dest="park_codes",
            action="append",
            default=[],
            metavar="CODE",
            help=(
                "园区编码，可重复给出：园区填报员绑定具体园区（不能是开发区），"
                "招商专员绑定开发区或园区"
            ),
        )
        parser.add_argument(
            "--password",
            help="密码。不给出时：新用户须交互输入两次；已有用户保留原密码",
        )
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入数据库")

    def handle(self, *args, username, role, park_codes, password, dry_run, **options):
        role = Role(role)
        user_model = get_user_model()
        existing = user_model.objects.filter(username=username).first()
        if password is None and existing is None:
            password = self._prompt_password(options.get("stdin", sys.stdin))
        if password is not None:
            try:
                validate_password(password, user=existing or user_model(username=username))
            except ValidationError as error:
                raise CommandError("密码不符合要求：" + " ".join(error.messages)) from error

        try:
            with transaction.atomic():
                user_save(username=username, role=role, park_codes=park_codes, password=password)
                transaction.set_rollback(dry_run)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

        action = "更新" if existing else "创建"
        done = f"检查通过，未写入：将{action}" if dry_run else f"已{action}"
        parks = f"，园区：{'、'.join(dict.fromkeys(park_codes))}" if park_codes else ""
        note = "" if password is not None else "；密码未改动（修改密码请用 changepassword）"
        self.stdout.write(self.style.SUCCESS(f"{done}用户 {username}（{role.label}{parks}）{note}"))

    def _prompt_password(self, stdin) -> str:
        """Ask for the new user's password twice; refuse when no one can answer."""
        if not (hasattr(stdin, "isatty") and stdin.isatty()):
            raise CommandError("新用户需要密码：请用 --password 给出，或在终端中交互运行本命令。")
        first = getpass.getpass("密码：")
        if not first:
            raise CommandError("密码不能为空。")
        if getpass.getpass("再次输入密码：") != first:
            raise CommandError("两次输入的密码不一致。")
        return first
