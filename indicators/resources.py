"""The sheets of indicators: 目标 (targets and forecasts) and 月度指标 (monthly figures)."""

from parkportal.resources import (
    LookupWidget,
    SheetResource,
    choice,
    column,
    integer,
    number,
    park_lookup,
    reading,
)

from .choices import TargetKind
from .models import Indicator, MonthlyValue, Target
from .monthly_sheet import CREDIT_CODE, KEY_HEADERS, MONTH, SHEET, YEAR
from .services import targets_import


def indicator_lookup() -> LookupWidget:
    return LookupWidget(Indicator, ("name",), "指标")


class TargetResource(SheetResource):
    sheet = "目标"
    required = ("园区", "年份", "指标", "类型", "数值")

    park = column("park", "园区", park_lookup())
    park_name = reading("park__name", "园区名称")
    year = column("year", "年份", integer(minimum=2000, maximum=2100, label="年份"))
    indicator = column("indicator", "指标", indicator_lookup())
    kind = column("kind", "类型", choice(TargetKind))
    value = column("value", "数值", number())

    class Meta(SheetResource.Meta):
        model = Target
        import_id_fields = ["park", "year", "indicator", "kind"]
        fields = ["park", "park_name", "year", "indicator", "kind", "value"]

    def get_queryset(self):
        return Target.objects.select_related("park", "indicator").order_by(
            "year", "park__code", "indicator__sort_order", "kind"
        )

    bulk = True

    def bulk_save(self, instances, errors, *, user=None, reason: str = ""):
        return targets_import(targets=instances, errors=errors, user=user, reason=reason)


class MonthlyValueResource(SheetResource):
    """The wide 月度指标 sheet: one row per enterprise and month, one column per indicator.

    It is the big sheet (60,000 rows for 5,000 enterprises), so its import checks
    whole columns and writes in bulk upserts instead of django-import-export's
    row-by-row path, which manages about 1,000 updated rows a second here. Its
    headers and export still come from the resource, like every other sheet.
    """

    sheet = SHEET
    required = (CREDIT_CODE, YEAR, MONTH)
    KEY_HEADERS = KEY_HEADERS

    class Meta(SheetResource.Meta):
        model = MonthlyValue
        fields = []

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.indicators = list(Indicator.objects.active())

    @classmethod
    def headers(cls) -> list[str]:
        return [*cls.KEY_HEADERS, *(indicator.header for indicator in cls().indicators)]

    @classmethod
    def template_headers(cls) -> list[str]:
        return cls.headers()  # 企业名称 is read and checked here, not for reading only

    def known_headers(self) -> set[str]:
        """Return every header the sheet takes: the keys and every indicator of the catalog."""
        return {*self.KEY_HEADERS, *(i.header for i in Indicator.objects.all())}

    def export_rows(self):
        """Yield the sheet's rows, an enterprise-month each, in the order of the headers."""
        values = (
            MonthlyValue.objects.filter(indicator__in=self.indicators)
            .order_by("enterprise__park__code", "enterprise__credit_code", "year", "month")
            .values_list(
                "enterprise__credit_code",
                "enterprise__name",
                "year",
                "month",
                "indicator_id",
                "value",
            )
        )
        columns = {indicator.pk: i for i, indicator in enumerate(self.indicators)}
        current_key, current = None, None
        for credit_code, name, year, month, indicator_id, value in values.iterator(chunk_size=5000):
            key = (credit_code, year, month)
            if key != current_key:
                if current is not None:
                    yield current
                current_key = key
                current = [credit_code, name, year, month, *([None] * len(columns))]
            current[4 + columns[indicator_id]] = value
        if current is not None:
            yield current
