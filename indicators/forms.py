"""The monthly entry's input: a grid of named cells, and the workflow's steps."""

import re

from django import forms

from .choices import PeriodAction

CELL = re.compile(r"^([vn])-(\d+)-(\d+)$")


def entries_from_post(data) -> tuple[dict[tuple[int, int], str], dict[tuple[int, int], str]]:
    """Return the figures (v-<enterprise>-<indicator>) and explanations (n-…) of a posted
    grid, by (enterprise id, indicator id), as typed."""
    figures, notes = {}, {}
    for name, value in data.items():
        match = CELL.match(name)
        if match:
            kind, enterprise, indicator = match.groups()
            target = figures if kind == "v" else notes
            target[(int(enterprise), int(indicator))] = value
    return figures, notes


class TransitionForm(forms.Form):
    """One step of the workflow, with its reason where one is needed."""

    action = forms.ChoiceField(choices=PeriodAction.choices)
    reason = forms.CharField(required=False, max_length=500)
