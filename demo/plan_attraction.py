"""Plan the investment attraction: the leads and the stages they went through, and the events."""

import math
import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from demo.data import (
    AS_OF,
    BRAND_CHARACTERS,
    CHANNEL_WEIGHTS,
    DROP_REASONS,
    EVENT_CITIES,
    EVENT_LEADERS,
    EVENTS_PER_YEAR,
    FIRST_DAY,
    FORUMS,
    INDUSTRIES,
    INVESTOR_KINDS,
    INVESTOR_PLACES,
    LEAD_COUNT,
    LEAD_OUTCOMES,
    LEAD_OWNERS,
    LEAD_PATH,
    LEAD_PRODUCTS,
    PARK_OF_INDUSTRY,
    STAGE_NOTES,
    YEARS,
)
from demo.plan_base import (
    EnterprisePlan,
    EventPlan,
    LeadPlan,
    ProjectPlan,
    _brands,
    _day_between,
    _rng,
    _round_to,
)
from investment.choices import AssetType, EventKind, LeadStage
from projects.choices import ProjectStage


def plan_leads(projects: list[ProjectPlan], enterprises: list[EnterprisePlan]) -> list[LeadPlan]:
    """Return the demo's investment leads: those that became projects, then the others."""
    rng = _rng("leads")
    brands = _brands(rng, LEAD_COUNT, {e.brand for e in enterprises})
    industry_of = {e.credit_code: e.industry for e in enterprises}
    # Projects started before August 2024 were docked before the demo's first year.
    leads = [
        _project_lead(rng, project, industry_of[project.builder])
        for project in projects
        if project.builder
        and (project.start_date is None or project.start_date >= date(2024, 8, 1))
    ]
    industries = [name for name, _ in INDUSTRIES]
    while len(leads) < LEAD_COUNT:
        leads.append(_free_lead(rng, brands.pop(), rng.choice(industries)))
    leads.sort(key=lambda lead: (lead.docked_on, lead.name))
    per_year: dict[int, int] = defaultdict(int)
    for lead in leads:
        per_year[lead.docked_on.year] += 1
        lead.code = f"ZS{lead.docked_on.year}{per_year[lead.docked_on.year]:03d}"
    return leads


def _channel(rng: random.Random) -> str:
    return rng.choices(list(CHANNEL_WEIGHTS), weights=list(CHANNEL_WEIGHTS.values()))[0]


