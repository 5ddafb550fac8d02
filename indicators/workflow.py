"""A park-month's workflow: 填报中 → 已上报 → 已审核（锁定）, and back.

The steps, who may take them and from where are defined here once; the entry
page and its template ask `allowed_actions` which buttons to show, and
`period_transition` is the one door through which a month moves.
"""

from dataclasses import dataclass

from django.db import transaction

from parkportal.data_version import data_version_bump
from parkportal.models import Park
from parkportal.roles import can_approve

from .choices import PeriodAction, PeriodStatus
from .figures import lock_periods
from .models import PeriodEvent, PeriodSubmission
from .selectors import entry_sheet


class EntryRefused(Exception):
    """A change the month's state or the user's role does not allow; says why in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


TRANSITIONS = {
    PeriodAction.SUBMIT: (PeriodStatus.DRAFT, PeriodStatus.SUBMITTED),
    PeriodAction.WITHDRAW: (PeriodStatus.SUBMITTED, PeriodStatus.DRAFT),
    PeriodAction.APPROVE: (PeriodStatus.SUBMITTED, PeriodStatus.APPROVED),
    PeriodAction.RETURN: (PeriodStatus.SUBMITTED, PeriodStatus.DRAFT),
    PeriodAction.UNLOCK: (PeriodStatus.APPROVED, PeriodStatus.DRAFT),
}
ADMIN_ACTIONS = frozenset({PeriodAction.APPROVE, PeriodAction.RETURN, PeriodAction.UNLOCK})
REASON_REQUIRED = frozenset({PeriodAction.RETURN, PeriodAction.UNLOCK})
# The steps the entry page offers below the grid; submitting is the grid's own button.
PAGE_STEPS = (PeriodAction.WITHDRAW, PeriodAction.APPROVE, PeriodAction.RETURN, PeriodAction.UNLOCK)
BUTTONS = {
    PeriodAction.WITHDRAW: "撤回上报",
    PeriodAction.APPROVE: "审核通过并锁定",
    PeriodAction.RETURN: "退回修改",
    PeriodAction.UNLOCK: "解锁",
}


@dataclass(frozen=True)
class Step:
    """A step the user may take now, as the page offers it."""

    action: PeriodAction
    needs_reason: bool

    @property
    def label(self) -> str:
        return self.action.label

    @property
    def button(self) -> str:
        return BUTTONS[self.action]

    @property
    def value(self) -> str:
        return self.action.value


def may_enter(user, park: Park) -> bool:
    """Return whether `user` may enter and submit the park's figures."""
    return Park.objects.editable_by(user).filter(pk=park.pk).exists()


def may_take(action: PeriodAction, *, user, entering: bool) -> bool:
    """Return whether a user may take `action` on a park's month at all: admins the
    review steps, those who enter the park's figures the others."""
    return can_approve(user) if action in ADMIN_ACTIONS else entering


def allowed_actions(status: str, *, user, entering: bool) -> list[Step]:
    """Return the steps `user` may take on a month in `status`, in the page's order.

    `entering` says whether the user enters this park's figures (may_enter)."""
    return [
        Step(action, action in REASON_REQUIRED)
        for action in PAGE_STEPS
        if TRANSITIONS[action][0] == status and may_take(action, user=user, entering=entering)
    ]


def is_editable(status: str) -> bool:
    """Return whether a month's figures may be changed in its state: drafts only."""
    return status == PeriodStatus.DRAFT


def refuse_unless_editable(submission: PeriodSubmission) -> None:
    if submission.status == PeriodStatus.APPROVED:
        raise EntryRefused(
            f"{submission.park.name}{submission.year}年{submission.month}月的数据已审核锁定，"
            "不能修改；如需更正，请管理员先解锁。"
        )
    if submission.status == PeriodStatus.SUBMITTED:
        raise EntryRefused(
            f"{submission.park.name}{submission.year}年{submission.month}月的数据已上报，"
            "等待审核；如需修改，请先撤回。"
        )


def refuse_unless_enters(user, park: Park) -> None:
    if not may_enter(user, park):
        raise EntryRefused(f"您没有填报{park.name}数据的权限。")


def period_for_update(park: Park, year: int, month: int) -> PeriodSubmission:
    """Return the park-month's workflow record, created if missing, locked for this
    transaction (the same lock the figures' door takes)."""
    records, _ = lock_periods({(park.pk, year, month)})
    return records[(park.pk, year, month)]


@transaction.atomic
def period_transition(*, park, year: int, month: int, action: str, user, reason: str = ""):
    """Move the park-month through its workflow: draft → submitted → approved (locked),
    and back (withdraw, return, unlock). Refuses with a Chinese message when the
    month is not where the step starts, the user may not take it, a reason is
    missing, or, for a submission, a figure has an error or an unexplained warning."""
    action = PeriodAction(action)
    if action in ADMIN_ACTIONS:
        if not can_approve(user):
            raise EntryRefused(f"只有管理员可以{action.label}。")
    else:
        refuse_unless_enters(user, park)
    reason = reason.strip()
    if action in REASON_REQUIRED and not reason:
        raise EntryRefused(f"请填写{action.label}的原因。")
    submission = period_for_update(park, year, month)
    start, end = TRANSITIONS[action]
    if submission.status != start:
        raise EntryRefused(
            f"本月当前状态为“{submission.get_status_display()}”，不能{action.label}。"
        )
    if action == PeriodAction.SUBMIT:
        sheet = entry_sheet(park, year, month)
        if sheet.error_count:
            raise EntryRefused(f"有{sheet.error_count}处数据错误，请更正后再上报。")
        if sheet.unexplained:
            raise EntryRefused(
                f"有{len(sheet.unexplained)}处数据提示尚未填写说明，请填写说明并保存后再上报。"
            )
    submission.status = end
    submission.save(update_fields=["status"])
    PeriodEvent.objects.create(submission=submission, action=action, user=user, reason=reason)
    data_version_bump()  # approving or returning changes which figures are official
    return submission
