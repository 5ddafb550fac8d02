"""Check an uploaded workbook before any parser reads it.

The portal reads sheets with python-calamine, which allocates a sheet's whole bounding box at
once, and sometimes with openpyxl. A hostile or broken upload must be turned away here, with a
message the user can act on, before either of them sees it. `check_workbook` looks at the file
with `zipfile` only: it refuses anything that is not an .xlsx, weighs the archive by its declared
sizes, inflates each part once (zipfile never returns more than the declared size and checks the
CRC), refuses DOCTYPE/ENTITY declarations and two sheets of the same name, and measures each
sheet's bounding box from its markup. On the same pass it notes the formula cells that carry no
computed value (a file written by a program that does not calculate): readers show them as blank.

A hostile file is told by its proportions, not by how many rows it has (a zone of 20,000
enterprises sends 240,000 monthly rows): it inflates far more than data does (the compression
ratio, as a whole and per part), or it declares more than it holds, which a reader would allocate
for nothing: a sheet whose bounding box (its <dimension> and its farthest cell) is many times the
cells it actually writes, or a shared-string table that announces more strings than it lists.
The row and cell counts keep only a ceiling far above any zone's workbook.

Limits come from settings, read on every call: IMPORT_MAX_UPLOAD_BYTES, IMPORT_MAX_INFLATED_BYTES,
IMPORT_MAX_RATIO, IMPORT_MAX_SPARSENESS, IMPORT_MAX_ROWS, IMPORT_MAX_COLUMNS and IMPORT_MAX_CELLS.
"""

import codecs
import io
import itertools
import math
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO
from xml.etree.ElementTree import ParseError

import numpy as np
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.conf import settings

MB = 1024 * 1024

# Parts are inflated and scanned in pieces of this size.
CHUNK_BYTES = MB
# Parts and archives that inflate to less than this are never called bombs: small XML parts
# such as styles compress far better than a sheet does, and they cannot hurt anyone.
RATIO_FLOOR_BYTES = MB
# A sheet's bounding box up to this many cells is never judged against the cells it writes: a
# small sheet formatted below its data costs nothing.
SPARSE_FLOOR_CELLS = 100_000
# A shared-string table may announce this many strings more than it lists (a sloppy writer).
STRINGS_SLACK = 1000
# An .xlsx holds a few dozen parts; zipfile spends a second and 100 MB on 200,000 entries.
MAX_PARTS = 10_000
# The most text a sheet may hold between two tags; a cell's text is 32,767 characters at most.
MAX_MARKUP_GAP = 4 * MB

# Formula cells without a computed value named in the facts; the rest are only counted.
UNCOMPUTED_CELLS_KEPT = 10