def _history(
    rng: random.Random, stages: list[str], docked_on: date, last: date, *, dropped: bool = False
) -> list[tuple[str, str, date, str]]:
    """Return the stage changes through `stages` (then 终止 if `dropped`), from `docked_on`
    to `last` at the latest."""
    to_stages = [*stages, LeadStage.DROPPED] if dropped else list(stages)
    gaps = [rng.randint(15, 120) for _ in to_stages[1:]]
    room, total = max((last - docked_on).days, 0), sum(gaps)
    if total > room:
        gaps = [gap * room // total for gap in gaps]
    history, on, previous = [], docked_on, ""
    for stage, gap in zip(to_stages, [0, *gaps], strict=True):
        on += timedelta(days=gap)
        note = rng.choice(DROP_REASONS) if stage == LeadStage.DROPPED else STAGE_NOTES[stage]
        history.append((previous, stage, on, note))
        previous = stage
    return history


def _project_lead(rng: random.Random, project: ProjectPlan, industry: str) -> LeadPlan:
    """Return the lead a project came from: landed if it started, else signed or intended."""
    if project.start_date:
        stages, last = LEAD_PATH, project.start_date - timedelta(days=rng.randint(0, 20))
        docked_on = last - timedelta(days=rng.randint(150, 330))
    elif project.stage == ProjectStage.PLANNING:
        stages, last = LEAD_PATH[:3], AS_OF - timedelta(days=rng.randint(20, 60))
        docked_on = last - timedelta(days=rng.randint(90, 200))
    else:
        stages, last = LEAD_PATH[:4], AS_OF - timedelta(days=rng.randint(30, 150))
        docked_on = last - timedelta(days=rng.randint(90, 240))
    docked_on = max(docked_on, FIRST_DAY + timedelta(days=rng.randint(3, 20)))
    history = _history(rng, stages, docked_on, last)
    # The last step lands exactly on `last`: the day of signing or of landing.
    history[-1] = (*history[-1][:2], last, history[-1][3])
    return LeadPlan(
        name=project.name,
        investor=project.builder_name,
        channel=_channel(rng),
        industry=industry,
        planned_investment=project.total_investment,
        land_area_mu=project.land_area_mu,
        asset_type=AssetType.HEAVY,
        park=project.park,
        owner=rng.choice(LEAD_OWNERS[project.park]),
        history=history,
        project=project.code,
    )


def _free_lead(rng: random.Random, brand: str, industry: str) -> LeadPlan:
    """Return a lead that has not (yet) become a project."""
    outcomes = [outcome for outcome, _, _ in LEAD_OUTCOMES]
    outcome = rng.choices(outcomes, weights=[weight for _, weight, _ in LEAD_OUTCOMES])[0]
    first, last = next(window for stage, _, window in LEAD_OUTCOMES if stage == outcome)
    docked_on = _day_between(rng, first, last)
    if outcome == LeadStage.DROPPED:
        history = _history(rng, LEAD_PATH[: rng.randint(1, 3)], docked_on, AS_OF, dropped=True)
    else:
        history = _history(rng, LEAD_PATH[: LEAD_PATH.index(outcome) + 1], docked_on, AS_OF)
    light = rng.random() < 0.3
    if light:
        planned = _round_to(rng.uniform(1000, 10000), 100)
        land = None
    else:
        planned = _round_to(min(math.exp(rng.gauss(math.log(30000), 0.7)), 200000), 100)
        land = Decimal(round(float(planned) / rng.uniform(150, 400)))
    park = PARK_OF_INDUSTRY[industry]
    return LeadPlan(
        name=f"{brand}{rng.choice(LEAD_PRODUCTS[industry])}项目",
        investor=f"{rng.choice(INVESTOR_PLACES)}{brand}{rng.choice(INVESTOR_KINDS)}",
        channel=_channel(rng),
        industry=industry,
        planned_investment=planned,
        land_area_mu=land,
        asset_type=AssetType.LIGHT if light else AssetType.HEAVY,
        park=park,
        owner=rng.choice(LEAD_OWNERS[park]),
        history=history,
    )


def plan_events() -> list[EventPlan]:
    """Return the outreach events of the three years: trips, fairs, forums, receptions."""
    rng = _rng("events")
    industries = [name for name, _ in INDUSTRIES]
    events = []
    for year in YEARS:
        last = AS_OF if year == YEARS[-1] else date(year, 12, 20)
        kinds = [kind for kind, count in EVENTS_PER_YEAR for _ in range(count)]
        rng.shuffle(kinds)
        days = sorted(rng.sample(range((last - date(year, 1, 5)).days + 1), len(kinds)))
        forums = rng.sample(FORUMS, sum(1 for kind in kinds if kind == EventKind.FORUM))
        for day, kind in zip(days, kinds, strict=True):
            city, industry = rng.choice(EVENT_CITIES), rng.choice(industries)
            if kind == EventKind.TRIP:
                name, place = f"赴{city}开展{industry}产业招商对接", city
                docked, signed = rng.randint(3, 9), rng.randint(0, 2)
            elif kind == EventKind.PROMOTION:
                name, place = f"{industry}产业专题招商推介会", rng.choice(["县会展中心", city])
                docked, signed = rng.randint(6, 15), rng.randint(2, 6)
            elif kind == EventKind.FORUM:
                name, place = forums.pop(), rng.choice(["北京", "县政府会议中心"])
                docked, signed = rng.randint(2, 6), rng.randint(0, 1)
            else:
                brand = "".join(rng.sample(BRAND_CHARACTERS, 2))
                name, place = f"接待{city}{brand}集团考察团", "开发区管委会"
                docked, signed = rng.randint(1, 3), rng.randint(0, 1)
            amount = sum(_round_to(rng.uniform(3000, 40000), 100) for _ in range(signed))
            events.append(
                EventPlan(
                    date=date(year, 1, 5) + timedelta(days=day),
                    name=name,
                    kind=kind,
                    place=place,
                    leader=rng.choice(EVENT_LEADERS),
                    leads_docked=docked,
                    contracts_signed=signed,
                    signed_amount=Decimal(amount),
                )
            )
    return events
