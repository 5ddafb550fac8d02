"""The spreadsheet format's shared machinery, and the register's sheets (园区, 产业, 企业).

Every sheet of the zone's workbook is a django-import-export resource built on
`SheetResource`: its fields name the Chinese headers once, and the same fields
read imports and write exports and templates. Cells are read by the tolerant
parsers of `parkportal.cells` through the widgets below.
"""

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from django.db.models import Model
from import_export import fields, resources, widgets
from import_export.instance_loaders import ModelInstanceLoader

from parkportal import cells

from .choices import EnterpriseStatus, IndustryGroup, ParkKind, ScaleCategory
from .history import import_reason
from .models import Enterprise, Industry, Park
from .services import enterprise_refusal, enterprise_save, enterprises_import, records_import


class CellWidget(widgets.Widget):
    """Read a cell with one of the tolerant parsers; write the value as it is."""

    def __init__(
        self,
        parse: Callable[[object], object],
        render: Callable | None = None,
        options: tuple[str, ...] = (),
    ):
        super().__init__(coerce_to_string=False)
        self.parse = parse
        self.render_value = render
        # The labels a choice column takes, for the templates' drop-down lists.
        self.options = options
        self.summable = False

    def clean(self, value, row=None, **kwargs):
        try:
            return self.parse(value)
        except cells.CellError as error:
            raise ValueError(error.message) from error

    def render(self, value, obj=None, **kwargs):
        # Raw values: the workbook writer marks formula-like text as text (see workbook.writer).
        if self.render_value is not None:
            return self.render_value(value)
        return value


def text(max_length: int, *, blank: str = "") -> CellWidget:
    """Return a widget for free text of at most `max_length` characters."""
    return CellWidget(lambda raw: cells.parse_text(raw, max_length=max_length) or blank)


def number(*, allow_negative: bool = True, decimal_places: int = 4) -> CellWidget:
    widget = CellWidget(
        lambda raw: cells.parse_decimal(
            raw, decimal_places=decimal_places, allow_negative=allow_negative
        )
    )
    widget.summable = True  # a 合计 row's figure in this column is checked against the rows
    return widget


def integer(
    *, minimum: int | None = None, maximum: int | None = None, label: str = "数值"
) -> CellWidget:
    return CellWidget(
        lambda raw: cells.parse_int(raw, minimum=minimum, maximum=maximum, label=label)
    )


def date() -> CellWidget:
    return CellWidget(cells.parse_date)


def choice(choices, *, blank: str = "") -> CellWidget:
    """Return a widget that reads a choice by its Chinese label and writes the label."""
    lookup = cells.choice_lookup(choices)
    labels = dict(choices.choices)
    return CellWidget(
        lambda raw: cells.parse_choice_with(lookup, raw) or blank,
        render=lambda value: labels.get(value, ""),
        options=tuple(labels.values()),
    )


def yes_no() -> CellWidget:
    return CellWidget(
        cells.parse_bool_label,
        render=lambda value: "" if value is None else "是" if value else "否",
        options=("是", "否"),
    )


AMBIGUOUS = object()  # in a lookup's index: a name that several records share


class LookupWidget(widgets.ForeignKeyWidget):
    """A foreign key read by code or name, looked up in one query per import.

    `keys` are the model fields a cell may match, tried in order (e.g. a park by
    its code, then by its name); export writes the first.
    """

    def __init__(self, model: type[Model], keys: tuple[str, ...], label: str):
        super().__init__(model, field=keys[0])
        self.keys = keys
        self.label = label
        self._index: dict[str, Model] | None = None

    def reset(self) -> None:
        """Forget the looked-up rows, so that rows written by an earlier sheet are seen."""
        self._index = None

    def index(self) -> dict[str, Model]:
        if self._index is None:
            self._index = {}
            instances = list(self.model.objects.all())
            for key in reversed(self.keys):  # the code last: a code wins over a name
                found: dict[str, Model] = {}
                for instance in instances:
                    value = str(getattr(instance, key))
                    found[value] = AMBIGUOUS if value in found else instance
                self._index.update(found)
        return self._index

    def clean(self, value, row=None, **kwargs):
        try:
            key = cells.parse_text(value, max_length=200)
        except cells.CellError as error:
            raise ValueError(error.message) from error
        if not key:
            return None
        index = self.index()
        if key not in index:
            # A row written earlier in this import (a zone above its parks) is found here.
            index[key] = None
            for field in self.keys:
                found = list(self.model.objects.filter(**{field: key})[:2])
                if found:
                    index[key] = found[0] if len(found) == 1 else AMBIGUOUS
                    break
        if index[key] is None:
            raise ValueError(f"{self.label}“{key}”不存在")
        if index[key] is AMBIGUOUS:
            raise ValueError(
                f"{self.label}“{key}”有多条同名记录，请改填编码（企业填统一社会信用代码）"
            )
        return index[key]

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else getattr(value, self.field)


