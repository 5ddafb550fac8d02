"""check_workbook: honest workbooks pass with the right facts; hostile ones never reach a parser."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.workbook import hostile
from tests.workbook.hostile import MB, SHEET1, sheet_xml, usual_rows, with_sheet
from workbook.safety import UncomputedFormulas, WorkbookRejected, check_workbook


def rejection(data, **kwargs) -> WorkbookRejected:
    with pytest.raises(WorkbookRejected) as caught:
        check_workbook(data, **kwargs)
    return caught.value


# Honest workbooks ----------------------------------------------------------------------------


def test_a_valid_workbook_passes_with_its_sheets_in_order_and_their_extent():
    book = hostile.xlsx(
        {
            "月度指标": [["统一社会信用代码", "年份"], ["91130627MA00000010", 2026], ["x", 1, 2]],
            "企业": [["企业名称"]],
            "空表": [],
        }
    )

    facts = check_workbook(book, filename="月报.xlsx")

    assert facts.sheet_names == ["月度指标", "企业", "空表"]
    assert facts.dimensions == {"月度指标": (3, 3), "企业": (1, 1), "空表": (1, 1)}
    archive = zipfile.ZipFile(io.BytesIO(book))
    assert facts.inflated_bytes == sum(info.file_size for info in archive.infolist())
    assert facts.size == len(book)


@pytest.mark.parametrize("writer", ["xlsxwriter", "openpyxl"])
def test_a_monthly_sheet_larger_than_one_chunk_is_measured_exactly(writer):
    book = hostile.monthly_workbook(400, writer=writer)  # 4,801 rows, about 2 MB of sheet XML

    facts = check_workbook(book)

    assert facts.dimensions == {"月度指标": (4801, 10)}


def test_an_uploaded_file_is_checked_whole_and_left_where_it_was():
    upload = SimpleUploadedFile("月报.xlsx", hostile.xlsx({"企业": [[1, 2]]}))
    upload.seek(7)

    facts = check_workbook(upload, filename=upload.name)

    assert facts.dimensions == {"企业": (1, 2)}
    assert upload.tell() == 7


def test_small_parts_that_compress_extremely_well_are_no_bomb():
    book = with_sheet(sheet_xml(b" " * (MB // 2)))  # 500 KB of blanks deflate about 1000:1

    assert check_workbook(book).dimensions == {"月度指标": (0, 0)}


def test_a_long_comment_before_the_root_is_skipped_without_harm():
    book = with_sheet(sheet_xml(usual_rows(3), prolog=hostile.padding_comment(3 * MB)))

    assert check_workbook(book).dimensions == {"月度指标": (3, 10)}


def test_a_sheet_saved_as_utf16_is_read_through():
    part = sheet_xml(usual_rows(2)).decode().replace("UTF-8", "UTF-16").encode("utf-16")

    assert check_workbook(with_sheet(part)).dimensions == {"月度指标": (2, 10)}


# Not a workbook ------------------------------------------------------------------------------


def test_an_empty_file_is_rejected():
    refused = rejection(b"", filename="月报.xlsx")

    assert refused.code == "empty"
    assert refused.message.startswith("“月报.xlsx”：文件为空")


def test_an_oversize_file_is_rejected_with_its_size_and_the_limit(settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 4096
    book = hostile.xlsx({"企业": [[1]]})

    refused = rejection(book, filename="月报.xlsx")

    assert refused.code == "too_large"
    size = f"{-(-len(book) * 10 // 1024) / 10:g}"
    assert f"“月报.xlsx”：文件大小 {size} KB，超过上限 4 KB" in refused.message


@pytest.mark.parametrize(
    ("data", "code", "says"),
    [
        (hostile.csv_renamed("utf-8-sig"), "text", "看起来是 CSV 或文本文件"),
        (hostile.csv_renamed("gbk"), "text", "看起来是 CSV 或文本文件"),
        (hostile.csv_renamed("utf-16"), "text", "看起来是 CSV 或文本文件"),
        (hostile.html_renamed(), "text", "看起来是网页（HTML）"),
        (hostile.old_xls(), "xls", "这是旧版 .xls 格式"),
        (hostile.encrypted_ooxml(), "encrypted", "取消密码"),
        (hostile.random_bytes(), "not_xlsx", "不是 Excel 工作簿（.xlsx）"),
        (hostile.docx_like(), "not_xlsx", "这是 Word 文档（.docx）"),
        (hostile.plain_zip(), "not_xlsx", "这是一个普通的压缩包"),
    ],
    ids=["csv", "csv-gbk", "csv-utf16", "html", "xls", "encrypted", "random", "docx", "zip"],
)
def test_a_file_that_is_not_an_xlsx_is_told_apart(data, code, says):
    refused = rejection(data)

    assert (refused.code, says in refused.message) == (code, True), refused.message


def test_a_csv_and_an_xls_are_asked_to_be_saved_as_xlsx():
    for data in (hostile.csv_renamed(), hostile.old_xls()):
        assert "另存为” .xlsx" in rejection(data).message


def test_a_zip_part_with_the_encryption_flag_asks_to_remove_the_password():
    book = hostile.patch_entry(hostile.xlsx({"企业": [[1]]}), SHEET1, flag_bits=0x1)

    refused = rejection(book)

    assert refused.code == "encrypted"
    assert "取消密码" in refused.message


def test_an_archive_listing_too_many_parts_is_refused_before_it_is_read():
    parts = {f"xl/media/{i}.bin": b"" for i in range(10_001)}

    refused = rejection(hostile.zip_of(parts))

    assert refused.code == "not_xlsx"
    assert "10001 个文件" in refused.message


# Broken archives -----------------------------------------------------------------------------

CORRUPT = "文件已损坏或不完整（可能上传中断），请重新保存后再上传"


def test_a_truncated_upload_is_corrupt():
    book = hostile.monthly_workbook(20)

    refused = rejection(book[: len(book) // 2], filename="月报.xlsx")

    assert refused.code == "corrupt"
    assert refused.message == f"“月报.xlsx”：{CORRUPT}。"


@pytest.mark.parametrize("stored", [False, True], ids=["deflated", "stored"])
def test_a_part_with_flipped_bytes_is_corrupt(stored):
    book = hostile.monthly_workbook(20)
    if stored:
        book = hostile.rebuild(book, stored=(SHEET1,))

    refused = rejection(hostile.flip_bytes(book, SHEET1))

    assert refused.code == "corrupt"
    assert CORRUPT in refused.message


def test_a_sheet_whose_part_is_missing_is_corrupt():
    book = hostile.xlsx({"企业": [[1]]})
    archive = zipfile.ZipFile(io.BytesIO(book))
    parts = {name: archive.read(name) for name in archive.namelist() if name != SHEET1}

    assert rejection(hostile.zip_of(parts)).code == "corrupt"


def test_a_part_listed_twice_is_corrupt():
    book = hostile.xlsx({"企业": [[1]]})
    archive = zipfile.ZipFile(io.BytesIO(book))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as copy, pytest.warns(UserWarning, match="Duplicate"):
        for name in [*archive.namelist(), SHEET1]:
            copy.writestr(name, archive.read(name))

    assert rejection(buffer.getvalue()).code == "corrupt"


def test_a_part_compressed_in_a_way_excel_never_uses_is_refused():
    book = hostile.xlsx({"企业": [[1]]})
    archive = zipfile.ZipFile(io.BytesIO(book))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_BZIP2) as copy:
        for name in archive.namelist():
            copy.writestr(name, archive.read(name))

    refused = rejection(buffer.getvalue())

    assert refused.code == "not_xlsx"
    assert "压缩方式" in refused.message


# Bombs ---------------------------------------------------------------------------------------


def test_a_part_declaring_300_mb_is_refused_before_anything_is_inflated():
    refused = rejection(hostile.declared_300_mb())

    assert refused.code == "zip_bomb"
    assert "解压后共 300.1 MB，超过上限 200 MB" in refused.message


def test_megabytes_of_zeros_are_refused_by_the_inflated_size(settings):
    settings.IMPORT_MAX_INFLATED_BYTES = 4 * MB

    refused = rejection(hostile.zeros(5 * MB))

    assert refused.code == "zip_bomb"
    assert "超过上限 4 MB" in refused.message


def test_megabytes_of_zeros_are_refused_by_the_archive_ratio():
    refused = rejection(hostile.zeros(5 * MB))

    assert refused.code == "zip_bomb"
    assert "超过上限 100:1" in refused.message


def test_one_part_inflating_far_more_than_the_rest_is_refused():
    refused = rejection(hostile.one_part_bomb())

    assert refused.code == "zip_bomb"
    assert f"其中的“{SHEET1}”压缩比为" in refused.message


# XML entities --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "part"),
    [
        (hostile.billion_laughs_sheet, SHEET1),
        (hostile.external_entity_strings, "xl/sharedStrings.xml"),
        (hostile.padded_doctype_sheet, SHEET1),
        (hostile.utf16_doctype_sheet, SHEET1),
        (hostile.doctype_in_workbook_xml, "xl/workbook.xml"),
    ],
    ids=["billion-laughs", "external-entity", "after-padding", "utf16", "workbook-xml"],
)
def test_a_doctype_or_entity_declaration_is_refused(build, part):
    refused = rejection(build())

    assert refused.code == "xml_entities"
    assert f"文件包含不允许的 XML 实体声明（DOCTYPE/ENTITY，位于“{part}”）" in refused.message


def test_an_xml_part_in_an_encoding_that_could_hide_markup_is_refused():
    part = sheet_xml(b"").replace(b"UTF-8", b"UTF-7")

    refused = rejection(with_sheet(part))

    assert refused.code == "not_xlsx"
    assert "不支持的文本编码（UTF-7）" in refused.message


# Sheet extent --------------------------------------------------------------------------------


def test_a_sheet_declaring_the_whole_grid_is_refused():
    part = sheet_xml(usual_rows(1), dimension="A1:XFD1048576")

    refused = rejection(with_sheet(part))

    assert refused.code == "sheet_too_large"
    assert "工作表“月度指标”声明了 16384 列，超过上限 200 列" in refused.message


def test_a_dimension_declaring_far_more_than_the_sheet_holds_is_refused():
    part = sheet_xml(usual_rows(1), dimension="A1:J1048576")

    refused = rejection(with_sheet(part))

    assert refused.code == "declared_size"
    assert (
        "工作表“月度指标”声明的数据区域为 1048576 行 × 10 列（10485760 个单元格），"
        "实际只写了 10 个单元格，相差超过 10 倍，声明的大小与实际内容不符"
    ) in refused.message


def test_a_single_cell_on_the_last_row_is_refused():
    part = sheet_xml(b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>')

    assert "1048576 行 × 1 列（1048576 个单元格），实际只写了 1 个单元格" in (
        rejection(with_sheet(part)).message
    )


def test_a_cell_placed_below_its_row_counts():
    part = sheet_xml(b'<row r="1"><c r="A300000"><v>1</v></c></row>')

    assert "300000 行 × 1 列" in rejection(with_sheet(part)).message


def test_a_small_sheet_formatted_below_its_data_is_no_lie():
    part = sheet_xml(usual_rows(3), dimension="A1:Z2000")  # 52,000 cells: below the floor

    assert check_workbook(with_sheet(part)).dimensions == {"月度指标": (2000, 26)}


def test_a_zone_of_20000_enterprises_sends_240000_monthly_rows_and_is_not_refused():
    part = sheet_xml(usual_rows(240_001), dimension="A1:J240001")

    assert check_workbook(with_sheet(part)).dimensions == {"月度指标": (240_001, 10)}


def test_rows_beyond_the_ceiling_are_still_refused(settings):
    settings.IMPORT_MAX_ROWS = 100

    refused = rejection(with_sheet(sheet_xml(usual_rows(101))))

    assert refused.code == "sheet_too_large"
    assert "工作表“月度指标”声明了 101 行，超过上限 100 行" in refused.message


def shared_strings(declared: int, items: int) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="'
        + hostile.MAIN_NS
        + f'" count="{declared}" uniqueCount="{declared}">'.encode()
        + b"<si><t>x</t></si>" * items
        + b"</sst>"
    )


def test_shared_strings_announcing_far_more_than_they_list_are_refused():
    book = hostile.xlsx({"企业": [["名称"], ["甲"], ["乙"]]})
    book = hostile.rebuild(book, replace={"xl/sharedStrings.xml": shared_strings(2**31 - 1, 3)})

    refused = rejection(book)

    assert refused.code == "declared_size"
    assert (
        "共享字符串表（xl/sharedStrings.xml）声明有 2147483647 个字符串，实际只有 3 个"
        in refused.message
    )


def test_shared_strings_counted_honestly_pass():
    book = hostile.xlsx({"企业": [["名称"], ["甲"], ["乙"]]})

    assert check_workbook(book).sheet_names == ["企业"]


def test_too_many_columns_are_refused():
    refused = rejection(hostile.xlsx({"宽表": [list(range(300))]}))

    assert refused.code == "sheet_too_large"
    assert "工作表“宽表”声明了 300 列，超过上限 200 列" in refused.message


def test_too_many_cells_are_refused(settings):
    settings.IMPORT_MAX_CELLS = 1000

    refused = rejection(with_sheet(sheet_xml(usual_rows(101))))

    assert "101 行 × 10 列（1010 个单元格），超过上限 1000 个单元格" in refused.message


def test_rows_and_cells_without_r_count_on_from_the_one_before():
    rows = (
        b"<row><c><v>1</v></c><c><v>2</v></c></row>"  # row 1, columns A-B
        b'<row r="5"><c r="C5"><v>1</v></c><c t="n"><v>2</v></c></row>'  # row 5, C and D
        b"<row><c/></row>"  # row 6
    )

    assert check_workbook(with_sheet(sheet_xml(rows))).dimensions == {"月度指标": (6, 4)}


def test_prefixed_rows_and_cells_are_counted():
    part = (
        b'<x:worksheet xmlns:x="' + hostile.MAIN_NS + b'"><x:sheetData>'
        b'<x:row r="3"><x:c r="E3"><x:v>1</x:v></x:c></x:row><x:row><x:c/></x:row>'
        b"</x:sheetData></x:worksheet>"
    )

    assert check_workbook(with_sheet(part)).dimensions == {"月度指标": (4, 5)}


def test_a_reference_behind_another_attribute_is_still_found():
    rows = b'<row r="1"><c t=\'s r="A1"\' r="XFD1"><v>1</v></c></row>'

    assert "声明了 16384 列" in rejection(with_sheet(sheet_xml(rows))).message


def test_one_unusual_row_after_chunks_of_usual_ones_is_counted_exactly():
    rows = usual_rows(5000) + b"<row><c/><c/><c/></row>"  # about 1.6 MB of markup before it

    assert check_workbook(with_sheet(sheet_xml(rows))).dimensions == {"月度指标": (5001, 10)}


def test_megabytes_of_text_between_two_tags_are_refused():
    text = hostile.padding_comment(5 * MB)[4:-3]  # hex digits: no tag, and no bomb either
    part = sheet_xml(b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + text + b"</t></is></c></row>")

    refused = rejection(with_sheet(part))

    assert refused.code == "corrupt"
    assert "工作表“月度指标”的内容格式异常" in refused.message


# Reading in pieces ---------------------------------------------------------------------------

MIXED_ROWS = (
    usual_rows(40)
    + b"<row><c/><c/></row>"
    + usual_rows(30, first=42)
    + b'<row r="80"><c r="K80"/><c/><c t="n"><v>1</v></c></row>'
)


@pytest.mark.parametrize(
    ("part", "expected"),
    [
        (sheet_xml(usual_rows(50)), (50, 10)),
        (sheet_xml(MIXED_ROWS), (80, 13)),
        (
            sheet_xml(MIXED_ROWS).replace(b"<row", b"<x:row").replace(b"</row", b"</x:row"),
            (80, 13),
        ),
        (sheet_xml(MIXED_ROWS).decode().replace("UTF-8", "UTF-16").encode("utf-16"), (80, 13)),
        (sheet_xml(usual_rows(3), dimension="A1:J1048576"), "1048576 行 × 10 列"),
        (
            sheet_xml(b"", prolog=hostile.padding_comment(5000) + b"<!-- <a> --><!DOCTYPE a>"),
            "XML 实体声明",
        ),
        (sheet_xml(b"").replace(b"UTF-8", b"UTF-7"), "不支持的文本编码（UTF-7）"),
    ],
    ids=["usual", "mixed", "prefixed", "utf-16", "dimension", "doctype", "utf-7"],
)
@pytest.mark.parametrize("chunk_bytes", [MB, 7], ids=["1MB-chunks", "7-byte-chunks"])
def test_a_sheet_gets_the_same_answer_whatever_the_chunk_size(
    part, expected, chunk_bytes, monkeypatch
):
    monkeypatch.setattr("workbook.safety.CHUNK_BYTES", chunk_bytes)
    book = with_sheet(part)

    if isinstance(expected, tuple):
        assert check_workbook(book).dimensions == {"月度指标": expected}
    else:
        assert expected in rejection(book).message


# Sheet names ---------------------------------------------------------------------------------


def test_two_sheets_of_the_same_name_are_refused_naming_both():
    book = hostile.xlsx({name: [[1]] for name in ["园区", "企业", "产业", "项目", "项目进度"]})

    refused = rejection(hostile.renamed_sheet(book, 5, "企业"), filename="园区数据.xlsx")

    assert refused.code == "duplicate_sheets"
    assert refused.message == (
        "“园区数据.xlsx”：工作簿中有两个同名工作表：“企业”（第2个）和“企业”（第5个）；"
        "请删除或改名其中一个后再导入。"
    )


def test_sheet_names_are_compared_regardless_of_case_as_excel_does():
    book = hostile.renamed_sheet(hostile.xlsx({"Sheet1": [[1]], "其他": [[2]]}), 2, "SHEET1")

    refused = rejection(book)

    assert refused.code == "duplicate_sheets"
    assert "“Sheet1”（第1个）和“SHEET1”（第2个）" in refused.message


# Formulas without a computed value -----------------------------------------------------------


def openpyxl_xlsx(sheets: dict[str, list[list]]) -> bytes:
    """Return a workbook written by openpyxl, which stores formulas without calculating them."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


