"""The forms that pick a report or a dashboard (park or zone, year and cut-off month) and
what the enterprise directory lists.

templates/includes/period_picker.html renders their visible fields with their own widgets.
"""

from urllib.parse import urlencode

from django import forms

from . import directory

MONTH_CHOICES = [("", "最新月份")] + [(str(month), f"{month}月") for month in range(1, 13)]
FORMAT_CHOICES = [("html", "网页"), ("xlsx", "Excel"), ("docx", "Word")]


def year_field() -> forms.IntegerField:
    """Return a report's year, blank for the latest."""
    field = forms.IntegerField(
        label="年份",
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": "请输入四位数的年份，如 2026。",
            "min_value": "年份不能早于 2000 年。",
            "max_value": "年份不能晚于 2100 年。",
        },
    )
    field.widget.attrs.update({"inputmode": "numeric", "min": 2000, "max": 2100})
    return field


def month_field() -> forms.TypedChoiceField:
    """Return a report's cut-off month, blank for the latest."""
    return forms.TypedChoiceField(
        label="截止月份",
        required=False,
        choices=MONTH_CHOICES,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "请选择 1 至 12 月。"},
    )


def park_choices(parks) -> list[tuple[str, str]]:
    """Return the parks as a select lists them: a zone, then its parks indented."""
    return [(park.code, park.name if park.is_zone else f"　{park.name}") for park in parks]


class YearEndForm(forms.Form):
    """Read the report's park, year, month and format from the query string."""

    park = forms.CharField(label="园区", required=False, max_length=32)
    year = year_field()
    month = month_field()
    format = forms.ChoiceField(
        label="格式",
        required=False,
        choices=FORMAT_CHOICES,
        # Chosen by the download links, not in the picker: a hidden field it leaves out.
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "格式只能是网页、xlsx 或 docx。"},
    )

    def __init__(self, *args, parks=(), **kwargs):
        super().__init__(*args, **kwargs)
        # A select of the parks the user may read; the view checks the park itself.
        self.fields["park"].widget = forms.Select(choices=park_choices(parks))


class DirectoryForm(forms.Form):
    """Read what the enterprise directory lists from the query string: a search, filters,
    the period of its figures, the sort and the format."""

    q = forms.CharField(
        label="企业名称或信用代码",
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "输入名称或信用代码的一部分"}
        ),
    )
    park = forms.CharField(label="园区", required=False, max_length=32)
    industry = forms.ChoiceField(label="产业", required=False)
    in_statistics = forms.ChoiceField(
        label="是否入统", required=False, choices=directory.IN_STATISTICS_CHOICES
    )
    scale_category = forms.ChoiceField(
        label="四上类别", required=False, choices=directory.SCALE_CHOICES
    )
    status = forms.ChoiceField(label="状态", required=False, choices=directory.STATUS_CHOICES)
    year = year_field()
    month = month_field()
    sort = forms.ChoiceField(
        label="排序",
        required=False,
        choices=directory.SORT_CHOICES,
        error_messages={"invalid_choice": "没有这种排序方式。"},
    )
    format = forms.ChoiceField(
        label="格式",
        required=False,
        choices=[("html", "网页"), ("xlsx", "Excel")],
        widget=forms.HiddenInput,  # chosen by the download link
        error_messages={"invalid_choice": "格式只能是网页或 xlsx。"},
    )

    # What a link of the list keeps of the query: everything but the page and the format.
    KEPT = ("q", "park", "industry", "in_statistics", "scale_category", "status")

    def __init__(self, *args, parks=(), industries=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The parks the user may read; the view checks the park itself.
        self.fields["park"].widget = forms.Select(choices=[("", "全部园区"), *park_choices(parks)])
        self.fields["industry"].choices = [
            ("", "全部"),
            *((str(industry.pk), industry.name) for industry in industries),
            (directory.NONE, directory.NO_INDUSTRY),
        ]

    def filters(self, park) -> directory.DirectoryFilters:
        """Return what the valid form asks the directory for, in `park` (checked by the view)."""
        data = self.cleaned_data
        return directory.DirectoryFilters(
            text=data["q"],
            park=park,
            industry=data["industry"],
            in_statistics=data["in_statistics"],
            scale_category=data["scale_category"],
            status=data["status"],
            sort=data["sort"] or directory.DEFAULT_SORT,
        )

    def query(self, period, sort: str, **changes) -> str:
        """Return the query string of the list as shown (its period filled in), with
        `changes`: the sort of a header's link, the format of the download."""
        values = {name: self.cleaned_data[name] for name in self.KEPT}
        values |= {"year": period.year, "month": period.month, "sort": sort, **changes}
        return urlencode({name: value for name, value in values.items() if value})
