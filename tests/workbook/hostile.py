"""Builders of hostile, broken and (for comparison) honest workbooks, all small and in memory."""

import io
import random
import re
import struct
import zipfile

import openpyxl
import xlsxwriter

MB = 1024 * 1024
MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET1 = "xl/worksheets/sheet1.xml"

MONTHLY_HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "年份",
    "月份",
    "营业收入(万元)",
    "工业总产值(万元)",
    "税收收入(万元)",
    "固定资产投资(万元)",
    "利润总额(万元)",
    "从业人员(人)",
]
_NAME_PARTS = "长古城白合示范经济开发区新兴智能制造科技材料能源食品化工电子机械绿色建材"


# Honest workbooks ---------------------------------------------------------------------------


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    """Return an .xlsx written by XlsxWriter with these sheets, in this order."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for number, row in enumerate(rows):
            sheet.write_row(number, 0, row)
    book.close()
    return buffer.getvalue()


def monthly_rows(enterprises: int, *, seed: int = 1):
    """Yield the monthly sheet of docs/workbook.md: headers, then 12 months per enterprise."""
    rng = random.Random(seed)
    yield MONTHLY_HEADERS
    for _ in range(enterprises):
        code = "91" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(16))
        name = "".join(rng.choice(_NAME_PARTS) for _ in range(4)) + "有限公司"
        base = rng.uniform(100, 50_000)
        for month in range(1, 13):
            yield [
                code,
                name,
                2025,
                month,
                round(base * month / 12, 4),
                round(base * month / 10, 2),
                round(base * month / 100, 4),
                round(rng.uniform(0, 3000), 2),
                round(rng.uniform(-500, 3000), 4),
                rng.randint(5, 2000),
            ]


def monthly_workbook(enterprises: int, *, writer: str = "xlsxwriter") -> bytes:
    """Return a workbook with one 月度指标 sheet of 12 × `enterprises` rows and 10 columns.

    `writer` is "xlsxwriter" (constant memory, as the portal exports) or "openpyxl"
    (write-only). 5,000 enterprises make 60,000 rows, the size benchmarks/import_bench.py times.
    """
    buffer = io.BytesIO()
    if writer == "xlsxwriter":
        book = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
        sheet = book.add_worksheet("月度指标")
        for number, row in enumerate(monthly_rows(enterprises)):
            sheet.write_row(number, 0, row)
        book.close()
    else:
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("月度指标")
        for row in monthly_rows(enterprises):
            sheet.append(row)
        book.save(buffer)
    return buffer.getvalue()


def sheet_xml(rows: bytes, *, dimension: str | None = None, prolog: bytes = b"") -> bytes:
    """Return a worksheet part holding `rows` as its sheetData; `prolog` goes before the root."""
    head = f'<dimension ref="{dimension}"/>'.encode() if dimension else b""
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        + prolog
        + b'<worksheet xmlns="'
        + MAIN_NS
        + b'">'
        + head
        + b"<sheetData>"
        + rows
        + b"</sheetData></worksheet>"
    )


def usual_rows(count: int, columns: int = 10, *, first: int = 1) -> bytes:
    """Return `count` rows of numbers written the way Excel writes them (r on every tag)."""
    letters = [chr(ord("A") + i) for i in range(columns)]
    return b"".join(
        f'<row r="{r}" spans="1:{columns}">'.encode()
        + b"".join(f'<c r="{c}{r}"><v>{r}</v></c>'.encode() for c in letters)
        + b"</row>"
        for r in range(first, first + count)
    )


def with_sheet(part: bytes, *, name: str = "月度指标") -> bytes:
    """Return a valid workbook whose only sheet is replaced by `part`."""
    return rebuild(xlsx({name: [[1]]}), replace={SHEET1: part})


# Rewriting archives --------------------------------------------------------------------------


def rebuild(
    book: bytes,
    *,
    replace: dict[str, bytes] | None = None,
    add: dict[str, bytes] | None = None,
    stored: tuple[str, ...] = (),
) -> bytes:
    """Copy an archive part by part, replacing or adding parts; `stored` ones are not deflated."""
    parts = {**(replace or {}), **(add or {})}
    source = zipfile.ZipFile(io.BytesIO(book))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        names = source.namelist() + [name for name in parts if name not in source.namelist()]
        for name in names:
            data = parts[name] if name in parts else source.read(name)
            method = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            target.writestr(name, data, compress_type=method)
    return buffer.getvalue()


def patch_entry(book: bytes, name: str, *, flag_bits: int = 0, file_size: int | None = None):
    """Set flag bits or a (false) uncompressed size in both headers of one part."""
    data = bytearray(book)
    info = zipfile.ZipFile(io.BytesIO(book)).getinfo(name)
    local = info.header_offset
    end = data.rfind(b"PK\x05\x06")
    entries, directory = struct.unpack_from("<H4xI", data, end + 10)
    central = directory
    for _ in range(entries):
        name_length, extra_length, comment_length = struct.unpack_from("<3H", data, central + 28)
        if data[central + 46 : central + 46 + name_length] == name.encode():
            break
        central += 46 + name_length + extra_length + comment_length
    for flag_at, size_at in ((local + 6, local + 22), (central + 8, central + 24)):
        flags = struct.unpack_from("<H", data, flag_at)[0]
        struct.pack_into("<H", data, flag_at, flags | flag_bits)
        if file_size is not None:
            struct.pack_into("<I", data, size_at, file_size)
    return bytes(data)


def flip_bytes(book: bytes, name: str, count: int = 8) -> bytes:
    """Invert a few bytes in the middle of one part's stored (compressed) data."""
    data = bytearray(book)
    info = zipfile.ZipFile(io.BytesIO(book)).getinfo(name)
    name_length, extra_length = struct.unpack_from("<2H", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length + info.compress_size // 2
    for at in range(start, start + count):
        data[at] ^= 0xFF
    return bytes(data)


def zip_of(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# Not workbooks -------------------------------------------------------------------------------


def csv_renamed(encoding: str = "utf-8-sig") -> bytes:
    return (
        "统一社会信用代码,企业名称,年份,月份,营业收入(万元)\r\n"
        '91130627MA00000010,河北甲食品有限公司,2026,2,"1,200.5"\r\n'
    ).encode(encoding)


def html_renamed() -> bytes:
    return "<html><body><table><tr><td>企业名称</td></tr></table></body></html>".encode()


def old_xls() -> bytes:
    """Return the start of a BIFF8 .xls: the OLE2 signature and a 'Workbook' stream entry."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "Workbook".encode("utf-16-le")


def encrypted_ooxml() -> bytes:
    """Return the start of a password-protected .xlsx: an OLE2 file with an encrypted package."""
    return (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(504)
        + "EncryptionInfo".encode("utf-16-le")
        + bytes(100)
        + "EncryptedPackage".encode("utf-16-le")
    )


def random_bytes() -> bytes:
    return b"\x00\x07" + random.Random(7).randbytes(4094)


def docx_like() -> bytes:
    return zip_of(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "_rels/.rels": b'<?xml version="1.0"?><Relationships/>',
            "word/document.xml": b'<?xml version="1.0"?><w:document/>',
        }
    )


def plain_zip() -> bytes:
    return zip_of({"数据/月报.csv": csv_renamed()})


# XML attacks ---------------------------------------------------------------------------------

BILLION_LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b"]>"
)
EXTERNAL_ENTITY = b'<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def billion_laughs_sheet() -> bytes:
    return with_sheet(
        sheet_xml(b'<row r="1"><c r="A1" t="str"><v>&lol9;</v></c></row>', prolog=BILLION_LAUGHS)
    )


def external_entity_strings() -> bytes:
    book = xlsx({"企业": [["企业名称"], ["河北甲食品有限公司"]]})
    strings = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        + EXTERNAL_ENTITY
        + b'<sst xmlns="'
        + MAIN_NS
        + b'" count="1" uniqueCount="1"><si><t>&xxe;</t></si></sst>'
    )
    return rebuild(book, replace={"xl/sharedStrings.xml": strings})


def padding_comment(size: int) -> bytes:
    """Return a comment of `size` bytes that deflate cannot shrink much (so it is no bomb)."""
    return b"<!--" + random.Random(3).randbytes(size // 2).hex().encode() + b"-->"


def padded_doctype_sheet(padding: int = 3 * MB) -> bytes:
    prolog = padding_comment(padding) + b"\n<!-- <worksheet> -->\n" + EXTERNAL_ENTITY
    return with_sheet(sheet_xml(b"", prolog=prolog))


def utf16_doctype_sheet() -> bytes:
    part = sheet_xml(b"", prolog=EXTERNAL_ENTITY).decode().replace("UTF-8", "UTF-16")
    return with_sheet(part.encode("utf-16"))


def doctype_in_workbook_xml() -> bytes:
    book = xlsx({"企业": [[1]]})
    workbook = zipfile.ZipFile(io.BytesIO(book)).read("xl/workbook.xml")
    declaration_end = workbook.index(b"?>") + 2
    workbook = workbook[:declaration_end] + BILLION_LAUGHS + workbook[declaration_end:]
    return rebuild(book, replace={"xl/workbook.xml": workbook})


# Bombs ---------------------------------------------------------------------------------------


def zeros(size: int) -> bytes:
    """Return a workbook with an extra part of `size` zero bytes, streamed into the archive."""
    buffer = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(xlsx({"企业": [[1]]})))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info))
        with archive.open("xl/media/zeros.bin", "w", force_zip64=True) as part:
            block = bytes(MB)
            for _ in range(size // MB):
                part.write(block)
    return buffer.getvalue()


def one_part_bomb() -> bytes:
    """Return a workbook whose archive as a whole inflates modestly, but one part 1000:1.

    Random bytes (stored) weigh the archive down so that only the part's own ratio is extreme.
    """
    return rebuild(
        xlsx({"企业": [[1]]}),
        replace={SHEET1: sheet_xml(b" " * (2 * MB))},
        add={"xl/media/noise.bin": random.Random(5).randbytes(200_000)},
        stored=("xl/media/noise.bin",),
    )


def declared_300_mb() -> bytes:
    """Return a workbook whose sheet claims to inflate to 300 MB (nothing is that big)."""
    return patch_entry(xlsx({"企业": [[1]]}), SHEET1, file_size=300 * MB)


# Sheet names and formulas --------------------------------------------------------------------


def renamed_sheet(book: bytes, position: int, name: str) -> bytes:
    """Return the workbook with its `position`-th sheet (1-based) renamed, even to a taken name.

    Excel refuses a name that another sheet has; a file edited by hand or by a program need not.
    """
    workbook = zipfile.ZipFile(io.BytesIO(book)).read("xl/workbook.xml")
    sheets = list(re.finditer(rb'<sheet\b[^>]*?\bname="([^"]*)"', workbook))
    at = sheets[position - 1].span(1)
    workbook = workbook[: at[0]] + name.encode() + workbook[at[1] :]
    return rebuild(book, replace={"xl/workbook.xml": workbook})


def without_cached_values(book: bytes) -> bytes:
    """Return the workbook with every formula's (empty) value left out, as some programs write.

    openpyxl writes a formula with an empty <v></v>; Apache POI and others write no <v> at all.
    """
    archive = zipfile.ZipFile(io.BytesIO(book))
    sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
    return rebuild(
        book,
        replace={
            name: re.sub(rb"</f>\s*<v\s*(?:/>|>\s*</v>)", b"</f>", archive.read(name))
            for name in sheets
        },
    )
