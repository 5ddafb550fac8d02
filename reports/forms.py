"""The form that picks a report or a dashboard: park or zone, year and cut-off month.

templates/includes/period_picker.html renders its visible fields with their own widgets.
"""

from django import forms

MONTH_CHOICES = [("", "最新月份")] + [(str(month), f"{month}月") for month in range(1, 13)]
FORMAT_CHOICES = [("html", "网页"), ("xlsx", "Excel"), ("docx", "Word")]


class YearEndForm(forms.Form):
    """Read the report's park, year, month and format from the query string."""

    park = forms.CharField(label="园区", required=False, max_length=32)
    year = forms.IntegerField(
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
    month = forms.TypedChoiceField(
        label="截止月份",
        required=False,
        choices=MONTH_CHOICES,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "请选择 1 至 12 月。"},
    )
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
        self.fields["park"].widget = forms.Select(
            choices=[(park.code, park.name if park.is_zone else f"　{park.name}") for park in parks]
        )
        self.fields["year"].widget.attrs.update({"inputmode": "numeric", "min": 2000, "max": 2100})
