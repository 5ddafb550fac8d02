"""Write the demo's plan to the database by natural keys, through the records' doors."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from demo.data import (
    DEMO_ACCOUNTS,
    INDUSTRIES,
    LAST_MONTH,
    LAST_MONTH_STATUSES,
    PARKS,
    YEARS,
    ZONE,
)
from demo.plan import demo_plan
from demo.plan_base import (
    EnterprisePlan,
    EventPlan,
    FigurePlan,
    LeadPlan,
    ProgressPlan,
    ProjectPlan,
    TargetPlan,
)
from indicators.choices import ChangeSource, PeriodAction, PeriodStatus
from indicators.figures import figures_write, lock_periods
from indicators.models import Indicator, PeriodSubmission, Target
from indicators.selectors import entry_sheet
from indicators.services import period_figures_save
from indicators.workflow import period_transition
from investment.choices import LeadStage
from investment.models import Lead, LeadStageChange, OutreachEvent
from parkportal.choices import ParkKind, Role
from parkportal.models import Enterprise, Industry, Park
from parkportal.services import enterprise_save, user_save
from projects.models import Project, ProjectProgress, SpecialBond


@dataclass
class DemoSummary:
    """How much the demo holds, for the command to report."""

    zone: str
    parks: int
    enterprises: int
    in_statistics: int
    above_scale: int
    figures: int
    targets: int
    projects: int
    progress: int
    bonds: int
    leads: int
    events: int
    # (username, role, names of the parks bound to the user, password)
    accounts: list[tuple[str, Role, tuple[str, ...], str]] = field(default_factory=list)


def _upsert(model, lookup: dict, values: dict, save=None):
    """Create or update the row with the natural key `lookup`, validated before it is saved
    (by `save`, the record's door, where it has one)."""
    row = model.objects.filter(**lookup).first() or model(**lookup)
    for name, value in values.items():
        setattr(row, name, value)
    if save is not None:
        return save(row)
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def demo_zone_build() -> DemoSummary:
    """Write the demo zone, creating the rows that are missing and updating those that differ."""
    plan = demo_plan()
    industries = _write_industries()
    parks = _write_parks(industries)
    enterprises = _write_enterprises(plan.enterprises, parks, industries)
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    _write_figures(plan.figures, enterprises, indicators)
    _write_targets(plan.targets, parks, indicators)
    projects = _write_projects(plan.projects, parks, enterprises)
    _write_progress(plan.progress, plan.bonds, projects)
    _write_leads(plan.leads, parks, industries, projects)
    _write_events(plan.events)
    _write_accounts()
    _submit_last_month()
    park_names = {code: name for code, name, _, _ in PARKS} | {ZONE["code"]: ZONE["name"]}
    return DemoSummary(
        zone=ZONE["name"],
        parks=len(PARKS),
        enterprises=len(plan.enterprises),
        in_statistics=sum(e.in_statistics for e in plan.enterprises),
        above_scale=sum(bool(e.scale_category) for e in plan.enterprises),
        figures=len(plan.figures),
        targets=len(plan.targets),
        projects=len(plan.projects),
        progress=len(plan.progress),
        bonds=len(plan.bonds),
        leads=len(plan.leads),
        events=len(plan.events),
        accounts=[
            (username, role, tuple(park_names[code] for code in park_codes), password)
            for username, role, park_codes, password in DEMO_ACCOUNTS
        ],
    )


def _write_industries() -> dict[str, Industry]:
    industries = {}
    for order, (name, group) in enumerate(INDUSTRIES, start=1):
        industries[name] = _upsert(Industry, {"name": name}, {"group": group, "sort_order": order})
    return industries


def _write_parks(industries: dict[str, Industry]) -> dict[str, Park]:
    zone = _upsert(
        Park,
        {"code": ZONE["code"]},
        {
            "name": ZONE["name"],
            "kind": ParkKind.ZONE,
            "parent": None,
            "planned_area_mu": ZONE["planned_area_mu"],
            "assessment_category": ZONE["assessment_category"],
            "sort_order": 0,
        },
    )
    parks = {zone.code: zone}
    for order, (code, name, area, focus) in enumerate(PARKS, start=1):
        park = _upsert(
            Park,
            {"code": code},
            {
                "name": name,
                "kind": ParkKind.PARK,
                "parent": zone,
                "planned_area_mu": Decimal(area),
                "assessment_category": "",
                "sort_order": order,
            },
        )
        park.focus_industries.set([industries[industry] for industry in focus])
        parks[code] = park
    return parks


def _write_enterprises(
    plans: list[EnterprisePlan], parks: dict[str, Park], industries: dict[str, Industry]
) -> dict[str, Enterprise]:
    enterprises = {}
    for plan in plans:
        enterprises[plan.credit_code] = _upsert(
            Enterprise,
            {"credit_code": plan.credit_code},
            {
                "name": plan.name,
                "park": parks[plan.park],
                "industry": industries[plan.industry],
                "in_statistics": plan.in_statistics,
                "scale_category": plan.scale_category,
                "established_on": plan.established_on,
                "status": plan.status,
            },
            save=lambda row: enterprise_save(enterprise=row),
        )
    return enterprises


def _write_figures(
    plans: list[FigurePlan], enterprises: dict[str, Enterprise], indicators: dict[str, Indicator]
) -> None:
    """Write the figures through the figures' door: the months are approved as an
    admin's import of the zone's history would leave them, except the last month,
    which the parks are still reporting (one draft, one submitted, one approved).

    The last month's records that are not approved are made first, so the
    import-like write leaves them in their state (a month already in the workflow
    keeps it)."""
    for (code, _, _, _), status in zip(PARKS, LAST_MONTH_STATUSES, strict=True):
        if status == PeriodStatus.APPROVED:
            continue
        # a month to be submitted starts as a draft: its staff explain it and submit it
        # once the accounts exist (_submit_last_month)
        PeriodSubmission.objects.get_or_create(
            park=Park.objects.get(code=code),
            year=YEARS[-1],
            month=LAST_MONTH,
            defaults={"status": PeriodStatus.DRAFT},
        )
    figures_write(
        changes={
            (
                enterprises[plan.credit_code].pk,
                indicators[plan.indicator].pk,
                plan.year,
                plan.month,
            ): plan.value
            for plan in plans
        },
        user=None,
        source=ChangeSource.COMMAND,
        reference="演示数据",
        approve_new=True,
    )


def _write_targets(
    plans: list[TargetPlan], parks: dict[str, Park], indicators: dict[str, Indicator]
) -> None:
    Target.objects.bulk_create(
        [
            Target(
                park=parks[plan.park],
                indicator=indicators[plan.indicator],
                year=plan.year,
                kind=plan.kind,
                value=plan.value,
            )
            for plan in plans
        ],
        update_conflicts=True,
        unique_fields=["park", "indicator", "year", "kind"],
        update_fields=["value"],
    )


def _write_projects(
    plans: list[ProjectPlan], parks: dict[str, Park], enterprises: dict[str, Enterprise]
) -> dict[str, Project]:
    projects = {}
    for plan in plans:
        projects[plan.code] = _upsert(
            Project,
            {"code": plan.code},
            {
                "name": plan.name,
                "park": parks[plan.park],
                "enterprise": enterprises[plan.builder] if plan.builder else None,
                "category": plan.category,
                "stage": plan.stage,
                "total_investment": plan.total_investment,
                "land_area_mu": plan.land_area_mu,
                "start_date": plan.start_date,
                "completion_date": plan.completion_date,
                "key_level": plan.key_level,
                "official_in_charge": plan.official_in_charge,
            },
        )
    return projects


def _write_progress(
    progress: list[ProgressPlan],
    bonds: list[tuple[str, int, Decimal]],
    projects: dict[str, Project],
) -> None:
    """Write the projects' progress and bonds. The progress counts once its park's month
    is official: the months the figures left without a workflow (those before the
    enterprises' first figures) are approved as an admin's import of the history would
    leave them; the last month keeps the state the figures gave it."""
    lock_periods(
        {(projects[row.project].park_id, row.year, row.month) for row in progress},
        approve_new=True,
        reason="演示数据",
    )
    ProjectProgress.objects.bulk_create(
        [
            ProjectProgress(
                project=projects[row.project],
                year=row.year,
                month=row.month,
                completed_investment=row.completed,
                government_investment=row.government,
            )
            for row in progress
        ],
        update_conflicts=True,
        unique_fields=["project", "year", "month"],
        update_fields=["completed_investment", "government_investment"],
    )
    SpecialBond.objects.bulk_create(
        [
            SpecialBond(project=projects[code], year=year, amount=amount)
            for code, year, amount in bonds
        ],
        update_conflicts=True,
        unique_fields=["project", "year"],
        update_fields=["amount"],
    )


def _write_leads(
    plans: list[LeadPlan],
    parks: dict[str, Park],
    industries: dict[str, Industry],
    projects: dict[str, Project],
) -> None:
    """Write the leads, and replace a lead's stage history only where it differs from the plan."""
    leads = {}
    for plan in plans:
        leads[plan.code] = _upsert(
            Lead,
            {"code": plan.code},
            {
                "name": plan.name,
                "investor": plan.investor,
                "channel": plan.channel,
                "industry": industries[plan.industry],
                "planned_investment": plan.planned_investment,
                "land_area_mu": plan.land_area_mu,
                "asset_type": plan.asset_type,
                "stage": plan.stage,
                "docked_on": plan.docked_on,
                "signed_on": plan.reached_on(LeadStage.SIGNED),
                "landed_on": plan.reached_on(LeadStage.LANDED),
                "park": parks[plan.park],
                "project": projects[plan.project] if plan.project else None,
                "owner": plan.owner,
                "drop_reason": plan.history[-1][3] if plan.stage == LeadStage.DROPPED else "",
            },
        )
    recorded: dict[int, list[tuple]] = defaultdict(list)
    for lead_id, *change in LeadStageChange.objects.filter(
        lead__in=list(leads.values())
    ).values_list("lead_id", "from_stage", "to_stage", "changed_on", "note"):
        recorded[lead_id].append(tuple(change))
    stale, fresh = [], []
    for plan in plans:
        lead = leads[plan.code]
        if recorded[lead.pk] != plan.history:
            stale.append(lead.pk)
            fresh.extend(
                LeadStageChange(
                    lead=lead, from_stage=from_stage, to_stage=to_stage, changed_on=on, note=note
                )
                for from_stage, to_stage, on, note in plan.history
            )
    LeadStageChange.objects.filter(lead_id__in=stale).delete()
    LeadStageChange.objects.bulk_create(fresh)


def _write_events(plans: list[EventPlan]) -> None:
    for plan in plans:
        _upsert(
            OutreachEvent,
            {"date": plan.date, "name": plan.name},
            {
                "kind": plan.kind,
                "place": plan.place,
                "leader": plan.leader,
                "leads_docked": plan.leads_docked,
                "contracts_signed": plan.contracts_signed,
                "signed_amount": plan.signed_amount,
            },
        )


def demo_accounts_ready() -> set[str]:
    """Return the demo accounts that exist and still have their demo password."""
    users = get_user_model().objects.filter(
        username__in=[username for username, *_ in DEMO_ACCOUNTS]
    )
    passwords = {username: password for username, _, _, password in DEMO_ACCOUNTS}
    return {user.username for user in users if user.check_password(passwords[user.username])}


def _submit_last_month() -> None:
    """Submit the last month of the parks the demo shows as having reported it, as their
    staff would: every warning explained through the entry's save, then the submission
    through the workflow. A month already submitted (a second run) is left as it is."""
    for (code, _, _, _), status in zip(PARKS, LAST_MONTH_STATUSES, strict=True):
        if status != PeriodStatus.SUBMITTED:
            continue
        park = Park.objects.get(code=code)
        if PeriodSubmission.objects.filter(
            park=park, year=YEARS[-1], month=LAST_MONTH, status=PeriodStatus.DRAFT
        ).exists():
            staff = get_user_model().objects.get(
                username=next(
                    username
                    for username, role, park_codes, _ in DEMO_ACCOUNTS
                    if role == Role.STAFF and park_codes == (code,)
                )
            )
            sheet = entry_sheet(park, YEARS[-1], LAST_MONTH)
            period_figures_save(
                park=park,
                year=YEARS[-1],
                month=LAST_MONTH,
                user=staff,
                typed={},
                shown={},
                notes={
                    (cell.enterprise_id, cell.indicator.pk): _demo_note(cell)
                    for cell in sheet.cells
                    if cell.explainable and not cell.explained
                },
                notes_shown={},
                submitting=True,
            )
            period_transition(
                park=park, year=YEARS[-1], month=LAST_MONTH, action=PeriodAction.SUBMIT, user=staff
            )


def _demo_note(cell) -> str:
    """Return what a park's clerk would write under a warned figure."""
    if cell.missing:
        return "企业本月停产检修，暂无数据，已电话核实。"
    if cell.growth is not None and cell.growth < 0:
        return "受订单减少影响，本月产销下降，已与企业财务核实。"
    return "本月集中交付订单，数据已与企业财务核实。"


def _write_accounts() -> None:
    """Create the demo accounts; a password is set again only when it no longer matches."""
    users = {
        user.username: user
        for user in get_user_model().objects.filter(
            username__in=[username for username, *_ in DEMO_ACCOUNTS]
        )
    }
    for username, role, park_codes, password in DEMO_ACCOUNTS:
        user = users.get(username)
        unchanged = user is not None and user.check_password(password)
        user_save(
            username=username,
            role=role,
            park_codes=park_codes,
            password=None if unchanged else password,
        )
