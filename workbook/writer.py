"""Write the zone's workbook: exports of the data and blank templates, in the import format.

XlsxWriter in constant-memory mode writes 60,000 rows in a few seconds. Text that
Excel would take for a formula (= + - @, a tab or a carriage return first) is
written as a text cell with Excel's quote prefix, the apostrophe Excel itself
puts before such text: shown and kept as text, never run, and read back as
written. Numbers stay numbers.
"""

import io
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import xlsxwriter

from indicators.resources import MonthlyValueResource
from parkportal import cells
from parkportal.resources import CellWidget, SheetResource

from .importer import INSTRUCTIONS_SHEET, SHEETS

INSTRUCTIONS = [
    "园区经济运行监测平台 · 数据导入模板",
    "",
    "1. 每个工作表对应一类数据，工作表名称不要修改；不需要的工作表可以删除。",
    "2. 第1行是表头，请勿修改；列的顺序可以调整。表头带 * 的列（橙色底）必须填写，",
    "   * 可以保留，导入时不影响。表头上方可以有标题行和“单位：万元”行。",
    "3. 金额单位为万元；数字可以带千分位逗号，也可以用全角数字。",
    "   空白单元格表示“未填报”，不会当作 0。",
    "4. 日期可填 2022-03-01、2022/3/1 或 2022年3月1日。",
    "5. 下拉列表中的选项请照原文填写。",
    "6. 月度指标填写本年1月至当月的累计数（从业人员填当月数）；",
    "   1月数据可以缺少（首个数据为1-2月）。",
    "7. 导入顺序：" + "、".join(resource.sheet for resource in SHEETS) + "。",
    "8. 导入是“全部或全不”：任何一处有问题，整个文件都不会写入，",
    "   并会列出每个问题所在的工作表、行和列。",
    "9. 只填“—”“/”“无”或“空”的单元格按空白处理；合计、小计、总计行不导入，只核对是否等于各行之和。",
    "10. 导出的文件中，编码旁的“…名称”列（如“所属园区名称”）仅供阅读，导入时以编码为准。",
]
REQUIRED_MARK = "*"
REQUIRED_NOTE = "必填"


def sheet_rows(resource_class: type[SheetResource]) -> Iterable[list]:
    """Yield a sheet's data rows as exported (text escaped, numbers as numbers)."""
    resource = resource_class()
    if isinstance(resource, MonthlyValueResource):
        yield from resource.export_rows()
        return
    fields = resource.get_export_fields()
    for instance in resource.get_queryset().iterator(chunk_size=2000):
        yield [resource.export_field(field, instance) for field in fields]


def workbook_bytes(resources: list[type[SheetResource]], *, with_data: bool) -> bytes:
    """Return an .xlsx with a sheet per resource: the data (an export) or none (a template)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    header = book.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1})
    required = book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
    formats = {
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "text": book.add_format({"quote_prefix": True}),
    }
    if not with_data:
        _instructions(book)
    for resource_class in resources:
        _write_sheet(book, resource_class, header, required, formats, with_data)
    book.close()
    return buffer.getvalue()


def _instructions(book) -> None:
    sheet = book.add_worksheet(INSTRUCTIONS_SHEET)
    sheet.set_column(0, 0, 110)
    title = book.add_format({"bold": True, "font_size": 14})
    for row, line in enumerate(INSTRUCTIONS):
        sheet.write_string(row, 0, line, title if row == 0 else None)
    row = len(INSTRUCTIONS) + 1
    sheet.write_string(row, 0, "各工作表的必填列：", title)
    for offset, resource_class in enumerate(SHEETS, start=1):
        sheet.write_string(
            row + offset, 0, f"{resource_class.sheet}：{'、'.join(resource_class.required)}"
        )


def _write_sheet(book, resource_class, header, required, formats, with_data) -> None:
    """Write a sheet's header row and, for an export, its rows. A template marks its
    required headers with * (the import reads 园区编码* as 园区编码) and leaves out the
    columns for reading only; an export writes them beside their codes."""
    sheet = book.add_worksheet(resource_class.sheet)
    headers = resource_class.headers() if with_data else resource_class.template_headers()
    for column, title in enumerate(headers):
        is_required = title in resource_class.required
        shown = title + REQUIRED_MARK if is_required and not with_data else title
        sheet.write_string(0, column, shown, required if is_required else header)
        sheet.set_column(column, column, max(10, len(shown) * 2 + 2))
    sheet.freeze_panes(1, 0)
    _drop_downs(sheet, resource_class, headers)
    if not with_data:
        return
    for row_index, row in enumerate(sheet_rows(resource_class), start=1):
        for column, value in enumerate(row):
            _write_cell(sheet, row_index, column, value, formats)


def _drop_downs(sheet, resource_class, headers) -> None:
    if resource_class is MonthlyValueResource:
        return
    fields = {field.column_name: field for field in resource_class().get_export_fields()}
    for column, title in enumerate(headers):
        widget = fields[title].widget
        if isinstance(widget, CellWidget) and widget.options:
            sheet.data_validation(
                1,
                column,
                100_000,
                column,
                {
                    "validate": "list",
                    "source": list(widget.options),
                    "error_title": "请从下拉列表中选择",
                    "error_message": "可选：" + "、".join(widget.options),
                },
            )


def _write_cell(sheet, row, column, value, formats) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        sheet.write_string(row, column, "是" if value else "否")
    elif isinstance(value, int | Decimal | float):
        sheet.write_number(row, column, value)
    elif isinstance(value, date):
        sheet.write_datetime(row, column, value, formats["date"])
    elif cells.safe_text_for_export(value) is not value:
        sheet.write_string(row, column, value, formats["text"])
    else:
        sheet.write_string(row, column, str(value))