class NaturalKeyLoader(ModelInstanceLoader):
    """Load every existing row of the sheet's model once, keyed by its whole natural key.

    django-import-export's CachedInstanceLoader keys on the first import id field
    only, which loses updates for keys of several fields.
    """

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.key_fields = [resource.fields[name] for name in resource.get_import_id_fields()]
        queryset = resource.get_queryset()
        related = [f.attribute for f in self.key_fields if isinstance(f.widget, LookupWidget)]
        if related:
            queryset = queryset.select_related(*related)
        self.instances = {
            tuple(field.get_value(instance) for field in self.key_fields): instance
            for instance in queryset
        }

    def get_instance(self, row):
        try:
            key = tuple(field.clean(row) for field in self.key_fields)
        except ValueError:
            # A key cell that cannot be read: the row's import reports it on its column.
            return None
        return self.instances.get(key)


def column(attribute: str, header: str, widget: widgets.Widget) -> fields.Field:
    """Return the field that reads and writes `attribute` under the Chinese `header`."""
    return fields.Field(attribute=attribute, column_name=header, widget=widget)


def reading(attribute: str, header: str) -> fields.Field:
    """Return a column for reading only: the name of a record that the sheet refers to
    by its code (所属园区名称 beside 所属园区), so that an export reads as names.

    `attribute` is the relation and its name ("park__name"). The import writes nothing
    from it; when it is filled in, it must be the name of the record the code gives.
    """
    return fields.Field(attribute=attribute, column_name=header, widget=text(200), readonly=True)


