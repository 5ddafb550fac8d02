"""Fill the database with a believable demo zone and print the demo log-ins."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.builder import DEMO_ACCOUNTS, LOGIN_URL, demo_accounts_ready, demo_zone_build
from indicators.figures import FiguresRefused
from parkportal.models import Park


class Command(BaseCommand):
    help = (
        "生成示范数据：一个开发区（KFQ）及其三个园区、5+5产业企业、2024年1月至2026年10月的"
        "月度指标、年度目标与预计、项目及进度、专项债券、招商线索与活动，以及各角色的演示账号。"
        "数据固定不变，可重复运行：第二次运行不会改变任何数据。"
        "注意：演示账号（admin、leader、staff_cgc、staff_bh）的角色和密码会被重置为演示值。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="生成并校验全部数据，但不写入数据库"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="仅在数据库中还没有任何园区时载入（make run 使用）；否则只列出演示账号",
        )

    def handle(self, *args, dry_run, if_empty, **options):
        if if_empty and Park.objects.exists():
            self._existing_accounts(options["verbosity"])
            return
        try:
            with transaction.atomic():
                summary = demo_zone_build()
                transaction.set_rollback(dry_run)
        except ValidationError as error:
            raise CommandError("示范数据未写入：" + " ".join(error.messages)) from error
        except FiguresRefused as refused:
            raise CommandError("示范数据未写入：" + refused.message) from refused

        if options["verbosity"] == 0:
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
        self.stdout.write(f"演示账号（登录地址 {LOGIN_URL}）：")
        for username, role, park_names, password in summary.accounts:
            parks = f"，填报园区 {'、'.join(park_names)}" if park_names else ""
            self.stdout.write(f"  {role.label}：用户名 {username}  密码 {password}{parks}")
        self.stdout.write("以上为公开的演示密码，请勿在正式环境中使用。")

    def _existing_accounts(self, verbosity):
        if verbosity == 0:
            return
        self.stdout.write("数据库中已有数据，未载入示范数据。")
        ready = demo_accounts_ready()
        if not ready:
            return
        self.stdout.write(f"演示账号（登录地址 {LOGIN_URL}）：")
        for username, role, _, password in DEMO_ACCOUNTS:
            if username in ready:
                self.stdout.write(f"  {role.label}：用户名 {username}  密码 {password}")
