"""Fill the database with a believable demo zone and print the demo log-ins."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.builder import DEMO_ACCOUNTS, demo_accounts_ready, demo_zone_build
from indicators.figures import FiguresRefused
from parkportal.choices import Role
from parkportal.models import Park

# Where `manage.py runserver` answers by default; `make run` passes the address it serves.
DEFAULT_URL = "http://127.0.0.1:8000/"
# How many foreign user names a refusal lists before it only counts the rest.
NAMES_SHOWN = 5


class Command(BaseCommand):
    help = (
        "生成示范数据：一个开发区（KFQ）及其三个园区、5+5产业企业、2024年1月至2026年10月的"
        "月度指标、年度目标与预计、项目及进度、专项债券、招商线索与活动，以及各角色的演示账号。"
        "数据固定不变，可重复运行：第二次运行不会改变任何数据。"
        "注意：演示账号（admin、leader、staff_cgc、staff_bh）的角色和密码会被重置为公开的演示值，"
        "因此本命令只用于本机开发：DJANGO_DEBUG 未开启，或数据库中有演示账号以外的用户时，"
        "它拒绝运行（除非加 --force）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="生成并校验全部数据，但不写入数据库"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=(
                "仅在数据库中还没有任何园区、也没有演示账号以外的用户时载入（make run 使用）；"
                "否则什么也不写，只列出演示账号"
            ),
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=(
                "在 DJANGO_DEBUG 未开启或数据库中已有其他用户时仍然载入示范数据，"
                "并重置同名账号的密码为公开的演示密码（切勿用于正式环境）"
            ),
        )
        parser.add_argument(
            "--url",
            action="append",
            dest="urls",
            metavar="URL",
            help=(
                f"列出演示账号时给出的登录地址，可重复（默认 {DEFAULT_URL}；"
                "make run 按 HOST 和 PORT 传入）"
            ),
        )

    def handle(self, *args, dry_run, if_empty, force, urls, **options):
        urls = urls or [DEFAULT_URL]
        verbosity = options["verbosity"]
        ready = demo_accounts_ready()
        foreign = _foreign_users(ready)
        if if_empty and (foreign or Park.objects.exists()):
            self._existing_accounts(verbosity, urls, ready)
            return
        self._check_database(foreign, force)
        try:
            with transaction.atomic():
                summary = demo_zone_build()
                transaction.set_rollback(dry_run)
        except ValidationError as error:
            raise CommandError("示范数据未写入：" + " ".join(error.messages)) from error
        except FiguresRefused as refused:
            raise CommandError("示范数据未写入：" + refused.message) from refused

        if verbosity == 0:
            return
        done = "检查通过，未写入" if dry_run else "示范数据已写入"
        self.stdout.write(
            self.style.SUCCESS(
                f"{done}：{summary.zone}，园区{summary.parks}个，"
                f"企业{summary.enterprises}家（入统{summary.in_statistics}家，"
                f"其中四上{summary.above_scale}家），月度指标{summary.figures}条"
                f"（2024年1月—2026年10月），年度目标与预计{summary.targets}条，"
                f"项目{summary.projects}个（进度{summary.progress}条，专项债券{summary.bonds}条），"
                f"招商线索{summary.leads}条，招商活动{summary.events}场。"
            )
        )
        if dry_run:
            return
        self.stdout.write(f"演示账号（登录地址 {'、'.join(urls)}）：")
        for username, role, park_names, password in summary.accounts:
            bound = "负责范围" if role == Role.INVESTMENT else "填报园区"
            parks = f"，{bound} {'、'.join(park_names)}" if park_names else ""
            self.stdout.write(f"  {role.label}：用户名 {username}  密码 {password}{parks}")
        self.stdout.write("以上为公开的演示密码，请勿在正式环境中使用。")

    def _check_database(self, foreign: list[str], force: bool) -> None:
        """Refuse a database that looks like a deployment's unless forced; say what it will do."""
        reasons = []
        if not settings.DEBUG:
            reasons.append("DJANGO_DEBUG 未开启，这是正式环境的设置")
        if foreign:
            shown = "、".join(foreign[:NAMES_SHOWN])
            more = f"等{len(foreign)}个" if len(foreign) > NAMES_SHOWN else ""
            reasons.append(f"数据库中有演示账号以外的用户（{shown}{more}）")
        if not reasons:
            return
        overwritten = sorted(set(foreign) & {username for username, *_ in DEMO_ACCOUNTS})
        effects = (
            "示范数据会写入示范开发区（KFQ）及其园区、企业、指标、项目和招商数据，"
            "改写编码相同的已有记录"
        )
        if overwritten:
            effects += f"，并把已有账号 {'、'.join(overwritten)} 的角色和密码重置为公开的演示密码"
        if not force:
            raise CommandError(
                f"拒绝载入示范数据：{'；'.join(reasons)}。这看起来是正式环境的数据库。"
                f"{effects}。示范数据只用于本机开发（make run 会在空数据库中自动载入）；"
                "确需在此数据库中载入，请加 --force。"
            )
        self.stderr.write(
            self.style.WARNING(f"已指定 --force，忽略：{'；'.join(reasons)}。{effects}。")
        )

    def _existing_accounts(self, verbosity, urls, ready):
        if verbosity == 0:
            return
        self.stdout.write("数据库中已有数据，未载入示范数据。")
        if not ready:
            return
        self.stdout.write(f"演示账号（登录地址 {'、'.join(urls)}）：")
        for username, role, _, password in DEMO_ACCOUNTS:
            if username in ready:
                self.stdout.write(f"  {role.label}：用户名 {username}  密码 {password}")


def _foreign_users(demo_accounts: set[str]) -> list[str]:
    """Return the names of the users that are not `demo_accounts` (those with their demo password).

    An `admin` whose password is not the demo's is somebody's real account: the demo would
    reset it to the published password.
    """
    users = get_user_model().objects.exclude(username__in=demo_accounts).order_by("username")
    return list(users.values_list("username", flat=True))