FORMULA_ROWS = [["营业收入", "税收收入", "合计"], [10, 2, "=A2+B2"], [20, 3, 23], [30, 4, "=A4+B4"]]


@pytest.mark.parametrize(
    "book",
    [
        openpyxl_xlsx({"月度指标": FORMULA_ROWS}),
        hostile.without_cached_values(openpyxl_xlsx({"月度指标": FORMULA_ROWS})),
    ],
    ids=["empty-value", "no-value"],
)
def test_formulas_without_a_computed_value_are_noted_with_their_cells(book):
    facts = check_workbook(book)

    assert facts.uncomputed_formulas == {"月度指标": UncomputedFormulas(2, ("C2", "C4"))}


def test_formulas_that_excel_calculated_are_not_noted():
    rows = [["合计"], ["=1+1"], ['=IF(1,"","x")']]

    assert check_workbook(hostile.xlsx({"月度指标": rows})).uncomputed_formulas == {}


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (b'<c r="A1" t="str"><f>""</f><v></v></c>', None),  # the empty string, computed
        (b'<c r="A1"><f t="shared" ref="A1:A2" si="0">B1</f><v>1</v></c>', None),
        (b'<c r="A1"><f t="shared" si="0"/></c>', ("A1",)),
        (b'<c r="$b$7"><f>1</f><v/></c>', ("B7",)),
        (b"<c><f>1</f>\n</c>", ()),  # counted, but it has no reference to show
    ],
    ids=["empty-string", "shared-with-value", "shared-without", "empty-v", "no-reference"],
)
def test_a_formula_is_judged_by_what_follows_it_in_its_cell(cells, expected):
    facts = check_workbook(with_sheet(sheet_xml(b'<row r="1">' + cells + b"</row>")))

    found = facts.uncomputed_formulas.get("月度指标")
    assert (found and found.cells) == expected


