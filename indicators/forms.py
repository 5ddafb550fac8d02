"""The monthly entry's input: a grid of named cells, and the workflow's steps."""

import re
from dataclasses import dataclass, field

from django import forms

from parkportal.text import has_control_characters, without_control_characters

from .choices import PeriodAction

# v-: the figure typed, o-: the figure the page showed; n-/on-: the same for a 说明.
CELL = re.compile(r"^(v|o|n|on)-(\d+)-(\d+)$")
CONTROL_CHARACTERS = "含有不可见的控制字符，已去掉；请核对后重新保存"

Key = tuple[int, int]


@dataclass
class PostedGrid:
    """A posted entry grid, by (enterprise id, indicator id), as typed."""

    typed: dict[Key, str] = field(default_factory=dict)
    shown: dict[Key, str] = field(default_factory=dict)
    notes: dict[Key, str] = field(default_factory=dict)
    notes_shown: dict[Key, str] = field(default_factory=dict)
    unreadable: dict[Key, str] = field(default_factory=dict)  # figures with control characters
    unreadable_notes: dict[Key, str] = field(default_factory=dict)  # 说明 with them


def grid_from_post(data) -> PostedGrid:
    """Return the cells of a posted grid. Text with control characters (a NUL pasted
    from another program) is kept without them and its cell marked unreadable, so
    the page shows it again with the message instead of storing it."""
    grid = PostedGrid()
    targets = {"v": grid.typed, "o": grid.shown, "n": grid.notes, "on": grid.notes_shown}
    for name, value in data.items():
        match = CELL.match(name)
        if not match:
            continue
        kind, enterprise, indicator = match.groups()
        key = (int(enterprise), int(indicator))
        if has_control_characters(value):
            value = without_control_characters(value)
            if kind == "v":
                grid.unreadable[key] = CONTROL_CHARACTERS
            elif kind == "n":
                grid.unreadable_notes[key] = "说明" + CONTROL_CHARACTERS
        targets[kind][key] = value
    return grid


class TransitionForm(forms.Form):
    """One step of the workflow, with its reason where one is needed."""

    action = forms.ChoiceField(choices=PeriodAction.choices)
    reason = forms.CharField(required=False, max_length=500)
