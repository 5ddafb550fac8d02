"""What the parts of the plan share: the plan's rows as dataclasses, and small helpers."""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from demo.data import BRAND_CHARACTERS, LAST_MONTH, SEED, YEARS
from parkportal.choices import EnterpriseStatus

# --- The plan: plain data ----------------------------------------------------------------------


@dataclass
class EnterprisePlan:
    """One demo enterprise and the traits its figures are drawn from."""

    credit_code: str
    name: str
    brand: str
    park: str
    industry: str
    in_statistics: bool
    scale_category: str
    established_on: date
    industrial: bool
    skips_january: bool
    revenue: float  # a year's revenue in 万元 at the level of 2024; later years add `growth`
    growth: dict[int, float]  # year → growth over the year before
    output_ratio: float
    margin: float
    tax_rate: float
    employees: int
    upgrade_investment: float  # a year's own equipment investment (技改) in 万元, 0 for none
    status: str = EnterpriseStatus.ACTIVE
    suspended_from: tuple[int, int] | None = None


@dataclass(frozen=True)
class ProjectPlan:
    """One demo project, with its builder's credit code if it has one."""

    code: str
    name: str
    park: str
    category: str
    stage: str
    total_investment: Decimal
    land_area_mu: Decimal | None
    start_date: date | None
    completion_date: date | None
    key_level: str
    official_in_charge: str
    builder: str | None
    builder_name: str
    government_percent: int


@dataclass(frozen=True)
class ProgressPlan:
    """A project's year-to-date completed investment and its government-financed part."""

    project: str
    year: int
    month: int
    completed: Decimal
    government: Decimal


@dataclass(frozen=True)
class FigurePlan:
    """An enterprise's figure for one indicator and month."""

    credit_code: str
    indicator: str
    year: int
    month: int
    value: Decimal


@dataclass(frozen=True)
class TargetPlan:
    """A park's annual target or forecast."""

    park: str
    indicator: str
    year: int
    kind: str
    value: Decimal


@dataclass
class LeadPlan:
    """One investment lead and the stages it went through."""

    name: str
    investor: str
    channel: str
    industry: str
    planned_investment: Decimal
    land_area_mu: Decimal | None
    asset_type: str
    park: str
    owner: str
    history: list[tuple[str, str, date, str]]  # (from stage, to stage, date, note)
    project: str | None = None
    code: str = ""

    @property
    def stage(self) -> str:
        return self.history[-1][1]

    @property
    def docked_on(self) -> date:
        return self.history[0][2]

    def reached_on(self, stage: str) -> date | None:
        """Return the date the lead reached `stage`, or None if it never did."""
        return next((on for _, to, on, _ in self.history if to == stage), None)


@dataclass(frozen=True)
class EventPlan:
    """One outreach event."""

    date: date
    name: str
    kind: str
    place: str
    leader: str
    leads_docked: int
    contracts_signed: int
    signed_amount: Decimal


# --- Small helpers -----------------------------------------------------------------------------


def _rng(part: str) -> random.Random:
    """Return the random generator of one part of the demo; string seeds hash stably."""
    return random.Random(f"{SEED}:{part}")


def _wan(hundredths: int) -> Decimal:
    """Return an amount given in hundredths of 万元 as Decimal 万元 with 2 decimals at most."""
    return Decimal(hundredths) / 100


def _hundredths(amount: float) -> int:
    return round(amount * 100)


def _round_to(amount: float, step: int) -> Decimal:
    """Return `amount` rounded to a whole multiple of `step`, as targets are set."""
    return Decimal(round(amount / step) * step)


def _months(year: int) -> range:
    return range(1, (LAST_MONTH if year == YEARS[-1] else 12) + 1)


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


def _brands(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """Return `count` two-character brands not yet in `taken`, adding them to it."""
    brands = []
    while len(brands) < count:
        first, second = rng.sample(BRAND_CHARACTERS, 2)
        if first + second not in taken:
            taken.add(first + second)
            brands.append(first + second)
    return brands