class SheetResource(resources.ModelResource):
    """One sheet of the zone's workbook."""

    sheet: ClassVar[str]
    # Headers a sheet cannot do without (marked * in the format); the first finds the header row.
    required: ClassVar[tuple[str, ...]]

    class Meta:
        abstract = True
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True
        instance_loader_class = NaturalKeyLoader
        # The workbook importer holds every sheet in one transaction of its own.
        use_transactions = False

    @classmethod
    def headers(cls) -> list[str]:
        return [field.column_name for field in cls().get_export_fields()]

    # Called with the number of rows done, every PROGRESS_EVERY rows, when set.
    progress: Callable[[int], None] | None = None
    PROGRESS_EVERY = 200

    def before_import(self, dataset, **kwargs):
        for field in self.fields.values():
            if isinstance(field.widget, LookupWidget):
                field.widget.reset()

    def before_save_instance(self, instance, row, **kwargs):
        """Record who wrote the row and from which file, in its change history."""
        super().before_save_instance(instance, row, **kwargs)
        user = kwargs.get("user")
        if user is not None and user.is_authenticated:
            instance._history_user = user
        if kwargs.get("reference"):
            instance._change_reason = import_reason(kwargs["reference"])

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        number = kwargs.get("row_number") or 0
        if self.progress is not None and number % self.PROGRESS_EVERY == 0:
            self.progress(number)

    @classmethod
    def template_headers(cls) -> list[str]:
        """Return the headers a blank template has: the sheet's, without the columns
        for reading only (a name that an export writes beside its code)."""
        return [field.column_name for field in cls().get_export_fields() if not field.readonly]

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.readonly:
            if field.column_name in row:
                self.check_reading(field, row)
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def check_reading(self, field, row) -> None:
        """Check a column for reading only against the record its code column gives."""
        given = field.clean(row)
        if not given:
            return
        relation, _, name = field.attribute.partition("__")
        source = next(f for f in self.fields.values() if f.attribute == relation)
        try:
            record = source.clean(row)
        except ValueError:
            return  # the code's own column says what is wrong with it
        if record is None:
            raise ValueError(
                f"“{source.column_name}”为空；“{field.column_name}”仅供阅读，请填写“{source.column_name}”"
            )
        if getattr(record, name) != given:
            raise ValueError(
                f"“{given}”与“{source.column_name}”所指的“{getattr(record, name)}”不一致"
                f"（本列仅供阅读，导入以“{source.column_name}”为准，请改成一致或清空本列）"
            )

    # A sheet whose rows are written together through its door's bulk function
    # (`bulk_save`) rather than row by row.
    bulk: ClassVar[bool] = False

    def read_instances(
        self, headers: list[str], rows: list[list], progress: Callable[[int], None] | None = None
    ) -> tuple[list[Model], dict[int, dict[str, list[str]]]]:
        """Read every row onto its stored record (found by the sheet's whole key, the
        register loaded in one query) or a new one, and return the records with what
        could not be read, per row position and attribute, in the row path's words."""
        self.before_import(None)
        key_fields = [self.fields[name] for name in self.get_import_id_fields()]
        stored = NaturalKeyLoader(self).instances  # the key's related records joined
        self.add_new_records(stored, headers, rows)
        fields = [field for field in self.get_import_fields() if field.column_name in headers]
        model = self._meta.model
        instances, errors = [], {}
        for position, row in enumerate(rows):
            values = dict(zip(headers, row, strict=True))
            try:
                instance = stored.get(tuple(field.clean(values) for field in key_fields))
            except ValueError:
                instance = None  # the key's own column says what is wrong with it
            if instance is None:
                instance = model()
            for field in fields:
                try:
                    self.import_field(field, instance, values)
                except ValueError as error:
                    errors.setdefault(position, {})[field.attribute] = [str(error)]
            instances.append(instance)
            if progress is not None and (position + 1) % self.PROGRESS_EVERY == 0:
                progress(position + 1)
        return instances, errors

    def bulk_save(self, instances, errors, *, user=None, reason: str = ""):
        """Check and write the sheet's records through its door's bulk function; return
        its RegisterImported."""
        raise NotImplementedError

    def add_new_records(self, stored: dict, headers: list[str], rows: list[list]) -> None:
        """Add to `stored` (the records by key) the new records of the sheet that other
        rows may refer to before they are written; nothing by default."""

    def header_for(self, attribute: str) -> str:
        """Return the column header of a model attribute (for error messages)."""
        for field in self.fields.values():
            if field.attribute == attribute:
                return field.column_name
        return ""


def park_lookup() -> LookupWidget:
    return LookupWidget(Park, ("code", "name"), "园区")


def industry_lookup() -> LookupWidget:
    return LookupWidget(Industry, ("name",), "产业")


class ParkResource(SheetResource):
    sheet = "园区"
    required = ("园区编码", "园区名称", "类型")

    code = column("code", "园区编码", text(32))
    name = column("name", "园区名称", text(100))
    parent = column("parent", "上级园区编码", park_lookup())
    parent_name = reading("parent__name", "上级园区名称")
    kind = column("kind", "类型", choice(ParkKind))
    planned_area_mu = column(
        "planned_area_mu", "规划面积(亩)", number(allow_negative=False, decimal_places=2)
    )
    assessment_category = column("assessment_category", "考核类别", text(50))

    class Meta(SheetResource.Meta):
        model = Park
        import_id_fields = ["code"]
        fields = [
            "code",
            "name",
            "parent",
            "parent_name",
            "kind",
            "planned_area_mu",
            "assessment_category",
        ]

    def get_queryset(self):
        return Park.objects.select_related("parent").order_by("parent_id", "sort_order", "code")

    bulk = True

    def bulk_save(self, instances, errors, *, user=None, reason: str = ""):
        return records_import(records=instances, errors=errors, user=user, reason=reason)

    def add_new_records(self, stored, headers, rows):
        """A zone the sheet creates may be the parent of its parks, on rows above or
        below it: each new park is made up front and found by its code or name."""
        if "园区编码" not in headers:
            return
        index = self.fields["parent"].widget.index()
        code_at = headers.index("园区编码")
        name_at = headers.index("园区名称") if "园区名称" in headers else None
        names = {}
        for row in rows:
            try:
                code = cells.parse_text(row[code_at], max_length=32)
                name = cells.parse_text(row[name_at], max_length=100) if name_at is not None else ""
            except cells.CellError:
                continue  # the row's own columns say what is wrong with it
            if not code or (code,) in stored:
                continue
            park = stored[(code,)] = Park(code=code, name=name)
            index[code] = park  # a code wins over a name
            if name and name not in index:
                names[name] = AMBIGUOUS if name in names else park
        index.update(names)


