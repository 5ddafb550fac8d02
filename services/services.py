"""Writes of the service desk: one door for a case, recorded, changed or closed."""

from collections.abc import Mapping, Sequence
from datetime import date
from functools import cache

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from parkportal.data_version import data_version_bump
from parkportal.register_lock import register_door, registers_import
from parkportal.services import RegisterImported, register_import

from .domain import default_days, due_date
from .models import ServiceCase


def case_refusal(case: ServiceCase) -> dict[str, str]:
    """Return what keeps `case` from being saved, by field, in Chinese ({} when nothing)."""
    errors = {}
    if case.enterprise_id is None and case.project_id is None:
        errors["enterprise"] = "请填写企业；尚未注册为企业的项目请填写项目编号。"
    if case.closed_on is not None:
        if not case.outcome.strip():
            errors["outcome"] = "办结时必须填写办理结果。"
        if case.received_on and case.closed_on < case.received_on:
            errors["closed_on"] = (
                f"办结日期{case.closed_on:%Y-%m-%d}早于受理日期{case.received_on:%Y-%m-%d}。"
            )
        if case.closed_on > timezone.localdate():
            errors["closed_on"] = f"办结日期{case.closed_on:%Y-%m-%d}晚于今天。"
    elif case.satisfaction:
        errors["satisfaction"] = "尚未办结的事项不能填写满意度。"
    return errors


def may_record(user, case: ServiceCase) -> bool:
    """Return whether `user` may record or close `case`: admins any, staff their parks'."""
    from parkportal.models import Park

    park_id = case_park_id(case)
    return park_id is not None and Park.objects.editable_by(user).filter(pk=park_id).exists()


def case_park_id(case: ServiceCase) -> int | None:
    """Return the park a case belongs to: its enterprise's, else its project's, else None."""
    if case.enterprise_id is not None:
        return case.enterprise.park_id
    if case.project_id is not None:
        return case.project.park_id
    return None


NOT_YOURS = "无权登记该企业的服务事项。"


def case_prepare(case: ServiceCase) -> ServiceCase:
    """Fill what a case derives: blank days allowed take the category's default
    (SERVICE_TIME_LIMITS), and the due date is the day received plus the days allowed."""
    if case.days_allowed is None and case.category:
        case.days_allowed = default_days(case.category, settings.SERVICE_TIME_LIMITS)
    if case.received_on and case.days_allowed is not None:
        case.due_on = due_date(case.received_on, case.days_allowed)
    return case


@register_door
def service_case_save(*, case: ServiceCase, user=None, reason: str = "") -> ServiceCase:
    """Check and save a request or an approval handled, with its change history.

    Days allowed left blank take the category's default (SERVICE_TIME_LIMITS); the due
    date is the day received plus the days allowed. A case needs an enterprise or a
    project; a closed one its outcome and a closing day between the day received and
    today; an open one has no satisfaction yet. `user` (None for the system) must be
    allowed to record the case's park; the history records them and `reason`, and the
    data version is bumped for the reports that count the case.
    """
    if user is not None and user.is_authenticated and not may_record(user, case):
        raise PermissionDenied(NOT_YOURS)
    case_prepare(case)
    errors = case_refusal(case)
    try:
        case.full_clean()
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages[0])
    if errors:
        raise ValidationError(errors)
    if user is not None and user.is_authenticated:
        case._history_user = user
    if reason:
        case._change_reason = reason
    case.save()
    data_version_bump()  # the dashboard's and the reports' service figures change
    return case


@registers_import
def service_cases_import(
    *,
    cases: Sequence[ServiceCase],
    errors: Mapping[int, Mapping[str, list[str]]] | None = None,
    user=None,
    reason: str = "",
) -> RegisterImported:
    """Create or change many cases at once (the workbook's 企业服务 sheet), by the rules
    of `service_case_save`, in a few statements whatever their number.

    `cases` are new instances, or stored ones with the new values set; `errors` what the
    caller found already, per position and field (those rows are not checked further).
    Each case first derives what it derives (`case_prepare`: the category's days allowed
    when blank, the due date), so a row read again compares as unchanged. Each new or
    changed case is then checked as `service_case_save` checks it: `case_refusal` (an
    enterprise or a project, a closed case's outcome and closing day, no satisfaction
    while open), `full_clean` for the fields it leaves, and, for a signed-in `user`,
    whether they may record the case's park; with any error nothing is written.
    Otherwise the new and changed ones are written with their change history (the user
    and `reason`) and the data version is bumped; cases equal to the stored ones write
    nothing.
    """
    from parkportal.models import Park

    for case in cases:
        case_prepare(case)
    signed_in = user is not None and user.is_authenticated

    @cache
    def parks() -> set[int]:
        """Return the parks `user` may record: looked up once, when a case first asks."""
        return set(Park.objects.editable_by(user).values_list("pk", flat=True))

    def refusal(case: ServiceCase, found: Mapping[str, list[str]]) -> dict[str, list[str]]:
        # As on the row path: the refusal speaks for its fields, full_clean for the rest;
        # a case with nothing else against it is then asked whether the user may record it.
        refused = {field: [message] for field, message in case_refusal(case).items()}
        if not refused and not found and signed_in and case_park_id(case) not in parks():
            refused["enterprise" if case.enterprise_id is not None else "project"] = [NOT_YOURS]
        return refused

    return register_import(
        ServiceCase, cases, errors, key=("code",), user=user, reason=reason, refusal=refusal
    )


@register_door
def service_case_close(
    *,
    case: ServiceCase,
    closed_on: date,
    outcome: str,
    mode: str,
    satisfaction: str = "",
    user=None,
) -> ServiceCase:
    """Close `case` on `closed_on` with its outcome, 办理方式 and the enterprise's
    satisfaction, through the case's door. A closed case is refused."""
    # Lock the case's row alone: PostgreSQL locks no nullable side of an outer join.
    case = (
        ServiceCase.objects.select_for_update(of=("self",))
        .select_related("enterprise", "project")
        .get(pk=case.pk)
    )
    if case.closed_on is not None:
        raise ValidationError({"closed_on": f"该事项已于{case.closed_on:%Y-%m-%d}办结。"})
    case.closed_on = closed_on
    case.outcome = outcome.strip()
    case.mode = mode
    case.satisfaction = satisfaction
    return service_case_save(case=case, user=user, reason="办结")
