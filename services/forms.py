"""The service desk's forms: the list's filters, a case recorded, a case closed."""

from django import forms
from django.utils import timezone

from .choices import CaseCategory, CaseChannel, CaseKind, HandlingMode, Satisfaction
from .models import ServiceCase
from .selectors import LISTS

ANY = [("", "全部")]


class CaseFilterForm(forms.Form):
    """The list's filters: which list, search, park, type, channel, category, unit."""

    state = forms.ChoiceField(label="列表", choices=list(LISTS.items()), required=False)
    q = forms.CharField(label="搜索", required=False, max_length=100)
    park = forms.ChoiceField(label="园区", required=False)
    kind = forms.ChoiceField(label="服务类型", choices=ANY + CaseKind.choices, required=False)
    channel = forms.ChoiceField(label="渠道", choices=ANY + CaseChannel.choices, required=False)
    category = forms.ChoiceField(label="类别", choices=ANY + CaseCategory.choices, required=False)
    unit = forms.CharField(label="承办单位", required=False, max_length=100)

    def __init__(self, *args, parks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["park"].choices = ANY + [(park.code, park.name) for park in parks]


class CaseForm(forms.ModelForm):
    """A request or an approval recorded for an enterprise of the user's parks."""

    class Meta:
        model = ServiceCase
        fields = [
            "code",
            "kind",
            "enterprise",
            "received_on",
            "channel",
            "category",
            "subject",
            "unit",
            "days_allowed",
        ]
        widgets = {
            "received_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "subject": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"days_allowed": "自然日；不填按类别的默认时限。"}

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.fields["enterprise"].required = True
        self.fields["days_allowed"].required = False
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("received_on", timezone.localdate())


class CloseForm(forms.Form):
    """A case closed: the day, the outcome, 办理方式 and the enterprise's satisfaction."""

    closed_on = forms.DateField(
        label="办结日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    outcome = forms.CharField(label="办理结果", max_length=500, widget=forms.Textarea({"rows": 3}))
    mode = forms.ChoiceField(label="办理方式", choices=HandlingMode.choices)
    satisfaction = forms.ChoiceField(
        label="满意度", choices=[("", "未评价"), *Satisfaction.choices], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("closed_on", timezone.localdate())