def test_prefixed_formulas_are_noted_too():
    part = (
        b'<x:worksheet xmlns:x="' + hostile.MAIN_NS + b'"><x:sheetData><x:row r="7">'
        b'<x:c r="D7"><x:f>1</x:f><x:v>1</x:v></x:c><x:c r="E7"><x:f>A7</x:f></x:c>'
        b"</x:row></x:sheetData></x:worksheet>"
    )

    assert check_workbook(with_sheet(part)).uncomputed_formulas == {
        "月度指标": UncomputedFormulas(1, ("E7",))
    }


def test_every_formula_without_a_value_is_counted_and_the_first_ten_are_named():
    rows = [[f"=B{r}" for _ in range(3)] for r in range(1, 11)]

    found = check_workbook(openpyxl_xlsx({"月度指标": rows})).uncomputed_formulas["月度指标"]

    assert found.count == 30
    assert found.cells == ("A1", "B1", "C1", "A2", "B2", "C2", "A3", "B3", "C3", "A4")


@pytest.mark.parametrize("chunk_bytes", [MB, 7, 50], ids=["1MB-chunks", "7-byte", "50-byte"])
def test_a_formula_is_found_wherever_the_pieces_are_cut(chunk_bytes, monkeypatch):
    monkeypatch.setattr("workbook.safety.CHUNK_BYTES", chunk_bytes)
    rows = [[r, "=A1", r * 2] if r % 5 == 0 else [r, r, r * 2] for r in range(1, 41)]

    found = check_workbook(openpyxl_xlsx({"月度指标": rows})).uncomputed_formulas["月度指标"]

    assert found == UncomputedFormulas(8, ("B5", "B10", "B15", "B20", "B25", "B30", "B35", "B40"))


def test_a_formula_whose_cell_straddles_two_pieces_is_found():
    formula_row = b'<row r="2"><c r="A2"><v>1</v></c><c r="E2"><f>SUM(A1:A2)</f></c></row>'

    def sheet(text: bytes) -> bytes:
        return sheet_xml(
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>'
            + text
            + b"</t></is></c></row>"
            + formula_row
        )

    before_text = sheet(b"").index(formula_row)
    noise = hostile.padding_comment(2 * MB)[4:]  # hex digits, which do not deflate away
    for into_row in range(0, len(formula_row) + 1, 3):  # the 1 MB cut falls this far into it
        part = sheet(noise[: MB - before_text - into_row])

        found = check_workbook(with_sheet(part)).uncomputed_formulas

        assert found == {"月度指标": UncomputedFormulas(1, ("E2",))}, into_row
