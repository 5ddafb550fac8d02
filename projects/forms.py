"""Forms of the project pages: the list's filters, and the records staff edit."""

from urllib.parse import urlencode

from django import forms

from .choices import KeyLevel, Light, ProjectCategory, ProjectStage, YearStatus
from .models import Milestone, Project, ProjectIssue
from .selectors import ANY_KEY, ProjectFilters

ALL = [("", "全部")]
SORT_CHOICES = [
    ("park", "按园区"),
    ("code", "按项目编号"),
    ("name", "按项目名称"),
    ("-investment", "总投资从高到低"),
    ("investment", "总投资从低到高"),
    ("-light", "红灯在前"),
    ("start", "按开工日期"),
]


class ProjectListForm(forms.Form):
    """The project list's search, filters and sort, read from the query string."""

    q = forms.CharField(label="搜索", required=False, max_length=100)
    park = forms.ChoiceField(label="园区", required=False)
    category = forms.ChoiceField(
        label="项目类别", required=False, choices=ALL + ProjectCategory.choices
    )
    stage = forms.ChoiceField(label="项目阶段", required=False, choices=ALL + ProjectStage.choices)
    key_level = forms.ChoiceField(
        label="重点级别", required=False, choices=[*ALL, (ANY_KEY, "各级重点"), *KeyLevel.choices]
    )
    year_status = forms.ChoiceField(
        label="新开工/续建", required=False, choices=ALL + YearStatus.choices
    )
    year = forms.IntegerField(label="年份", required=False, min_value=2000, max_value=2100)
    light = forms.ChoiceField(label="红黄绿灯", required=False, choices=ALL + Light.choices)
    sort = forms.ChoiceField(label="排序", required=False, choices=SORT_CHOICES)

    def __init__(self, *args, parks, **kwargs):
        super().__init__(*args, **kwargs)
        self.parks = {park.code: park for park in parks}
        self.fields["park"].choices = ALL + [(park.code, park.name) for park in parks]
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "field__input")

    def clean(self):
        data = super().clean()
        if data.get("year_status") and not data.get("year"):
            self.add_error("year", "选择“新开工/续建”时请填写年份。")
        return data

    def filters(self) -> ProjectFilters:
        data = self.cleaned_data
        return ProjectFilters(
            text=data["q"].strip(),
            park=self.parks.get(data["park"]),
            category=data["category"],
            stage=data["stage"],
            key_level=data["key_level"],
            year=data["year"],
            year_status=data["year_status"],
            light=data["light"],
            sort=data["sort"] or "park",
        )

    def query(self, **extra) -> str:
        """Return the query string of the list as asked, with `extra` replaced."""
        given = {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}
        return urlencode(given | extra)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


def dated(form_class):
    """Give every date field of `form_class` a browser date picker."""
    for field in form_class.base_fields.values():
        if isinstance(field, forms.DateField):
            field.widget = DateInput()
        field.widget.attrs.setdefault("class", "field__input")
    return form_class


@dated
class ProjectForm(forms.ModelForm):
    """A project's facts staff keep: stage, dates, money, who answers for it."""

    class Meta:
        model = Project
        fields = [
            "name",
            "stage",
            "total_investment",
            "budget",
            "planned_start_date",
            "start_date",
            "completion_date",
            "production_date",
            "key_level",
            "official_in_charge",
            "responsible_unit",
        ]


@dated
class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["name", "planned_date", "actual_date", "responsible_unit", "handler"]


@dated
class IssueForm(forms.ModelForm):
    class Meta:
        model = ProjectIssue
        fields = ["code", "raised_on", "description", "responsible_unit", "deadline", "meeting"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


@dated
class IssueCloseForm(forms.Form):
    solved_on = forms.DateField(label="解决日期")
    solution = forms.CharField(
        label="解决情况", max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


@dated
class BriefingForm(forms.Form):
    date = forms.DateField(label="调度会日期", required=False)