class IndustryResource(SheetResource):
    sheet = "产业"
    required = ("产业名称", "产业类别")

    name = column("name", "产业名称", text(50))
    group = column("group", "产业类别", choice(IndustryGroup))

    class Meta(SheetResource.Meta):
        model = Industry
        import_id_fields = ["name"]
        fields = ["name", "group"]

    bulk = True

    def bulk_save(self, instances, errors, *, user=None, reason: str = ""):
        return records_import(records=instances, errors=errors, user=user, reason=reason)


class EnterpriseResource(SheetResource):
    sheet = "企业"
    required = ("统一社会信用代码", "企业名称", "所属园区", "是否入统")

    credit_code = column("credit_code", "统一社会信用代码", CellWidget(cells.parse_credit_code))
    name = column("name", "企业名称", text(200))
    park = column("park", "所属园区", park_lookup())
    park_name = reading("park__name", "所属园区名称")
    industry = column("industry", "所属产业", industry_lookup())
    in_statistics = column("in_statistics", "是否入统", yes_no())
    scale_category = column("scale_category", "四上类别", choice(ScaleCategory))
    established_on = column("established_on", "成立日期", date())
    status = column("status", "状态", choice(EnterpriseStatus, blank=EnterpriseStatus.ACTIVE))

    class Meta(SheetResource.Meta):
        model = Enterprise
        import_id_fields = ["credit_code"]
        fields = [
            "credit_code",
            "name",
            "park",
            "park_name",
            "industry",
            "in_statistics",
            "scale_category",
            "established_on",
            "status",
        ]

    def get_queryset(self):
        return Enterprise.objects.select_related("park", "industry").order_by(
            "park__code", "credit_code"
        )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Check the row as a model, then whether the register's door would refuse it
        (a change of park, status or 入统 over approved months)."""
        errors = dict(import_validation_errors or {})
        refusal = enterprise_refusal(instance)
        if refusal:
            errors.setdefault("park", []).append(refusal)
        super().validate_instance(instance, errors, validate_unique)

    bulk = True

    def bulk_save(self, instances, errors, *, user=None, reason: str = ""):
        return enterprises_import(enterprises=instances, errors=errors, user=user, reason=reason)

    def do_instance_save(self, instance, is_create):
        """Save through the register's door; before_save_instance has put the importing
        user and the file on the instance for its change history."""
        enterprise_save(
            enterprise=instance,
            user=getattr(instance, "_history_user", None),
            reason=getattr(instance, "_change_reason", ""),
        )


@dataclass(frozen=True)
class Problem:
    """What is wrong with one cell, row or sheet of an import, said in Chinese."""

    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = f"工作表“{self.sheet}”"
        if self.row is not None:
            where += f"第{self.row}行"
        if self.column:
            where += f"“{self.column}”列"
        return f"{where}：{self.message}"


@dataclass
class SheetOutcome:
    """How a sheet's rows fared: created, updated, unchanged, and what was found.

    A problem refuses the whole workbook; a warning (a 合计 row that does not add
    up, a 上年同期 figure unlike the stored one) and a notice (a totals row skipped,
    a derived column left out, "—" read as blank) are shown and do not.
    """

    sheet: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = dataclasses.field(default_factory=list)
    warnings: list[Problem] = dataclasses.field(default_factory=list)
    notices: list[Problem] = dataclasses.field(default_factory=list)
    # The sheet's headers and its first rows as read, for the preview.
    headers: list[str] = dataclasses.field(default_factory=list)
    first_rows: list[list[str]] = dataclasses.field(default_factory=list)
