"""Import the zone's workbook from the command line, the same way as the admin does."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workbook.importer import workbook_import


class Command(BaseCommand):
    help = (
        "导入园区工作簿（.xlsx，格式见 docs/workbook.md）：按依赖顺序导入全部可识别的工作表，"
        "全部成功才写入；有任何问题则一行也不写入，并列出每个问题所在的工作表、行和列。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="要导入的 .xlsx 文件")
        parser.add_argument(
            "--dry-run", action="store_true", help="只检查并报告将会新增、更新的行，不写入数据库"
        )

    def handle(self, *args, file, dry_run, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取文件 {path}：{error.strerror}") from error

        report = workbook_import(data=data, filename=path.name, dry_run=dry_run)
        for sheet in report.sheets:
            self.stdout.write(
                f"{sheet.sheet}：新增 {sheet.created}，更新 {sheet.updated}，"
                f"未变 {sheet.unchanged}，错误 {len(sheet.problems)}"
            )
        if report.ignored_sheets:
            self.stdout.write(f"已忽略不认识的工作表：{'、'.join(report.ignored_sheets)}")
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"警告：{warning}"))
        for notice in report.notices:
            self.stdout.write(f"提示：{notice}")
        if not report.accepted:
            for problem in report.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"文件 {path.name} 有 {len(report.problems)} 个问题，未写入任何数据。"
            )
        done = "检查通过（试运行，未写入）" if dry_run else "导入完成"
        self.stdout.write(self.style.SUCCESS(f"{done}：{path.name}"))
