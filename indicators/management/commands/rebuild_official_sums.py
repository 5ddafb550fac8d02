"""Recount the reports' sums (indicators.sums) from the figures, for a deploy."""

from django.core.management.base import BaseCommand

from indicators.sums import official_sums_rebuild


class Command(BaseCommand):
    help = (
        "按月度指标重新计算报表读取的指标合计（园区×产业×指标×月份），"
        "并清除旧的报表缓存版本。部署后或绕过写入入口改过数据后运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            dest="years",
            action="append",
            type=int,
            default=None,
            metavar="YEAR",
            help="只重算这一年，可重复给出；不给出时重算全部年份",
        )

    def handle(self, *args, years=None, **options):
        written = official_sums_rebuild(years=years)
        self.stdout.write(self.style.SUCCESS(f"已重算指标合计 {written} 行。"))
