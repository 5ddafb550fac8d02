"""The pipeline's forms: its filters, a follow-up, a stage change, a merge."""

import re

from django import forms

from parkportal.models import Industry, Park

from .choices import AssetType, Channel, LeadStage
from .models import FollowUp, Lead, OutreachEvent
from .selectors import PipelineFilters


class PipelineFilterForm(forms.Form):
    q = forms.CharField(label="搜索", required=False, max_length=100)
    channel = forms.ChoiceField(label="招商方式", required=False)
    industry = forms.ModelChoiceField(
        label="所属产业", queryset=Industry.objects.none(), required=False, empty_label="全部"
    )
    park = forms.ModelChoiceField(
        label="意向园区", queryset=Park.objects.none(), required=False, empty_label="全部"
    )
    owner = forms.CharField(label="负责人", required=False, max_length=50)
    asset_type = forms.ChoiceField(label="资产类型", required=False)
    stage = forms.ChoiceField(label="阶段", required=False)
    attention = forms.BooleanField(label="只看需关注的", required=False)

    def __init__(self, *args, parks, industries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = parks
        self.fields["industry"].queryset = industries
        self.fields["channel"].choices = [("", "全部"), *Channel.choices]
        self.fields["asset_type"].choices = [("", "全部"), *AssetType.choices]
        self.fields["stage"].choices = [("", "全部"), *LeadStage.choices]

    def filters(self, **extra) -> PipelineFilters:
        data = self.cleaned_data
        return PipelineFilters(
            channel=data["channel"],
            industry=data["industry"].pk if data["industry"] else None,
            park=data["park"].pk if data["park"] else None,
            owner=data["owner"].strip(),
            asset_type=data["asset_type"],
            attention=data["attention"],
            stage=data["stage"],
            search=data["q"].strip(),
            **extra,
        )


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["date", "method", "content", "next_step", "next_on", "by"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "next_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "content": forms.Textarea(attrs={"rows": 3}),
        }


class StageForm(forms.Form):
    stage = forms.ChoiceField(label="新阶段", choices=LeadStage.choices)
    on = forms.DateField(
        label="变更日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label="说明（终止时填写终止原因）", required=False, max_length=200)


class MergeForm(forms.Form):
    keep = forms.IntegerField(widget=forms.HiddenInput)
    merged = forms.IntegerField(widget=forms.HiddenInput)


class LeadForm(forms.ModelForm):
    """A new lead, at its first stage (对接)."""

    class Meta:
        model = Lead
        fields = [
            "code",
            "name",
            "investor",
            "investor_credit_code",
            "channel",
            "industry",
            "planned_investment",
            "land_area_mu",
            "asset_type",
            "docked_on",
            "park",
            "owner",
        ]
        widgets = {"docked_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, parks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = parks
        self.instance.stage = LeadStage.DOCKED


class EventForm(forms.ModelForm):
    """An outreach event and the leads docked at it, by their codes."""

    lead_codes = forms.CharField(
        label="对接的招商项目（线索编号，用、分隔）", required=False, max_length=2000
    )

    class Meta:
        model = OutreachEvent
        fields = [
            "date",
            "name",
            "kind",
            "place",
            "leader",
            "park",
            "leads_docked",
            "contracts_signed",
            "signed_amount",
        ]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, parks, leads, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = parks
        self.leads = leads

    def clean_lead_codes(self):
        codes = [code.strip() for code in re.split(r"[、,，\s]+", self.cleaned_data["lead_codes"])]
        codes = list(dict.fromkeys(code for code in codes if code))
        found = {lead.code: lead for lead in self.leads.filter(code__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise forms.ValidationError(f"线索编号不存在或无权跟进：{'、'.join(unknown)}")
        return list(found.values())
