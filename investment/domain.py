"""The pure rules of the pipeline: none forgotten (time limits, overdue, duplicates) and
every promise checked (the 履约 chain, a late start).

No ORM and no request; `investment/selectors.py` turns the same rules into SQL.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from parkportal.credit_code import normalize as normalize_credit_code

from .choices import LeadStage


class Light(StrEnum):
    """How long a lead has gone without follow-up, against its stage's time limit."""

    GREEN = "green"
    YELLOW = "yellow"  # past the limit
    RED = "red"  # past twice the limit


LIGHT_LABELS = {Light.GREEN: "正常", Light.YELLOW: "超期未跟进", Light.RED: "严重超期未跟进"}

# The stages that are followed; signed, landed and dropped leads have no time limit.
FOLLOWED = (LeadStage.DOCKED, LeadStage.NEGOTIATING, LeadStage.INTENTION)


def light_limits(today: date, limits: dict[str, int]) -> dict[str, tuple[date, date]]:
    """Return, per followed stage, the days before which a lead last touched is yellow and
    red: touched before `today − limit` is past the limit, before `today − 2 × limit` past
    it twice."""
    return {
        stage: (today - timedelta(days=days), today - timedelta(days=2 * days))
        for stage, days in limits.items()
        if stage in FOLLOWED
    }


def light(stage: str, last_touched: date, today: date, limits: dict[str, int]) -> Light | None:
    """Return a lead's light: None for a stage without a time limit."""
    if stage not in limits or stage not in FOLLOWED:
        return None
    yellow_before, red_before = light_limits(today, {stage: limits[stage]})[stage]
    if last_touched < red_before:
        return Light.RED
    if last_touched < yellow_before:
        return Light.YELLOW
    return Light.GREEN


def is_overdue(next_on: date | None, today: date) -> bool:
    """Return whether a next follow-up date has passed (the day itself is not overdue)."""
    return next_on is not None and next_on < today


# Words that say what kind of company it is, not which: dropped before comparing.
COMPANY_WORDS = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团",
    "股份",
    "公司",
)


def normalised_investor(name: str) -> str:
    """Return an investor's name as compared for duplicates: full-width folded (NFKC),
    spaces, brackets' marks and punctuation dropped, lower case, and the company-kind
    words (有限公司, 集团…) removed."""
    text = unicodedata.normalize("NFKC", name or "").lower()
    text = re.sub(r"[\s()（）\[\]【】·.,，、\-_]", "", text)
    for word in COMPANY_WORDS:
        text = text.replace(word, "")
    return text


def investor_keys(investor: str, credit_code: str = "") -> set[str]:
    """Return what a lead's investor is compared by for duplicates: its normalised name
    and its 统一社会信用代码 (capitals, half-width); a blank one gives no key."""
    keys = set()
    if name := normalised_investor(investor):
        keys.add(f"name:{name}")
    if code := normalize_credit_code(credit_code or ""):
        keys.add(f"code:{code}")
    return keys


def is_possible_duplicate(investor: str, credit_code: str, other: str, other_code: str) -> bool:
    """Return whether two leads' investors are possibly the same: the same normalised name,
    or the same credit code (blank matches nothing)."""
    return bool(investor_keys(investor, credit_code) & investor_keys(other, other_code))


def duplicate_groups(leads: list[tuple[int, str, str]]) -> list[list[int]]:
    """Return the groups of lead ids (each of two or more, in the given order) whose
    investors are possibly the same (is_possible_duplicate); a lead matching any lead of a
    group joins it. `leads` are (id, investor, credit code)."""
    ids = [lead_id for lead_id, _, _ in leads]
    group = {lead_id: position for position, lead_id in enumerate(ids)}

    def root(position: int) -> int:
        while group[ids[position]] != position:
            position = group[ids[position]]
        return position

    first_with: dict[str, int] = {}  # a key → the position of the first lead holding it
    for position, (_, investor, credit_code) in enumerate(leads):
        for key in investor_keys(investor, credit_code):
            if key not in first_with:
                first_with[key] = position
                continue
            # Join the two groups under the earlier lead.
            one, other = root(first_with[key]), root(position)
            group[ids[max(one, other)]] = min(one, other)
    groups: dict[int, list[int]] = {}
    for position, lead_id in enumerate(ids):
        groups.setdefault(root(position), []).append(lead_id)
    return [members for members in groups.values() if len(members) > 1]


def limits_text(limits: dict[str, int]) -> str:
    """Return the time limits as the pages state them: "对接30天、洽谈21天、意向14天"."""
    return "、".join(
        f"{LeadStage(stage).label}{limits[stage]}天" for stage in FOLLOWED if stage in limits
    )


# ---------------------------------------------------------------- every promise checked (履约)

CHAIN = ("签约", "摘牌", "开工", "投产", "入统", "首次纳税")


@dataclass(frozen=True)
class ChainStep:
    """One step of a signed lead's chain: when it was reached, and the days it took from
    the step reached before it."""

    label: str
    on: date | None
    days: int | None


def promise_chain(dates: list[date | None]) -> list[ChainStep]:
    """Return the chain 签约 → 摘牌 → 开工 → 投产 → 入统 → 首次纳税 from its dates (None:
    not reached), each reached step with the days since the latest step reached before
    it; a step without a date takes none, and the next counts from the one before."""
    steps, previous = [], None
    for label, on in zip(CHAIN, dates, strict=True):
        days = (on - previous).days if on and previous else None
        steps.append(ChainStep(label, on, days))
        previous = on or previous
    return steps


def start_overdue_days(promised: date | None, started: date | None, today: date) -> int | None:
    """Return the days a signed lead is past its promised start without a start (the day
    promised itself is not late), or None when it is not late."""
    if promised is None or started is not None or promised >= today:
        return None
    return (today - promised).days


def start_delay_days(promised: date | None, started: date | None) -> int | None:
    """Return how many days after its promised start a project started (negative: before),
    or None without both dates."""
    if promised is None or started is None:
        return None
    return (started - promised).days


def delay_phrase(days: int | None) -> str:
    """Return how a start against its promise is written: 晚5天, 提前3天, 按期; "" without."""
    if days is None:
        return ""
    if days > 0:
        return f"晚{days}天"
    return f"提前{-days}天" if days < 0 else "按期"
