"""The completeness of a month (报送完成情况): which parks have submitted it and which
enterprises have reported.

An enterprise has reported when it has an official figure of an active indicator in
the month (indicators.official.has_reported), the question the dashboard's attention
list asks too. Figures entered in a month its park has not yet submitted are drafts:
counted apart, so the page can show admins where work is under way.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from parkportal.choices import EnterpriseStatus
from parkportal.models import Enterprise, Park

from .choices import PeriodStatus
from .models import PeriodSubmission
from .official import has_reported, is_official


@dataclass
class ParkCompleteness:
    """A park's month: its workflow state, and which of its enterprises have reported."""

    park: Park
    status: str
    status_display: str
    enterprises: int
    reported: int  # enterprises with an official figure of the month
    drafted: int  # enterprises with figures of the month that do not count yet
    missing: list[Enterprise]  # each with `has_figures`: whether it has draft figures

    @property
    def counts(self) -> bool:
        """Whether the park's month counts (submitted, or approved)."""
        return is_official(self.status)

    @property
    def percent(self) -> int:
        return round(self.reported * 100 / self.enterprises) if self.enterprises else 100


def completeness(year: int, month: int) -> list[ParkCompleteness]:
    """Return, for every park, its month's status and which enterprises have reported.

    Three queries.
    """
    parks = list(
        Park.objects.parks()
        .annotate(
            entry_count=Count(
                "enterprises",
                filter=~Q(enterprises__status=EnterpriseStatus.DEREGISTERED),
            )
        )
        .order_by("code")
    )
    statuses = dict(
        PeriodSubmission.objects.filter(year=year, month=month).values_list("park_id", "status")
    )
    missing = defaultdict(list)
    reported = defaultdict(int)
    drafted = defaultdict(int)
    enterprises = (
        Enterprise.objects.registered()
        .filter(park__in=parks)
        .annotate(
            reported=has_reported(year, month),
            has_figures=has_reported(year, month, drafts=True),
        )
        .order_by("name", "pk")
    )
    for enterprise in enterprises:
        if enterprise.reported:
            reported[enterprise.park_id] += 1
            continue
        missing[enterprise.park_id].append(enterprise)
        if enterprise.has_figures:  # not reported, yet with figures: a draft
            drafted[enterprise.park_id] += 1
    labels = dict(PeriodStatus.choices)
    return [
        ParkCompleteness(
            park=park,
            status=(status := statuses.get(park.pk, PeriodStatus.DRAFT)),
            status_display=labels[status],
            enterprises=park.entry_count,
            reported=reported[park.pk],
            drafted=drafted[park.pk],
            missing=missing[park.pk],
        )
        for park in parks
    ]