_HUGE = 10**12  # stands for a row or column number too long to be worth converting

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
# OPC (ECMA-376 part 2) allows only UTF-8 and UTF-16 in a package's XML.
_ENCODINGS = {"utf-8", "utf8", "utf-16", "utf16", "utf-16le", "utf-16be", "us-ascii", "ascii"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

_DECLARATION = re.compile(rb"<\?xml\s")
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([^"']*)["']""")
_DIMENSION = re.compile(rb"""<(?:[\w.-]+:)?dimension(?=[\s/>])[^<>]*?\sref\s*=\s*["']([^"'<>]*)""")
_REFERENCE = re.compile(rb"\$?([A-Za-z]+)\$?([0-9]+)")
# A formula and what follows it up to the end of its cell: nothing, or an empty <v>. A cell's
# children come in the order f, v, is; a cell whose <f> is followed by a value is left alone.
# It starts at the f of <f> (its '<', and prefix if any, are checked on a match): a search for
# a letter is quick, where one for '<' would stop at every tag.
_UNCOMPUTED = re.compile(
    rb"f(?=[\s/>])[^<>]*(?:/>|>[^<]*+</(?:[\w.-]+:)?f\s*>)"
    rb"\s*+(?P<empty_value><(?:[\w.-]+:)?v(?=[\s/>])[^<>]*(?:/>|>\s*+</(?:[\w.-]+:)?v\s*>))?"
    rb"\s*+</(?:[\w.-]+:)?c\s*>"
)
# Cheaper than looking for "<f" (a '<' comes every few bytes): most sheets have no formula.
_MAYBE_FORMULA = re.compile(rb"f[\s/>]")
_OPENING = re.compile(rb"<(?:[\w.-]+:)?")
_STRING_RESULT = re.compile(rb"""\st\s*=\s*["']str["']""")
# A row or cell tag, prefixed or not, and its r attribute if it has one: the other attributes
# are stepped over whole, so an r="…" inside another attribute's value is never taken for it.
_TAG = re.compile(
    rb"""<(?:[\w.-]+:)?(row|c)(?=[\s/>])"""
    rb"""(?:\s+(?!r\s*=)[^\s=<>/]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*"""
    rb"""(?:\s+r\s*=\s*(?:"([^"<]*)"|'([^'<]*)'))?"""
)

# Byte classes for the vectorised scan of sheets written the usual way.
_SEPARATOR = np.zeros(256, dtype=bool)
_SEPARATOR[list(b" \t\r\n/>")] = True
_LETTER = np.zeros(256, dtype=bool)
_LETTER[ord("A") : ord("Z") + 1] = True
_DIGIT = np.zeros(256, dtype=bool)
_DIGIT[ord("0") : ord("9") + 1] = True
_PAD = bytes(32)  # room to look a few bytes past the last tag of a piece

_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    struct.error,
)


class WorkbookRejected(Exception):
    """An upload that must not be parsed; `message` tells the user why and what to do.

    `code` says which check refused it: empty, too_large, text (CSV or HTML), xls, not_xlsx,
    encrypted, corrupt, zip_bomb, xml_entities, sheet_too_large, declared_size (a sheet's
    declared extent or the shared strings' count far beyond what the file holds) or
    duplicate_sheets.
    """

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class UncomputedFormulas:
    """A sheet's formula cells that carry no computed value: how many, and the first few."""

    count: int
    cells: tuple[str, ...]  # the first references, such as "E7", in sheet order


@dataclass(frozen=True)
class WorkbookFacts:
    """What the checks established about a workbook that passed them."""

    sheet_names: list[str]  # in workbook order
    dimensions: dict[str, tuple[int, int]]  # sheet name → (rows, columns), counted from A1
    inflated_bytes: int  # the parts' total declared (and verified) uncompressed size
    size: int  # the upload's size in bytes
    # sheet name → its formulas without a computed value; only sheets that have any
    uncomputed_formulas: dict[str, UncomputedFormulas] = field(default_factory=dict)


@dataclass(frozen=True)
class _Limits:
    upload_bytes: int
    inflated_bytes: int
    ratio: float
    sparseness: float
    rows: int
    columns: int
    cells: int

    @classmethod
    def from_settings(cls) -> "_Limits":
        return cls(
            upload_bytes=getattr(settings, "IMPORT_MAX_UPLOAD_BYTES", 20 * MB),
            inflated_bytes=getattr(settings, "IMPORT_MAX_INFLATED_BYTES", 200 * MB),
            ratio=getattr(settings, "IMPORT_MAX_RATIO", 100),
            sparseness=getattr(settings, "IMPORT_MAX_SPARSENESS", 10),
            rows=getattr(settings, "IMPORT_MAX_ROWS", 2_000_000),
            columns=getattr(settings, "IMPORT_MAX_COLUMNS", 200),
            cells=getattr(settings, "IMPORT_MAX_CELLS", 20_000_000),
        )


class _Refusal(Exception):
    """A rejection before the file name is put in front of its message."""

    def __init__(self, code: str, text: str):
        super().__init__(text)
        self.code = code
        self.text = text


def check_workbook(data: bytes | BinaryIO, *, filename: str = "") -> WorkbookFacts:
    """Check an uploaded .xlsx and return its facts, or raise WorkbookRejected.

    `data` is the upload's bytes or a seekable binary file (a Django UploadedFile is one); the
    whole file is checked and a file's position is left where it was. Nothing is parsed but the
    workbook's own list of sheets, with defusedxml.
    """
    if isinstance(data, bytes | bytearray | memoryview):
        stream, start = io.BytesIO(data), None
    elif getattr(data, "seekable", lambda: False)():
        stream, start = data, data.tell()
    else:
        raise TypeError("check_workbook needs bytes or a seekable binary file")
    try:
        return _Inspection(stream, _Limits.from_settings()).run()
    except _Refusal as refusal:
        prefix = f"“{filename}”：" if filename else ""
        raise WorkbookRejected(refusal.code, prefix + refusal.text) from refusal.__cause__
    finally:
        if start is not None:
            stream.seek(start)


class _Inspection:
    def __init__(self, stream: BinaryIO, limits: _Limits):
        self.stream = stream
        self.limits = limits
        stream.seek(0, io.SEEK_END)
        self.size = stream.tell()

    def run(self) -> WorkbookFacts:
        if self.size == 0:
            raise _Refusal(
                "empty", "文件为空（0 字节）。请选择要导入的 Excel 文件（.xlsx）后再上传。"
            )
        if self.size > self.limits.upload_bytes:
            raise _Refusal(
                "too_large",
                f"文件大小 {_human(self.size, up=True)}，"
                f"超过上限 {_human(self.limits.upload_bytes)}。"
                "请删除不需要的工作表或数据，或拆分成几个文件后再上传。",
            )
        self.stream.seek(0)
        head = self.stream.read(64 * 1024)
        if not head.startswith(_ZIP):
            raise self._not_a_zip(head)
        self._check_entry_count()
        try:
            archive = zipfile.ZipFile(self.stream)
        except _ZIP_ERRORS as error:
            raise _corrupt() from error
        with archive:
            return self._inspect(archive)

    def _not_a_zip(self, head: bytes) -> _Refusal:
        if head.startswith(_OLE2):
            self.stream.seek(0)
            if _ENCRYPTED_PACKAGE in self.stream.read():
                return _encrypted()
            return _Refusal(
                "xls",
                "这是旧版 .xls 格式（Excel 97-2003），平台只接受 .xlsx。"
                "请在 Excel 中打开它，“另存为” .xlsx 格式（Excel 工作簿）后再上传。",
            )
        kind = _text_kind(head)
        if kind == "markup":
            return _Refusal(
                "text",
                "看起来是网页（HTML）或 XML 文本文件，不是真正的 Excel 工作簿"
                "（有些系统导出的“Excel”其实是网页）。"
                "请在 Excel 中打开它，“另存为” .xlsx 格式后再上传。",
            )
        if kind == "text":
            return _Refusal(
                "text",
                "看起来是 CSV 或文本文件，不是 Excel 工作簿。"
                "请在 Excel 中打开它，“另存为” .xlsx 格式后再上传。",
            )
        return _not_xlsx("不是 Excel 工作簿（.xlsx），无法导入。请上传用 Excel 保存的 .xlsx 文件。")

    def _check_entry_count(self):
        """Refuse an archive that lists too many entries before zipfile reads them all."""
        tail_size = min(self.size, 22 + 0xFFFF)  # the end record and the longest comment
        self.stream.seek(self.size - tail_size)
        tail = self.stream.read(tail_size)
        at = tail.rfind(b"PK\x05\x06")
        if 0 <= at <= len(tail) - 22:
            entries = struct.unpack_from("<H", tail, at + 10)[0]
            # 0xFFFF defers to a ZIP64 record; zipfile's own count is checked afterwards.
            if MAX_PARTS < entries < 0xFFFF:
                raise _too_many_parts(entries)

    def _inspect(self, archive: zipfile.ZipFile) -> WorkbookFacts:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        if len(infos) > MAX_PARTS:
            raise _too_many_parts(len(infos))
        parts: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if info.filename.lower() in parts:
                raise _corrupt()
            parts[info.filename.lower()] = info
        self._check_parts(infos, parts)
        inflated = self._check_sizes(infos)
        sheets = self._sheets(archive, parts)
        _check_sheet_names([name for name, _ in sheets])
        sheets_of_part: dict[str, list[str]] = {}
        for name, part in sheets:
            sheets_of_part.setdefault(part, []).append(name)
        extents: dict[str, tuple[int, int]] = {}
        uncomputed: dict[str, UncomputedFormulas] = {}
        already_read = {"xl/_rels/workbook.xml.rels"}
        for info in infos:
            part = info.filename.lower()
            if part in sheets_of_part:
                extent, formulas = _measure_sheet(
                    archive, info, sheets_of_part[part][0], self.limits
                )
                for name in sheets_of_part[part]:
                    extents[name] = extent
                    if formulas.count:
                        uncomputed[name] = formulas
            elif part.endswith("sharedstrings.xml"):
                _check_shared_strings(archive, info)
            elif part not in already_read:
                _read_part(archive, info)
        return WorkbookFacts(
            sheet_names=[name for name, _ in sheets],
            dimensions={name: extents[name] for name, _ in sheets},
            inflated_bytes=inflated,
            size=self.size,
            uncomputed_formulas=uncomputed,
        )

    def _check_parts(self, infos: list[zipfile.ZipInfo], parts: dict[str, zipfile.ZipInfo]):
        if any(info.flag_bits & 0x1 for info in infos):
            raise _encrypted()
        if "[content_types].xml" not in parts or "xl/workbook.xml" not in parts:
            raise _not_xlsx(_what_zip(parts))
        methods = {info.compress_type for info in infos}
        if not methods <= {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}:
            raise _not_xlsx(
                "文件使用了 Excel 不会使用的压缩方式，不是有效的 .xlsx 文件。"
                "请在 Excel 中重新保存后再上传。"
            )
        if "xl/_rels/workbook.xml.rels" not in parts:
            raise _corrupt()

    def _check_sizes(self, infos: list[zipfile.ZipInfo]) -> int:
        """Weigh the archive by the sizes it declares, before inflating anything."""
        limits = self.limits
        inflated = sum(info.file_size for info in infos)
        if inflated > limits.inflated_bytes:
            raise _Refusal(
                "zip_bomb",
                f"解压后共 {_human(inflated, up=True)}，超过上限 {_human(limits.inflated_bytes)}，"
                "文件内容异常（疑似“压缩炸弹”），已拒绝。如确实是数据太多，请拆分成几个文件后再上传。",
            )
        if inflated > RATIO_FLOOR_BYTES and inflated > limits.ratio * self.size:
            raise _bomb_ratio("文件", inflated / self.size, limits.ratio)
        for info in infos:
            if info.file_size > RATIO_FLOOR_BYTES and info.file_size > limits.ratio * max(
                info.compress_size, 1
            ):
                ratio = info.file_size / max(info.compress_size, 1)
                raise _bomb_ratio(f"其中的“{info.filename}”", ratio, limits.ratio)
        return inflated

    def _sheets(
        self, archive: zipfile.ZipFile, parts: dict[str, zipfile.ZipInfo]
    ) -> list[tuple[str, str]]:
        """Return (sheet name, part name) in workbook order, from workbook.xml and its rels."""
        entries = []
        for tag, attrib in _elements(archive, parts["xl/workbook.xml"]):
            if tag == "sheet":
                relationship_id = next((v for k, v in attrib.items() if k.endswith("}id")), None)
                entries.append((attrib.get("name"), relationship_id))
            elif tag == "sheets":
                break  # the rest (defined names and such) is read below like any other part
        targets = {
            attrib.get("Id"): attrib
            for tag, attrib in _elements(archive, parts["xl/_rels/workbook.xml.rels"])
            if tag == "Relationship"
        }
        sheets = []
        for name, relationship_id in entries:
            relationship = targets.get(relationship_id)
            if not name or relationship is None or relationship.get("TargetMode") == "External":
                raise _corrupt()
            target = relationship.get("Target", "")
            part = target[1:] if target.startswith("/") else posixpath.join("xl", target)
            part = posixpath.normpath(part).lower()
            if part not in parts:
                raise _corrupt()
            sheets.append((name, part))
        return sheets


def _check_sheet_names(names: list[str]):
    """Refuse two sheets of the same name, compared as Excel does: regardless of case.

    Excel never saves such a workbook, but a file made by hand or by a program can hold one,
    and a reader would then show only one of the two.
    """
    first_of: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        earlier = first_of.setdefault(name.lower(), position)
        if earlier != position:
            raise _Refusal(
                "duplicate_sheets",
                f"工作簿中有两个同名工作表：“{names[earlier - 1]}”（第{earlier}个）"
                f"和“{name}”（第{position}个）；请删除或改名其中一个后再导入。",
            )


def _elements(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[tuple[str, dict]]:
    """Yield (local name, attributes) of each element, parsed with defusedxml as it streams.

    Each element is dropped once it has ended, so a part of any length takes little memory.
    """
    try:
        with archive.open(info) as source:
            open_elements = []
            for event, element in iterparse(source, ("start", "end"), forbid_dtd=True):
                if event == "start":
                    open_elements.append(element)
                    continue
                open_elements.pop()
                yield element.tag.rpartition("}")[2], dict(element.attrib)
                if open_elements:
                    del open_elements[-1][-1]  # the element that ended is its parent's last
    except DefusedXmlException as error:
        raise _entities(info.filename) from error
    except ParseError as error:
        raise _corrupt() from error
    except _ZIP_ERRORS as error:
        raise _corrupt() from error


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """Yield a part's bytes; zipfile stops at the declared size and checks the CRC at the end."""
    try:
        with archive.open(info) as part:
            while chunk := part.read(CHUNK_BYTES):
                yield chunk
    except _ZIP_ERRORS as error:
        raise _corrupt() from error


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo):
    """Inflate a part that is not a sheet, checking the prolog of any XML."""
    chunks = _chunks(archive, info)
    first = next(chunks, b"")
    chunks = itertools.chain([first], chunks)
    if _looks_like_xml(info.filename, first):
        chunks = _body(_as_utf8(chunks, info.filename), info.filename)
    for _ in chunks:
        pass


_SST = re.compile(rb"<(?:[\w.-]+:)?sst(?=[\s/>])[^<>]*")
_UNIQUE_COUNT = re.compile(rb"""\suniqueCount\s*=\s*["']\s*([0-9]+)""")
_SI = re.compile(rb"<(?:[\w.-]+:)?si(?=[\s/>])")


def _check_shared_strings(archive: zipfile.ZipFile, info: zipfile.ZipInfo):
    """Inflate the shared-string table (as `_read_part`), refusing one that announces far
    more strings (its uniqueCount) than the <si> items it lists: a reader may set aside
    room for what it announces."""
    chunks = _body(_as_utf8(_chunks(archive, info), info.filename), info.filename)
    declared, items = None, 0
    for piece in _segments(chunks, info.filename):
        if declared is None:
            root = _SST.search(piece)
            if root:
                count = _UNIQUE_COUNT.search(root[0])
                declared = int(count[1][:30]) if count else 0
        items += len(_SI.findall(piece))
    if declared and declared > items + STRINGS_SLACK:
        raise _Refusal(
            "declared_size",
            f"共享字符串表（{info.filename}）声明有 {declared} 个字符串，实际只有 {items} 个，"
            "声明的大小与实际内容不符，文件内容异常，已拒绝。请在 Excel 中重新保存后再上传。",
        )


def _looks_like_xml(name: str, first: bytes) -> bool:
    if name.lower().endswith((".xml", ".rels", ".vml")):
        return True
    # A part may carry XML under any name: a relationship can point anywhere.
    start = first.removeprefix(codecs.BOM_UTF8).lstrip(b" \t\r\n")
    return start.startswith((b"<", b"\xff\xfe<\x00", b"\xfe\xff\x00<", b"\x00<"))


def _as_utf8(chunks: Iterator[bytes], part: str) -> Iterator[bytes]:
    """Yield an XML part as UTF-8 (or another ASCII-compatible encoding), recoding UTF-16."""
    first = next(chunks, b"")
    if first.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise _bad_encoding(part, "UTF-32")
    if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16"
    elif first.startswith(b"<\x00"):
        codec = "utf-16-le"
    elif first.startswith(b"\x00<"):
        codec = "utf-16-be"
    else:
        yield first
        yield from chunks
        return
    decoder = codecs.getincrementaldecoder(codec)()
    try:
        for chunk in itertools.chain([first], chunks):
            yield decoder.decode(chunk).encode()
        yield decoder.decode(b"", final=True).encode()
    except UnicodeDecodeError as error:
        raise _corrupt() from error


def _body(chunks: Iterator[bytes], part: str) -> Iterator[bytes]:
    """Refuse a DOCTYPE in the prolog, then yield the part from its root element on.

    A DOCTYPE (and so any ENTITY) may only come before the root element, so the scan stops
    there. The prolog may be padded with comments, processing instructions and whitespace;
    their contents are skipped as they stream, so a long padding costs no memory.
    """
    pending = b""
    inside = b""  # the end of the comment or processing instruction being skipped
    at_start = True  # an XML declaration may come next
    for chunk in chunks:
        buffer = pending + chunk
        if at_start:
            buffer = buffer.removeprefix(codecs.BOM_UTF8)
        while True:
            if inside:
                end = buffer.find(inside)
                if end < 0:
                    pending = buffer[-(len(inside) - 1) :]
                    break
                buffer, inside = buffer[end + len(inside) :], b""
                continue
            buffer = buffer.lstrip(b" \t\r\n")
            if not buffer.startswith(b"<"):
                # Text before the root is not well-formed XML; look on from the next tag.
                start = buffer.find(b"<")
                buffer = buffer[start:] if start >= 0 else b""
                at_start = False
                if not buffer:
                    pending = b""
                    break
            if len(buffer) < 6:  # too short to tell "<?xml " or "<!--" from the rest
                pending = buffer
                break
            if buffer.startswith(b"<!--"):
                buffer, inside = buffer[4:], b"-->"
            elif buffer.startswith(b"<?"):
                if at_start and _DECLARATION.match(buffer):
                    end = buffer.find(b"?>")
                    if end < 0 and len(buffer) < 1024:
                        pending = buffer  # wait for the whole declaration
                        break
                    _check_encoding(buffer[: max(end, 0)], part)
                buffer, inside = buffer[2:], b"?>"
            elif buffer.startswith(b"<!"):
                raise _entities(part)
            else:
                yield buffer
                yield from chunks
                return
            at_start = False
    if pending.startswith(b"<!"):
        raise _entities(part)


def _check_encoding(declaration: bytes, part: str):
    encoding = _ENCODING.search(declaration)
    if encoding:
        name = encoding[1].decode("ascii", "replace")
        if name.lower() not in _ENCODINGS:
            raise _bad_encoding(part, name)


def _segments(chunks: Iterator[bytes], sheet: str) -> Iterator[bytes]:
    """Yield the markup in pieces that end just before a '<', so that no tag is cut in two."""
    pending = b""
    for chunk in chunks:
        buffer = pending + chunk
        cut = buffer.rfind(b"<")
        if cut > 0:
            yield buffer[:cut]
            pending = buffer[cut:]
        else:
            pending = buffer
        if len(pending) > MAX_MARKUP_GAP:
            raise _corrupt(f"工作表“{sheet}”的内容格式异常，")
    if pending:
        yield pending


def _measure_sheet(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str, limits: _Limits
) -> tuple[tuple[int, int], UncomputedFormulas]:
    """Return the (rows, columns) a reader would allocate for a sheet, refusing one too big,
    and the sheet's formulas that have no computed value.
    """
    chunks = _as_utf8(_chunks(archive, info), info.filename)
    extent = _Extent(sheet, limits)
    formulas = _Formulas()
    for piece in _segments(_body(chunks, info.filename), sheet):
        extent.add_dimension(piece)
        if not extent.add_usual(piece):
            extent.add_any(piece)
        extent.check()
        formulas.add(piece)
    formulas.finish()
    extent.check_declared()
    return (extent.rows, extent.columns), formulas.found()


class _Extent:
    """The bounding box of one sheet, from A1 to the farthest row and column it mentions.

    That is the larger of its <dimension ref> and of every row and cell: by its r attribute,
    or, where r is left out, counting on from the row or cell before (as readers do).
    Markup in comments counts too: it can only make the box larger, never hide a cell.
    """

    def __init__(self, sheet: str, limits: _Limits):
        self.sheet = sheet
        self.limits = limits
        self.rows = self.columns = 0
        self.row_tags = self.cell_tags = 0
        self._row = self._column = 0  # the last row and column seen, for counting on

    def check(self):
        limits, sheet = self.limits, self.sheet
        rows = max(self.rows, self.row_tags)
        if rows > limits.rows:
            raise _sheet_too_large(
                f"工作表“{sheet}”声明了 {rows} 行，超过上限 {limits.rows} 行。"
                "请删除表格下方多余的空行（或只把数据区域复制到新工作簿）后重新保存，再上传。"
            )
        if self.columns > limits.columns:
            raise _sheet_too_large(
                f"工作表“{sheet}”声明了 {self.columns} 列，超过上限 {limits.columns} 列。"
                "请删除表格右侧多余的空列后重新保存，再上传。"
            )
        cells = max(self.rows * self.columns, self.cell_tags)
        if cells > limits.cells:
            raise _sheet_too_large(
                f"工作表“{sheet}”的数据区域为 {self.rows} 行 × {self.columns} 列"
                f"（{cells} 个单元格），超过上限 {limits.cells} 个单元格。"
                "请把数据拆分成几个文件后再上传。"
            )

    def check_declared(self):
        """Refuse a sheet whose bounding box, which a reader allocates whole, is many times
        the cells it actually writes: a <dimension> or a lone far cell that claims a size
        the sheet does not have."""
        box = self.rows * self.columns
        written = max(self.cell_tags, 1)
        if box > SPARSE_FLOOR_CELLS and box > self.limits.sparseness * written:
            raise _Refusal(
                "declared_size",
                f"工作表“{self.sheet}”声明的数据区域为 {self.rows} 行 × {self.columns} 列"
                f"（{box} 个单元格），实际只写了 {self.cell_tags} 个单元格，"
                f"相差超过 {self.limits.sparseness:g} 倍，声明的大小与实际内容不符，文件内容异常，"
                "已拒绝。请删除表格下方和右侧多余的空行空列（或只把数据区域复制到新工作簿）"
                "后重新保存，再上传。",
            )

    def add_dimension(self, piece: bytes):
        # openpyxl's read-only mode believes <dimension>; calamine does not. Readers look for it
        # before <sheetData> only, but a comment can fake a <sheetData>: look everywhere.
        if b"dimension" not in piece:
            return
        for ref in _DIMENSION.findall(piece):
            for letters, digits in _REFERENCE.findall(ref):
                self.columns = max(self.columns, _column_number(letters))
                self.rows = max(self.rows, _row_number(digits))

    def add_usual(self, piece: bytes) -> bool:
        """Count a piece whose rows and cells all start with r="…"; False if one does not.

        Every writer we know puts r first, so a sheet of 60,000 rows takes one vectorised pass
        of numpy over its bytes; a piece written otherwise is left to `add_any`.
        """
        a = np.frombuffer(piece + _PAD, dtype=np.uint8)
        colon = np.flatnonzero(a == ord(":"))
        if colon.size and (_is_tag(a, colon + 1, b"c") | _is_tag(a, colon + 1, b"row")).any():
            return False  # a prefixed <x:row> or <x:c>
        tags = np.flatnonzero(a == ord("<")) + 1
        first = a[tags]
        cells = tags[first == ord("c")]
        cells = cells[_is_tag(a, cells, b"c")]
        rows = tags[first == ord("r")]
        rows = rows[_is_tag(a, rows, b"row")]
        cell_refs = _leading_r(a, cells + 1, letters=True)
        row_refs = _leading_r(a, rows + 3, letters=False)
        if cell_refs is None or row_refs is None:
            return False
        self.cell_tags += cells.size
        self.row_tags += rows.size
        if cells.size:
            self.columns = max(self.columns, int(cell_refs[0].max()))
            self.rows = max(self.rows, int(cell_refs[1].max()))
        if rows.size:
            self.rows = max(self.rows, int(row_refs[1].max()))
            self._row = int(row_refs[1][-1])
        if cells.size and (not rows.size or cells[-1] > rows[-1]):
            self._column = int(cell_refs[0][-1])
        elif rows.size:
            self._column = 0
        return True

    def add_any(self, piece: bytes):
        """Count every row and cell however it is written, one by one."""
        for name, double_quoted, single_quoted in _TAG.findall(piece):
            ref = double_quoted or single_quoted
            if name == b"row":
                self.row_tags += 1
                self._row = (_row_number(ref) if ref.isdigit() else 0) or self._row + 1
                self._column = 0
                self.rows = max(self.rows, self._row)
            else:
                self.cell_tags += 1
                reference = _REFERENCE.fullmatch(ref)
                if reference:
                    self._column = _column_number(reference[1])
                    self.rows = max(self.rows, _row_number(reference[2]))
                else:
                    self._column += 1
                    self.rows = max(self.rows, self._row)
                self.columns = max(self.columns, self._column)


class _Formulas:
    """The formula cells of one sheet that carry no computed value.

    Excel saves each formula's last result in <v> beside its <f>; readers show that result and
    never calculate. A program that writes formulas without calculating them leaves <v> out
    (or empty), and the cell reads as blank. Sheets without formulas cost one quick search per
    piece. Pieces end just before a tag, not between cells, so what follows the last row tag of
    a piece (no cell is cut in two there) is held back and looked at with the next piece.
    """

    def __init__(self):
        self.count = 0
        self.cells: list[str] = []
        self._held = b""  # the markup after the last row tag, perhaps a cell cut in two

    def add(self, piece: bytes):
        # A piece ends before a '<', so no "row>" of <row …> or </row> is cut in two.
        last = piece.rfind(b"row>") + len(b"row>")
        if last < len(b"row>"):
            if len(self._held) + len(piece) <= MAX_MARKUP_GAP:
                self._held += piece  # the row goes on in the next piece
            else:
                self._scan(self._held + piece, 0, len(self._held) + len(piece))
                self._held = b""  # a row this long may hide a cell at the cut
            return
        # The held markup joins the piece up to its first row tag (one row at most); the rest
        # of the piece is searched where it lies, without a copy.
        start = 0
        if self._held:
            start = piece.find(b"row>") + len(b"row>")
            joined = self._held + piece[:start]
            self._scan(joined, 0, len(joined))
        self._scan(piece, start, last)
        self._held = piece[last:]

    def finish(self):
        if self._held:
            self._scan(self._held, 0, len(self._held))
            self._held = b""

    def found(self) -> UncomputedFormulas:
        return UncomputedFormulas(self.count, tuple(self.cells))

    def _scan(self, text: bytes, start: int, end: int):
        """Look at the whole cells that lie between `start` and `end` of `text`."""
        if not _MAYBE_FORMULA.search(text, start, end):
            return
        for formula in _UNCOMPUTED.finditer(text, start, end):
            opening = text.rfind(b"<", start, formula.start())
            if opening < 0 or not _OPENING.fullmatch(text, opening, formula.start()):
                continue  # an "f" that does not name an element
            cell = text.rfind(b"<", start, opening)
            tag = _TAG.match(text, cell) if cell >= 0 else None
            if tag is None or tag[1] != b"c":
                continue  # a formula outside a cell means nothing to a reader
            start_tag = text[tag.start() : opening]
            if formula["empty_value"] and _STRING_RESULT.search(start_tag):
                continue  # a formula whose result is the empty string
            self.count += 1
            reference = _REFERENCE.fullmatch(tag[2] or tag[3] or b"")
            if reference and len(self.cells) < UNCOMPUTED_CELLS_KEPT:
                self.cells.append((reference[1] + reference[2]).decode().upper())


def _is_tag(a: np.ndarray, at: np.ndarray, name: bytes) -> np.ndarray:
    """Which offsets hold `name` followed by whitespace, '/' or '>'."""
    found = _SEPARATOR[a[at + len(name)]]
    for i, byte in enumerate(name):
        found &= a[at + i] == byte
    return found


def _leading_r(a: np.ndarray, at: np.ndarray, *, letters: bool):
    """Read ` r="A1"` (or ` r="1"`) at each offset: (columns, rows), or None if one differs."""
    opening = np.ones(at.size, dtype=bool)
    for i, byte in enumerate(b' r="'):
        opening &= a[at + i] == byte
    if not opening.all():
        return None
    at = at + 4
    columns = np.zeros(at.size, dtype=np.int64)
    if letters:
        for _ in range(3):  # XFD, the last column Excel has, takes three letters
            byte = a[at]
            letter = _LETTER[byte]
            columns = np.where(letter, columns * 26 + byte - 64, columns)
            at += letter
        if (columns == 0).any() or _LETTER[a[at]].any():
            return None
    rows = np.zeros(at.size, dtype=np.int64)
    for _ in range(7):  # 1048576, the last row, takes seven digits
        byte = a[at]
        digit = _DIGIT[byte]
        rows = np.where(digit, rows * 10 + byte - 48, rows)
        at += digit
    if (rows == 0).any() or (a[at] != ord('"')).any():
        return None
    return columns, rows


def _column_number(letters: bytes) -> int:
    if len(letters) > 7:
        return _HUGE
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def _row_number(digits: bytes) -> int:
    return int(digits) if len(digits) <= 9 else _HUGE


def _text_kind(head: bytes) -> str | None:
    """Tell "markup" (HTML/XML) and "text" (CSV and the like) from binary data (None)."""
    if head.startswith(codecs.BOM_UTF8):
        text = head.decode("utf-8", "replace")
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head.decode("utf-16", "replace")
    elif b"\0" in head:
        return None
    else:
        for codec in ("utf-8", "gb18030"):  # Chinese Windows saves CSV in GBK
            try:
                # Incremental, so a character cut at the end of `head` is no error.
                text = codecs.getincrementaldecoder(codec)().decode(head)
                break
            except UnicodeDecodeError:
                continue
        else:
            return None
    if len(_CONTROL.findall(text)) > len(text) // 100:
        return None
    return "markup" if text.lstrip("\ufeff \t\r\n").startswith("<") else "text"


def _what_zip(parts: dict[str, zipfile.ZipInfo]) -> str:
    if "word/document.xml" in parts:
        kind = "这是 Word 文档（.docx）"
    elif "ppt/presentation.xml" in parts:
        kind = "这是 PowerPoint 演示文稿（.pptx）"
    elif "xl/workbook.bin" in parts:
        kind = "这是 Excel 二进制工作簿（.xlsb）"
    elif "mimetype" in parts and "content.xml" in parts:
        kind = "这是 OpenDocument 文件（如 WPS/LibreOffice 的 .ods）"
    else:
        return (
            "这是一个普通的压缩包，不是 Excel 工作簿（.xlsx）。"
            "请解压后上传其中的 .xlsx 文件，或上传用 Excel 保存的 .xlsx 文件。"
        )
    return f"{kind}，不是 Excel 工作簿（.xlsx）。请在对应软件中“另存为” .xlsx 格式后再上传。"


def _human(size: int, *, up: bool = False) -> str:
    """Return a size as people read it; `up` rounds up, so an excess never shows as the limit."""
    for unit, scale in (("MB", MB), ("KB", 1024)):
        if size >= scale:
            value = (math.ceil if up else round)(size * 10 / scale) / 10
            return f"{value:g} {unit}"
    return f"{size} 字节"


def _corrupt(detail: str = "") -> _Refusal:
    return _Refusal("corrupt", f"{detail}文件已损坏或不完整（可能上传中断），请重新保存后再上传。")


def _not_xlsx(text: str) -> _Refusal:
    return _Refusal("not_xlsx", text)


def _encrypted() -> _Refusal:
    return _Refusal(
        "encrypted",
        "文件设置了打开密码（已加密），平台无法读取。请在 Excel 中取消密码"
        "（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）并保存后再上传。",
    )


def _too_many_parts(count: int) -> _Refusal:
    return _not_xlsx(
        f"压缩包内有 {count} 个文件，超过上限 {MAX_PARTS} 个，不是正常的 Excel 工作簿。"
        "请在 Excel 中重新保存后再上传。"
    )


def _bad_encoding(part: str, encoding: str) -> _Refusal:
    return _not_xlsx(
        f"文件中的“{part}”使用了不支持的文本编码（{encoding}），不是有效的 Excel 工作簿。"
        "请在 Excel 中重新保存后再上传。"
    )


def _bomb_ratio(what: str, ratio: float, limit: float) -> _Refusal:
    return _Refusal(
        "zip_bomb",
        f"{what}压缩比为 {ratio:.0f}:1，超过上限 {limit:g}:1，文件内容异常（疑似“压缩炸弹”），"
        "已拒绝。请在 Excel 中重新保存后再上传。",
    )


def _entities(part: str) -> _Refusal:
    return _Refusal(
        "xml_entities",
        f"文件包含不允许的 XML 实体声明（DOCTYPE/ENTITY，位于“{part}”），可能是恶意构造的文件，"
        "已拒绝。请在 Excel 中打开后“另存为”新的 .xlsx 文件再上传。",
    )


def _sheet_too_large(text: str) -> _Refusal:
    return _Refusal("sheet_too_large", text)
